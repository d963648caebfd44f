import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  controllerRevisionPrinter,
  leasePrinter,
  podDisruptionBudgetPrinter,
  priorityClassPrinter,
  runtimeClassPrinter,
  storageClassPrinter,
  webhookConfigurationPrinter,
} from './cluster.js';
import { NOW, meta, D, M } from './test-helpers.js';

test('lease rows', () => {
  assert.deepEqual(leasePrinter.row({ metadata: meta('node-1', 4 * D), spec: { holderIdentity: 'node-1' } }, NOW), ['node-1', 'node-1', '4d']);
  assert.deepEqual(leasePrinter.row({ metadata: meta('free', 4 * D), spec: {} }, NOW), ['free', '', '4d']);
});

test('priorityclass rows: integer value, boolean default, preemption policy', () => {
  assert.deepEqual(priorityClassPrinter.row({ metadata: meta('system-node-critical', 9 * D), value: 2000001000, globalDefault: false, preemptionPolicy: 'PreemptLowerPriority' }, NOW), [
    'system-node-critical',
    2000001000,
    false,
    '9d',
    'PreemptLowerPriority',
  ]);
  assert.deepEqual(priorityClassPrinter.row({ metadata: meta('batch', M), value: -5, globalDefault: true, preemptionPolicy: 'Never' }, NOW), ['batch', -5, true, '60s', 'Never']);
  assert.deepEqual(
    priorityClassPrinter.columns.map((c) => `${c.name}:${c.type}:${c.priority}`),
    ['Name:string:0', 'Value:integer:0', 'Global-Default:boolean:0', 'Age:string:0', 'PreemptionPolicy:string:0'],
  );
});

test('pdb rows: int-or-string bounds and N/A', () => {
  assert.deepEqual(podDisruptionBudgetPrinter.row({ metadata: meta('web', 5 * M), spec: { minAvailable: 2 }, status: { disruptionsAllowed: 1 } }, NOW), ['web', '2', 'N/A', 1, '5m']);
  assert.deepEqual(podDisruptionBudgetPrinter.row({ metadata: meta('db', 5 * M), spec: { maxUnavailable: '25%' }, status: {} }, NOW), ['db', 'N/A', '25%', 0, '5m']);
});

test('runtimeclass and webhook configuration rows', () => {
  assert.deepEqual(runtimeClassPrinter.row({ metadata: meta('gvisor', 5 * M), handler: 'runsc' }, NOW), ['gvisor', 'runsc', '5m']);
  assert.deepEqual(webhookConfigurationPrinter.row({ metadata: meta('hooks', 5 * M), webhooks: [{}, {}] }, NOW), ['hooks', 2, '5m']);
  assert.deepEqual(webhookConfigurationPrinter.row({ metadata: meta('none', 5 * M) }, NOW), ['none', 0, '5m']);
});

test('storageclass rows: default marker and defaults', () => {
  const sc = {
    metadata: meta('standard', 5 * M, { annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } }),
    provisioner: 'rancher.io/local-path',
    reclaimPolicy: 'Retain',
    volumeBindingMode: 'WaitForFirstConsumer',
    allowVolumeExpansion: true,
  };
  assert.deepEqual(storageClassPrinter.row(sc, NOW), ['standard (default)', 'rancher.io/local-path', 'Retain', 'WaitForFirstConsumer', true, '5m']);
  assert.deepEqual(storageClassPrinter.row({ metadata: meta('slow', 5 * M), provisioner: 'x' }, NOW), ['slow', 'x', 'Delete', 'Immediate', false, '5m']);
});

test('controllerrevision rows: controller as kind.group/name', () => {
  const owned = (apiVersion: string, kind: string) => ({
    metadata: meta('web-7d9', 5 * M, { ownerReferences: [{ apiVersion: 'v1', kind: 'Other', name: 'x' }, { apiVersion, kind, name: 'web', controller: true }] }),
    revision: 3,
  });
  assert.deepEqual(controllerRevisionPrinter.row(owned('apps/v1', 'StatefulSet'), NOW), ['web-7d9', 'statefulset.apps/web', 3, '5m']);
  assert.equal(controllerRevisionPrinter.row(owned('v1', 'Pod'), NOW)[1], 'pod/web');
  assert.equal(controllerRevisionPrinter.row({ metadata: meta('orphan'), revision: 1 }, NOW)[1], '<none>');
});
