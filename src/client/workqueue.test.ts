import { test } from 'node:test';
import assert from 'node:assert/strict';
import { WorkQueue } from './workqueue.js';
import { ItemExponentialRateLimiter } from './rate-limiter.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('add dedups while queued; FIFO order', async () => {
  const q = new WorkQueue<string>();
  q.add('a');
  q.add('b');
  q.add('a');
  q.add('c');
  q.add('b');
  assert.equal(q.len(), 3);
  assert.deepEqual([await q.get(), await q.get(), await q.get()], ['a', 'b', 'c']);
  assert.equal(q.len(), 0);
});

test('an item re-added while processing waits for done(), then comes back once', async () => {
  const q = new WorkQueue<string>();
  q.add('x');
  const first = await q.get();
  assert.equal(first, 'x');
  q.add('x');
  q.add('x');
  assert.equal(q.len(), 0, 'not handed out again while being processed');
  let second: string | undefined;
  void q.get().then((v) => (second = v));
  await sleep(5);
  assert.equal(second, undefined, 'a second worker must not get x concurrently');
  q.done('x');
  await sleep(0);
  assert.equal(second, 'x');
  q.done('x');
  assert.equal(q.len(), 0, 'both re-adds collapsed into one');
});

test('no key is ever processed by two workers at once (concurrent workers)', async () => {
  const q = new WorkQueue<string>();
  const active = new Set<string>();
  let overlaps = 0;
  const processed: string[] = [];
  const worker = async () => {
    for (let k = await q.get(); k !== undefined; k = await q.get()) {
      if (active.has(k)) overlaps++;
      active.add(k);
      processed.push(k);
      await sleep(Math.random() * 3);
      active.delete(k);
      q.done(k);
    }
  };
  const workers = [worker(), worker(), worker(), worker()];
  for (let i = 0; i < 200; i++) {
    q.add(`k${i % 5}`);
    if (i % 7 === 0) await sleep(1);
  }
  await sleep(50);
  q.shutDown();
  await Promise.all(workers);
  assert.equal(overlaps, 0);
  assert.ok(processed.length >= 5 && processed.length <= 200, `processed ${processed.length}`);
  assert.deepEqual([...new Set(processed)].sort(), ['k0', 'k1', 'k2', 'k3', 'k4']);
});

test('get() waits for the next add', async () => {
  const q = new WorkQueue<string>();
  const p = q.get();
  setTimeout(() => q.add('later'), 10);
  assert.equal(await p, 'later');
});

test('addAfter delivers after the delay; an earlier schedule wins over a later one', async () => {
  const q = new WorkQueue<string>();
  const t0 = Date.now();
  q.addAfter('a', 40);
  q.addAfter('a', 500); // later: ignored
  q.addAfter('b', 80);
  q.addAfter('b', 20); // earlier: replaces
  assert.equal(q.len(), 0);
  assert.equal(await q.get(), 'b');
  const tb = Date.now() - t0;
  assert.equal(await q.get(), 'a');
  const ta = Date.now() - t0;
  assert.ok(tb >= 18 && tb < 70, `b after ${tb} ms`);
  assert.ok(ta >= 38 && ta < 300, `a after ${ta} ms`);
  q.addAfter('now', 0);
  assert.equal(q.len(), 1);
});

test('addRateLimited delays grow 5, 10, 20, 40 ms; forget resets; numRequeues counts', async () => {
  const q = new WorkQueue<string>();
  const delays: number[] = [];
  for (let i = 0; i < 4; i++) {
    const t0 = performance.now();
    q.addRateLimited('k');
    assert.equal(await q.get(), 'k');
    delays.push(performance.now() - t0);
    q.done('k');
  }
  assert.equal(q.numRequeues('k'), 4);
  const expected = [5, 10, 20, 40];
  delays.forEach((d, i) => assert.ok(d >= expected[i] - 1 && d < expected[i] + 40, `retry ${i}: ${d.toFixed(1)} ms, expected ~${expected[i]}`));
  assert.ok(delays[3] > delays[0] + 20, `delays must grow: ${delays.map((d) => d.toFixed(1))}`);
  q.forget('k');
  assert.equal(q.numRequeues('k'), 0);
  const t0 = performance.now();
  q.addRateLimited('k');
  await q.get();
  assert.ok(performance.now() - t0 < 40);
});

test('a custom rate limiter is used', async () => {
  const q = new WorkQueue<string>({ rateLimiter: new ItemExponentialRateLimiter(1, 1) });
  q.addRateLimited('a');
  q.addRateLimited('a');
  assert.equal(q.numRequeues('a'), 2);
  assert.equal(await q.get(), 'a');
});

test('shutDown: waiting getters get undefined, queued items still drain, adds are ignored, delayed ones dropped', async () => {
  const q = new WorkQueue<string>();
  const waiting = q.get();
  q.shutDown();
  assert.equal(await waiting, undefined);
  assert.equal(q.isShuttingDown(), true);

  const q2 = new WorkQueue<string>();
  q2.add('a');
  q2.add('b');
  q2.addAfter('late', 5);
  q2.shutDown();
  q2.add('c');
  assert.equal(q2.len(), 2);
  assert.equal(await q2.get(), 'a');
  assert.equal(await q2.get(), 'b');
  assert.equal(await q2.get(), undefined);
  await sleep(15);
  assert.equal(q2.len(), 0, 'delayed add was dropped');
});

test('done() for an item not being processed is a no-op', async () => {
  const q = new WorkQueue<string>();
  q.done('ghost');
  q.add('a');
  q.done('a'); // queued, not processing
  assert.equal(q.len(), 1);
  assert.equal(await q.get(), 'a');
});
