import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { formatTop, selfTimes, shortUrl, type CpuProfile } from './cpu-profile.js';

// Three nodes: root, "hot" in a.js, "cold" in b.js; plus a second "hot" node (another call path) to merge.
const profile: CpuProfile = {
  nodes: [
    { id: 1, callFrame: { functionName: '(root)', url: '', lineNumber: -1 } },
    { id: 2, callFrame: { functionName: 'hot', url: 'file:///repo/dist/a.js', lineNumber: 3 } },
    { id: 3, callFrame: { functionName: '', url: 'file:///repo/dist/b.js', lineNumber: 9 } },
    { id: 4, callFrame: { functionName: 'hot', url: 'file:///repo/dist/a.js', lineNumber: 3 } },
  ],
  startTime: 1000,
  endTime: 2000,
  samples: [2, 3, 4, 2, 3],
  // Gap before each sample; the gap after a sample is charged to it.
  timeDeltas: [0, 100, 200, 300, 400],
};

describe('cpu profile summary', () => {
  it('charges each sample the time until the next one and merges by name + script', () => {
    const { total, entries } = selfTimes(profile, '/repo/dist');
    assert.equal(total, 1.0);
    assert.deepEqual(
      entries.map((e) => [e.name, e.where, e.selfMs]),
      [
        ['hot', 'a.js', 0.8],
        ['(anonymous)', 'b.js', 0.2],
      ],
    );
    assert.equal(entries[0].percent, 80);
  });

  it('keeps only samples inside a time window', () => {
    // Sample times: 1000, 1100, 1300, 1600, 2000.
    const { total, entries } = selfTimes(profile, '/repo/dist', { startUs: 1050, endUs: 1650 });
    assert.equal(total, 0.9);
    assert.deepEqual(entries.map((e) => [e.name, e.selfMs]), [['hot', 0.7], ['(anonymous)', 0.2]]);
  });

  it('falls back to hit counts without a timeline', () => {
    const p: CpuProfile = { ...profile, samples: undefined, timeDeltas: undefined, nodes: profile.nodes.map((n) => ({ ...n, hitCount: n.id === 2 ? 3 : n.id === 3 ? 1 : 0 })) };
    const { total, entries } = selfTimes(p);
    assert.equal(total, 1.0);
    assert.equal(entries[0].selfMs, 0.75);
  });

  it('shortens script URLs and formats a table', () => {
    assert.equal(shortUrl('file:///repo/dist/scheduler/cycle.js', '/repo/dist'), 'scheduler/cycle.js');
    assert.equal(shortUrl('file:///x/node_modules/ws/lib/a.js', '/repo'), 'node_modules/ws/lib/a.js');
    assert.equal(shortUrl('node:internal/streams', '/repo'), 'node:internal/streams');
    const { total, entries } = selfTimes(profile, '/repo/dist');
    assert.equal(formatTop(entries, total, 1).split('\n').length, 4);
    assert.match(formatTop(entries, total, 1), /^\| 1 \| 80\.0 \| hot \| a\.js \|$/m);
  });
});
