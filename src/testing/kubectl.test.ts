import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { cacheDirFor, cleanupTempDirs, kubectl, kubectlEnv, tempDir, withGlobalFlags } from './kubectl.js';

after(() => cleanupTempDirs());

/** Points $KUBECTL at a script for the duration of one test. */
function withFakeKubectl(t: { after(fn: () => void): void }, body: string): void {
  const dir = tempDir('skiff-fake-kubectl');
  const script = path.join(dir, 'kubectl');
  writeFileSync(script, `#!/bin/sh\n${body}\n`);
  chmodSync(script, 0o755);
  const prev = process.env['KUBECTL'];
  process.env['KUBECTL'] = script;
  t.after(() => {
    if (prev === undefined) delete process.env['KUBECTL'];
    else process.env['KUBECTL'] = prev;
  });
}

test('runs the real kubectl: version --client -o json', async () => {
  const kubeconfig = path.join(tempDir('skiff-kc'), 'missing-config');
  const r = await kubectl(['version', '--client', '-o', 'json'], { kubeconfig });
  assert.equal(r.code, 0, r.stderr);
  const v = JSON.parse(r.stdout) as { clientVersion: { major: string; gitVersion: string } };
  assert.equal(v.clientVersion.major, '1');
  assert.match(v.clientVersion.gitVersion, /^v1\.32\./);
});

test('reports a non-zero exit code and stderr from the real kubectl', async () => {
  const kubeconfig = path.join(tempDir('skiff-kc'), 'config');
  const r = await kubectl(['no-such-subcommand'], { kubeconfig });
  assert.equal(r.code, 1);
  assert.match(r.stderr, /unknown command "no-such-subcommand" for "kubectl"/);
});

test('passes --kubeconfig and one stable --cache-dir per kubeconfig after the subcommand', async (t) => {
  withFakeKubectl(t, 'for a in "$@"; do echo "$a"; done');
  const a = path.join(tempDir('skiff-kc'), 'a');
  const b = path.join(tempDir('skiff-kc'), 'b');
  const r1 = await kubectl(['get', 'pods', '-o', 'name'], { kubeconfig: a });
  const r2 = await kubectl(['get', 'ns'], { kubeconfig: a });
  const r3 = await kubectl(['get', 'ns'], { kubeconfig: b });
  const r4 = await kubectl(['get', 'ns'], { kubeconfig: b, cacheDir: '/explicit' });
  const cacheA = cacheDirFor(a);
  assert.equal(r1.stdout, `get\n--kubeconfig=${a}\n--cache-dir=${cacheA}\npods\n-o\nname\n`);
  assert.equal(r2.stdout, `get\n--kubeconfig=${a}\n--cache-dir=${cacheA}\nns\n`);
  assert.notEqual(cacheDirFor(b), cacheA);
  assert.equal(r3.stdout, `get\n--kubeconfig=${b}\n--cache-dir=${cacheDirFor(b)}\nns\n`);
  assert.equal(r4.stdout, `get\n--kubeconfig=${b}\n--cache-dir=/explicit\nns\n`);
  assert.ok(existsSync(cacheA));
});

test('withGlobalFlags places flags after the subcommand, or first when there is none', () => {
  assert.deepEqual(withGlobalFlags(['exec', 'p', '--', 'ls', '-l'], ['--f']), ['exec', '--f', 'p', '--', 'ls', '-l']);
  assert.deepEqual(withGlobalFlags(['-n', 'x', 'get', 'pods'], ['--f']), ['--f', '-n', 'x', 'get', 'pods']);
  assert.deepEqual(withGlobalFlags([], ['--f', '--g']), ['--f', '--g']);
});

test('sanitises the environment: temp HOME, no KUBECONFIG, extra env applied', async (t) => {
  withFakeKubectl(t, 'echo "HOME=$HOME"; echo "KUBECONFIG=${KUBECONFIG:-unset}"; echo "SECRET=${SKIFF_SECRET_X:-unset}"; echo "X=$X"');
  const prevKc = process.env['KUBECONFIG'];
  process.env['KUBECONFIG'] = '/root/.kube/config';
  process.env['SKIFF_SECRET_X'] = 'leak';
  t.after(() => {
    if (prevKc === undefined) delete process.env['KUBECONFIG'];
    else process.env['KUBECONFIG'] = prevKc;
    delete process.env['SKIFF_SECRET_X'];
  });
  const r = await kubectl([], { kubeconfig: '/k', env: { X: 'y' } });
  const home = kubectlEnv()['HOME'] as string;
  assert.notEqual(home, process.env['HOME']);
  assert.ok(existsSync(home));
  assert.equal(r.stdout, `HOME=${home}\nKUBECONFIG=unset\nSECRET=unset\nX=y\n`);
});

test('feeds stdin to kubectl', async (t) => {
  withFakeKubectl(t, 'cat');
  const r = await kubectl(['apply', '-f', '-'], { kubeconfig: '/k', stdin: 'kind: Pod\n' });
  assert.deepEqual(r, { code: 0, stdout: 'kind: Pod\n', stderr: '' });
});

test('kills kubectl (and its children) on timeout and says so', async (t) => {
  withFakeKubectl(t, 'echo started; sleep 30 & wait');
  const started = Date.now();
  const r = await kubectl(['get', 'pods', '-w'], { kubeconfig: '/k', timeoutMs: 300 });
  assert.ok(Date.now() - started < 5000, 'returned promptly');
  assert.equal(r.code, -1);
  assert.equal(r.timedOut, true);
  assert.equal(r.stdout, 'started\n');
  assert.match(r.stderr, /killed after 300 ms timeout: kubectl get pods -w/);
});

test('rejects when the binary does not exist', async (t) => {
  const prev = process.env['KUBECTL'];
  process.env['KUBECTL'] = '/nonexistent/kubectl';
  t.after(() => {
    if (prev === undefined) delete process.env['KUBECTL'];
    else process.env['KUBECTL'] = prev;
  });
  await assert.rejects(kubectl(['version'], { kubeconfig: '/k' }), { code: 'ENOENT' });
});

test('cleanupTempDirs removes the dirs it created', () => {
  const d = tempDir('skiff-cleanup');
  assert.ok(existsSync(d));
  cleanupTempDirs();
  assert.equal(existsSync(d), false);
});
