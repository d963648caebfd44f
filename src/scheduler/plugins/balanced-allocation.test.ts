import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { newBalancedAllocation } from './balanced-allocation.js';
import { balancedResourceScorer } from './resource-allocation.js';
import { cluster, makeNode, makePod, on, runScore } from './test-helpers.js';

describe('NodeResourcesBalancedAllocation', () => {
  const plugin = newBalancedAllocation();

  it('Kubernetes example: differently sized nodes', () => {
    const snap = cluster([makeNode('n1', { cpu: '4000m', memory: '10000' }), makeNode('n2', { cpu: '6000m', memory: '10000' })]);
    const r = runScore(plugin, makePod('p', { requests: { cpu: '3000m', memory: '5000' } }), snap);
    // n1: |0.75 - 0.5| / 2 = 0.125 → 87.5 → 87; n2: 0.5 / 0.5 → 100.
    assert.deepEqual(r.raw, { n1: 87, n2: 100 });
    assert.deepEqual(r.normalized, r.raw);
  });

  it('uses real requests of existing pods (not the non-zero defaults)', () => {
    const snap = cluster([makeNode('n', { cpu: '4000m', memory: '10000' })], [on('n', makePod('e', { requests: { cpu: '1000m', memory: '2000' } })), on('n', makePod('empty'))]);
    // cpu (1000+2000)/4000 = 0.75, memory 3000/10000 = 0.3 → std 0.225 → 77.
    assert.deepEqual(runScore(plugin, makePod('p', { requests: { cpu: '2000m', memory: '1000' } }), snap).raw, { n: 77 });
  });

  it('a best-effort pod on an empty node scores 100 (1.32 does not skip it)', () => {
    const r = runScore(plugin, makePod('p'), cluster([makeNode('n')]));
    assert.equal(r.preScore.code, 'Success');
    assert.deepEqual(r.raw, { n: 100 });
  });

  it('clamps fractions above 1', () => {
    const snap = cluster([makeNode('n', { cpu: '1', memory: '10000' })]);
    // cpu 2/1 → 1, memory 0.5 → std 0.25 → 75.
    assert.deepEqual(runScore(plugin, makePod('p', { requests: { cpu: '2', memory: '5000' } }), snap).raw, { n: 75 });
  });

  it('three resources use the population standard deviation', () => {
    const p = newBalancedAllocation({ args: { resources: [{ name: 'cpu', weight: 1 }, { name: 'memory', weight: 1 }, { name: 'ephemeral-storage', weight: 1 }] } });
    const snap = cluster([makeNode('n', { cpu: '4000m', memory: '10000', ephemeral: '4000' })]);
    const pod = makePod('p', { requests: { cpu: '1000m', memory: '5000', 'ephemeral-storage': '3000' } });
    // fractions 0.25, 0.5, 0.75: std = sqrt(0.125/3) ≈ 0.2041 → 79.
    assert.deepEqual(runScore(p, pod, snap).raw, { n: 79 });
  });

  it('scorer: a single resource has no deviation, none gives 100', () => {
    assert.equal(balancedResourceScorer(Float64Array.of(3, 0), Float64Array.of(4, 0)), 100);
    assert.equal(balancedResourceScorer(Float64Array.of(), Float64Array.of()), 100);
  });
});
