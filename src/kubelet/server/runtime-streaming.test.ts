// Against a real containerd (own temp dir, bridge and CIDR): container logs
// through the CRI log reader, exec over SPDY (stdin EOF, exit codes, tty
// resize) and over WebSocket v4, and the kubelet server's v5 bridge.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import WebSocket from 'ws';
import {
  LABEL_CONTAINER_NAME,
  LABEL_MANAGED_BY,
  LABEL_POD_NAME,
  LABEL_POD_NAMESPACE,
  type ContainerConfig,
  type CriRuntime,
  type PodSandboxConfig,
} from '../cri/api.js';
import { containerdSkipReason, randomHex, startTestContainerd, TEST_BUSYBOX_REF as BUSYBOX_REF, type TestContainerd } from '../../testing/containerd-fixture.js';
import { ensureKubeletClientCert, ensureServingCerts } from '../../apiserver/tls.js';
import type { KubeletContext } from '../contracts.js';
import { readCriLog } from '../logs/cri-log-reader.js';
import { openSpdyRemoteCommand } from './spdy-remote-command.js';
import { openWsRemoteCommand } from './ws-remote-command.js';
import { startKubeletServer, type KubeletServer } from './kubelet-server.js';
import { selfSignedKubeletCert } from './serving-cert.js';
import type { StreamOptions } from './upstream-session.js';

const skip = containerdSkipReason();

const uid = `${randomHex(8)}-${randomHex(4)}`;
const NODE = `stream-test-${randomHex(4)}`;

let ctrd: TestContainerd | undefined;
let dir = '';
let cri: CriRuntime | undefined;
let containerId = '';
let kubelet: KubeletServer | undefined;
let client: { cert: string; key: string };

const sandboxConfig = (): PodSandboxConfig => ({
  metadata: { name: 'web', uid, namespace: 'default', attempt: 0 },
  hostname: 'web',
  log_directory: path.join(dir, 'logs', `default_web_${uid}`),
  labels: { [LABEL_MANAGED_BY]: NODE, 'io.kubernetes.pod.uid': uid },
  linux: { cgroup_parent: `${ctrd!.cgroupParent}/besteffort/pod${uid}`, security_context: { namespace_options: { network: 'POD', pid: 'CONTAINER', ipc: 'POD' } } },
});

before(async () => {
  if (skip) return;
  ctrd = await startTestContainerd({ prefix: 'skstream-', images: [BUSYBOX_REF] });
  cri = ctrd.cri;
  dir = ctrd.dir;
  fs.mkdirSync(path.join(dir, 'logs', `default_web_${uid}`), { recursive: true });
  const sandboxId = await cri.runPodSandbox(sandboxConfig());
  const config: ContainerConfig = {
    metadata: { name: 'app', attempt: 0 },
    image: { image: BUSYBOX_REF },
    command: ['/bin/sh', '-c', 'echo started; echo to-err >&2; exec sleep 3600'],
    log_path: 'app/0.log',
    labels: { [LABEL_MANAGED_BY]: NODE, [LABEL_POD_NAMESPACE]: 'default', [LABEL_POD_NAME]: 'web', [LABEL_CONTAINER_NAME]: 'app' },
    linux: { security_context: { namespace_options: { network: 'POD', pid: 'CONTAINER', ipc: 'POD' } } },
  };
  containerId = await cri.createContainer(sandboxId, config, sandboxConfig());
  await cri.startContainer(containerId);

  const certDir = path.join(dir, 'pki');
  const serving = await ensureServingCerts(certDir);
  const kc = await ensureKubeletClientCert(certDir);
  client = { cert: kc.certPem, key: kc.keyPem };
  const kcert = selfSignedKubeletCert({ nodeName: NODE, addresses: ['127.0.0.1'] });
  const ctx = { cri, now: () => new Date() } as unknown as KubeletContext;
  const pod = { metadata: { name: 'web', namespace: 'default', uid }, spec: { containers: [{ name: 'app' }] } };
  kubelet = await startKubeletServer({ ctx, host: '127.0.0.1', port: 0, cert: kcert.certPem, key: kcert.keyPem, clientCaPem: serving.caCertPem, getPod: async () => pod });
});

after(async () => {
  await kubelet?.close();
  await ctrd?.stop();
});

interface Result {
  stdout: string;
  stderr: string;
  status: any;
}

async function run(transport: 'spdy' | 'websocket', cmd: string[], opts: Partial<StreamOptions>, drive?: (s: import('./upstream-session.js').UpstreamSession) => void): Promise<Result> {
  const full: StreamOptions = { stdin: false, stdout: true, stderr: true, tty: false, ...opts };
  const url = await cri!.exec({ container_id: containerId, cmd, ...full, stderr: full.stderr && !full.tty });
  return new Promise((resolve, reject) => {
    const r: Result = { stdout: '', stderr: '', status: undefined };
    const h = {
      onStdout: (d: Buffer) => (r.stdout += d.toString()),
      onStderr: (d: Buffer) => (r.stderr += d.toString()),
      onEnd: (status: Buffer | undefined, err?: Error) => {
        if (err && !status) return reject(err);
        r.status = status ? JSON.parse(status.toString()) : undefined;
        resolve(r);
      },
    };
    const open = transport === 'spdy' ? openSpdyRemoteCommand(url, full, h) : openWsRemoteCommand(url, h);
    open.then((s) => drive?.(s), reject);
  });
}

test('container log file reads back through the CRI log reader', { skip }, async () => {
  const st = await cri!.containerStatus(containerId);
  let text = '';
  for (let i = 0; i < 50 && !text.includes('to-err'); i++) {
    text = '';
    await readCriLog(st!.log_path, {}, async (b) => void (text += b.toString()));
    await new Promise((r) => setTimeout(r, 50));
  }
  // stdout and stderr are separate pipes: their relative order is not fixed.
  assert.ok(text.endsWith('\n'), JSON.stringify(text));
  assert.deepEqual(text.split('\n').filter(Boolean).sort(), ['started', 'to-err']);
});

test('SPDY exec: stdin EOF reaches the process and the Success status arrives', { skip }, async () => {
  const r = await run('spdy', ['cat'], { stdin: true }, (s) => {
    s.writeStdin(Buffer.from('hi\n'));
    s.closeStdin();
  });
  assert.equal(r.stdout, 'hi\n');
  assert.deepEqual(r.status, { metadata: {}, status: 'Success' });
});

test('SPDY exec: output that only comes after EOF (sort) is not lost', { skip }, async () => {
  const r = await run('spdy', ['sort'], { stdin: true }, (s) => {
    s.writeStdin(Buffer.from('b\na\n'));
    s.closeStdin();
  });
  assert.equal(r.stdout, 'a\nb\n');
  assert.equal(r.status.status, 'Success');
});

test('SPDY and WebSocket exec: non-zero exit codes', { skip }, async () => {
  const s = await run('spdy', ['sh', '-c', 'echo out; echo err >&2; exit 3'], {});
  assert.equal(s.stdout, 'out\n');
  assert.equal(s.stderr, 'err\n');
  assert.equal(s.status.reason, 'NonZeroExitCode');
  assert.deepEqual(s.status.details.causes, [{ reason: 'ExitCode', message: '3' }]);
  const w = await run('websocket', ['sh', '-c', 'echo out; exit 4'], {});
  assert.equal(w.stdout, 'out\n');
  assert.deepEqual(w.status.details.causes, [{ reason: 'ExitCode', message: '4' }]);
});

test('SPDY tty exec: resize takes effect', { skip }, async () => {
  const r = await run('spdy', ['sh', '-c', 'sleep 0.5; stty size'], { stdin: true, tty: true }, (s) => {
    s.resize(Buffer.from('{"Width":123,"Height":45}\n'));
  });
  assert.equal(r.stdout, '45 123\r\n');
  assert.equal(r.status.status, 'Success');
});

test('kubelet server: v5 client with stdin, end to end on containerd', { skip }, async () => {
  const frames: Array<[number, string]> = [];
  const code = await new Promise<number>((resolve, reject) => {
    const ws = new WebSocket(`wss://127.0.0.1:${kubelet!.port}/exec/default/web/app?command=sh&command=-c&command=cat%3B+exit+5&input=1&output=1&error=1`, ['v5.channel.k8s.io'], {
      ...client,
      rejectUnauthorized: false,
    });
    ws.on('open', () => {
      ws.send(Buffer.concat([Buffer.from([0]), Buffer.from('piped\n')]));
      ws.send(Buffer.from([255, 0]));
    });
    ws.on('message', (d: Buffer) => frames.push([d[0]!, d.subarray(1).toString()]));
    ws.on('close', (c) => resolve(c));
    ws.on('error', reject);
  });
  assert.equal(code, 1000);
  assert.equal(frames.filter(([c]) => c === 1).map(([, t]) => t).join(''), 'piped\n');
  const status = JSON.parse(frames.find(([c]) => c === 3)![1]);
  assert.deepEqual(status.details.causes, [{ reason: 'ExitCode', message: '5' }]);
});
