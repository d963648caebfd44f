import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultTablePrinter, humanDuration, tablePrinters } from './index.js';
import { NOW } from './test-helpers.js';

test('registry covers the required resources under <group>/<resource> keys', () => {
  for (const key of [
    '/pods',
    '/nodes',
    '/namespaces',
    '/services',
    '/endpoints',
    '/secrets',
    '/configmaps',
    '/serviceaccounts',
    '/events',
    'events.k8s.io/events',
    'apps/deployments',
    'apps/replicasets',
    'apps/statefulsets',
    'apps/daemonsets',
    'batch/jobs',
    'batch/cronjobs',
    'coordination.k8s.io/leases',
    'scheduling.k8s.io/priorityclasses',
    'policy/poddisruptionbudgets',
  ]) {
    assert.ok(tablePrinters[key], `missing printer for ${key}`);
  }
});

test('every printer: exactly one name-format column and a cell per column', () => {
  for (const [key, printer] of Object.entries(tablePrinters)) {
    assert.equal(printer.columns.filter((c) => c.format === 'name').length, 1, key);
    const cells = printer.row({ metadata: { name: 'x', creationTimestamp: '2024-06-01T11:00:00Z' } }, NOW);
    assert.equal(cells.length, printer.columns.length, key);
    for (const c of printer.columns) {
      assert.ok(c.description.length > 0, `${key} ${c.name} has a description`);
      assert.ok(c.priority === 0 || c.priority === 1, `${key} ${c.name} priority`);
    }
  }
});

test('default printer: Name and Created At (date) in RFC 3339 UTC seconds', () => {
  const p = defaultTablePrinter();
  assert.deepEqual(
    p.columns.map((c) => [c.name, c.type, c.format, c.priority]),
    [
      ['Name', 'string', 'name', 0],
      ['Created At', 'date', '', 0],
    ],
  );
  assert.deepEqual(p.row({ metadata: { name: 'admin', creationTimestamp: '2024-05-01T08:09:10Z' } }, NOW), ['admin', '2024-05-01T08:09:10Z']);
  assert.deepEqual(p.row({ metadata: { name: 'x', creationTimestamp: '2024-05-01T10:09:10.750+02:00' } }, NOW), ['x', '2024-05-01T08:09:10Z']);
  assert.deepEqual(p.row({ metadata: { name: 'y' } }, NOW), ['y', '0001-01-01T00:00:00Z']);
});

test('humanDuration is re-exported', () => {
  assert.equal(humanDuration(125_000), '2m5s');
});
