// Serving certificates for the API server: a private CA plus a leaf
// certificate for the addresses kubectl will dial. Generated once under
// <dataDir>/tls/ and reused, so kubeconfigs written earlier keep working.
import { generateKeyPairSync, randomBytes, X509Certificate, createPrivateKey } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { isIP } from 'node:net';
import path from 'node:path';
import forge from 'node-forge';

export interface ServingCerts {
  caCertPem: string;
  certPem: string;
  keyPem: string;
}

export interface ServingCertOptions {
  /** Extra names/addresses the serving cert must cover (e.g. the bind address). */
  hosts?: string[];
  /** Injectable clock, for tests of the renewal window. */
  now?: Date;
}

export const DEFAULT_HOSTS: readonly string[] = ['127.0.0.1', 'localhost', '::1'];

const DAY_MS = 24 * 60 * 60 * 1000;
const CA_LIFETIME_DAYS = 3650;
const SERVING_LIFETIME_DAYS = 365;
/** A serving cert this close to expiry is replaced on start. */
const RENEW_BEFORE_DAYS = 30;
/** Backdate notBefore so small clock differences do not make a fresh cert "not yet valid". */
const BACKDATE_MS = 60 * 60 * 1000;

interface KeyPair {
  privateKeyPem: string;
  publicKeyPem: string;
}

/** Paths of the four files under <dataDir>/tls/. */
export function tlsPaths(dataDir: string): { dir: string; caCert: string; caKey: string; cert: string; key: string } {
  const dir = path.join(dataDir, 'tls');
  return {
    dir,
    caCert: path.join(dir, 'ca.crt'),
    caKey: path.join(dir, 'ca.key'),
    cert: path.join(dir, 'server.crt'),
    key: path.join(dir, 'server.key'),
  };
}

/**
 * Loads or creates the CA and serving certificate. The CA is kept as long as it
 * exists and is valid; the serving cert is re-issued when it does not cover all
 * requested hosts, is not signed by the current CA, or expires within 30 days.
 */
export async function ensureServingCerts(dataDir: string, opts: ServingCertOptions = {}): Promise<ServingCerts> {
  const now = opts.now ?? new Date();
  const hosts = servingHosts(opts.hosts);
  const p = tlsPaths(dataDir);
  await mkdir(p.dir, { recursive: true, mode: 0o700 });

  let ca = await loadPair(p.caCert, p.caKey);
  if (!ca || !isUsableCa(ca.certPem, now)) {
    ca = createCa(now);
    await writePrivate(p.caKey, ca.keyPem);
    await writePublic(p.caCert, ca.certPem);
  }

  let leaf = await loadPair(p.cert, p.key);
  if (!leaf || !isUsableServingCert(leaf.certPem, ca.certPem, hosts, now)) {
    leaf = createServingCert(ca, hosts, now);
    await writePrivate(p.key, leaf.keyPem);
    await writePublic(p.cert, leaf.certPem);
  }

  return { caCertPem: ca.certPem, certPem: leaf.certPem, keyPem: leaf.keyPem };
}

/** Defaults plus the requested hosts, minus wildcard bind addresses (they are not dialable names). */
export function servingHosts(extra: string[] = []): string[] {
  const out: string[] = [];
  for (const h of [...DEFAULT_HOSTS, ...extra]) {
    const host = stripBrackets(h.trim());
    if (!host || host === '0.0.0.0' || host === '::') continue;
    if (!out.includes(host)) out.push(host);
  }
  return out;
}

function stripBrackets(h: string): string {
  return h.startsWith('[') && h.endsWith(']') ? h.slice(1, -1) : h;
}

async function loadPair(certPath: string, keyPath: string): Promise<{ certPem: string; keyPem: string } | undefined> {
  try {
    const [certPem, keyPem] = await Promise.all([readFile(certPath, 'utf8'), readFile(keyPath, 'utf8')]);
    // Reject a pair whose key does not belong to the certificate (e.g. half-written earlier).
    if (!new X509Certificate(certPem).checkPrivateKey(createPrivateKey(keyPem))) return undefined;
    return { certPem, keyPem };
  } catch {
    return undefined;
  }
}

function isUsableCa(certPem: string, now: Date): boolean {
  const cert = new X509Certificate(certPem);
  return cert.ca && new Date(cert.validTo).getTime() > now.getTime() + RENEW_BEFORE_DAYS * DAY_MS;
}

function isUsableServingCert(certPem: string, caCertPem: string, hosts: string[], now: Date): boolean {
  const cert = new X509Certificate(certPem);
  const ca = new X509Certificate(caCertPem);
  if (!cert.checkIssued(ca) || !cert.verify(ca.publicKey)) return false;
  if (new Date(cert.validTo).getTime() <= now.getTime() + RENEW_BEFORE_DAYS * DAY_MS) return false;
  if (new Date(cert.validFrom).getTime() > now.getTime()) return false;
  return hosts.every((h) => (isIP(h) ? cert.checkIP(h) !== undefined : cert.checkHost(h) !== undefined));
}

function newKeyPair(): KeyPair {
  // forge can only sign with RSA keys, so both CA and leaf use RSA-2048.
  const { privateKey, publicKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
  });
  return { privateKeyPem: privateKey, publicKeyPem: publicKey };
}

/** Random positive serial (high bit cleared so DER does not read it as negative). */
function randomSerial(): string {
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0] as number) & 0x7f | 0x01;
  return bytes.toString('hex');
}

function validity(cert: forge.pki.Certificate, now: Date, days: number): void {
  cert.validity.notBefore = new Date(now.getTime() - BACKDATE_MS);
  cert.validity.notAfter = new Date(now.getTime() + days * DAY_MS);
}

function createCa(now: Date): { certPem: string; keyPem: string } {
  const keys = newKeyPair();
  const priv = forge.pki.privateKeyFromPem(keys.privateKeyPem);
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(keys.publicKeyPem);
  cert.serialNumber = randomSerial();
  validity(cert, now, CA_LIFETIME_DAYS);
  // A timestamp in the CN keeps CAs from different data dirs distinguishable.
  // forge encodes names as PrintableString, and Go's x509 parser rejects
  // characters outside that set (such as '@'), so stick to [A-Za-z0-9 -].
  const subject = [{ name: 'commonName', value: `skiff-ca-${Math.floor(now.getTime() / 1000)}` }];
  cert.setSubject(subject);
  cert.setIssuer(subject);
  cert.setExtensions([
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', critical: true, keyCertSign: true, cRLSign: true, digitalSignature: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  cert.sign(priv, forge.md.sha256.create());
  return { certPem: forge.pki.certificateToPem(cert), keyPem: keys.privateKeyPem };
}

/** A leaf certificate signed by the CA; authorityKeyIdentifier is appended to the given extensions. */
function issueLeafCert(
  ca: { certPem: string; keyPem: string },
  now: Date,
  subject: forge.pki.CertificateField[],
  extensions: object[],
): { certPem: string; keyPem: string } {
  const keys = newKeyPair();
  const caCert = forge.pki.certificateFromPem(ca.certPem);
  const caKey = forge.pki.privateKeyFromPem(ca.keyPem);
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(keys.publicKeyPem);
  cert.serialNumber = randomSerial();
  validity(cert, now, SERVING_LIFETIME_DAYS);
  cert.setSubject(subject);
  cert.setIssuer(caCert.subject.attributes);
  cert.setExtensions([...extensions, { name: 'authorityKeyIdentifier', keyIdentifier: caCert.generateSubjectKeyIdentifier().getBytes() }]);
  cert.sign(caKey, forge.md.sha256.create());
  return { certPem: forge.pki.certificateToPem(cert), keyPem: keys.privateKeyPem };
}

function createServingCert(
  ca: { certPem: string; keyPem: string },
  hosts: string[],
  now: Date,
): { certPem: string; keyPem: string } {
  // forge types 7 = iPAddress, 2 = dNSName (GeneralName tags).
  const altNames = hosts.map((h) => (isIP(h) ? { type: 7, ip: h } : { type: 2, value: h }));
  return issueLeafCert(ca, now, [{ name: 'commonName', value: 'skiff-apiserver' }], [
    { name: 'basicConstraints', cA: false, critical: true },
    { name: 'keyUsage', critical: true, digitalSignature: true, keyEncipherment: true },
    { name: 'extKeyUsage', serverAuth: true },
    { name: 'subjectAltName', altNames },
    { name: 'subjectKeyIdentifier' },
  ]);
}

/** Write-then-rename so a crash never leaves a truncated file behind. */
async function atomicWrite(file: string, data: string, mode: number): Promise<void> {
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  await writeFile(tmp, data, { mode });
  await rename(tmp, file);
}

function writePrivate(file: string, pem: string): Promise<void> {
  return atomicWrite(file, pem, 0o600);
}

function writePublic(file: string, pem: string): Promise<void> {
  return atomicWrite(file, pem, 0o644);
}

export interface KubeletClientCert {
  certPem: string;
  keyPem: string;
  caCertPem: string;
}

/** The API server's client identity towards kubelets (Kubernetes' --kubelet-client-certificate). */
export const KUBELET_CLIENT_CN = 'kube-apiserver-kubelet-client';

/**
 * Loads or issues <dataDir>/tls/kubelet-client.{crt,key}: CN kube-apiserver-kubelet-client,
 * O system:masters, clientAuth, signed by the cluster CA. The CA must already exist
 * (ensureServingCerts creates it); the cert is re-issued when the CA changed or it nears expiry.
 */
export async function ensureKubeletClientCert(dataDir: string, opts: { now?: Date } = {}): Promise<KubeletClientCert> {
  const now = opts.now ?? new Date();
  const p = tlsPaths(dataDir);
  const ca = await loadPair(p.caCert, p.caKey);
  if (!ca) throw new Error(`no cluster CA in ${p.dir}: start the API server once to create it`);
  const certFile = path.join(p.dir, 'kubelet-client.crt');
  const keyFile = path.join(p.dir, 'kubelet-client.key');
  let leaf = await loadPair(certFile, keyFile);
  if (!leaf || !isUsableClientCert(leaf.certPem, ca.certPem, now)) {
    leaf = createClientCert(ca, now);
    await writePrivate(keyFile, leaf.keyPem);
    await writePublic(certFile, leaf.certPem);
  }
  return { certPem: leaf.certPem, keyPem: leaf.keyPem, caCertPem: ca.certPem };
}

function isUsableClientCert(certPem: string, caCertPem: string, now: Date): boolean {
  const cert = new X509Certificate(certPem);
  const ca = new X509Certificate(caCertPem);
  if (!cert.checkIssued(ca) || !cert.verify(ca.publicKey)) return false;
  return new Date(cert.validTo).getTime() > now.getTime() + RENEW_BEFORE_DAYS * DAY_MS;
}

function createClientCert(ca: { certPem: string; keyPem: string }, now: Date): { certPem: string; keyPem: string } {
  const subject = [
    { name: 'organizationName', value: 'system:masters' },
    { name: 'commonName', value: KUBELET_CLIENT_CN },
  ];
  return issueLeafCert(ca, now, subject, [
    { name: 'basicConstraints', cA: false, critical: true },
    { name: 'keyUsage', critical: true, digitalSignature: true, keyEncipherment: true },
    { name: 'extKeyUsage', clientAuth: true },
  ]);
}
