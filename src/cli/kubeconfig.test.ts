import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { ensureServingCerts } from '../apiserver/tls.js';
import { cleanupTempDirs, kubectl, tempDir } from '../testing/kubectl.js';
import { readKubeconfig, writeKubeconfig } from './kubeconfig.js';

after(() => cleanupTempDirs());

const CA = '-----BEGIN CERTIFICATE-----\nMIIBfake\n-----END CERTIFICATE-----\n';

test('writes the exact document with mode 0600 and reads it back', () => {
  const file = path.join(tempDir('skiff-kubeconfig'), 'sub', 'config');
  writeKubeconfig(file, { server: 'https://127.0.0.1:6443', caCertPem: CA, token: 'tok123', namespace: 'team-a' });
  assert.equal(statSync(file).mode & 0o777, 0o600);
  const b64 = Buffer.from(CA).toString('base64');
  assert.equal(
    readFileSync(file, 'utf8'),
    [
      'apiVersion: v1',
      'kind: Config',
      'preferences: {}',
      'clusters:',
      '  - name: skiff',
      '    cluster:',
      '      server: https://127.0.0.1:6443',
      `      certificate-authority-data: ${b64}`,
      'users:',
      '  - name: admin',
      '    user:',
      '      token: tok123',
      'contexts:',
      '  - name: skiff',
      '    context:',
      '      cluster: skiff',
      '      user: admin',
      '      namespace: team-a',
      'current-context: skiff',
      '',
    ].join('\n'),
  );
  assert.deepEqual(readKubeconfig(file), {
    server: 'https://127.0.0.1:6443',
    caCertPem: CA,
    token: 'tok123',
    namespace: 'team-a',
    insecureSkipTLSVerify: false,
    context: 'skiff',
  });
});

test('custom names; no namespace reads back as default', () => {
  const file = path.join(tempDir('skiff-kubeconfig'), 'config');
  writeKubeconfig(file, {
    server: 'https://[::1]:7000',
    caCertPem: CA,
    token: 't',
    clusterName: 'c1',
    userName: 'u1',
    contextName: 'x1',
  });
  const text = readFileSync(file, 'utf8');
  assert.doesNotMatch(text, /namespace/);
  const got = readKubeconfig(file);
  assert.equal(got.context, 'x1');
  assert.equal(got.namespace, 'default');
  assert.equal(got.server, 'https://[::1]:7000');
});

test('reads certificate-authority / tokenFile paths relative to the file, and insecure-skip-tls-verify', () => {
  const dir = tempDir('skiff-kubeconfig');
  writeFileSync(path.join(dir, 'ca.pem'), CA);
  writeFileSync(path.join(dir, 'token'), 'from-file\n');
  const file = path.join(dir, 'config');
  writeFileSync(
    file,
    `apiVersion: v1
kind: Config
clusters:
- name: a
  cluster: {server: "https://a:1", certificate-authority: ca.pem}
- name: b
  cluster: {server: "https://b:2", insecure-skip-tls-verify: true}
users:
- name: ua
  user: {tokenFile: token}
- name: ub
  user: {token: inline}
contexts:
- name: ca
  context: {cluster: a, user: ua, namespace: ns1}
- name: cb
  context: {cluster: b, user: ub}
current-context: ca
`,
  );
  assert.deepEqual(readKubeconfig(file), {
    server: 'https://a:1',
    caCertPem: CA,
    token: 'from-file',
    namespace: 'ns1',
    insecureSkipTLSVerify: false,
    context: 'ca',
  });
  assert.deepEqual(readKubeconfig(file, { context: 'cb' }), {
    server: 'https://b:2',
    caCertPem: undefined,
    token: 'inline',
    namespace: 'default',
    insecureSkipTLSVerify: true,
    context: 'cb',
  });
  assert.throws(() => readKubeconfig(file, { context: 'nope' }), /context "nope" does not exist/);
});

test('errors on a kubeconfig without current-context or cluster', () => {
  const dir = tempDir('skiff-kubeconfig');
  const f1 = path.join(dir, 'c1');
  writeFileSync(f1, 'apiVersion: v1\nkind: Config\n');
  assert.throws(() => readKubeconfig(f1), /no current-context is set/);
  const f2 = path.join(dir, 'c2');
  writeFileSync(f2, 'contexts: [{name: x, context: {cluster: gone}}]\ncurrent-context: x\n');
  assert.throws(() => readKubeconfig(f2), /cluster "gone" of context "x" does not exist/);
});

test('the real kubectl accepts the file', async () => {
  const file = path.join(tempDir('skiff-kubeconfig'), 'config');
  writeKubeconfig(file, { server: 'https://127.0.0.1:6443', caCertPem: CA, token: 'tok-xyz', namespace: 'ns9' });
  const jp = '{.clusters[0].cluster.server} {.users[0].user.token} {.contexts[0].context.namespace} {.current-context}';
  const r = await kubectl(['config', 'view', '--raw', '-o', `jsonpath=${jp}`], { kubeconfig: file });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, 'https://127.0.0.1:6443 tok-xyz ns9 skiff');
  const ca = await kubectl(['config', 'view', '--raw', '-o', 'jsonpath={.clusters[0].cluster.certificate-authority-data}'], {
    kubeconfig: file,
  });
  assert.equal(Buffer.from(ca.stdout, 'base64').toString('utf8'), CA);
});

test('kubectl talks HTTPS to a server using our serving cert, CA and token', async (t) => {
  const dataDir = tempDir('skiff-kubeconfig-data');
  const certs = await ensureServingCerts(dataDir);
  const seenAuth: string[] = [];
  const version = {
    major: '1',
    minor: '32',
    gitVersion: 'v1.32.0',
    gitCommit: '0'.repeat(40),
    gitTreeState: 'clean',
    buildDate: '2024-12-11T00:00:00Z',
    goVersion: 'go1.23.3',
    compiler: 'gc',
    platform: 'linux/amd64',
  };
  const server = https.createServer({ cert: certs.certPem, key: certs.keyPem }, (req, res) => {
    seenAuth.push(req.headers.authorization ?? '');
    if (req.headers.authorization !== 'Bearer good-token') {
      res.writeHead(401, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'Unauthorized', reason: 'Unauthorized', code: 401 }));
      return;
    }
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify(version));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => server.close());
  const port = (server.address() as AddressInfo).port;

  const file = path.join(tempDir('skiff-kubeconfig'), 'config');
  writeKubeconfig(file, { server: `https://127.0.0.1:${port}`, caCertPem: certs.caCertPem, token: 'good-token' });
  const r = await kubectl(['get', '--raw', '/version'], { kubeconfig: file });
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout), version);
  assert.ok(seenAuth.length > 0 && seenAuth.every((a) => a === 'Bearer good-token'), JSON.stringify(seenAuth));

  // The same server via localhost also verifies (DNS SAN).
  const fileLocal = path.join(tempDir('skiff-kubeconfig'), 'config');
  writeKubeconfig(fileLocal, { server: `https://localhost:${port}`, caCertPem: certs.caCertPem, token: 'good-token' });
  const r2 = await kubectl(['get', '--raw', '/version'], { kubeconfig: fileLocal });
  assert.equal(r2.code, 0, r2.stderr);

  // A kubeconfig trusting some other CA is refused by kubectl's TLS check.
  const otherCerts = await ensureServingCerts(tempDir('skiff-kubeconfig-other'));
  const fileBad = path.join(tempDir('skiff-kubeconfig'), 'config');
  writeKubeconfig(fileBad, { server: `https://127.0.0.1:${port}`, caCertPem: otherCerts.caCertPem, token: 'good-token' });
  const r3 = await kubectl(['get', '--raw', '/version'], { kubeconfig: fileBad });
  assert.equal(r3.code, 1);
  assert.match(r3.stderr, /x509: certificate signed by unknown authority/);
});
