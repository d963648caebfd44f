import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BucketRateLimiter, ItemExponentialRateLimiter, MaxOfRateLimiter, defaultControllerRateLimiter } from './rate-limiter.js';

test('per-item exponential: 5, 10, 20, 40 ms per item, independent items, forget resets', () => {
  const r = new ItemExponentialRateLimiter<string>(5, 1_000_000);
  assert.deepEqual([r.when('a'), r.when('a'), r.when('a'), r.when('a')], [5, 10, 20, 40]);
  assert.equal(r.when('b'), 5);
  assert.equal(r.numRequeues('a'), 4);
  assert.equal(r.numRequeues('b'), 1);
  r.forget('a');
  assert.equal(r.numRequeues('a'), 0);
  assert.equal(r.when('a'), 5);
});

test('per-item exponential is capped at 1000 s, also for huge exponents', () => {
  const r = new ItemExponentialRateLimiter<string>(5, 1_000_000);
  let last = 0;
  for (let i = 0; i < 2000; i++) last = r.when('x');
  assert.equal(last, 1_000_000);
  const r2 = new ItemExponentialRateLimiter<string>(5, 1_000_000);
  const seq = Array.from({ length: 20 }, () => r2.when('y'));
  assert.equal(seq[17], 655_360);
  assert.equal(seq[18], 1_000_000);
});

test('bucket limiter: 100 free, then +100 ms each at 10 qps', () => {
  const now = 0;
  const b = new BucketRateLimiter<string>(10, 100, () => now);
  for (let i = 0; i < 100; i++) assert.equal(b.when(`k${i}`), 0);
  assert.equal(b.when('x'), 100);
  assert.equal(b.when('y'), 200);
  assert.equal(b.numRequeues('x'), 0);
});

test('max-of takes the larger delay and forgets in all', () => {
  const now = 0;
  const m = new MaxOfRateLimiter<string>(new ItemExponentialRateLimiter(5, 1000), new BucketRateLimiter(1, 2, () => now));
  assert.equal(m.when('a'), 5); // bucket 0
  assert.equal(m.when('a'), 10); // bucket 0
  assert.equal(m.when('a'), 1000); // bucket 1000, exp 20
  assert.equal(m.numRequeues('a'), 3);
  m.forget('a');
  assert.equal(m.numRequeues('a'), 0);
});

test('default controller limiter starts at 5 ms and doubles', () => {
  const d = defaultControllerRateLimiter<string>();
  assert.deepEqual([d.when('k'), d.when('k'), d.when('k')], [5, 10, 20]);
});
