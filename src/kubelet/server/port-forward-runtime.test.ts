import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { openRuntimePortForward } from './port-forward-runtime.js';
import { FakePortForwardRuntime } from './port-forward-fake-runtime.js';
import type { ForwardHandlers } from './port-forward-types.js';

let runtime: FakePortForwardRuntime;
let shout: net.Server;
let hold: net.Server;
const held: net.Socket[] = [];
let heldClosed = 0;

before(async () => {
  runtime = await new FakePortForwardRuntime().start();
  // Answers what it read, upper-cased, once the client half-closes.
  shout = net.createServer({ allowHalfOpen: true }, (s) => {
    let got = '';
    s.on('data', (d) => (got += d));
    s.on('end', () => s.end(got.toUpperCase()));
  });
  // Never answers; counts closes.
  hold = net.createServer((s) => {
    held.push(s);
    s.resume();
    s.on('close', () => heldClosed++);
    s.on('error', () => {});
  });
  for (const s of [shout, hold]) await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  runtime.portMap.set(7000, (shout.address() as AddressInfo).port);
  runtime.portMap.set(7001, (hold.address() as AddressInfo).port);
  const gone = net.createServer();
  await new Promise<void>((r) => gone.listen(0, '127.0.0.1', r));
  runtime.portMap.set(81, (gone.address() as AddressInfo).port);
  await new Promise<void>((r) => gone.close(() => r()));
});

after(async () => {
  for (const s of held) s.destroy();
  shout.close();
  hold.close();
  await runtime.stop();
});

function recorder() {
  const r = { data: '', error: '', ends: 0, done: undefined as unknown as Promise<void> };
  let resolve!: () => void;
  r.done = new Promise<void>((res) => (resolve = res));
  const h: ForwardHandlers = {
    onData: (d) => (r.data += d),
    onError: (m) => (r.error += m),
    onEnd: () => {
      r.ends++;
      resolve();
    },
  };
  return { r, h };
}

test('bytes and the half-close reach the port; the answer and the end come back', async () => {
  const conn = await openRuntimePortForward(runtime.url('sb-1', [7000]));
  const a = recorder();
  const fa = conn.forward(7000, a.h);
  // Written before the runtime replied to the streams: queued, not lost.
  fa.write(Buffer.from('hello '));
  fa.write(Buffer.from('runtime'));
  fa.end();
  await a.r.done;
  assert.equal(a.r.data, 'HELLO RUNTIME');
  assert.equal(a.r.error, '');
  assert.equal(a.r.ends, 1);

  const b = recorder();
  const fb = conn.forward(7000, b.h);
  fb.write(Buffer.from('second'));
  fb.end();
  await b.r.done;
  assert.equal(b.r.data, 'SECOND');
  const mine = runtime.dials.filter((d) => d.sandboxId === 'sb-1');
  assert.deepEqual(mine.map((d) => [d.port, d.requestId]), [[7000, '0'], [7000, '1']], 'request IDs count up per connection');
  conn.close();
});

test('a refused port comes back as error text, then the end', async () => {
  const conn = await openRuntimePortForward(runtime.url('sb-2', [81]));
  const a = recorder();
  conn.forward(81, a.h);
  await a.r.done;
  assert.equal(a.r.data, '');
  assert.match(a.r.error, /^error forwarding port 81 to pod sb-2, uid : failed to execute portforward in network namespace .*connect: connection refused /);
  conn.close();
});

test('close() aborts open forwards and reaches the pod side', async () => {
  const before = heldClosed;
  const conn = await openRuntimePortForward(runtime.url('sb-3', [7001]));
  const a = recorder();
  const f = conn.forward(7001, a.h);
  f.write(Buffer.from('x'));
  const deadline = Date.now() + 5000;
  while (held.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
  f.close();
  while (heldClosed === before && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
  assert.equal(heldClosed, before + 1, 'the runtime closed the pod connection after the reset');
  assert.equal(a.r.ends, 0, 'no callbacks after close()');
  conn.close();
  const late = recorder();
  conn.forward(7000, late.h);
  await late.r.done;
  assert.equal(late.r.error, 'the connection to the runtime is closed');
});

test('refused upgrades and unreachable runtimes reject', async () => {
  await assert.rejects(openRuntimePortForward(runtime.url('sb', [80]).replace(/tok\d+$/, 'nope')), { message: 'unable to upgrade connection: not found' });
  const gone = net.createServer();
  await new Promise<void>((r) => gone.listen(0, '127.0.0.1', r));
  const port = (gone.address() as AddressInfo).port;
  await new Promise<void>((r) => gone.close(() => r()));
  await assert.rejects(openRuntimePortForward(`http://127.0.0.1:${port}/portforward/x`), { code: 'ECONNREFUSED' });
});
