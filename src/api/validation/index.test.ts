import { test } from 'node:test';
import assert from 'node:assert/strict';
import { validateCreate, validateUpdate } from './index.js';
import { lines, makeDeployment, makePod } from './test-helpers.js';

test('dispatches by kind', () => {
  assert.deepEqual(lines(validateCreate('Pod', makePod({ restartPolicy: 'Sometimes' }))), [
    'spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"',
  ]);
  assert.deepEqual(lines(validateCreate('Deployment', makeDeployment({ app: 'x' }))), [
    'spec.template.metadata.labels: Invalid value: map[string]string{"app":"x"}: `selector` does not match template `labels`',
  ]);
});

test('unknown kinds get metadata checks only', () => {
  assert.deepEqual(lines(validateCreate('Widget', { metadata: {}, spec: { anything: true } })), ['metadata.name: Required value: name or generateName is required']);
  assert.deepEqual(validateCreate('Widget', { metadata: { name: 'w' } }), []);
  assert.deepEqual(lines(validateUpdate('Widget', { metadata: { name: 'w2' } }, { metadata: { name: 'w' } })), ['metadata.name: Invalid value: "w2": field is immutable']);
});

test('namespace scope comes from the resource table', () => {
  assert.deepEqual(lines(validateCreate('ConfigMap', { metadata: { name: 'c' } })), ['metadata.namespace: Required value']);
  assert.deepEqual(lines(validateCreate('Namespace', { metadata: { name: 'n', namespace: 'x' } })), ['metadata.namespace: Forbidden: not allowed on this type']);
});
