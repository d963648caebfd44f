import assert from 'node:assert/strict';
import { test } from 'node:test';
import { appsV1Types } from './apps.js';
import { checkTypes } from './index.js';
import { META } from './meta.js';
import { isMetaOrCore, typeLookup } from './test-lookup.js';

const APPS = 'io.k8s.api.apps.v1.';
const outside = isMetaOrCore;

const { typeOf, fieldOf, protoMap } = typeLookup(appsV1Types, APPS);

test('apps types are sound (refs resolve to apps, meta or core/v1)', () => {
  assert.deepEqual(checkTypes(appsV1Types, outside), []);
});

test('top-level kinds carry apps/v1 GVKs and metadata/spec/status 1/2/3', () => {
  for (const kind of ['Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet']) {
    assert.deepEqual(typeOf(kind).gvk, { group: 'apps', version: 'v1', kind });
    assert.deepEqual(protoMap(kind), { metadata: 1, spec: 2, status: 3 });
    assert.deepEqual(fieldOf(kind, 'metadata').type, { t: 'ref', name: META + 'ObjectMeta' });
  }
  assert.deepEqual(protoMap('ControllerRevision'), { metadata: 1, data: 2, revision: 3 });
  assert.deepEqual(fieldOf('ControllerRevision', 'data').type, { t: 'raw' });
  assert.equal(typeOf('DeploymentSpec').gvk, undefined);
});

test('DeploymentSpec', () => {
  assert.deepEqual(protoMap('DeploymentSpec'), {
    replicas: 1,
    selector: 2,
    template: 3,
    strategy: 4,
    minReadySeconds: 5,
    revisionHistoryLimit: 6,
    paused: 7,
    progressDeadlineSeconds: 9,
  });
  assert.equal(fieldOf('DeploymentSpec', 'replicas').pointer, true);
  assert.equal(fieldOf('DeploymentSpec', 'replicas').default, 1);
  assert.deepEqual(fieldOf('DeploymentSpec', 'selector').type, { t: 'ref', name: META + 'LabelSelector' });
  assert.equal(fieldOf('DeploymentSpec', 'selector').required, true);
  assert.deepEqual(fieldOf('DeploymentSpec', 'template').type, { t: 'ref', name: 'io.k8s.api.core.v1.PodTemplateSpec' });
  assert.equal(fieldOf('DeploymentSpec', 'strategy').patchStrategy, 'retainKeys');
  assert.equal(fieldOf('DeploymentSpec', 'minReadySeconds').pointer, undefined);
  assert.equal(fieldOf('DeploymentSpec', 'progressDeadlineSeconds').pointer, true);
  assert.equal(fieldOf('DeploymentSpec', 'revisionHistoryLimit').default, 10);
});

test('DeploymentStrategy and RollingUpdateDeployment', () => {
  assert.deepEqual(fieldOf('DeploymentStrategy', 'type').type, { t: 'string', enum: ['Recreate', 'RollingUpdate'] });
  assert.equal(fieldOf('DeploymentStrategy', 'rollingUpdate').proto, 2);
  assert.deepEqual(fieldOf('RollingUpdateDeployment', 'maxUnavailable').type, { t: 'intOrString' });
  assert.equal(fieldOf('RollingUpdateDeployment', 'maxSurge').proto, 2);
  assert.equal(fieldOf('RollingUpdateDeployment', 'maxSurge').default, '25%');
});

test('DeploymentStatus and DeploymentCondition', () => {
  assert.deepEqual(protoMap('DeploymentStatus'), {
    observedGeneration: 1,
    replicas: 2,
    updatedReplicas: 3,
    readyReplicas: 7,
    availableReplicas: 4,
    unavailableReplicas: 5,
    conditions: 6,
    collisionCount: 8,
  });
  const conditions = fieldOf('DeploymentStatus', 'conditions');
  assert.equal(conditions.patchStrategy, 'merge');
  assert.equal(conditions.mergeKey, 'type');
  assert.deepEqual(conditions.listMapKeys, ['type']);
  assert.equal(fieldOf('DeploymentStatus', 'collisionCount').pointer, true);
  assert.deepEqual(protoMap('DeploymentCondition'), {
    type: 1,
    status: 2,
    lastUpdateTime: 6,
    lastTransitionTime: 7,
    reason: 4,
    message: 5,
  });
});

test('ReplicaSet spec/status', () => {
  assert.deepEqual(protoMap('ReplicaSetSpec'), { replicas: 1, minReadySeconds: 4, selector: 2, template: 3 });
  assert.equal(fieldOf('ReplicaSetSpec', 'template').required, undefined);
  assert.deepEqual(protoMap('ReplicaSetStatus'), {
    replicas: 1,
    fullyLabeledReplicas: 2,
    readyReplicas: 4,
    availableReplicas: 5,
    observedGeneration: 3,
    conditions: 6,
  });
  assert.equal(fieldOf('ReplicaSetStatus', 'replicas').required, true);
  assert.deepEqual(protoMap('ReplicaSetCondition'), { type: 1, status: 2, lastTransitionTime: 3, reason: 4, message: 5 });
});

test('StatefulSet spec/status/strategy', () => {
  assert.deepEqual(protoMap('StatefulSetSpec'), {
    replicas: 1,
    selector: 2,
    template: 3,
    volumeClaimTemplates: 4,
    serviceName: 5,
    podManagementPolicy: 6,
    updateStrategy: 7,
    revisionHistoryLimit: 8,
    minReadySeconds: 9,
    persistentVolumeClaimRetentionPolicy: 10,
    ordinals: 11,
  });
  assert.equal(fieldOf('StatefulSetSpec', 'volumeClaimTemplates').listType, 'atomic');
  assert.deepEqual(fieldOf('StatefulSetSpec', 'podManagementPolicy').type, { t: 'string', enum: ['OrderedReady', 'Parallel'] });
  assert.equal(fieldOf('StatefulSetStatus', 'collisionCount').proto, 9);
  assert.equal(fieldOf('StatefulSetStatus', 'conditions').proto, 10);
  assert.equal(fieldOf('StatefulSetStatus', 'availableReplicas').proto, 11);
  assert.equal(fieldOf('RollingUpdateStatefulSetStrategy', 'partition').pointer, true);
  assert.deepEqual(fieldOf('RollingUpdateStatefulSetStrategy', 'maxUnavailable').type, { t: 'intOrString' });
  assert.deepEqual(protoMap('StatefulSetPersistentVolumeClaimRetentionPolicy'), { whenDeleted: 1, whenScaled: 2 });
});

test('DaemonSet spec/status/strategy', () => {
  assert.deepEqual(protoMap('DaemonSetSpec'), {
    selector: 1,
    template: 2,
    updateStrategy: 3,
    minReadySeconds: 4,
    revisionHistoryLimit: 6,
  });
  assert.deepEqual(fieldOf('DaemonSetUpdateStrategy', 'type').type, { t: 'string', enum: ['OnDelete', 'RollingUpdate'] });
  assert.deepEqual(
    typeOf('DaemonSetStatus').fields.filter((f) => f.required).map((f) => f.json),
    ['currentNumberScheduled', 'numberMisscheduled', 'desiredNumberScheduled', 'numberReady'],
  );
  assert.equal(fieldOf('DaemonSetStatus', 'conditions').proto, 10);
  assert.equal(fieldOf('RollingUpdateDaemonSet', 'maxSurge').proto, 2);
});
