import { test } from 'node:test';
import assert from 'node:assert/strict';
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { mkdtempSync, rmSync, statSync, writeFileSync, readFileSync } from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { KUBELET_CLIENT_CN, ensureKubeletClientCert, ensureServingCerts, servingHosts, tlsPaths } from './tls.js';

function tmp(): string {
  return mkdtempSync(path.join(os.tmpdir(), 'skiff-tls-'));
}

const DAY = 24 * 60 * 60 * 1000;

test('servingHosts adds defaults, drops wildcard and duplicate addresses, strips brackets', () => {
  assert.deepEqual(servingHosts(), ['127.0.0.1', 'localhost', '::1']);
  assert.deepEqual(servingHosts(['0.0.0.0', '::', '[fe80::1]', '10.0.0.5', '127.0.0.1', 'node-a']), [
    '127.0.0.1',
    'localhost',
    '::1',
    'fe80::1',
    '10.0.0.5',
    'node-a',
  ]);
});

test('first start creates a CA and a serving cert that verify against each other', async (t) => {
  const dir = tmp();
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const certs = await ensureServingCerts(dir, { hosts: ['10.1.2.3'] });

  const ca = new X509Certificate(certs.caCertPem);
  const leaf = new X509Certificate(certs.certPem);
  assert.equal(ca.ca, true);
  assert.equal(leaf.ca, false);
  assert.equal(ca.checkIssued(ca), true, 'CA is self-signed');
  // Only PrintableString-safe characters: Go's x509 parser (kubectl) rejects others.
  assert.match(ca.subject, /^CN=skiff-ca-\d+$/);
  assert.equal(leaf.subject, 'CN=skiff-apiserver');
  assert.equal(leaf.issuer, ca.subject);
  assert.equal(leaf.checkIssued(ca), true);
  assert.equal(leaf.verify(ca.publicKey), true);
  assert.equal(leaf.checkPrivateKey(createPrivateKey(certs.keyPem)), true);
  assert.equal(leaf.checkIP('127.0.0.1'), '127.0.0.1');
  assert.equal(leaf.checkIP('::1'), '::1');
  assert.equal(leaf.checkIP('10.1.2.3'), '10.1.2.3');
  assert.equal(leaf.checkIP('10.1.2.4'), undefined);
  assert.equal(leaf.checkHost('localhost'), 'localhost');
  assert.deepEqual(leaf.keyUsage, ['1.3.6.1.5.5.7.3.1'], 'extKeyUsage serverAuth only');
  assert.equal(leaf.subjectAltName, 'IP Address:127.0.0.1, DNS:localhost, IP Address:0:0:0:0:0:0:0:1, IP Address:10.1.2.3');

  const lifetimeDays = (d: X509Certificate) => (Date.parse(d.validTo) - Date.parse(d.validFrom)) / DAY;
  // notBefore is backdated one hour.
  assert.ok(Math.abs(lifetimeDays(ca) - 3650) < 0.1, `CA lifetime ${lifetimeDays(ca)}`);
  assert.ok(Math.abs(lifetimeDays(leaf) - 365) < 0.1, `leaf lifetime ${lifetimeDays(leaf)}`);

  const p = tlsPaths(dir);
  assert.equal(statSync(p.caKey).mode & 0o777, 0o600);
  assert.equal(statSync(p.key).mode & 0o777, 0o600);
  assert.equal(readFileSync(p.cert, 'utf8'), certs.certPem);
  assert.equal(readFileSync(p.caCert, 'utf8'), certs.caCertPem);
});

test('second start reuses both certificates', async (t) => {
  const dir = tmp();
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const a = await ensureServingCerts(dir);
  const b = await ensureServingCerts(dir);
  assert.equal(new X509Certificate(b.certPem).fingerprint256, new X509Certificate(a.certPem).fingerprint256);
  assert.equal(new X509Certificate(b.caCertPem).fingerprint256, new X509Certificate(a.caCertPem).fingerprint256);
  assert.equal(b.keyPem, a.keyPem);
});

test('a new host re-issues the serving cert but keeps the CA', async (t) => {
  const dir = tmp();
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const a = await ensureServingCerts(dir);
  const b = await ensureServingCerts(dir, { hosts: ['192.168.7.7'] });
  assert.equal(b.caCertPem, a.caCertPem);
  assert.notEqual(b.certPem, a.certPem);
  assert.equal(new X509Certificate(b.certPem).checkIP('192.168.7.7'), '192.168.7.7');
  // Asking for a subset afterwards keeps the broader cert.
  const c = await ensureServingCerts(dir);
  assert.equal(c.certPem, b.certPem);
});

test('a serving cert expiring within 30 days is renewed; one at 31+ days is kept', async (t) => {
  const dir = tmp();
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const a = await ensureServingCerts(dir);
  const notAfter = Date.parse(new X509Certificate(a.certPem).validTo);
  const kept = await ensureServingCerts(dir, { now: new Date(notAfter - 31 * DAY) });
  assert.equal(kept.certPem, a.certPem);
  const renewed = await ensureServingCerts(dir, { now: new Date(notAfter - 29 * DAY) });
  assert.notEqual(renewed.certPem, a.certPem);
  assert.equal(renewed.caCertPem, a.caCertPem);
  assert.ok(Date.parse(new X509Certificate(renewed.certPem).validTo) > notAfter);
});

test('a corrupt or mismatched serving key leads to a fresh serving cert', async (t) => {
  const dir = tmp();
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const a = await ensureServingCerts(dir);
  const p = tlsPaths(dir);
  writeFileSync(p.key, 'garbage');
  const b = await ensureServingCerts(dir);
  assert.notEqual(b.certPem, a.certPem);
  assert.equal(new X509Certificate(b.certPem).checkPrivateKey(createPrivateKey(b.keyPem)), true);
  assert.equal(b.caCertPem, a.caCertPem);
});

test('a replaced CA invalidates the old serving cert', async (t) => {
  const dir = tmp();
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const a = await ensureServingCerts(dir);
  rmSync(tlsPaths(dir).caKey);
  const b = await ensureServingCerts(dir);
  assert.notEqual(b.caCertPem, a.caCertPem);
  assert.notEqual(b.certPem, a.certPem);
  assert.equal(new X509Certificate(b.certPem).checkIssued(new X509Certificate(b.caCertPem)), true);
});

test('an https server with the serving cert is trusted by a client that trusts only the CA', async (t) => {
  const dir = tmp();
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const certs = await ensureServingCerts(dir);
  const server = https.createServer({ cert: certs.certPem, key: certs.keyPem }, (_req, res) => res.end('ok'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => server.close());
  const port = (server.address() as AddressInfo).port;

  const get = (host: string, ca: string) =>
    new Promise<string>((resolve, reject) => {
      https
        .get({ host, port, path: '/', ca, agent: false }, (res) => {
          let body = '';
          res.on('data', (c) => (body += c));
          res.on('end', () => resolve(body));
        })
        .on('error', reject);
    });

  assert.equal(await get('127.0.0.1', certs.caCertPem), 'ok');
  assert.equal(await get('localhost', certs.caCertPem), 'ok');
  // Trusting a different CA must fail verification.
  const other = tmp();
  t.after(() => rmSync(other, { recursive: true, force: true }));
  const otherCerts = await ensureServingCerts(other);
  await assert.rejects(get('127.0.0.1', otherCerts.caCertPem), (err: NodeJS.ErrnoException) => {
    assert.equal(err.code, 'UNABLE_TO_VERIFY_LEAF_SIGNATURE');
    return true;
  });
});

test('the kubelet client cert: O=system:masters, clientAuth only, signed by the CA, reused while valid', async (t) => {
  const dir = tmp();
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  await assert.rejects(ensureKubeletClientCert(dir), /no cluster CA/);
  const serving = await ensureServingCerts(dir);
  const kc = await ensureKubeletClientCert(dir);
  const ca = new X509Certificate(serving.caCertPem);
  const leaf = new X509Certificate(kc.certPem);
  assert.equal(kc.caCertPem, serving.caCertPem);
  assert.equal(leaf.subject, `O=system:masters\nCN=${KUBELET_CLIENT_CN}`);
  assert.equal(leaf.issuer, ca.subject);
  assert.equal(leaf.ca, false);
  assert.equal(leaf.checkIssued(ca), true);
  assert.equal(leaf.verify(ca.publicKey), true);
  assert.equal(leaf.checkPrivateKey(createPrivateKey(kc.keyPem)), true);
  assert.deepEqual(leaf.keyUsage, ['1.3.6.1.5.5.7.3.2'], 'extKeyUsage clientAuth only');
  assert.equal(leaf.subjectAltName, undefined);
  assert.equal((await ensureKubeletClientCert(dir)).certPem, kc.certPem);
});
