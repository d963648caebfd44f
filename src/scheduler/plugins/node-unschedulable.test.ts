import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { newNodeUnschedulable } from './node-unschedulable.js';
import { cluster, codes, makeNode, makePod, runFilter } from './test-helpers.js';

describe('NodeUnschedulable', () => {
  const snap = cluster([makeNode('ok'), makeNode('cordoned', { unschedulable: true })]);
  const plugin = newNodeUnschedulable();

  it('rejects cordoned nodes with the Kubernetes reason', () => {
    const run = runFilter(plugin, makePod('p'), snap);
    assert.deepEqual(run.nodes.cordoned, { code: 'UnschedulableAndUnresolvable', reasons: ['node(s) were unschedulable'] });
    assert.equal(run.nodes.ok.code, 'Success');
  });

  it('a toleration for node.kubernetes.io/unschedulable:NoSchedule lets the pod in', () => {
    const pod = makePod('p', { spec: { tolerations: [{ key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' }] } });
    assert.deepEqual(codes(runFilter(plugin, pod, snap)), { ok: 'Success', cordoned: 'Success' });
  });

  it('an Exists toleration with empty key tolerates it too', () => {
    const pod = makePod('p', { spec: { tolerations: [{ operator: 'Exists' }] } });
    assert.equal(runFilter(plugin, pod, snap).nodes.cordoned.code, 'Success');
  });

  it('a toleration for another effect does not', () => {
    const pod = makePod('p', { spec: { tolerations: [{ key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoExecute' }] } });
    assert.equal(runFilter(plugin, pod, snap).nodes.cordoned.code, 'UnschedulableAndUnresolvable');
  });
});
