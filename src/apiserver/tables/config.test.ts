import { test } from 'node:test';
import assert from 'node:assert/strict';
import { configMapPrinter, namespacePrinter, podTemplatePrinter, secretPrinter, serviceAccountPrinter } from './config.js';
import { NOW, meta, D, M } from './test-helpers.js';

test('namespace rows', () => {
  assert.deepEqual(namespacePrinter.row({ metadata: meta('kube-system', 12 * D), status: { phase: 'Active' } }, NOW), ['kube-system', 'Active', '12d']);
  assert.deepEqual(namespacePrinter.row({ metadata: meta('old', 2 * M), status: { phase: 'Terminating' } }, NOW), ['old', 'Terminating', '2m']);
  assert.equal(namespacePrinter.row({ metadata: meta('fresh') }, NOW)[1], 'Active');
});

test('secret rows count data keys', () => {
  const s = { metadata: meta('tls', 3 * D), type: 'kubernetes.io/tls', data: { 'tls.crt': 'x', 'tls.key': 'y' } };
  assert.deepEqual(secretPrinter.row(s, NOW), ['tls', 'kubernetes.io/tls', 2, '3d']);
  assert.deepEqual(secretPrinter.row({ metadata: meta('empty', 3 * D) }, NOW), ['empty', 'Opaque', 0, '3d']);
});

test('configmap rows count data and binaryData', () => {
  const cm = { metadata: meta('cfg', 5 * M), data: { a: '1', b: '2' }, binaryData: { c: 'AA==' } };
  assert.deepEqual(configMapPrinter.row(cm, NOW), ['cfg', 3, '5m']);
  assert.deepEqual(configMapPrinter.row({ metadata: meta('kube-root-ca.crt', 5 * M) }, NOW), ['kube-root-ca.crt', 0, '5m']);
});

test('serviceaccount rows count secrets', () => {
  assert.deepEqual(serviceAccountPrinter.row({ metadata: meta('default', 5 * M) }, NOW), ['default', 0, '5m']);
  assert.deepEqual(serviceAccountPrinter.row({ metadata: meta('builder', 5 * M), secrets: [{ name: 'a' }, { name: 'b' }] }, NOW), ['builder', 2, '5m']);
});

test('podtemplate rows have no age', () => {
  const pt = { metadata: meta('t'), template: { metadata: { labels: { b: '2', a: '1' } }, spec: { containers: [{ name: 'c', image: 'i' }] } } };
  assert.deepEqual(podTemplatePrinter.row(pt, NOW), ['t', 'c', 'i', 'a=1,b=2']);
});
