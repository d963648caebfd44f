import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import https from 'node:https';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import WebSocket from 'ws';
import { ensureKubeletClientCert, ensureServingCerts } from '../../apiserver/tls.js';
import type { KubeletContext } from '../contracts.js';
import { LABEL_POD_NAME, LABEL_POD_NAMESPACE, LABEL_POD_UID, type CriRuntime, type PodSandbox, type PodSandboxFilter } from '../cri/api.js';
import { startKubeletServer, type KubeletServer } from './kubelet-server.js';
import { selfSignedKubeletCert } from './serving-cert.js';
import { FakePortForwardRuntime } from './port-forward-fake-runtime.js';
import { parsePortForwardRequest, podSandboxId } from './port-forward.js';
import type { StreamDeps } from './stream-handler.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'skiff-kubelet-pf-'));
let server: KubeletServer;
let runtime: FakePortForwardRuntime;
let client: { cert: string; key: string };
const servers: net.Server[] = [];
const pods = new Map<string, any>();
const portForwardCalls: Array<[string, number[]]> = [];

function sandbox(id: string, name: string, uid: string, state: PodSandbox['state'], createdAt: string): PodSandbox {
  return {
    id,
    metadata: { name, namespace: 'default', uid },
    state,
    created_at: createdAt,
    labels: { [LABEL_POD_NAMESPACE]: 'default', [LABEL_POD_NAME]: name, [LABEL_POD_UID]: uid },
    annotations: {},
  };
}

const sandboxes = [
  sandbox('sb-a-old', 'a', 'uid-a', 'SANDBOX_READY', '100'),
  sandbox('sb-a-new', 'a', 'uid-a', 'SANDBOX_READY', '200'),
  sandbox('sb-a-dead', 'a', 'uid-a', 'SANDBOX_NOTREADY', '300'),
  sandbox('sb-a-stale', 'a', 'uid-previous-a', 'SANDBOX_READY', '400'),
  sandbox('sb-b-dead', 'b', 'uid-b', 'SANDBOX_NOTREADY', '100'),
];

const cri = {
  async listPodSandbox(filter?: PodSandboxFilter) {
    return sandboxes.filter((s) => Object.entries(filter?.label_selector ?? {}).every(([k, v]) => s.labels[k] === v) && (!filter?.state || filter.state.state === s.state));
  },
  async portForward(id: string, ports: number[]) {
    portForwardCalls.push([id, ports]);
    return runtime.url(id, ports);
  },
} as unknown as CriRuntime;

before(async () => {
  const serving = await ensureServingCerts(dir);
  const kc = await ensureKubeletClientCert(dir);
  client = { cert: kc.certPem, key: kc.keyPem };
  runtime = await new FakePortForwardRuntime().start();
  for (const [port, handler] of [
    [80, (s: net.Socket) => s.end('web says hi')],
    // Answers once it read EOF: only a half-close (v5 close signal) gets an answer.
    [7000, (s: net.Socket) => {
      let got = '';
      s.on('data', (d) => (got += d));
      s.on('end', () => s.end(`got ${got}`));
    }],
  ] as const) {
    const srv = net.createServer({ allowHalfOpen: true }, handler);
    servers.push(srv);
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
    runtime.portMap.set(port, (srv.address() as AddressInfo).port);
  }
  // Nothing listens on "port 81".
  const gone = net.createServer();
  await new Promise<void>((r) => gone.listen(0, '127.0.0.1', r));
  runtime.portMap.set(81, (gone.address() as AddressInfo).port);
  await new Promise<void>((r) => gone.close(() => r()));
  pods.set('a', { metadata: { name: 'a', namespace: 'default', uid: 'uid-a' } });
  pods.set('b', { metadata: { name: 'b', namespace: 'default', uid: 'uid-b' } });
  const kubeletCert = selfSignedKubeletCert({ nodeName: 'node-a', addresses: ['127.0.0.1'] });
  const ctx = { cri, now: () => new Date() } as unknown as KubeletContext;
  server = await startKubeletServer({ ctx, host: '127.0.0.1', port: 0, cert: kubeletCert.certPem, key: kubeletCert.keyPem, clientCaPem: serving.caCertPem, getPod: async (_ns, n) => pods.get(n) });
});

after(async () => {
  await server?.close();
  await runtime?.stop();
  for (const s of servers) s.close();
  rmSync(dir, { recursive: true, force: true });
});

test('parsePortForwardRequest: path, uid and the port rules of Kubernetes', () => {
  assert.deepEqual(parsePortForwardRequest(['ns', 'p'], new URLSearchParams('port=80&port=8080,53')), { namespace: 'ns', pod: 'p', uid: undefined, ports: [80, 8080, 53] });
  assert.equal(parsePortForwardRequest(['ns', 'p', 'u1'], new URLSearchParams('port=1')).uid, 'u1');
  const fails = (seg: string[], q: string) => {
    try {
      parsePortForwardRequest(seg, new URLSearchParams(q));
    } catch (e: any) {
      return `${e.code} ${e.message}`;
    }
    return 'ok';
  };
  assert.equal(fails(['ns', 'p'], ''), '400 query parameter "port" is required');
  assert.equal(fails(['ns', 'p'], 'port='), '400 query parameter "port" cannot be empty');
  assert.equal(fails(['ns', 'p'], 'port=http'), '400 unable to parse "http" as a port: strconv.ParseUint: parsing "http": invalid syntax');
  assert.equal(fails(['ns', 'p'], 'port=80,99999'), '400 unable to parse "80,99999" as a port: strconv.ParseUint: parsing "99999": value out of range');
  assert.equal(fails(['ns', 'p'], 'port=0'), '400 port "0" must be > 0');
  assert.equal(fails(['ns'], 'port=80'), '404 404 page not found\n');
});

test('podSandboxId: the newest ready sandbox of this pod instance', async () => {
  const deps = { cri, getPod: async (_ns: string, n: string) => pods.get(n) } as unknown as StreamDeps;
  assert.equal(await podSandboxId(deps, { namespace: 'default', pod: 'a', ports: [80] }), 'sb-a-new');
  await assert.rejects(podSandboxId(deps, { namespace: 'default', pod: 'b', ports: [80] }), { code: 500, message: 'failed to find sandboxID for pod b' });
  await assert.rejects(podSandboxId(deps, { namespace: 'default', pod: 'zz', ports: [80] }), { code: 404, message: 'pod does not exist' });
  await assert.rejects(podSandboxId(deps, { namespace: 'default', pod: 'a', uid: 'other', ports: [80] }), { code: 404, message: 'pod not found' });
});

function request(p: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = https.request({ host: '127.0.0.1', port: server.port, path: p, method: 'POST', headers, ...client, rejectUnauthorized: false, agent: false }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

test('errors before the upgrade are plain text', async () => {
  assert.deepEqual(await request('/portForward/default/a?port=80'), { status: 400, body: 'Upgrade request required' });
  assert.deepEqual(await request('/portForward/default/a'), { status: 400, body: 'query parameter "port" is required' });
  assert.deepEqual(await request('/portForward/default/zz?port=80'), { status: 404, body: 'pod does not exist' });
  const spdy = await request('/portForward/default/a?port=80', { Connection: 'Upgrade', Upgrade: 'SPDY/3.1', 'X-Stream-Protocol-Version': 'portforward.k8s.io' });
  assert.equal(spdy.status, 400);
  assert.match(spdy.body, /^unable to upgrade: this kubelet serves port forwarding over websocket/);
});

interface Session {
  ws: WebSocket;
  messages: Buffer[];
  closed: Promise<void>;
}

async function open(p: string, protocol: string): Promise<Session> {
  const ws = new WebSocket(`wss://127.0.0.1:${server.port}${p}`, [protocol], { ...client, rejectUnauthorized: false });
  const messages: Buffer[] = [];
  ws.on('message', (d: Buffer) => messages.push(d));
  const closed = new Promise<void>((r) => ws.on('close', () => r()));
  await new Promise<void>((resolve, reject) => {
    ws.on('open', () => resolve());
    ws.on('error', reject);
  });
  return { ws, messages, closed };
}

const channel = (s: Session, ch: number) => Buffer.concat(s.messages.filter((m) => m[0] === ch).map((m) => m.subarray(1)));

test('websocket: port prefixes, two ports on one session, the close after both ended', async () => {
  const s = await open('/portForward/default/a?port=80&port=81', 'v4.channel.k8s.io');
  await s.closed;
  assert.deepEqual(portForwardCalls.at(-1), ['sb-a-new', [80, 81]]);
  assert.deepEqual([...s.messages[0]!], [0, 80, 0]);
  assert.deepEqual([...s.messages[1]!], [1, 80, 0]);
  assert.deepEqual([...s.messages[2]!], [2, 81, 0]);
  assert.deepEqual([...s.messages[3]!], [3, 81, 0]);
  assert.equal(channel(s, 0).subarray(2).toString(), 'web says hi');
  assert.equal(channel(s, 1).subarray(2).toString(), '', 'no error for port 80');
  assert.equal(channel(s, 2).subarray(2).toString(), '');
  assert.match(channel(s, 3).subarray(2).toString(), /^error forwarding port 81 to pod sb-a-new, uid : /);
});

test('v5: the close signal half-closes the port; v4 ignores it', async () => {
  const s = await open('/portForward/default/a?port=7000', 'v5.channel.k8s.io');
  assert.equal(s.ws.protocol, 'v5.channel.k8s.io');
  s.ws.send(Buffer.from([0, ...Buffer.from('abc')]));
  s.ws.send(Buffer.from([255, 0]));
  await s.closed;
  assert.equal(channel(s, 0).subarray(2).toString(), 'got abc');

  const v4 = await open('/portForward/default/a?port=7000', 'v4.channel.k8s.io');
  v4.ws.send(Buffer.from([0, ...Buffer.from('abc')]));
  v4.ws.send(Buffer.from([255, 0]));
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(channel(v4, 0).length, 2, 'no answer: the port never saw EOF');
  v4.ws.close();
  await v4.closed;
});
