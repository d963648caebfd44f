import { test } from 'node:test';
import assert from 'node:assert/strict';
import { clusterRoleBindingPrinter, roleBindingPrinter } from './rbac.js';
import { NOW, meta, M } from './test-helpers.js';

test('rolebinding row lists users, groups and namespace/name service accounts', () => {
  const rb = {
    metadata: meta('read', 5 * M),
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'reader' },
    subjects: [
      { kind: 'User', name: 'alice' },
      { kind: 'Group', name: 'devs' },
      { kind: 'ServiceAccount', namespace: 'ci', name: 'builder' },
      { kind: 'User', name: 'bob' },
      { kind: 'Other', name: 'ignored' },
    ],
  };
  assert.deepEqual(roleBindingPrinter.row(rb, NOW), ['read', 'Role/reader', '5m', 'alice, bob', 'devs', 'ci/builder']);
});

test('clusterrolebinding without subjects', () => {
  const crb = { metadata: meta('admin', 5 * M), roleRef: { kind: 'ClusterRole', name: 'cluster-admin' } };
  assert.deepEqual(clusterRoleBindingPrinter.row(crb, NOW), ['admin', 'ClusterRole/cluster-admin', '5m', '', '', '']);
  assert.deepEqual(clusterRoleBindingPrinter.columns.map((c) => c.priority), [0, 0, 0, 1, 1, 1]);
});
