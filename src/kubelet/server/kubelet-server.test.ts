import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import https from 'node:https';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import forge from 'node-forge';
import WebSocket from 'ws';
import { ensureKubeletClientCert, ensureServingCerts, tlsPaths } from '../../apiserver/tls.js';
import type { KubeletContext } from '../contracts.js';
import { FakeCri } from './fake-cri.js';
import { FakeStreamServer, type FakeBehaviour } from './fake-stream-server.js';
import { startKubeletServer, type KubeletServer } from './kubelet-server.js';
import { selfSignedKubeletCert } from './serving-cert.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'skiff-kubelet-server-'));
let streams: FakeStreamServer;
let cri: FakeCri;
let server: KubeletServer;
let wsServer: KubeletServer;
let client: { cert: string; key: string };
let stranger: { cert: string; key: string };
let caPem: string;
const pods = new Map<string, any>();

const T = '2026-11-25T19:17:25.5Z';

function issue(cn: string, org?: string): { cert: string; key: string } {
  const p = tlsPaths(dir);
  const caCert = forge.pki.certificateFromPem(readFileSync(p.caCert, 'utf8'));
  const caKey = forge.pki.privateKeyFromPem(readFileSync(p.caKey, 'utf8'));
  const keys = forge.pki.rsa.generateKeyPair(1024);
  const cert = forge.pki.createCertificate();
  cert.publicKey = keys.publicKey;
  cert.serialNumber = '0a';
  cert.validity.notBefore = new Date(Date.now() - 3600_000);
  cert.validity.notAfter = new Date(Date.now() + 3600_000);
  cert.setSubject([...(org ? [{ name: 'organizationName', value: org }] : []), { name: 'commonName', value: cn }]);
  cert.setIssuer(caCert.subject.attributes);
  cert.setExtensions([{ name: 'extKeyUsage', clientAuth: true }]);
  cert.sign(caKey, forge.md.sha256.create());
  return { cert: forge.pki.certificateToPem(cert), key: forge.pki.privateKeyToPem(keys.privateKey) };
}

function pod(name: string, containers: string[], statuses: any[]): any {
  return { metadata: { name, namespace: 'default', uid: `uid-${name}` }, spec: { containers: containers.map((c) => ({ name: c })) }, status: { containerStatuses: statuses } };
}

before(async () => {
  const serving = await ensureServingCerts(dir);
  caPem = serving.caCertPem;
  const kc = await ensureKubeletClientCert(dir);
  client = { cert: kc.certPem, key: kc.keyPem };
  stranger = issue('someone-else');
  streams = await new FakeStreamServer().start();
  cri = new FakeCri(streams);
  const log1 = path.join(dir, 'web-0.log');
  const log0 = path.join(dir, 'web-prev.log');
  writeFileSync(log1, `${T} stdout F current-1\n${T} stderr F current-2\n${T} stdout F current-3\n`);
  writeFileSync(log0, `${T} stdout F previous\n`);
  cri.containers.push(
    { id: 'c-old', namespace: 'default', pod: 'web-1', name: 'nginx', attempt: 0, state: 'CONTAINER_EXITED', logPath: log0 },
    { id: 'c-new', namespace: 'default', pod: 'web-1', name: 'nginx', attempt: 1, state: 'CONTAINER_RUNNING', logPath: log1 },
  );
  pods.set(
    'web-1',
    pod('web-1', ['nginx', 'idle'], [
      { name: 'nginx', containerID: 'containerd://c-new', state: { running: {} }, lastState: { terminated: { containerID: 'containerd://c-old' } } },
      { name: 'idle', state: { waiting: { reason: 'ContainerCreating' } } },
    ]),
  );
  const kubeletCert = selfSignedKubeletCert({ nodeName: 'node-a', addresses: ['127.0.0.1'] });
  const ctx = { cri: cri.runtime(), now: () => new Date() } as unknown as KubeletContext;
  const common = { ctx, host: '127.0.0.1', port: 0, cert: kubeletCert.certPem, key: kubeletCert.keyPem, clientCaPem: caPem, getPod: async (_ns: string, n: string) => pods.get(n), logPollMs: 50 };
  server = await startKubeletServer(common);
  wsServer = await startKubeletServer({ ...common, runtimeStreaming: 'websocket' });
});

after(async () => {
  await server?.close();
  await wsServer?.close();
  await streams?.close();
  rmSync(dir, { recursive: true, force: true });
});

function get(pathAndQuery: string, who: { cert: string; key: string } | null = client): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = https.get({ host: '127.0.0.1', port: server.port, path: pathAndQuery, rejectUnauthorized: false, ...(who ?? {}) }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
    });
    req.on('error', reject);
  });
}

interface Session {
  protocol: string;
  frames: Array<[number, string]>;
  closeCode: number;
  status?: any;
}

function stream(
  pathAndQuery: string,
  opts: { protocols?: string[]; port?: number; onOpen?: (ws: WebSocket) => void; onFrame?: (ws: WebSocket, ch: number, data: string) => void } = {},
): Promise<Session> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`wss://127.0.0.1:${opts.port ?? server.port}${pathAndQuery}`, opts.protocols ?? ['v5.channel.k8s.io'], { ...client, rejectUnauthorized: false });
    const s: Session = { protocol: '', frames: [], closeCode: 0 };
    ws.on('open', () => {
      s.protocol = ws.protocol;
      opts.onOpen?.(ws);
    });
    ws.on('message', (d: Buffer) => {
      const ch = d[0]!;
      const text = d.subarray(1).toString();
      s.frames.push([ch, text]);
      if (ch === 3) s.status = JSON.parse(text);
      opts.onFrame?.(ws, ch, text);
    });
    ws.on('unexpected-response', (_req, res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => reject(Object.assign(new Error(Buffer.concat(chunks).toString()), { status: res.statusCode })));
    });
    ws.on('error', reject);
    ws.on('close', (code) => {
      s.closeCode = code;
      resolve(s);
    });
  });
}

const out = (s: Session, ch: number) => s.frames.filter(([c]) => c === ch).map(([, t]) => t).join('');

test('client certificates: none → 401, other CN → 403, apiserver client → 200', async () => {
  assert.deepEqual(await get('/healthz', null), { status: 401, body: 'Unauthorized' });
  assert.deepEqual(await get('/containerLogs/default/web-1/nginx', stranger), {
    status: 403,
    body: 'Forbidden (user=someone-else, verb=get, resource=nodes, subresource=proxy)',
  });
  assert.equal((await get('/healthz', issue('admin', 'system:masters'))).status, 200, 'system:masters is allowed');
  assert.deepEqual(await get('/healthz'), { status: 200, body: 'ok' });
});

test('containerLogs serves the current and previous container log', async () => {
  assert.deepEqual(await get('/containerLogs/default/web-1/nginx'), { status: 200, body: 'current-1\ncurrent-2\ncurrent-3\n' });
  assert.deepEqual(await get('/containerLogs/default/web-1/nginx?tailLines=1&timestamps=true'), { status: 200, body: '2026-11-25T19:17:25.500000000Z current-3\n' });
  assert.deepEqual(await get('/containerLogs/default/web-1/nginx?previous=true'), { status: 200, body: 'previous\n' });
  assert.deepEqual(await get('/containerLogs/default/web-1/nginx?limitBytes=12'), { status: 200, body: 'current-1\ncu' });
});

test('containerLogs errors use the kubelet texts', async () => {
  assert.deepEqual(await get('/containerLogs/default/web-1/idle'), { status: 400, body: 'container "idle" in pod "web-1" is waiting to start: ContainerCreating' });
  assert.deepEqual(await get('/containerLogs/default/web-1/idle?previous=true'), { status: 400, body: 'previous terminated container "idle" in pod "web-1" not found' });
  assert.deepEqual(await get('/containerLogs/default/nope/nginx'), { status: 404, body: 'pod "nope" does not exist\n' });
  assert.deepEqual(await get('/containerLogs/default/web-1/ghost'), { status: 404, body: 'container "ghost" not found in pod "web-1"\n' });
  assert.deepEqual(await get('/containerLogs/default/web-1/nginx?tailLines=-1'), { status: 422, body: '{"message": "Invalid request."}' });
  assert.deepEqual(await get('/containerLogs/default/web-1/nginx?follow=maybe'), { status: 400, body: '{"message": "Unable to decode query."}' });
});

test('containerLogs: a missing log file is a 400, also with follow', async () => {
  cri.containers.push({ id: 'c-gone', namespace: 'default', pod: 'nolog', name: 'main', attempt: 0, state: 'CONTAINER_RUNNING', logPath: path.join(dir, 'missing.log') });
  pods.set('nolog', pod('nolog', ['main'], [{ name: 'main', containerID: 'containerd://c-gone', state: { running: {} } }]));
  const r = await get('/containerLogs/default/nolog/main?follow=true');
  assert.equal(r.status, 400);
  assert.match(r.body, /^failed to open log file ".*missing\.log": ENOENT/);
});

test('containerLogs falls back to the runtime when the status does not list the container yet', async () => {
  pods.set('fresh', pod('fresh', ['main'], []));
  const file = path.join(dir, 'fresh.log');
  writeFileSync(file, `${T} stdout F early\n`);
  cri.containers.push({ id: 'c-fresh', namespace: 'default', pod: 'fresh', name: 'main', attempt: 0, state: 'CONTAINER_RUNNING', logPath: file });
  assert.deepEqual(await get('/containerLogs/default/fresh/main'), { status: 200, body: 'early\n' });
  assert.deepEqual(await get('/containerLogs/default/fresh/main?previous=true'), { status: 400, body: 'previous terminated container "main" in pod "fresh" not found' });
  pods.set('unstarted', pod('unstarted', ['main'], []));
  assert.deepEqual(await get('/containerLogs/default/unstarted/main'), { status: 400, body: 'container "main" in pod "unstarted" is waiting to start: ContainerCreating' });
});

test('containerLogs follow streams until the container stops', async () => {
  const file = path.join(dir, 'follow.log');
  writeFileSync(file, `${T} stdout F start\n`);
  const c = { id: 'c-f', namespace: 'default', pod: 'tail', name: 'main', attempt: 0, state: 'CONTAINER_RUNNING' as 'CONTAINER_RUNNING' | 'CONTAINER_EXITED', logPath: file };
  cri.containers.push(c);
  pods.set('tail', pod('tail', ['main'], [{ name: 'main', containerID: 'containerd://c-f', state: { running: {} } }]));
  const chunks: string[] = [];
  const done = new Promise<number>((resolve, reject) => {
    https
      .get({ host: '127.0.0.1', port: server.port, path: '/containerLogs/default/tail/main?follow=true', rejectUnauthorized: false, ...client }, (res) => {
        res.on('data', (d) => chunks.push(d.toString()));
        res.on('end', () => resolve(res.statusCode ?? 0));
      })
      .on('error', reject);
  });
  while (!chunks.join('').includes('start\n')) await new Promise((r) => setTimeout(r, 20));
  writeFileSync(file, `${T} stdout F start\n${T} stdout F more\n`);
  while (!chunks.join('').includes('more\n')) await new Promise((r) => setTimeout(r, 20));
  writeFileSync(file, `${T} stdout F start\n${T} stdout F more\n${T} stdout F bye\n`);
  c.state = 'CONTAINER_EXITED';
  assert.equal(await done, 200);
  assert.equal(chunks.join(''), 'start\nmore\nbye\n');
});

const exitWith =
  (code: number): FakeBehaviour =>
  (p) => {
    p.stdout('to-out\n');
    p.stderr('to-err\n');
    setTimeout(() => p.exit(code, ['sh', '-c', `exit ${code}`]), 30);
  };

const cat: FakeBehaviour = (p) => {
  p.onStdin((d) => p.stdout(d));
  p.onStdinEnd(() => setTimeout(() => p.exit(0), 10));
};

test('exec over v5 without stdin: output channels, non-zero exit status, close 1000 (websocket to the runtime)', async () => {
  cri.behaviour = () => exitWith(3);
  const s = await stream('/exec/default/web-1/nginx?command=sh&command=-c&command=exit+3&output=1&error=1');
  assert.equal(s.protocol, 'v5.channel.k8s.io');
  assert.equal(out(s, 1), 'to-out\n');
  assert.equal(out(s, 2), 'to-err\n');
  assert.equal(s.status.reason, 'NonZeroExitCode');
  assert.deepEqual(s.status.details, { causes: [{ reason: 'ExitCode', message: '3' }] });
  assert.equal(s.closeCode, 1000);
  assert.equal(streams.used.at(-1), 'websocket');
  assert.deepEqual(cri.execCalls.at(-1), { container_id: 'c-new', cmd: ['sh', '-c', 'exit 3'], stdin: false, stdout: true, stderr: true, tty: false });
});

test('exec with stdin uses SPDY to the runtime; the v5 close signal becomes stdin EOF and the status survives', async () => {
  cri.behaviour = () => cat;
  const s = await stream('/exec/default/web-1/nginx?command=cat&input=1&output=1&error=1', {
    onOpen: (ws) => {
      ws.send(Buffer.from([0, ...Buffer.from('hi\n')]));
      ws.send(Buffer.from([255, 0]));
    },
  });
  assert.equal(out(s, 1), 'hi\n');
  assert.deepEqual(s.status, { metadata: {}, status: 'Success' });
  assert.equal(s.closeCode, 1000);
  assert.equal(streams.used.at(-1), 'spdy');
});

test('SPDY session: stream types in client-go order, non-zero exit passes through', async () => {
  let types: string[] = [];
  cri.behaviour = () => (p) => {
    types = p.streamTypes;
    p.onStdinEnd(() => {
      p.stderr('bad\n');
      p.exit(7, ['false']);
    });
  };
  const s = await stream('/exec/default/web-1/nginx?command=false&stdin=true&stdout=true&stderr=true', {
    onOpen: (ws) => ws.send(Buffer.from([255, 0])),
  });
  assert.deepEqual(types, ['error', 'stdin', 'stdout', 'stderr']);
  assert.equal(out(s, 2), 'bad\n');
  assert.equal(s.status.details.causes[0].message, '7');
});

test('tty session: stderr is not requested, resize messages reach the runtime', async () => {
  let types: string[] = [];
  cri.behaviour = () => (p) => {
    types = p.streamTypes;
    p.onResize((j) => p.stdout(`size:${j.toString()}`));
    p.onStdinEnd(() => p.exit(0));
  };
  const s = await stream('/exec/default/web-1/nginx?command=sh&input=1&output=1&error=1&tty=1', {
    onOpen: (ws) => ws.send(Buffer.concat([Buffer.from([4]), Buffer.from('{"Width":100,"Height":30}\n')])),
    onFrame: (ws, ch) => {
      if (ch === 1) ws.send(Buffer.from([255, 0]));
    },
  });
  assert.deepEqual(types, ['error', 'stdin', 'stdout', 'resize']);
  assert.equal(out(s, 1), 'size:{"Width":100,"Height":30}\n');
  assert.equal(cri.execCalls.at(-1)!.stderr, false);
  assert.deepEqual(s.status, { metadata: {}, status: 'Success' });
});

test('forced websocket runtime transport: stdin EOF closes the runtime socket after output settles', async () => {
  cri.behaviour = () => cat;
  const s = await stream('/exec/default/web-1/nginx?command=cat&input=1&output=1', {
    port: wsServer.port,
    onOpen: (ws) => {
      ws.send(Buffer.from([0, ...Buffer.from('hello\n')]));
      ws.send(Buffer.from([255, 0]));
    },
  });
  assert.equal(out(s, 1), 'hello\n');
  assert.deepEqual(s.status, { metadata: {}, status: 'Success' }, 'synthesized: v4 has no status after a socket close');
  assert.equal(streams.used.at(-1), 'websocket');
});

test('v4 clients are served too (no close signal channel)', async () => {
  cri.behaviour = () => exitWith(0);
  const s = await stream('/exec/default/web-1/nginx?command=true&output=1', { protocols: ['v4.channel.k8s.io'] });
  assert.equal(s.protocol, 'v4.channel.k8s.io');
  assert.equal(out(s, 1), 'to-out\n');
  assert.deepEqual(s.status, { metadata: {}, status: 'Success' });
});

test('attach uses the runtime attach URL', async () => {
  cri.behaviour = () => (p) => {
    p.stdout('tick\n');
    p.exit(0);
  };
  const s = await stream('/attach/default/web-1/nginx?output=1');
  assert.equal(out(s, 1), 'tick\n');
  assert.deepEqual(cri.execCalls.at(-1), { container_id: 'c-new', stdin: false, stdout: true, stderr: false, tty: false });
});

test('exec errors before the upgrade are plain-text HTTP answers', async () => {
  await assert.rejects(stream('/exec/default/web-1/idle?command=ls&output=1'), (e: any) => e.status === 500 && e.message === 'container not found ("idle")');
  await assert.rejects(stream('/exec/default/nope/nginx?command=ls&output=1'), (e: any) => e.status === 404 && e.message === 'pod does not exist');
  await assert.rejects(stream('/exec/default/web-1/nginx?command=ls'), (e: any) => e.status === 400 && e.message === 'you must specify at least 1 of stdin, stdout, stderr');
  await assert.rejects(stream('/exec/default/web-1/nginx?command=ls&output=1', { protocols: ['channel.k8s.io'] }), (e: any) => e.status === 400);
  assert.deepEqual(await get('/exec/default/web-1/nginx?command=ls&output=1'), { status: 400, body: 'Upgrade request required' });
});
