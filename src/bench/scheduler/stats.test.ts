import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { latencySummary, percentile, runPool, windowedThroughput } from './stats.js';

describe('percentile (nearest rank)', () => {
  it('picks ranks from an ascending array', () => {
    const xs = Array.from({ length: 100 }, (_, i) => i + 1);
    assert.equal(percentile(xs, 50), 50);
    assert.equal(percentile(xs, 99), 99);
    assert.equal(percentile(xs, 100), 100);
    assert.equal(percentile([7], 99), 7);
    assert.ok(Number.isNaN(percentile([], 50)));
  });
});

describe('windowedThroughput', () => {
  it('counts events per 1 s window and leaves a partial tail out of the percentiles', () => {
    // 10 events in [0,1 s), 30 in [1,2 s), 2 in the 200 ms tail.
    const times = [
      ...Array.from({ length: 10 }, (_, i) => 1000 + i * 90),
      ...Array.from({ length: 30 }, (_, i) => 2000 + i * 30),
      3100,
      3200,
    ];
    const t = windowedThroughput(times, 1000);
    assert.deepEqual(t.windows, [10, 30, 2]);
    assert.equal(t.p50, 10);
    assert.equal(t.p99, 30);
    assert.equal(t.average, (42 * 1000) / 2200);
  });

  it('an event exactly at a window end belongs to that window; one short window is scaled', () => {
    assert.deepEqual(windowedThroughput([1500, 2000], 1000).windows, [2]);
    const short = windowedThroughput([100, 200, 250], 0);
    assert.deepEqual(short.windows, [3]);
    assert.equal(short.p50, 12);
    assert.deepEqual(windowedThroughput([], 0), { average: 0, p50: 0, p99: 0, windows: [] });
  });
});

describe('latencySummary and runPool', () => {
  it('summarises unsorted values', () => {
    assert.deepEqual(latencySummary([5, 1, 3, 2, 4]), { p50: 3, p99: 5, max: 5 });
  });

  it('runs every job once with at most `concurrency` in flight', async () => {
    let inFlight = 0;
    let peak = 0;
    const seen: number[] = [];
    await runPool(20, 4, async (i) => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await new Promise((r) => setTimeout(r, 1));
      seen.push(i);
      inFlight--;
    });
    assert.equal(peak, 4);
    assert.deepEqual(seen.sort((a, b) => a - b), Array.from({ length: 20 }, (_, i) => i));
  });
});
