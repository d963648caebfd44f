import { test } from 'node:test';
import assert from 'node:assert/strict';
import { validateDeployment, validateDeploymentUpdate, validateReplicaSet, validateReplicaSetUpdate } from './apps.js';
import { defaulted, lines, makeDeployment } from './test-helpers.js';

test('a defaulted deployment is valid', () => {
  assert.deepEqual(validateDeployment(makeDeployment()), []);
});

test('selector must match the template labels', () => {
  assert.deepEqual(lines(validateDeployment(makeDeployment({ app: 'x' }))), [
    'spec.template.metadata.labels: Invalid value: map[string]string{"app":"x"}: `selector` does not match template `labels`',
  ]);
});

test('a missing selector is required and matches nothing', () => {
  assert.deepEqual(lines(validateDeployment(makeDeployment({ app: 'x' }, null))), [
    'spec.selector: Required value',
    'spec.template.metadata.labels: Invalid value: map[string]string{"app":"x"}: `selector` does not match template `labels`',
  ]);
});

test('an empty selector is invalid', () => {
  assert.deepEqual(lines(validateDeployment(makeDeployment({ app: 'x' }, {}))), [
    'spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for deployment',
  ]);
});

test('matchExpressions are validated and evaluated', () => {
  const sel = { matchExpressions: [{ key: 'app', operator: 'In', values: ['web', 'api'] }] };
  assert.deepEqual(validateDeployment(makeDeployment({ app: 'api' }, sel)), []);
  const bad = { matchExpressions: [{ key: 'app', operator: 'In', values: [] }] };
  assert.deepEqual(lines(validateDeployment(makeDeployment({ app: 'api' }, bad))), [
    "spec.selector.matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'",
    'spec.template.metadata.labels: Invalid value: map[string]string{"app":"api"}: `selector` does not match template `labels`',
  ]);
  const op = { matchExpressions: [{ key: 'app', operator: 'Has' }] };
  assert.deepEqual(lines(validateDeployment(makeDeployment({ app: 'api' }, op)))[0], 'spec.selector.matchExpressions[0].operator: Invalid value: "Has": not a valid selector operator');
});

test('replicas must be non-negative; template restartPolicy must be Always', () => {
  const d = makeDeployment();
  d.spec.replicas = -1;
  d.spec.template.spec.restartPolicy = 'Never';
  assert.deepEqual(lines(validateDeployment(d)), [
    'spec.replicas: Invalid value: -1: must be greater than or equal to 0',
    'spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always"',
  ]);
});

test('strategy checks', () => {
  const d = makeDeployment();
  d.spec.strategy.rollingUpdate = { maxUnavailable: 0, maxSurge: 0 };
  assert.deepEqual(lines(validateDeployment(d)), ['spec.strategy.rollingUpdate.maxUnavailable: Invalid value: 0: may not be 0 when `maxSurge` is 0']);
  d.spec.strategy.rollingUpdate = { maxUnavailable: '150%', maxSurge: 'lots' };
  assert.deepEqual(lines(validateDeployment(d)), [
    "spec.strategy.rollingUpdate.maxSurge: Invalid value: lots: a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')",
    'spec.strategy.rollingUpdate.maxUnavailable: Invalid value: 150%: must not be greater than 100%',
  ]);
  d.spec.strategy = { type: 'Recreate', rollingUpdate: {} };
  assert.deepEqual(lines(validateDeployment(d)), ["spec.strategy.rollingUpdate: Forbidden: may not be specified when strategy `type` is 'Recreate'"]);
  d.spec.strategy = { type: 'BlueGreen' };
  assert.deepEqual(lines(validateDeployment(d)), [
    'spec.strategy: Unsupported value: apps.DeploymentStrategy{Type:"BlueGreen", RollingUpdate:(*apps.RollingUpdateDeployment)(nil)}: supported values: "Recreate", "RollingUpdate"',
  ]);
});

test('progressDeadlineSeconds must exceed minReadySeconds', () => {
  const d = makeDeployment();
  d.spec.minReadySeconds = 600;
  assert.deepEqual(lines(validateDeployment(d)), ['spec.progressDeadlineSeconds: Invalid value: 600: must be greater than minReadySeconds']);
});

test('update: selector is immutable', () => {
  const old = makeDeployment();
  const next = makeDeployment({ app: 'web2' }, { matchLabels: { app: 'web2' } });
  assert.deepEqual(lines(validateDeploymentUpdate(next, old)), [
    'spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"app":"web2"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable',
  ]);
  const scaled = structuredClone(old);
  scaled.spec.replicas = 5;
  assert.deepEqual(validateDeploymentUpdate(scaled, old), []);
});

const rs = (labels: Record<string, string>, selector: any) =>
  defaulted('ReplicaSet', {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name: 'web-abc', namespace: 'default' },
    spec: { selector, template: { metadata: { labels }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } },
  });

test('replica sets share the selector rules', () => {
  assert.deepEqual(validateReplicaSet(rs({ app: 'a' }, { matchLabels: { app: 'a' } })), []);
  assert.deepEqual(lines(validateReplicaSet(rs({ app: 'b' }, { matchLabels: { app: 'a' } }))), [
    'spec.template.metadata.labels: Invalid value: map[string]string{"app":"b"}: `selector` does not match template `labels`',
  ]);
  const old = rs({ app: 'a' }, { matchLabels: { app: 'a' } });
  const next = rs({ app: 'a', x: 'y' }, { matchLabels: { app: 'a', x: 'y' } });
  assert.equal(lines(validateReplicaSetUpdate(next, old))[0].endsWith(': field is immutable'), true);
});
