import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { appendFileSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import { ApiServer } from './server.js';
import { X509Certificate } from 'node:crypto';
import { ensureKubeletClientCert, ensureServingCerts } from './tls.js';
import { installNodeProxy, kubeletEndpoint, kubeletErrorToApiError, validateContainer } from './node-proxy.js';
import { SqliteStore } from '../storage/sqlite-store.js';
import { writeKubeconfig } from '../cli/kubeconfig.js';
import { RestClient } from '../client/index.js';
import { apiRequest } from '../testing/server-process.js';
import { cacheDirFor, cleanupTempDirs, kubectl, kubectlEnv, kubectlPath } from '../testing/kubectl.js';
import type { KubeletContext } from '../kubelet/contracts.js';
import { FakeCri, type FakeContainer } from '../kubelet/server/fake-cri.js';
import { FakeStreamServer } from '../kubelet/server/fake-stream-server.js';
import { startKubeletServer, type KubeletServer } from '../kubelet/server/kubelet-server.js';
import { selfSignedKubeletCert } from '../kubelet/server/serving-cert.js';

// ---------------------------------------------------------------- pure helpers

const pod2 = { metadata: { name: 'web-1' }, spec: { initContainers: [{ name: 'init' }], containers: [{ name: 'a' }, { name: 'b' }] } };

test('validateContainer: defaulting and Kubernetes error texts', () => {
  assert.equal(validateContainer('', { metadata: { name: 'p' }, spec: { containers: [{ name: 'only' }] } }), 'only');
  assert.equal(validateContainer('init', pod2), 'init');
  assert.throws(() => validateContainer(undefined, pod2), { message: 'a container name must be specified for pod web-1, choose one of: [init a b]' });
  assert.throws(() => validateContainer('zzz', pod2), { message: 'container zzz is not valid for pod web-1' });
  assert.throws(() => validateContainer(null, { metadata: { name: 'e' }, spec: { containers: [] } }), { message: 'a container name must be specified for pod e' });
});

test('kubeletEndpoint prefers InternalIP and the daemon endpoint port', () => {
  const node = { status: { addresses: [{ type: 'Hostname', address: 'node-a' }, { type: 'InternalIP', address: '10.0.0.5' }], daemonEndpoints: { kubeletEndpoint: { Port: 11250 } } } };
  assert.deepEqual(kubeletEndpoint(node), { host: '10.0.0.5', port: 11250 });
  assert.deepEqual(kubeletEndpoint({ status: { addresses: [{ type: 'Hostname', address: 'node-b' }] } }), { host: 'node-b', port: 10250 });
  assert.throws(() => kubeletEndpoint({ status: {} }), { message: 'Internal error occurred: no preferred addresses found; known addresses: []' });
});

test('kubelet error answers map like GenericHttpResponseChecker', () => {
  assert.deepEqual(kubeletErrorToApiError(400, 'bad thing', 'web-1').toStatus(), { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'bad thing', reason: 'BadRequest', code: 400 });
  const e500 = kubeletErrorToApiError(500, 'boom', 'web-1');
  assert.equal(e500.message, 'Internal error occurred: boom');
  assert.equal(e500.reason, 'InternalError');
  const e404 = kubeletErrorToApiError(404, 'pod "web-1" does not exist\n', 'web-1');
  assert.equal(e404.message, 'the server could not find the requested resource ( pods/log web-1)');
  assert.equal(e404.reason, 'NotFound');
  assert.equal(kubeletErrorToApiError(403, 'Forbidden (user=x)', 'web-1').message, 'Forbidden (user=x) ( pods/log web-1)');
  assert.equal(kubeletErrorToApiError(502, 'gw', 'web-1').message, 'an error on the server ("gw") has prevented the request from succeeding ( pods/log web-1)');
});

test('ensureKubeletClientCert issues a CA-signed client cert once and reuses it', async () => {
  const d = mkdtempSync(path.join(os.tmpdir(), 'skiff-kcc-'));
  try {
    await assert.rejects(ensureKubeletClientCert(d), /no cluster CA/);
    const serving = await ensureServingCerts(d);
    const a = await ensureKubeletClientCert(d);
    const cert = new X509Certificate(a.certPem);
    const ca = new X509Certificate(serving.caCertPem);
    assert.equal(cert.subject, 'O=system:masters\nCN=kube-apiserver-kubelet-client');
    assert.equal(cert.checkIssued(ca), true);
    assert.equal(cert.verify(ca.publicKey), true);
    assert.deepEqual(cert.keyUsage, ['1.3.6.1.5.5.7.3.2'], 'clientAuth only');
    assert.equal(a.caCertPem, serving.caCertPem);
    const b = await ensureKubeletClientCert(d);
    assert.equal(b.certPem, a.certPem, 'reused');
  } finally {
    rmSync(d, { recursive: true, force: true });
  }
});

// ---------------------------------------------------------------- end to end: API server + kubelet (fake runtime) + kubectl

const haveKubectl = existsSync(kubectlPath());
const dir = mkdtempSync(path.join(os.tmpdir(), 'skiff-node-proxy-'));
const TOKEN = 'node-proxy-test-token';
const T = '2026-11-25T19:17:25.5Z';
let api: ApiServer;
let store: SqliteStore;
let kubelet: KubeletServer;
let streams: FakeStreamServer;
let cri: FakeCri;
let url = '';
let caCertPem = '';
let kubeconfig = '';
let followContainer: FakeContainer;
const followLog = path.join(dir, 'follow.log');

const conn = () => ({ url, token: TOKEN, caCertPem });

async function put(p: string, body: unknown): Promise<void> {
  const r = await apiRequest(conn(), 'PUT', p, body);
  assert.equal(r.status, 200, r.text);
}

async function post(p: string, body: unknown): Promise<any> {
  const r = await apiRequest(conn(), 'POST', p, body);
  assert.equal(r.status, 201, r.text);
  return r.body;
}

before(async () => {
  const certs = await ensureServingCerts(dir);
  caCertPem = certs.caCertPem;
  store = SqliteStore.open(path.join(dir, 'state.db'));
  api = new ApiServer({ store, tls: { cert: certs.certPem, key: certs.keyPem }, authenticate: (t) => (t === TOKEN ? { name: 'admin', groups: ['system:masters'] } : undefined) });
  const port = await api.listen(0, '127.0.0.1');
  await api.start();
  await installNodeProxy(api, { dataDir: dir });
  url = `https://127.0.0.1:${port}`;
  kubeconfig = path.join(dir, 'kubeconfig.yaml');
  writeKubeconfig(kubeconfig, { server: url, caCertPem, token: TOKEN, namespace: 'default' });

  streams = await new FakeStreamServer().start();
  cri = new FakeCri(streams);
  const kubeletCert = selfSignedKubeletCert({ nodeName: 'node-a', addresses: ['127.0.0.1'] });
  const ctx = { cri: cri.runtime(), now: () => new Date(), client: new RestClient({ server: url, token: TOKEN, caCertPem }) } as unknown as KubeletContext;
  kubelet = await startKubeletServer({ ctx, host: '127.0.0.1', port: 0, cert: kubeletCert.certPem, key: kubeletCert.keyPem, clientCaPem: caCertPem, logPollMs: 50 });

  const node = await post('/api/v1/nodes', { apiVersion: 'v1', kind: 'Node', metadata: { name: 'node-a' } });
  node.status = { addresses: [{ type: 'InternalIP', address: '127.0.0.1' }, { type: 'Hostname', address: 'node-a' }], daemonEndpoints: { kubeletEndpoint: { Port: kubelet.port } } };
  await put('/api/v1/nodes/node-a/status', node);

  const logCur = path.join(dir, 'nginx-1.log');
  const logPrev = path.join(dir, 'nginx-0.log');
  writeFileSync(logCur, `${T} stdout F hello from nginx\n${T} stderr F a warning\n${T} stdout F last line\n`);
  writeFileSync(logPrev, `${T} stdout F crashed before\n`);
  writeFileSync(followLog, `${T} stdout F tick 1\n`);
  followContainer = { id: 'c-tail', namespace: 'default', pod: 'tail', name: 'main', attempt: 0, state: 'CONTAINER_RUNNING', logPath: followLog };
  cri.containers.push(
    { id: 'c-old', namespace: 'default', pod: 'web-1', name: 'nginx', attempt: 0, state: 'CONTAINER_EXITED', logPath: logPrev },
    { id: 'c-cur', namespace: 'default', pod: 'web-1', name: 'nginx', attempt: 1, state: 'CONTAINER_RUNNING', logPath: logCur },
    followContainer,
  );

  const web = await post('/api/v1/namespaces/default/pods', {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'web-1' },
    spec: { nodeName: 'node-a', containers: [{ name: 'nginx', image: 'nginx' }, { name: 'sidecar', image: 'busybox' }] },
  });
  web.status = {
    phase: 'Running',
    containerStatuses: [
      { name: 'nginx', ready: true, restartCount: 1, image: 'nginx', imageID: '', containerID: 'containerd://c-cur', state: { running: { startedAt: '2026-11-25T19:17:25Z' } }, lastState: { terminated: { exitCode: 1, containerID: 'containerd://c-old' } } },
      { name: 'sidecar', ready: false, restartCount: 0, image: 'busybox', imageID: '', state: { waiting: { reason: 'ContainerCreating' } }, lastState: {} },
    ],
  };
  await put('/api/v1/namespaces/default/pods/web-1/status', web);

  const tail = await post('/api/v1/namespaces/default/pods', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'tail' }, spec: { nodeName: 'node-a', containers: [{ name: 'main', image: 'busybox' }] } });
  tail.status = { phase: 'Running', containerStatuses: [{ name: 'main', ready: true, restartCount: 0, image: 'busybox', imageID: '', containerID: 'containerd://c-tail', state: { running: {} }, lastState: {} }] };
  await put('/api/v1/namespaces/default/pods/tail/status', tail);

  await post('/api/v1/namespaces/default/pods', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'pending' }, spec: { containers: [{ name: 'main', image: 'busybox' }] } });

  cri.behaviour = (cmd) => (p) => {
    const script = cmd?.join(' ') ?? '';
    if (script === 'sh -c exit 3') {
      p.stdout('about to fail\n');
      setTimeout(() => p.exit(3, cmd), 20);
    } else if (script === 'cat') {
      p.onStdin((d) => p.stdout(d));
      p.onStdinEnd(() => setTimeout(() => p.exit(0), 10));
    } else {
      p.stdout(`ran: ${script}\n`);
      setTimeout(() => p.exit(0), 20);
    }
  };
});

after(async () => {
  await kubelet?.close();
  await streams?.close();
  await api?.close();
  await store?.close();
  cleanupTempDirs();
  rmSync(dir, { recursive: true, force: true });
});

const k = (args: string[], stdin?: string) => kubectl(args, { kubeconfig, stdin, timeoutMs: 30_000 });

test('kubectl logs: container, tail + timestamps, previous, defaulting', { skip: !haveKubectl && 'kubectl not installed' }, async () => {
  const r = await k(['logs', 'web-1', '-c', 'nginx']);
  assert.equal(r.stderr, '');
  assert.equal(r.stdout, 'hello from nginx\na warning\nlast line\n');
  assert.equal(r.code, 0);
  const t = await k(['logs', 'web-1', '-c', 'nginx', '--tail=1', '--timestamps']);
  assert.equal(t.stdout, '2026-11-25T19:17:25.500000000Z last line\n');
  const p = await k(['logs', 'web-1', '-c', 'nginx', '--previous']);
  assert.equal(p.stdout, 'crashed before\n');
  const d = await k(['logs', 'web-1']);
  assert.equal(d.stdout, 'hello from nginx\na warning\nlast line\n');
  assert.equal(d.stderr, 'Defaulted container "nginx" out of: nginx, sidecar\n');
});

test('kubectl logs errors come back as Kubernetes prints them', { skip: !haveKubectl && 'kubectl not installed' }, async () => {
  const w = await k(['logs', 'web-1', '-c', 'sidecar']);
  assert.equal(w.code, 1);
  assert.equal(w.stderr, 'Error from server (BadRequest): container "sidecar" in pod "web-1" is waiting to start: ContainerCreating\n');
  const bad = await k(['logs', 'web-1', '-c', 'nope']);
  // kubectl checks the container itself before asking for logs.
  assert.equal(bad.stderr, 'error: container nope is not valid for pod web-1\n');
  const prev = await k(['logs', 'web-1', '-c', 'sidecar', '--previous']);
  assert.equal(prev.stderr, 'Error from server (BadRequest): previous terminated container "sidecar" in pod "web-1" not found\n');
  const missing = await k(['logs', 'ghost']);
  assert.equal(missing.stderr, 'error: error from server (NotFound): pods "ghost" not found in namespace "default"\n');
});

test('kubectl logs -f streams until the container exits', { skip: !haveKubectl && 'kubectl not installed' }, async () => {
  const child = spawn(kubectlPath(), ['logs', '-f', 'tail', `--kubeconfig=${kubeconfig}`, `--cache-dir=${cacheDirFor(kubeconfig)}`], { env: kubectlEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  const waitFor = async (s: string) => {
    const end = Date.now() + 15_000;
    while (!stdout.includes(s)) {
      if (Date.now() > end) throw new Error(`no ${JSON.stringify(s)} in ${JSON.stringify(stdout)} / ${stderr}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  };
  try {
    await waitFor('tick 1\n');
    appendFileSync(followLog, `${T} stdout F tick 2\n`);
    await waitFor('tick 2\n');
    appendFileSync(followLog, `${T} stdout F exiting\n`);
    followContainer.state = 'CONTAINER_EXITED';
    assert.equal(await exited, 0);
    assert.equal(stdout, 'tick 1\ntick 2\nexiting\n');
  } finally {
    child.kill('SIGKILL');
  }
});

test('kubectl exec: exit code, stdin, plain output', { skip: !haveKubectl && 'kubectl not installed' }, async () => {
  const fail = await k(['exec', 'web-1', '-c', 'nginx', '--', 'sh', '-c', 'exit 3']);
  assert.equal(fail.stdout, 'about to fail\n');
  assert.equal(fail.stderr, 'command terminated with exit code 3\n');
  assert.equal(fail.code, 3);
  const echo = await k(['exec', '-i', 'web-1', '-c', 'nginx', '--', 'cat'], 'hi\n');
  assert.equal(echo.stderr, '');
  assert.equal(echo.stdout, 'hi\n');
  assert.equal(echo.code, 0);
  const ls = await k(['exec', 'web-1', '-c', 'nginx', '--', 'ls', '/']);
  assert.equal(ls.stdout, 'ran: ls /\n');
  assert.equal(ls.code, 0);
  assert.deepEqual(cri.execCalls.at(-1), { container_id: 'c-cur', cmd: ['ls', '/'], stdin: false, stdout: true, stderr: true, tty: false });
});

test('kubectl exec errors: bad container, not running, no host', { skip: !haveKubectl && 'kubectl not installed' }, async () => {
  const bad = await k(['exec', 'web-1', '-c', 'nope', '--', 'ls']);
  assert.equal(bad.code, 1);
  assert.equal(bad.stderr, 'Error from server (BadRequest): container nope is not valid for pod web-1\n');
  const waiting = await k(['exec', 'web-1', '-c', 'sidecar', '--', 'ls']);
  assert.equal(waiting.code, 1);
  assert.equal(waiting.stderr, 'error: unable to upgrade connection: container not found ("sidecar")\n');
  const pending = await k(['exec', 'pending', '--', 'ls']);
  assert.equal(pending.code, 1);
  assert.equal(pending.stderr, 'Error from server (BadRequest): pod pending does not have a host assigned\n');
});

test('exec without an upgrade, unauthenticated upgrade, and other upgrades fall through', async () => {
  const plain = await apiRequest(conn(), 'GET', '/api/v1/namespaces/default/pods/web-1/exec?command=ls&container=nginx&stdout=true');
  assert.equal(plain.status, 400);
  assert.equal(plain.body.message, 'Upgrade request required');
  const badC = await apiRequest(conn(), 'POST', '/api/v1/namespaces/default/pods/web-1/exec?command=ls&container=x&stdout=true');
  assert.equal(badC.body.message, 'container x is not valid for pod web-1');

  const upgradeStatus = (p: string, headers: Record<string, string>) =>
    new Promise<{ status: number; body: any }>((resolve, reject) => {
      const ws = new WebSocket(`${url.replace('https', 'wss')}${p}`, ['v5.channel.k8s.io'], { ca: caCertPem, headers });
      ws.on('unexpected-response', (_req, res) => {
        let text = '';
        res.on('data', (d) => (text += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) }));
      });
      ws.on('open', () => reject(new Error('unexpected upgrade')));
      ws.on('error', () => {});
    });
  const anon = await upgradeStatus('/api/v1/namespaces/default/pods/web-1/exec?command=ls&container=nginx&stdout=true', {});
  assert.equal(anon.status, 401);
  assert.equal(anon.body.reason, 'Unauthorized');
  const pf = await upgradeStatus('/api/v1/namespaces/default/pods/pending/portforward?ports=80', { Authorization: `Bearer ${TOKEN}` });
  assert.equal(pf.status, 400);
  assert.equal(pf.body.message, 'pod pending does not have a host assigned');
  const missing = await upgradeStatus('/api/v1/namespaces/default/pods/ghost/exec?command=ls&stdout=true', { Authorization: `Bearer ${TOKEN}` });
  assert.equal(missing.status, 404);
  assert.equal(missing.body.message, 'pods "ghost" not found');
});

test('logs of an unscheduled pod are empty; invalid options are 422', async () => {
  const r = await apiRequest(conn(), 'GET', '/api/v1/namespaces/default/pods/pending/log');
  assert.equal(r.status, 200);
  assert.equal(r.text, '');
  const inv = await apiRequest(conn(), 'GET', '/api/v1/namespaces/default/pods/web-1/log?container=nginx&tailLines=-2');
  assert.equal(inv.status, 422);
  assert.equal(inv.body.message, 'PodLogOptions "web-1" is invalid: tailLines: Invalid value: -2: must be greater than or equal to 0');
});
