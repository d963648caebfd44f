import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { newNodeResourcesFit } from './node-resources-fit.js';
import { brokenLinearFunction } from './resource-allocation.js';
import { cluster, makeNode, makePod, on, runFilter, runScore } from './test-helpers.js';

describe('NodeResourcesFit filter', () => {
  const plugin = newNodeResourcesFit();
  const fit = (nodeOpts: Parameters<typeof makeNode>[1], requests: Record<string, string> | undefined, existing: Record<string, string>[] = [], p = plugin) => {
    const pods = existing.map((r, i) => on('n', makePod(`e${i}`, { requests: r })));
    return runFilter(p, makePod('p', { requests }), cluster([makeNode('n', nodeOpts)], pods)).nodes.n;
  };

  it('250m/64Mi does not fit a 200m node: Insufficient cpu (Unschedulable, resolvable by preemption)', () => {
    assert.deepEqual(fit({ cpu: '200m', memory: '128Mi' }, { cpu: '250m', memory: '64Mi' }), { code: 'Unschedulable', reasons: ['Insufficient cpu'] });
  });

  it('reports cpu and memory together, in Kubernetes order', () => {
    assert.deepEqual(fit({ cpu: '100m', memory: '32Mi' }, { cpu: '250m', memory: '64Mi' }), { code: 'Unschedulable', reasons: ['Insufficient cpu', 'Insufficient memory'] });
  });

  it('counts requests of pods already on the node', () => {
    assert.deepEqual(fit({ cpu: '1' }, { cpu: '250m' }, [{ cpu: '800m' }]), { code: 'Unschedulable', reasons: ['Insufficient cpu'] });
    assert.deepEqual(fit({ cpu: '1' }, { cpu: '200m' }, [{ cpu: '800m' }]), { code: 'Success', reasons: [] });
  });

  it('Too many pods comes first and combines with other reasons', () => {
    assert.deepEqual(fit({ pods: '1' }, undefined, [{}]), { code: 'Unschedulable', reasons: ['Too many pods'] });
    assert.deepEqual(fit({ pods: '1', cpu: '1' }, { cpu: '2' }, [{}]), { code: 'Unschedulable', reasons: ['Too many pods', 'Insufficient cpu'] });
  });

  it('a pod without requests fits an overcommitted node', () => {
    assert.deepEqual(fit({ cpu: '1', memory: '1Gi' }, undefined, [{ cpu: '3', memory: '4Gi' }]), { code: 'Success', reasons: [] });
  });

  it('a pod requesting only memory is not blocked by overcommitted cpu', () => {
    assert.deepEqual(fit({ cpu: '1', memory: '1Gi' }, { memory: '100Mi' }, [{ cpu: '3' }]), { code: 'Success', reasons: [] });
  });

  it('checks ephemeral-storage', () => {
    assert.deepEqual(fit({ ephemeral: '1Gi' }, { 'ephemeral-storage': '2Gi' }), { code: 'Unschedulable', reasons: ['Insufficient ephemeral-storage'] });
  });

  it('checks extended resources, also on nodes that do not have them', () => {
    assert.deepEqual(fit({ extra: { 'example.com/gpu': '1' } }, { 'example.com/gpu': '2' }), { code: 'Unschedulable', reasons: ['Insufficient example.com/gpu'] });
    assert.deepEqual(fit({}, { 'example.com/gpu': '1' }), { code: 'Unschedulable', reasons: ['Insufficient example.com/gpu'] });
    assert.deepEqual(fit({ extra: { 'example.com/gpu': '2' } }, { 'example.com/gpu': '2' }), { code: 'Success', reasons: [] });
  });

  it('ignoredResources and ignoredResourceGroups skip extended resources only', () => {
    const byName = newNodeResourcesFit({ args: { ignoredResources: ['example.com/gpu', 'hugepages-2Mi'] } });
    assert.deepEqual(fit({}, { 'example.com/gpu': '1' }, [], byName), { code: 'Success', reasons: [] });
    assert.deepEqual(fit({}, { 'hugepages-2Mi': '2Mi' }, [], byName), { code: 'Unschedulable', reasons: ['Insufficient hugepages-2Mi'] });
    const byGroup = newNodeResourcesFit({ args: { ignoredResourceGroups: ['example.com'] } });
    assert.deepEqual(fit({}, { 'example.com/gpu': '1', 'other.io/fpga': '1' }, [], byGroup), { code: 'Unschedulable', reasons: ['Insufficient other.io/fpga'] });
  });

  it('uses the init-container peak', () => {
    const pod = makePod('p', {
      spec: {
        initContainers: [{ name: 'i', image: 'x', resources: { requests: { cpu: '2' } } }],
        containers: [{ name: 'c', image: 'x', resources: { requests: { cpu: '500m' } } }],
      },
    });
    assert.deepEqual(runFilter(plugin, pod, cluster([makeNode('n', { cpu: '1' })])).nodes.n, { code: 'Unschedulable', reasons: ['Insufficient cpu'] });
  });
});

describe('NodeResourcesFit score', () => {
  const nodes = () => cluster([makeNode('n1', { cpu: '4000m', memory: '10000' }), makeNode('n2', { cpu: '6000m', memory: '10000' })]);
  const pod = makePod('p', { requests: { cpu: '3000m', memory: '5000' } });

  it('LeastAllocated (default), Kubernetes example with differently sized nodes', () => {
    const r = runScore(newNodeResourcesFit(), pod, nodes());
    assert.deepEqual(r.raw, { n1: 37, n2: 50 });
    assert.deepEqual(r.normalized, { n1: 37, n2: 50 });
  });

  it('LeastAllocated uses the non-zero defaults for a pod without requests', () => {
    const r = runScore(newNodeResourcesFit(), makePod('p'), cluster([makeNode('n', { cpu: '4', memory: '8Gi' })]));
    assert.deepEqual(r.raw, { n: 97 });
  });

  it('LeastAllocated counts existing pods with their non-zero requests', () => {
    const snap = cluster([makeNode('n', { cpu: '1', memory: '1000Mi' })], [on('n', makePod('e'))]);
    // cpu: (1000-(100+500))*100/1000 = 40; memory: (1000-(200+100))Mi → 70.
    assert.deepEqual(runScore(newNodeResourcesFit(), makePod('p', { requests: { cpu: '500m', memory: '100Mi' } }), snap).raw, { n: 55 });
  });

  it('LeastAllocated: requests beyond capacity score 0 for that resource', () => {
    const r = runScore(newNodeResourcesFit(), makePod('p', { requests: { cpu: '5', memory: '5000' } }), nodes());
    assert.deepEqual(r.raw, { n1: 25, n2: 33 });
  });

  it('weights from the scoring strategy', () => {
    const p = newNodeResourcesFit({ args: { scoringStrategy: { type: 'LeastAllocated', resources: [{ name: 'cpu', weight: 3 }, { name: 'memory', weight: 1 }] } } });
    // n1: (25*3 + 50) / 4 = 31; n2: (50*3 + 50) / 4 = 50.
    assert.deepEqual(runScore(p, pod, nodes()).raw, { n1: 31, n2: 50 });
  });

  it('MostAllocated', () => {
    const p = newNodeResourcesFit({ args: { scoringStrategy: { type: 'MostAllocated' } } });
    assert.deepEqual(runScore(p, pod, nodes()).raw, { n1: 62, n2: 50 });
  });

  it('RequestedToCapacityRatio rounds the weighted mean', () => {
    const p = newNodeResourcesFit({
      args: { scoringStrategy: { type: 'RequestedToCapacityRatio', requestedToCapacityRatio: { shape: [{ utilization: 0, score: 10 }, { utilization: 100, score: 0 }] } } },
    });
    assert.deepEqual(runScore(p, pod, nodes()).raw, { n1: 38, n2: 50 });
    const packing = newNodeResourcesFit({
      args: { scoringStrategy: { type: 'RequestedToCapacityRatio', requestedToCapacityRatio: { shape: [{ utilization: 0, score: 0 }, { utilization: 100, score: 10 }] } } },
    });
    assert.deepEqual(runScore(packing, pod, nodes()).raw, { n1: 63, n2: 50 });
  });

  it('scores an extended resource only when the pod requests it', () => {
    const p = newNodeResourcesFit({ args: { scoringStrategy: { resources: [{ name: 'cpu', weight: 1 }, { name: 'example.com/gpu', weight: 1 }] } } });
    const snap = cluster([makeNode('g', { cpu: '4', extra: { 'example.com/gpu': '4' } })]);
    // cpu only: (4000-1000)*100/4000 = 75.
    assert.deepEqual(runScore(p, makePod('p', { requests: { cpu: '1' } }), snap).raw, { g: 75 });
    // cpu 75, gpu (4-3)*100/4 = 25 → 50.
    assert.deepEqual(runScore(p, makePod('p', { requests: { cpu: '1', 'example.com/gpu': '3' } }), snap).raw, { g: 50 });
  });
});

describe('brokenLinearFunction', () => {
  it('interpolates with Go integer division (truncation toward zero)', () => {
    const f = brokenLinearFunction([
      { utilization: 0, score: 100 },
      { utilization: 30, score: 0 },
    ]);
    assert.equal(f(10), 67);
    assert.equal(f(0), 100);
    assert.equal(f(50), 0);
    const g = brokenLinearFunction([
      { utilization: 20, score: 30 },
      { utilization: 60, score: 70 },
    ]);
    assert.equal(g(10), 30);
    assert.equal(g(45), 55);
    assert.equal(g(90), 70);
  });
});
