// The kubelet's HTTPS identity. Like a kubelet started without
// --tls-cert-file, it uses a self-signed certificate for its node name and
// addresses; the API server does not verify it (no --kubelet-certificate-authority).

import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { isIP } from 'node:net';
import forge from 'node-forge';

export interface KubeletServingCert {
  certPem: string;
  keyPem: string;
}

export function selfSignedKubeletCert(opts: { nodeName: string; addresses: string[]; now?: Date; days?: number }): KubeletServingCert {
  const now = opts.now ?? new Date();
  const { privateKey, publicKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
  });
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(publicKey);
  const serial = randomBytes(16);
  serial[0] = (serial[0]! & 0x7f) | 0x01;
  cert.serialNumber = serial.toString('hex');
  cert.validity.notBefore = new Date(now.getTime() - 60 * 60 * 1000);
  cert.validity.notAfter = new Date(now.getTime() + (opts.days ?? 365) * 24 * 60 * 60 * 1000);
  const subject = [{ name: 'commonName', value: opts.nodeName }];
  cert.setSubject(subject);
  cert.setIssuer(subject);
  const names = [opts.nodeName, ...opts.addresses].filter((v, i, a) => v && a.indexOf(v) === i);
  cert.setExtensions([
    { name: 'basicConstraints', cA: false, critical: true },
    { name: 'keyUsage', critical: true, digitalSignature: true, keyEncipherment: true },
    { name: 'extKeyUsage', serverAuth: true },
    { name: 'subjectAltName', altNames: names.map((h) => (isIP(h) ? { type: 7, ip: h } : { type: 2, value: h })) },
  ]);
  cert.sign(forge.pki.privateKeyFromPem(privateKey), forge.md.sha256.create());
  return { certPem: forge.pki.certificateToPem(cert), keyPem: privateKey };
}
