import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { CriError, GRPC_DEADLINE_EXCEEDED, type ExecSyncResponse } from '../cri/api.js';
import type { KubeletContext } from '../contracts.js';
import { runHandler, runLifecycleHook, runProbeHandler } from './actions.js';

const calls: { id: string; cmd: string[]; timeout: number }[] = [];
let answer: ExecSyncResponse | Error = { stdout: Buffer.alloc(0), stderr: Buffer.alloc(0), exit_code: 0 };
const ctx = {
  cri: {
    async execSync(id: string, cmd: string[], timeout: number) {
      calls.push({ id, cmd, timeout });
      if (answer instanceof Error) throw answer;
      return answer;
    },
  },
} as unknown as KubeletContext;

const res = (stdout: string, stderr: string, exit_code: number): ExecSyncResponse => ({ stdout: Buffer.from(stdout), stderr: Buffer.from(stderr), exit_code });
const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', namespace: 'default', uid: 'u-1' } } as any;
const container = { name: 'app', env: [{ name: 'FILE', value: '/tmp/healthy' }], ports: [] as { name?: string; containerPort?: number }[] };

let server: Server;
let port = 0;
before(async () => {
  server = createServer((req, r) => { r.writeHead(req.url === '/fail' ? 500 : 200); r.end('x'); });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
});
after(() => server.close());

describe('exec probe', () => {
  it('non-zero exit: failure with stdout then stderr; command $(VAR)s expanded', async () => {
    calls.length = 0;
    answer = res('out\n', "cat: can't open '/tmp/healthy': No such file or directory\n", 1);
    const o = await runProbeHandler(ctx, pod, container, 'c1', '10.0.0.1', { exec: { command: ['cat', '$(FILE)'] } }, 3);
    assert.deepEqual(o, { result: 'failure', output: "out\ncat: can't open '/tmp/healthy': No such file or directory\n" });
    assert.deepEqual(calls, [{ id: 'c1', cmd: ['cat', '/tmp/healthy'], timeout: 3 }]);
  });

  it('exit 0 is success; output is capped at 10 KiB', async () => {
    answer = res('y'.repeat(12000), 'z', 0);
    const o = await runProbeHandler(ctx, pod, container, 'c1', '', { exec: { command: ['true'] } }, 1);
    assert.equal(o.result, 'success');
    assert.equal(o.output.length, 10240);
  });

  it('a runtime deadline is a failure "command ... timed out"; other runtime errors are errors', async () => {
    answer = new CriError('ExecSync', GRPC_DEADLINE_EXCEEDED, 'timeout 1s exceeded: context deadline exceeded');
    assert.deepEqual(await runProbeHandler(ctx, pod, container, 'c1', '', { exec: { command: ['sleep', '5'] } }, 1), {
      result: 'failure', output: 'command "sleep 5" timed out',
    });
    answer = new CriError('ExecSync', 2, 'failed to exec in container: no such file');
    assert.deepEqual(await runProbeHandler(ctx, pod, container, 'c1', '', { exec: { command: ['/nope'] } }, 1), {
      result: 'unknown', output: '', error: 'rpc error: code = Unknown desc = failed to exec in container: no such file',
    });
  });

  it('no handler is an error naming the container', async () => {
    assert.deepEqual(await runProbeHandler(ctx, pod, container, 'c1', '', {}, 1), {
      result: 'unknown', output: '', error: 'missing probe handler for web_default(u-1):app',
    });
  });

  it('tcpSocket with an unknown named port errors', async () => {
    assert.deepEqual(await runProbeHandler(ctx, pod, container, 'c1', '127.0.0.1', { tcpSocket: { port: 'web' } }, 1), {
      result: 'unknown', output: '', error: 'strconv.Atoi: parsing "web": invalid syntax',
    });
  });
});

describe('lifecycle hooks', () => {
  it('exec failure: the kubelet event text, command not expanded', async () => {
    calls.length = 0;
    answer = res('partial\n', 'bad thing\n', 2);
    const r = await runLifecycleHook(ctx, pod, container, 'c1', '10.0.0.1', { exec: { command: ['sh', '-c', 'echo $(FILE); exit 2'] } }, 0);
    assert.deepEqual(calls, [{ id: 'c1', cmd: ['sh', '-c', 'echo $(FILE); exit 2'], timeout: 0 }]);
    assert.deepEqual(r, {
      result: 'failure',
      error: "command 'sh -c echo $(FILE); exit 2' exited with 2: bad thing\n",
      output: 'Exec lifecycle hook ([sh -c echo $(FILE); exit 2]) for Container "app" in Pod "web_default(u-1)" failed - error: command \'sh -c echo $(FILE); exit 2\' exited with 2: bad thing\n, message: "partial\\nbad thing\\n"',
    });
  });

  it('exec success', async () => {
    answer = res('fine', '', 0);
    assert.deepEqual(await runLifecycleHook(ctx, pod, container, 'c1', '', { exec: { command: ['true'] } }, 0), { result: 'success', output: '' });
  });

  it('httpGet: status codes do not matter, connection errors do', async () => {
    assert.deepEqual(await runLifecycleHook(ctx, pod, container, 'c1', '127.0.0.1', { httpGet: { port, path: '/fail' } }, 0), { result: 'success', output: '' });
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const closedPort = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    const r = await runLifecycleHook(ctx, pod, container, 'c1', '127.0.0.1', { httpGet: { port: closedPort, path: '/start' } }, 0);
    const err = `Get "http://127.0.0.1:${closedPort}/start": dial tcp 127.0.0.1:${closedPort}: connect: connection refused`;
    assert.deepEqual(r, {
      result: 'failure',
      error: err,
      output: `HTTP lifecycle hook (/start) for Container "app" in Pod "web_default(u-1)" failed - error: ${err}`,
    });
  });

  it('sleep: waits, and fails when cut short', async () => {
    const t0 = Date.now();
    assert.deepEqual(await runLifecycleHook(ctx, pod, container, 'c1', '', { sleep: { seconds: 0.05 } }, 0), { result: 'success', output: '' });
    assert.ok(Date.now() - t0 >= 45);
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 20);
    assert.deepEqual(await runLifecycleHook(ctx, pod, container, 'c1', '', { sleep: { seconds: 30 } }, 0, ac.signal), {
      result: 'failure',
      error: 'container terminated before sleep hook finished',
      output: 'Sleep lifecycle hook (30) for Container "app" in Pod "web_default(u-1)" failed - error: container terminated before sleep hook finished',
    });
  });

  it('tcpSocket hooks are invalid handlers for the kubelet', async () => {
    const r = await runLifecycleHook(ctx, pod, container, 'c1', '', { tcpSocket: { port: 80 } }, 0);
    assert.deepEqual(r, {
      result: 'failure',
      error: 'invalid handler: &LifecycleHandler{Exec:nil,HTTPGet:nil,TCPSocket:&TCPSocketAction{Port:{0 80 },Host:,},Sleep:nil,}',
      output: 'Cannot run handler: invalid handler: &LifecycleHandler{Exec:nil,HTTPGet:nil,TCPSocket:&TCPSocketAction{Port:{0 80 },Host:,},Sleep:nil,}',
    });
  });
});

describe('runHandler', () => {
  it('defaults to hook semantics; purpose probe maps warnings to success and errors to failure', async () => {
    assert.deepEqual(await runHandler(ctx, pod, container, 'c1', '127.0.0.1', { httpGet: { port, path: '/fail' } }, 1), { result: 'success', output: '' });
    assert.deepEqual(await runHandler(ctx, pod, container, 'c1', '127.0.0.1', { httpGet: { port, path: '/fail' } }, 1, { purpose: 'probe' }), {
      result: 'failure', output: 'HTTP probe failed with statuscode: 500',
    });
    answer = new CriError('ExecSync', 2, 'boom');
    assert.deepEqual(await runHandler(ctx, pod, container, 'c1', '', { exec: { command: ['x'] } }, 1, { purpose: 'probe' }), {
      result: 'failure', output: 'rpc error: code = Unknown desc = boom', error: 'rpc error: code = Unknown desc = boom',
    });
  });
});
