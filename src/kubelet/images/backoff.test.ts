import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Backoff } from './backoff.js';

test('first failure backs off initialMs; each further failure doubles up to max', () => {
  const b = new Backoff({ initialMs: 1000, maxMs: 5000 });
  assert.equal(b.isInBackOffSinceUpdate('k', 0), false);
  b.next('k', 0);
  assert.equal(b.get('k'), 1000);
  assert.equal(b.isInBackOffSinceUpdate('k', 999), true);
  assert.equal(b.isInBackOffSinceUpdate('k', 1000), false);
  b.next('k', 1000);
  assert.equal(b.get('k'), 2000);
  b.next('k', 3000);
  assert.equal(b.get('k'), 4000);
  b.next('k', 7000);
  assert.equal(b.get('k'), 5000);
  b.next('k', 12000);
  assert.equal(b.get('k'), 5000);
  assert.equal(b.isInBackOffSinceUpdate('other', 12000), false);
});

test('an entry idle for more than 2×max expires and restarts at initialMs', () => {
  const b = new Backoff({ initialMs: 1000, maxMs: 5000 });
  b.next('k', 0);
  b.next('k', 1000);
  assert.equal(b.get('k'), 2000);
  // exactly 2×max: not yet expired
  b.next('k', 11_000);
  assert.equal(b.get('k'), 4000);
  b.next('k', 21_001);
  assert.equal(b.get('k'), 1000);
  b.gc(21_001 + 10_001);
  assert.equal(b.get('k'), 0);
});

test('defaults are the kubelet image back-off: 10 s to 300 s', () => {
  const b = new Backoff();
  assert.equal(b.initialMs, 10_000);
  assert.equal(b.maxMs, 300_000);
});
