import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TokenBucket } from './token-bucket.js';

test('burst is free, then each token costs 1/qps seconds, and time refills', () => {
  let now = 0;
  const b = new TokenBucket(10, 3, () => now);
  assert.deepEqual([b.reserve(), b.reserve(), b.reserve()], [0, 0, 0]);
  assert.equal(b.reserve(), 100);
  assert.equal(b.reserve(), 200);
  now = 1000; // +10 tokens, from -2 → 3 (capped at burst)
  assert.equal(b.reserve(), 0);
  assert.equal(b.tryAccept(), true);
  assert.equal(b.tryAccept(), true);
  assert.equal(b.tryAccept(), false);
  now = 1050; // half a token
  assert.equal(b.tryAccept(), false);
  now = 1100;
  assert.equal(b.tryAccept(), true);
});

test('wait() delays by the reservation', async () => {
  const b = new TokenBucket(20, 1);
  await b.wait();
  const t0 = performance.now();
  await b.wait();
  const took = performance.now() - t0;
  assert.ok(took >= 40 && took < 200, `took ${took} ms, expected ~50`);
});

test('invalid settings are rejected', () => {
  assert.throws(() => new TokenBucket(0, 1), /qps must be > 0/);
  assert.throws(() => new TokenBucket(1, 0), /burst must be >= 1/);
});
