import { test } from 'node:test';
import assert from 'node:assert/strict';
import { eventPrinter } from './events.js';
import { NOW, ago, meta, S, M, H, D } from './test-helpers.js';

test('event columns: 1.32 order with wide-only columns marked', () => {
  assert.deepEqual(
    eventPrinter.columns.map((c) => `${c.name}:${c.priority}:${c.format}`),
    [
      'Last Seen:0:',
      'Type:0:',
      'Reason:0:',
      'Object:0:',
      'Subobject:1:',
      'Source:1:',
      'Message:0:',
      'First Seen:1:',
      'Count:1:',
      'Name:1:name',
    ],
  );
});

test('core/v1 event with legacy timestamps and source', () => {
  const ev = {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: meta('web-1.17c8a', 3 * D),
    involvedObject: { kind: 'Pod', name: 'web-1', namespace: 'default', fieldPath: 'spec.containers{nginx}' },
    reason: 'BackOff',
    message: '  Back-off restarting failed container\n',
    type: 'Warning',
    source: { component: 'kubelet', host: 'node-1' },
    firstTimestamp: ago(3 * D),
    lastTimestamp: ago(2 * D),
    count: 6,
  };
  assert.deepEqual(eventPrinter.row(ev, NOW), [
    '2d',
    'Warning',
    'BackOff',
    'pod/web-1',
    'spec.containers{nginx}',
    'kubelet, node-1',
    'Back-off restarting failed container',
    '3d',
    6,
    'web-1.17c8a',
  ]);
});

test('event without lastTimestamp uses firstTimestamp; without both uses eventTime', () => {
  const base = { apiVersion: 'v1', metadata: meta('e'), involvedObject: { kind: 'Node', name: 'node-1' }, type: 'Normal', reason: 'Starting', count: 1 };
  const firstOnly = eventPrinter.row({ ...base, firstTimestamp: ago(5 * M) }, NOW);
  assert.deepEqual([firstOnly[0], firstOnly[7]], ['5m', '5m']);
  const eventTimeOnly = eventPrinter.row({ ...base, eventTime: '2024-06-01T11:59:20.123456Z' }, NOW);
  assert.deepEqual([eventTimeOnly[0], eventTimeOnly[7]], ['39s', '39s']);
  const nothing = eventPrinter.row(base, NOW);
  assert.deepEqual([nothing[0], nothing[7]], ['<unknown>', '<unknown>']);
});

test('series overrides last seen and count', () => {
  const ev = {
    apiVersion: 'v1',
    metadata: meta('e'),
    involvedObject: { kind: 'Pod', name: 'p' },
    eventTime: ago(2 * H),
    series: { count: 12, lastObservedTime: ago(90 * S) },
    count: 3,
    reportingComponent: 'kubelet',
    reportingInstance: 'node-2',
  };
  const row = eventPrinter.row(ev, NOW);
  assert.deepEqual([row[0], row[5], row[7], row[8]], ['90s', 'kubelet, node-2', '120m', 12]);
});

test('count 0 without series prints 1; object without name prints only the kind; source without host', () => {
  const row = eventPrinter.row(
    { apiVersion: 'v1', metadata: meta('e'), involvedObject: { kind: 'ClusterRole' }, source: { component: 'rbac' }, lastTimestamp: ago(M) },
    NOW,
  );
  assert.deepEqual([row[3], row[5], row[8]], ['clusterrole', 'rbac', 1]);
});

test('events.k8s.io/v1 event reads regarding/note/deprecated fields', () => {
  const ev = {
    apiVersion: 'events.k8s.io/v1',
    kind: 'Event',
    metadata: meta('web.abc', 10 * M),
    regarding: { kind: 'Deployment', name: 'web', fieldPath: '' },
    note: 'Scaled up replica set web-5d4 to 3',
    reason: 'ScalingReplicaSet',
    type: 'Normal',
    eventTime: ago(10 * M),
    reportingController: 'deployment-controller',
    reportingInstance: '',
    deprecatedSource: { component: '' },
    deprecatedFirstTimestamp: ago(10 * M),
    deprecatedLastTimestamp: ago(4 * M),
    deprecatedCount: 2,
  };
  assert.deepEqual(eventPrinter.row(ev, NOW), [
    '4m',
    'Normal',
    'ScalingReplicaSet',
    'deployment/web',
    '',
    'deployment-controller',
    'Scaled up replica set web-5d4 to 3',
    '10m',
    2,
    'web.abc',
  ]);
});
