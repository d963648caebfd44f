import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fmtMs, rssMeetsGoal, rssTable, startupTable } from './report.js';

const range = (from: number, n: number, step: number) => Array.from({ length: n }, (_, i) => from + i * step);

test('fmtMs keeps one decimal below 100 ms', () => {
  assert.equal(fmtMs(7.25), '7.3');
  assert.equal(fmtMs(99.94), '99.9');
  assert.equal(fmtMs(123.6), '124');
  assert.equal(fmtMs(NaN), '–');
});

test('rssMeetsGoal compares MiB against MB', () => {
  assert.equal(rssMeetsGoal(57.2), true); // 59.98 MB
  assert.equal(rssMeetsGoal(57.3), false); // 60.08 MB
});

test('startupTable: percentiles, rate, ratio against the floor and goal marks', () => {
  const floor = range(100, 50, 2); // p50 = 148 (25th value), p99 = 198
  const skiff = range(150, 50, 20); // p50 = 630, p99 = 1130, max 1130
  const table = startupTable([
    { label: 'CRI floor, sequential', latencies: floor, wallMs: 10_000 },
    { label: 'Skiff, sequential', latencies: skiff, wallMs: 25_000, floor: { label: 'CRI floor, sequential', latencies: floor } },
  ]);
  const lines = table.split('\n');
  assert.equal(lines.length, 4);
  assert.equal(lines[2], '| CRI floor, sequential | 50 | 148 | 198 | 198 | 5.0 |  |  |');
  assert.equal(lines[3], '| Skiff, sequential | 50 | 630 | 1130 | 1130 | 2.0 | 4.26× | ❌ p50 4.26× · ❌ p99 1130 ms |');
});

test('startupTable marks met goals', () => {
  const floor = [100, 100, 100, 100];
  const table = startupTable([{ label: 's', latencies: [110, 120, 125, 900], wallMs: 1000, floor: { label: 'f', latencies: floor } }]);
  // nearest-rank p50 of 4 values is the 2nd: 120 → 1.20×
  assert.equal(table.split('\n')[2], '| s | 4 | 120 | 900 | 900 | 4.0 | 1.20× | ✅ p50 1.20× · ✅ p99 900 ms |');
});

test('rssTable', () => {
  const t = rssTable([
    { label: 'bare node', agent: { total: 39.2, anon: 5, file: 34.2 }, reference: true },
    { label: 'idle', agent: { total: 48.25, anon: 30, file: 18.25 }, containerd: 30 },
    { label: '50 pods', agent: { total: 70 }, containerd: undefined },
    { label: 'gone' },
  ]);
  assert.deepEqual(t.split('\n').slice(2), [
    '| bare node | 39.2 | 5.0 / 34.2 |  | – |',
    '| idle | 48.3 | 30.0 / 18.3 | ✅ | 30.0 |',
    '| 50 pods | 70.0 | – | ❌ | – |',
    '| gone | – | – |  | – |',
  ]);
});
