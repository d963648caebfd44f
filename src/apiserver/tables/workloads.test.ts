import { test } from 'node:test';
import assert from 'node:assert/strict';
import { daemonSetPrinter, deploymentPrinter, replicaSetPrinter, replicationControllerPrinter, statefulSetPrinter } from './workloads.js';
import { NOW, meta, M, H } from './test-helpers.js';

const template = {
  metadata: { labels: { app: 'web' } },
  spec: { containers: [{ name: 'nginx', image: 'nginx:1.27' }, { name: 'sidecar', image: 'busybox' }] },
};

test('deployment row: ready/desired string, integers, selector text', () => {
  const d = {
    metadata: meta('web', 60 * M),
    spec: { replicas: 3, selector: { matchLabels: { app: 'web' } }, template },
    status: { replicas: 3, readyReplicas: 2, updatedReplicas: 3, availableReplicas: 2 },
  };
  assert.deepEqual(deploymentPrinter.row(d, NOW), ['web', '2/3', 3, 2, '60m', 'nginx,sidecar', 'nginx:1.27,busybox', 'app=web']);
});

test('deployment defaults: replicas 1, no status, empty selector prints ""', () => {
  const d = { metadata: meta('api', 5 * M), spec: { selector: {}, template: { spec: { containers: [{ name: 'c', image: 'i' }] } } } };
  assert.deepEqual(deploymentPrinter.row(d, NOW), ['api', '0/1', 0, 0, '5m', 'c', 'i', '']);
  const zero = { metadata: meta('z'), spec: { replicas: 0, template: {} }, status: {} };
  assert.deepEqual(deploymentPrinter.row(zero, NOW).slice(1, 4), ['0/0', 0, 0]);
});

test('deployment column types follow Kubernetes (string columns carrying numbers)', () => {
  assert.deepEqual(
    deploymentPrinter.columns.map((c) => `${c.name}:${c.type}:${c.priority}`),
    ['Name:string:0', 'Ready:string:0', 'Up-to-date:string:0', 'Available:string:0', 'Age:string:0', 'Containers:string:1', 'Images:string:1', 'Selector:string:1'],
  );
});

test('replicaset row and selector with expressions', () => {
  const rs = {
    metadata: meta('web-5d4f8', 2 * H),
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: 'web', 'pod-template-hash': '5d4f8' }, matchExpressions: [{ key: 'env', operator: 'In', values: ['b', 'a'] }] },
      template,
    },
    status: { replicas: 2, readyReplicas: 1 },
  };
  assert.deepEqual(replicaSetPrinter.row(rs, NOW), [
    'web-5d4f8',
    2,
    2,
    1,
    '120m',
    'nginx,sidecar',
    'nginx:1.27,busybox',
    'app=web,env in (a,b),pod-template-hash=5d4f8',
  ]);
  assert.equal(replicaSetPrinter.row({ metadata: meta('x'), spec: { template } }, NOW)[7], '<none>');
});

test('replicationcontroller uses a plain label map selector', () => {
  const rc = { metadata: meta('old', 10 * M), spec: { replicas: 2, selector: { app: 'old' }, template }, status: { replicas: 2, readyReplicas: 2 } };
  assert.deepEqual(replicationControllerPrinter.row(rc, NOW), ['old', 2, 2, 2, '10m', 'nginx,sidecar', 'nginx:1.27,busybox', 'app=old']);
});

test('statefulset row: ready/desired, no selector column', () => {
  const sts = { metadata: meta('db', 9 * M + 30 * 1000), spec: { replicas: 3, template }, status: { readyReplicas: 1 } };
  assert.deepEqual(statefulSetPrinter.row(sts, NOW), ['db', '1/3', '9m30s', 'nginx,sidecar', 'nginx:1.27,busybox']);
  assert.deepEqual(statefulSetPrinter.columns.map((c) => c.name), ['Name', 'Ready', 'Age', 'Containers', 'Images']);
});

test('daemonset row with node selector', () => {
  const ds = {
    metadata: meta('fluentd', 30 * M),
    spec: {
      selector: { matchLabels: { name: 'fluentd' } },
      template: { spec: { nodeSelector: { 'kubernetes.io/os': 'linux' }, containers: [{ name: 'f', image: 'fluentd:v1' }] } },
    },
    status: { desiredNumberScheduled: 3, currentNumberScheduled: 3, numberReady: 2, updatedNumberScheduled: 3, numberAvailable: 2 },
  };
  assert.deepEqual(daemonSetPrinter.row(ds, NOW), ['fluentd', 3, 3, 2, 3, 2, 'kubernetes.io/os=linux', '30m', 'f', 'fluentd:v1', 'name=fluentd']);
  const bare = daemonSetPrinter.row({ metadata: meta('x'), spec: { template: { spec: {} } } }, NOW);
  assert.deepEqual(bare.slice(1, 7), [0, 0, 0, 0, 0, '<none>']);
  assert.equal(daemonSetPrinter.columns[6].name, 'Node Selector');
  assert.equal(daemonSetPrinter.columns[6].priority, 0);
});
