import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CallLimiter, CallLimiterClosedError } from './call-limiter.js';

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

const tick = () => new Promise((r) => setImmediate(r));

test('never more than maxInFlight calls at once; the rest start as slots free up', async () => {
  const lim = new CallLimiter({ maxInFlight: 3, qps: 0 });
  const gates = Array.from({ length: 10 }, deferred);
  let running = 0;
  let peak = 0;
  const results = gates.map((g, i) =>
    lim.run(async () => {
      running++;
      peak = Math.max(peak, running);
      await g.promise;
      running--;
      return i;
    }),
  );
  await tick();
  assert.equal(running, 3);
  assert.equal(lim.inFlight, 3);
  assert.equal(lim.queued, 7);
  for (const g of gates) {
    g.resolve();
    await tick();
  }
  assert.deepEqual(await Promise.all(results), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  assert.equal(peak, 3);
  assert.equal(lim.peakInFlight, 3);
  await lim.idle();
  assert.equal(lim.inFlight, 0);
});

test('urgent calls jump the normal queue', async () => {
  const lim = new CallLimiter({ maxInFlight: 1, qps: 0 });
  const gate = deferred();
  const order: string[] = [];
  const first = lim.run(async () => {
    await gate.promise;
    order.push('first');
  });
  const n1 = lim.run(async () => void order.push('n1'));
  const n2 = lim.run(async () => void order.push('n2'));
  const u1 = lim.run(async () => void order.push('u1'), 'urgent');
  gate.resolve();
  await Promise.all([first, n1, n2, u1]);
  assert.deepEqual(order, ['first', 'u1', 'n1', 'n2']);
});

test('errors (thrown or rejected) reach the caller and free the slot', async () => {
  const lim = new CallLimiter({ maxInFlight: 1, qps: 0 });
  await assert.rejects(lim.run(() => Promise.reject(new Error('nope'))), /nope/);
  await assert.rejects(
    lim.run(() => {
      throw new Error('sync');
    }),
    /sync/,
  );
  assert.equal(await lim.run(async () => 42), 42);
});

test('the token bucket spaces calls out after the burst', async () => {
  const lim = new CallLimiter({ maxInFlight: 100, qps: 50, burst: 2 });
  const start = performance.now();
  const at: number[] = [];
  await Promise.all(Array.from({ length: 5 }, () => lim.run(async () => void at.push(performance.now() - start))));
  at.sort((a, b) => a - b);
  // Two at once (burst), then one every 20 ms: the fifth waits ~60 ms.
  assert.ok(at[1] < 15, `burst calls ran late: ${at}`);
  assert.ok(at[4] >= 55, `rate limit not applied: ${at}`);
  assert.ok(at[4] < 400, `far too slow: ${at}`);
});

test('close rejects queued calls and refuses new ones; calls in flight finish', async () => {
  const lim = new CallLimiter({ maxInFlight: 1, qps: 0 });
  const gate = deferred();
  const inflight = lim.run(async () => {
    await gate.promise;
    return 'done';
  });
  const queued = lim.run(async () => 'never');
  await tick();
  lim.close();
  await assert.rejects(queued, CallLimiterClosedError);
  await assert.rejects(lim.run(async () => 1), /call limiter closed/);
  gate.resolve();
  assert.equal(await inflight, 'done');
  await lim.idle();
});

test('rejects a maxInFlight below 1', () => {
  assert.throws(() => new CallLimiter({ maxInFlight: 0, qps: 0 }), /maxInFlight must be >= 1, got 0/);
});
