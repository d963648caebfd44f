import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { newTaintToleration } from './taint-toleration.js';
import { toleratesTaint } from './taints.js';
import { cluster, makeNode, makePod, runFilter, runScore } from './test-helpers.js';

const gpuTaint = { key: 'dedicated', value: 'gpu', effect: 'NoSchedule' };

describe('toleratesTaint', () => {
  const cases: [string, Record<string, string>, boolean][] = [
    ['Equal with same key/value/effect', { key: 'dedicated', operator: 'Equal', value: 'gpu', effect: 'NoSchedule' }, true],
    ['empty operator means Equal', { key: 'dedicated', value: 'gpu' }, true],
    ['Equal with another value', { key: 'dedicated', operator: 'Equal', value: 'cpu' }, false],
    ['Exists on the key', { key: 'dedicated', operator: 'Exists' }, true],
    ['Exists with empty key tolerates everything', { operator: 'Exists' }, true],
    ['empty key with Equal only matches an equal value', { operator: 'Equal', value: 'gpu' }, true],
    ['other effect', { key: 'dedicated', operator: 'Exists', effect: 'NoExecute' }, false],
    ['other key', { key: 'other', operator: 'Exists' }, false],
    ['unknown operator', { key: 'dedicated', operator: 'Gt', value: 'gpu' }, false],
  ];
  for (const [name, tol, want] of cases) {
    it(name, () => assert.equal(toleratesTaint(tol, gpuTaint), want));
  }
});

describe('TaintToleration filter', () => {
  const snap = cluster([
    makeNode('clean'),
    makeNode('gpu', { taints: [gpuTaint] }),
    makeNode('evict', { taints: [{ key: 'maint', effect: 'NoExecute' }] }),
    makeNode('soft', { taints: [{ key: 'spot', value: 'true', effect: 'PreferNoSchedule' }] }),
  ]);
  const plugin = newTaintToleration();

  it('rejects untolerated NoSchedule and NoExecute taints, ignores PreferNoSchedule', () => {
    const run = runFilter(plugin, makePod('p'), snap);
    assert.deepEqual(run.nodes, {
      clean: { code: 'Success', reasons: [] },
      gpu: { code: 'UnschedulableAndUnresolvable', reasons: ['node(s) had untolerated taint {dedicated: gpu}'] },
      evict: { code: 'UnschedulableAndUnresolvable', reasons: ['node(s) had untolerated taint {maint: }'] },
      soft: { code: 'Success', reasons: [] },
    });
  });

  it('a matching toleration admits the pod', () => {
    const pod = makePod('p', { spec: { tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'gpu', effect: 'NoSchedule' }] } });
    const run = runFilter(plugin, pod, snap);
    assert.equal(run.nodes.gpu.code, 'Success');
    assert.equal(run.nodes.evict.code, 'UnschedulableAndUnresolvable');
  });

  it('reports the first untolerated taint in node order', () => {
    const s = cluster([makeNode('n', { taints: [{ key: 'a', value: '1', effect: 'NoSchedule' }, { key: 'b', value: '2', effect: 'NoSchedule' }] })]);
    const pod = makePod('p', { spec: { tolerations: [{ key: 'a', operator: 'Exists' }] } });
    assert.deepEqual(runFilter(plugin, pod, s).nodes.n.reasons, ['node(s) had untolerated taint {b: 2}']);
  });
});

describe('TaintToleration score', () => {
  const prefer = (key: string) => ({ key, value: 'x', effect: 'PreferNoSchedule' });
  const snap = cluster([
    makeNode('zero'),
    makeNode('one', { taints: [prefer('a')] }),
    makeNode('two', { taints: [prefer('a'), prefer('b'), { key: 'hard', effect: 'NoSchedule' }] }),
  ]);
  const plugin = newTaintToleration();

  it('counts intolerable PreferNoSchedule taints, normalised in reverse', () => {
    const r = runScore(plugin, makePod('p'), snap);
    assert.deepEqual(r.raw, { zero: 0, one: 1, two: 2 });
    assert.deepEqual(r.normalized, { zero: 100, one: 50, two: 0 });
  });

  it('tolerations with no effect or PreferNoSchedule count; NoSchedule tolerations do not', () => {
    const pod = makePod('p', {
      spec: { tolerations: [{ key: 'a', operator: 'Exists' }, { key: 'b', operator: 'Exists', effect: 'NoSchedule' }] },
    });
    const r = runScore(plugin, pod, snap);
    assert.deepEqual(r.raw, { zero: 0, one: 0, two: 1 });
    assert.deepEqual(r.normalized, { zero: 100, one: 100, two: 0 });
  });

  it('all zero → every node gets 100', () => {
    const r = runScore(plugin, makePod('p', { spec: { tolerations: [{ operator: 'Exists' }] } }), snap);
    assert.deepEqual(r.normalized, { zero: 100, one: 100, two: 100 });
  });

  it('integer division as in Go (3 taints max)', () => {
    const s = cluster([makeNode('a', { taints: [prefer('x')] }), makeNode('b', { taints: [prefer('x'), prefer('y'), prefer('z')] })]);
    assert.deepEqual(runScore(plugin, makePod('p'), s).normalized, { a: 67, b: 0 });
  });
});
