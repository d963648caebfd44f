import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { rankAll, rankTop } from './score-ranking.js';

/** The order the cycle used to build by sorting every node: total descending, then localeCompare. */
function reference(totals: Float64Array, names: string[]): number[] {
  return names.map((_, i) => i).sort((a, b) => totals[b] - totals[a] || names[a].localeCompare(names[b]));
}

function random(seed: number): () => number {
  let x = seed;
  return () => ((x = (x * 1103515245 + 12345) % 2147483648) / 2147483648);
}

describe('score ranking', () => {
  it('orders by total, then by name as localeCompare does', () => {
    const names = ['node-b', 'Node-a', 'node-a', 'n.10', 'n-2', 'n2', 'zeta'];
    const totals = new Float64Array([5, 7, 7, 7, 1, 7, 5]);
    assert.deepEqual(rankAll(totals, names), reference(totals, names));
    assert.deepEqual(rankTop(totals, names, 3), reference(totals, names).slice(0, 3));
  });

  it('picks the same top k as a full sort, with many ties, names seen in any order', () => {
    const rnd = random(7);
    for (let round = 0; round < 30; round++) {
      const m = 1 + Math.floor(rnd() * 300);
      // Fresh names each round mix with known ones, so the cached ranks get merged.
      const names = Array.from({ length: m }, (_, i) => `n${Math.floor(rnd() * 1000)}-${round % 3}-${i}`);
      const totals = new Float64Array(m).map(() => Math.floor(rnd() * 4) * 10 + (rnd() < 0.1 ? 0.5 : 0));
      const ref = reference(totals, names);
      for (const k of [1, 2, 10, 50, m - 1, m, m + 5]) assert.deepEqual(rankTop(totals, names, k), ref.slice(0, Math.max(0, k)), `round ${round} k ${k}`);
      assert.deepEqual(rankAll(totals, names), ref);
    }
  });

  it('handles nothing to rank', () => {
    assert.deepEqual(rankTop(new Float64Array(0), [], 5), []);
    assert.deepEqual(rankTop(new Float64Array([1]), ['a'], 0), []);
  });
});
