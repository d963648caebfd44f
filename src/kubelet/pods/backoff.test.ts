import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Backoff, goDuration } from './backoff.js';

test('goDuration prints like Go time.Duration', () => {
  assert.equal(goDuration(10_000), '10s');
  assert.equal(goDuration(40_000), '40s');
  assert.equal(goDuration(80_000), '1m20s');
  assert.equal(goDuration(160_000), '2m40s');
  assert.equal(goDuration(300_000), '5m0s');
  assert.equal(goDuration(3_600_000), '1h0m0s');
  assert.equal(goDuration(1_500), '1.5s');
  assert.equal(goDuration(0), '0s');
});

test('first restart is immediate, then 10s doubling to a 300s cap', () => {
  let now = 1_000_000;
  const b = new Backoff(() => now);
  const key = 'p_ns_uid_c_hash';
  // Crash 1 at t0: no entry, not in back-off; restart records 10s.
  assert.equal(b.isInBackOffSince(key, now), false);
  b.next(key, now);
  assert.equal(b.get(key), 10_000);
  // Crash 2 right away: must wait 10s from its finish time.
  const crash2 = now + 1000;
  now = crash2 + 5000;
  assert.equal(b.isInBackOffSince(key, crash2), true);
  assert.equal(b.remainingMs(key, crash2), 5000);
  now = crash2 + 10_000;
  assert.equal(b.isInBackOffSince(key, crash2), false);
  b.next(key, crash2);
  assert.equal(b.get(key), 20_000);
  const seen: number[] = [];
  for (let i = 0; i < 6; i++) {
    b.next(key, now);
    seen.push(b.get(key));
  }
  assert.deepEqual(seen, [40_000, 80_000, 160_000, 300_000, 300_000, 300_000]);
});

test('a container that ran more than 10 minutes since the last restart starts over at 10s', () => {
  let now = 0;
  const b = new Backoff(() => now);
  b.next('k', 0);
  b.next('k', 0);
  b.next('k', 0);
  assert.equal(b.get('k'), 40_000);
  const finished = 600_001; // > 2 × 300 s after the last update
  now = finished;
  assert.equal(b.isInBackOffSince('k', finished), false);
  b.next('k', finished);
  assert.equal(b.get('k'), 10_000);
  // Exactly 10 minutes is not yet expired.
  const c = new Backoff(() => 0);
  c.next('k', 0);
  c.next('k', 0);
  assert.equal(c.isInBackOffSince('k', -1), true);
});

test('forgetPrefix drops one pod only', () => {
  const b = new Backoff(() => 0);
  b.next('a_ns_u1_c', 0);
  b.next('a_ns_u2_c', 0);
  b.forgetPrefix('a_ns_u1_');
  assert.equal(b.get('a_ns_u1_c'), 0);
  assert.equal(b.get('a_ns_u2_c'), 10_000);
});
