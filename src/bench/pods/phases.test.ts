import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nsToEpochMs, phaseDurations, phaseTable } from './phases.js';

test('nsToEpochMs keeps microseconds and treats 0 as unset', () => {
  assert.equal(nsToEpochMs('1764119000123456789'), 1764119000123.456);
  assert.equal(nsToEpochMs('0'), undefined);
  assert.equal(nsToEpochMs(undefined), undefined);
});

test('phaseDurations skips pods missing an end', () => {
  const d = phaseDurations([
    { createSent: 0, bound: 10, sandboxCreated: 30, containerStarted: 200, running: 230 },
    { createSent: 100, bound: 104, running: 400 },
  ]);
  assert.deepEqual(d, [[10, 4], [20], [170], [30]]);
});

test('phaseTable prints p50 / p99 per run', () => {
  const t = phaseTable([
    { label: 'seq', pods: [{ createSent: 0, bound: 10, sandboxCreated: 30, containerStarted: 200, running: 230 }] },
    { label: 'par', pods: [{ createSent: 0 }] },
  ]);
  assert.deepEqual(t.split('\n'), [
    '| phase (ms, p50 / p99) | seq | par |',
    '|---|---:|---:|',
    '| create sent → bound seen (API + scheduler + watch) | 10.0 / 10.0 | – |',
    '| bound seen → sandbox created_at (kubelet picks the pod up) | 20.0 / 20.0 | – |',
    '| sandbox created_at → container started_at (runtime) | 170 / 170 | – |',
    '| container started_at → Running seen (status write + watch) | 30.0 / 30.0 | – |',
  ]);
});
