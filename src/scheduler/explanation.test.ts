import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { buildExplanation, ExplanationStore, renderExplanation } from './explanation.js';
import type { CycleResult } from './cycle.js';

const pod = { metadata: { name: 'web', namespace: 'default', uid: 'u1' } };
const result: CycleResult = {
  node: 'n2',
  evaluated: 3,
  feasible: 2,
  totalNodes: 3,
  failed: new Map([['n1', { code: 'Unschedulable', reasons: ['Insufficient cpu'], plugin: 'NodeResourcesFit' }]]),
  passed: ['n2', 'n3'],
  scores: [
    { node: 'n2', total: 150, plugins: [{ plugin: 'NodeResourcesFit', raw: 50, normalized: 50, weighted: 50 }, { plugin: 'TaintToleration', raw: 0, normalized: 100, weighted: 100 }] },
    { node: 'n3', total: 120, plugins: [{ plugin: 'NodeResourcesFit', raw: 20, normalized: 20, weighted: 20 }, { plugin: 'TaintToleration', raw: 0, normalized: 100, weighted: 100 }] },
  ],
  filterPlugins: ['NodeUnschedulable', 'NodeResourcesFit', 'NodePorts'],
  scorePlugins: [{ plugin: 'NodeResourcesFit', weight: 1 }, { plugin: 'TaintToleration', weight: 1 }],
};

describe('scheduling explanations', () => {
  it('renders filters as nodes × plugins and scores with the winner marked', () => {
    const e = buildExplanation(pod, 'default-scheduler', 1, result, new Date('2026-01-02T03:04:05Z'), { result: 'Scheduled', message: 'Successfully assigned default/web to n2' });
    assert.equal(e.winnerReason, 'highest total score 150 of 2 feasible nodes');
    const text = renderExplanation(e);
    assert.match(text, /^Pod:\s+default\/web$/m);
    assert.match(text, /^Result:\s+Scheduled on n2$/m);
    assert.match(text, /^n1\s+ok\s+FAIL\s+-\s+Insufficient cpu$/m);
    assert.match(text, /^n2\s+ok\s+ok\s+ok$/m);
    assert.match(text, /^NODE\s+NodeResourcesFit\(×1\)\s+TaintToleration\(×1\)\s+TOTAL$/m);
    assert.match(text, /^n2 \*\s+50→50=50\s+0→100=100\s+150$/m);
  });

  it('keeps the latest attempt per pod, bounded', () => {
    const store = new ExplanationStore(2);
    const mk = (name: string, attempt: number) => buildExplanation({ metadata: { ...pod.metadata, name } }, 's', attempt, result, new Date(), { result: 'Scheduled', message: '' });
    store.put(mk('a', 1));
    store.put(mk('b', 1));
    store.put(mk('a', 2));
    store.put(mk('c', 1));
    assert.equal(store.size, 2);
    assert.equal(store.get('default', 'b'), undefined, 'the least recently written entry goes first');
    assert.equal(store.get('default', 'a')!.attempt, 2);
  });
});
