import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Backoff } from './backoff.js';

test('defaults are the kubelet back-off: 10 s to 300 s', () => {
  const b = new Backoff();
  assert.equal(b.initialMs, 10_000);
  assert.equal(b.maxMs, 300_000);
});

test('image pulls: first failure backs off initialMs; each further failure doubles up to max', () => {
  let now = 0;
  const b = new Backoff({ initialMs: 1000, maxMs: 5000, now: () => now });
  assert.equal(b.isInBackOffSinceUpdate('k', 0), false);
  b.next('k', now);
  assert.equal(b.get('k'), 1000);
  assert.equal(b.isInBackOffSinceUpdate('k', 999), true);
  assert.equal(b.isInBackOffSinceUpdate('k', 1000), false);
  now = 1000;
  b.next('k', now);
  assert.equal(b.get('k'), 2000);
  now = 3000;
  b.next('k', now);
  assert.equal(b.get('k'), 4000);
  now = 7000;
  b.next('k', now);
  assert.equal(b.get('k'), 5000);
  now = 12_000;
  b.next('k', now);
  assert.equal(b.get('k'), 5000);
  assert.equal(b.isInBackOffSinceUpdate('other', now), false);
  // The clock is the default event time.
  now = 16_999;
  assert.equal(b.isInBackOffSinceUpdate('k'), true);
  now = 17_000;
  assert.equal(b.isInBackOffSinceUpdate('k'), false);
});

test('an entry idle for more than 2×max expires and restarts at initialMs; gc drops it', () => {
  let now = 0;
  const b = new Backoff({ initialMs: 1000, maxMs: 5000, now: () => now });
  b.next('k', now);
  now = 1000;
  b.next('k', now);
  assert.equal(b.get('k'), 2000);
  // exactly 2×max: not yet expired
  now = 11_000;
  b.next('k', now);
  assert.equal(b.get('k'), 4000);
  now = 21_001;
  b.next('k', now);
  assert.equal(b.get('k'), 1000);
  now = 21_001 + 10_000;
  b.gc();
  assert.equal(b.get('k'), 1000);
  now = 21_001 + 10_001;
  b.gc();
  assert.equal(b.get('k'), 0);
});

test('container restarts: first restart is immediate, then 10s doubling to a 300s cap', () => {
  let now = 1_000_000;
  const b = new Backoff({ now: () => now });
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
  assert.equal(b.remainingMs(key, crash2), 0);
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
  const b = new Backoff({ now: () => now });
  b.next('k', 0);
  b.next('k', 0);
  b.next('k', 0);
  assert.equal(b.get('k'), 40_000);
  const finished = 600_001; // > 2 × 300 s after the last update
  now = finished;
  assert.equal(b.isInBackOffSince('k', finished), false);
  assert.equal(b.remainingMs('k', finished), 0);
  b.next('k', finished);
  assert.equal(b.get('k'), 10_000);
  // Exactly 10 minutes is not yet expired.
  const c = new Backoff({ now: () => 0 });
  c.next('k', 0);
  c.next('k', 0);
  assert.equal(c.isInBackOffSince('k', -1), true);
});

test('forgetPrefix drops one pod only; reset drops one key', () => {
  const b = new Backoff({ now: () => 0 });
  b.next('a_ns_u1_c', 0);
  b.next('a_ns_u2_c', 0);
  b.next('a_ns_u2_d', 0);
  b.forgetPrefix('a_ns_u1_');
  assert.equal(b.get('a_ns_u1_c'), 0);
  assert.equal(b.get('a_ns_u2_c'), 10_000);
  b.reset('a_ns_u2_c');
  assert.equal(b.get('a_ns_u2_c'), 0);
  assert.equal(b.get('a_ns_u2_d'), 10_000);
});
