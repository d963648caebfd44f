import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import WebSocket from 'ws';
import { ApiServer } from './server.js';
import { ensureServingCerts } from './tls.js';
import { installNodeProxy } from './node-proxy.js';
import { SqliteStore } from '../storage/sqlite-store.js';
import { writeKubeconfig } from '../cli/kubeconfig.js';
import { RestClient } from '../client/index.js';
import { apiRequest } from '../testing/server-process.js';
import { cleanupTempDirs, kubectl, kubectlPath } from '../testing/kubectl.js';
import type { KubeletContext } from '../kubelet/contracts.js';
import { LABEL_POD_NAME, LABEL_POD_NAMESPACE, LABEL_POD_UID, type CriRuntime, type PodSandbox, type PodSandboxFilter } from '../kubelet/cri/api.js';
import { startKubeletServer, type KubeletServer } from '../kubelet/server/kubelet-server.js';
import { selfSignedKubeletCert } from '../kubelet/server/serving-cert.js';
import { FakePortForwardRuntime } from '../kubelet/server/port-forward-fake-runtime.js';
import { exitWithin, httpGet, rawExchange, startKubectlPortForward } from './port-forward-testing.js';

// API server + kubelet server + a fake runtime streaming server that forwards
// to loopback ports of this host, driven by the real kubectl.

const haveKubectl = existsSync(kubectlPath());
const noKubectl = !haveKubectl && 'kubectl not installed';
const dir = mkdtempSync(path.join(os.tmpdir(), 'skiff-port-forward-'));
const TOKEN = 'port-forward-test-token';
let api: ApiServer;
let store: SqliteStore;
let kubelet: KubeletServer;
let runtime: FakePortForwardRuntime;
let url = '';
let caCertPem = '';
let kubeconfig = '';
const servers: net.Server[] = [];
const sandboxes: PodSandbox[] = [];
const portForwardCalls: Array<{ sandboxId: string; ports: number[] }> = [];

const conn = () => ({ url, token: TOKEN, caCertPem });

async function listen(server: net.Server): Promise<number> {
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

async function createPod(name: string, spec: object, phase: string): Promise<any> {
  const r = await apiRequest(conn(), 'POST', '/api/v1/namespaces/default/pods', { apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec });
  assert.equal(r.status, 201, r.text);
  const pod = r.body;
  pod.status = { phase };
  const s = await apiRequest(conn(), 'PUT', `/api/v1/namespaces/default/pods/${name}/status`, pod);
  assert.equal(s.status, 200, s.text);
  return s.body;
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

  // The "pod's" ports: 80 serves HTTP; 7000 answers what it read, upper-cased, once the client half-closes.
  runtime = await new FakePortForwardRuntime().start();
  let hits = 0;
  runtime.portMap.set(80, await listen(http.createServer((req, res) => res.end(`hello from the pod, request ${++hits} ${req.url}\n`))));
  runtime.portMap.set(
    7000,
    await listen(
      net.createServer({ allowHalfOpen: true }, (s) => {
        let got = '';
        s.on('data', (d) => (got += d));
        s.on('end', () => s.end(got.toUpperCase()));
      }),
    ),
  );
  const closed = net.createServer();
  runtime.portMap.set(81, await listen(closed));
  await new Promise<void>((resolve) => closed.close(() => resolve()));

  const cri = {
    async listPodSandbox(filter?: PodSandboxFilter) {
      return sandboxes.filter((s) => Object.entries(filter?.label_selector ?? {}).every(([k, v]) => s.labels[k] === v) && (!filter?.state || filter.state.state === s.state));
    },
    async portForward(sandboxId: string, ports: number[]) {
      portForwardCalls.push({ sandboxId, ports });
      return runtime.url(sandboxId, ports);
    },
  } as unknown as CriRuntime;
  const kubeletCert = selfSignedKubeletCert({ nodeName: 'node-a', addresses: ['127.0.0.1'] });
  const ctx = { cri, now: () => new Date(), client: new RestClient({ server: url, token: TOKEN, caCertPem }) } as unknown as KubeletContext;
  kubelet = await startKubeletServer({ ctx, host: '127.0.0.1', port: 0, cert: kubeletCert.certPem, key: kubeletCert.keyPem, clientCaPem: caCertPem });

  const node = await apiRequest(conn(), 'POST', '/api/v1/nodes', { apiVersion: 'v1', kind: 'Node', metadata: { name: 'node-a' } });
  node.body.status = { addresses: [{ type: 'InternalIP', address: '127.0.0.1' }], daemonEndpoints: { kubeletEndpoint: { Port: kubelet.port } } };
  assert.equal((await apiRequest(conn(), 'PUT', '/api/v1/nodes/node-a/status', node.body)).status, 200);

  const web = await createPod('web', { nodeName: 'node-a', containers: [{ name: 'nginx', image: 'nginx' }] }, 'Running');
  const sb = (id: string, uid: string, state: PodSandbox['state'], createdAt: string): PodSandbox => ({
    id,
    metadata: { name: 'web', namespace: 'default', uid },
    state,
    created_at: createdAt,
    labels: { [LABEL_POD_NAMESPACE]: 'default', [LABEL_POD_NAME]: 'web', [LABEL_POD_UID]: uid },
    annotations: {},
  });
  // An old sandbox of an earlier pod with the same name, a dead one, and the live one.
  sandboxes.push(sb('sb-old-uid', 'other-uid', 'SANDBOX_READY', '300'), sb('sb-dead', web.metadata.uid, 'SANDBOX_NOTREADY', '200'), sb('sb-web', web.metadata.uid, 'SANDBOX_READY', '100'));
  await createPod('floating', { containers: [{ name: 'main', image: 'busybox' }] }, 'Running');
  await createPod('nosandbox', { nodeName: 'node-a', containers: [{ name: 'main', image: 'busybox' }] }, 'Running');
});

after(async () => {
  await kubelet?.close();
  await runtime?.stop();
  for (const s of servers) s.close();
  await api?.close();
  await store?.close();
  cleanupTempDirs();
  rmSync(dir, { recursive: true, force: true });
});

test('kubectl port-forward: two connections reach the pod port through API server, kubelet and runtime', { skip: noKubectl }, async () => {
  const before = runtime.dials.length;
  const pf = await startKubectlPortForward(kubeconfig, ['pod/web', ':80']);
  try {
    const a = await httpGet(pf.localPort, '/index.html');
    const b = await httpGet(pf.localPort, '/second');
    assert.equal(a.status, 200);
    assert.match(a.body, /^hello from the pod, request \d+ \/index\.html\n$/);
    assert.match(b.body, /^hello from the pod, request \d+ \/second\n$/);
    assert.equal(pf.stdout(), `Forwarding from 127.0.0.1:${pf.localPort} -> 80\nHandling connection for ${pf.localPort}\nHandling connection for ${pf.localPort}\n`);
    assert.equal(pf.stderr(), '');
    // Each connection is its own runtime session (one CRI PortForward URL, one pair), always to the live sandbox.
    assert.deepEqual(runtime.dials.slice(before), [
      { sandboxId: 'sb-web', port: 80, requestId: '0' },
      { sandboxId: 'sb-web', port: 80, requestId: '0' },
    ]);
    assert.deepEqual(portForwardCalls.slice(-2), [
      { sandboxId: 'sb-web', ports: [80] },
      { sandboxId: 'sb-web', ports: [80] },
    ]);
  } finally {
    await pf.stop();
  }
});

test('ten connections at once, each answered on its own stream', { skip: noKubectl }, async () => {
  const pf = await startKubectlPortForward(kubeconfig, ['pod/web', ':80']);
  try {
    const answers = await Promise.all(Array.from({ length: 10 }, (_, i) => httpGet(pf.localPort, `/parallel-${i}`)));
    answers.forEach((a, i) => assert.match(a.body, new RegExp(`^hello from the pod, request \\d+ /parallel-${i}\n$`)));
    assert.equal(pf.stderr(), '');
  } finally {
    await pf.stop();
  }
});

test('a client half-close travels to the pod (its answer comes after EOF)', { skip: noKubectl }, async () => {
  const pf = await startKubectlPortForward(kubeconfig, ['web', ':7000']);
  try {
    const got = await rawExchange(pf.localPort, Buffer.from('ping over spdy'), { halfClose: true });
    assert.equal(got.toString(), 'PING OVER SPDY');
    const again = await rawExchange(pf.localPort, Buffer.from('x'.repeat(200_000)), { halfClose: true });
    assert.equal(again.length, 200_000);
    assert.equal(again.toString(), 'X'.repeat(200_000));
  } finally {
    await pf.stop();
  }
});

test('the SPDY fallback (no websockets) works the same', { skip: noKubectl }, async () => {
  const pf = await startKubectlPortForward(kubeconfig, ['pod/web', ':80'], { env: { KUBECTL_PORT_FORWARD_WEBSOCKETS: 'false' } });
  try {
    const a = await httpGet(pf.localPort, '/fallback');
    assert.match(a.body, /^hello from the pod, request \d+ \/fallback\n$/);
    const got = await rawExchange(pf.localPort, Buffer.from('GET /http10 HTTP/1.0\r\n\r\n'), { halfClose: true });
    assert.match(got.toString(), /^HTTP\/1\.1 200 OK\r\n[\s\S]*\r\n\r\nhello from the pod, request \d+ \/http10\n$/);
  } finally {
    await pf.stop();
  }
});

test('nothing listening: the error stream carries the runtime error and kubectl reports it', { skip: noKubectl }, async () => {
  const pf = await startKubectlPortForward(kubeconfig, ['pod/web', ':81']);
  try {
    await assert.rejects(httpGet(pf.localPort, '/'));
    const code = await exitWithin(pf, 10_000);
    assert.equal(code, 1);
    // kubectl logs it through klog, which quotes the message (hence the escaped quotes).
    const expected =
      `err="an error occurred forwarding ${pf.localPort} -> 81: error forwarding port 81 to pod sb-web, uid : failed to execute portforward in network namespace \\"/var/run/netns/fake\\": ` +
      `failed to connect to localhost:81 inside namespace \\"sb-web\\", IPv4: dial tcp4 127.0.0.1:81: connect: connection refused IPv6 dial tcp6 [::1]:81: connect: connection refused "\n`;
    assert.ok(pf.stderr().includes(expected), pf.stderr());
    assert.match(pf.stderr(), /error: lost connection to pod\n$/);
  } finally {
    await pf.stop();
  }
});

test('upgrade errors: unscheduled pod, pod without sandbox, missing pod', { skip: noKubectl }, async () => {
  const floating = await kubectl(['port-forward', 'pod/floating', ':80'], { kubeconfig, timeoutMs: 20_000 });
  assert.equal(floating.code, 1);
  assert.equal(floating.stderr, 'error: error upgrading connection: pod floating does not have a host assigned\n');
  const missing = await kubectl(['port-forward', 'pod/ghost', ':80'], { kubeconfig, timeoutMs: 20_000 });
  assert.equal(missing.stderr, 'Error from server (NotFound): pods "ghost" not found\n');

  const pf = await startKubectlPortForward(kubeconfig, ['pod/nosandbox', ':80']);
  try {
    await assert.rejects(httpGet(pf.localPort, '/'));
    await exitWithin(pf, 10_000);
    assert.ok(pf.stderr().includes(`an error occurred forwarding ${pf.localPort} -> 80: error upgrading connection: failed to find sandboxID for pod nosandbox`), pf.stderr());
  } finally {
    await pf.stop();
  }
});

test('plain requests and websocket channel clients', async () => {
  const plain = await apiRequest(conn(), 'GET', '/api/v1/namespaces/default/pods/web/portforward');
  assert.equal(plain.status, 400);
  assert.equal(plain.body.message, 'Upgrade request required');
  const ghost = await apiRequest(conn(), 'POST', '/api/v1/namespaces/default/pods/ghost/portforward');
  assert.equal(ghost.status, 404);
  assert.equal(ghost.body.message, 'pods "ghost" not found');

  // A v4 channel client (?ports=) is passed through to the kubelet's own websocket API.
  const ws = new WebSocket(`${url.replace('https', 'wss')}/api/v1/namespaces/default/pods/web/portforward?ports=80`, ['v4.channel.k8s.io'], {
    ca: caCertPem,
    headers: { Authorization: `Bearer ${TOKEN}` },
  });
  const messages: Buffer[] = [];
  const closed = new Promise<void>((resolve) => ws.on('close', () => resolve()));
  ws.on('message', (d: Buffer) => messages.push(d));
  await new Promise<void>((resolve, reject) => {
    ws.on('open', () => resolve());
    ws.on('error', reject);
  });
  assert.equal(ws.protocol, 'v4.channel.k8s.io');
  ws.send(Buffer.concat([Buffer.from([0]), Buffer.from('GET /ws HTTP/1.0\r\n\r\n')]));
  await closed;
  assert.deepEqual([...messages[0]!], [0, 80, 0], 'data channel opens with the port, little-endian');
  assert.deepEqual([...messages[1]!], [1, 80, 0], 'error channel too');
  const data = Buffer.concat(messages.slice(2).filter((m) => m[0] === 0).map((m) => m.subarray(1))).toString();
  assert.match(data, /\r\n\r\nhello from the pod, request \d+ \/ws\n$/);
  assert.equal(messages.slice(2).filter((m) => m[0] === 1 && m.length > 1).length, 0, 'no error');
});
