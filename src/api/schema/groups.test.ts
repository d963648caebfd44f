// coordination, events, autoscaling, scheduling and policy type descriptions.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { autoscalingV1Types } from './autoscaling.js';
import { coordinationV1Types } from './coordination.js';
import { eventsV1Types } from './events.js';
import { checkTypes } from './index.js';
import { META } from './meta.js';
import { policyV1Types } from './policy.js';
import { schedulingV1Types } from './scheduling.js';
import { isMetaOrCore, typeLookup } from './test-lookup.js';

const groups = [...coordinationV1Types, ...eventsV1Types, ...autoscalingV1Types, ...schedulingV1Types, ...policyV1Types];
const outside = isMetaOrCore;

const { typeOf, fieldOf, protoMap } = typeLookup(groups);

test('small groups are sound (refs resolve to themselves, meta or core/v1)', () => {
  assert.deepEqual(checkTypes(groups, outside), []);
});

test('Lease: spec fields are all pointers, times are microTime', () => {
  const spec = 'io.k8s.api.coordination.v1.LeaseSpec';
  assert.deepEqual(typeOf('io.k8s.api.coordination.v1.Lease').gvk, { group: 'coordination.k8s.io', version: 'v1', kind: 'Lease' });
  assert.deepEqual(protoMap('io.k8s.api.coordination.v1.Lease'), { metadata: 1, spec: 2 });
  assert.deepEqual(protoMap(spec), {
    holderIdentity: 1,
    leaseDurationSeconds: 2,
    acquireTime: 3,
    renewTime: 4,
    leaseTransitions: 5,
    strategy: 6,
    preferredHolder: 7,
  });
  assert.ok(typeOf(spec).fields.every((f) => f.pointer === true));
  assert.deepEqual(fieldOf(spec, 'acquireTime').type, { t: 'microTime' });
  assert.deepEqual(fieldOf(spec, 'renewTime').type, { t: 'microTime' });
  assert.deepEqual(fieldOf(spec, 'leaseDurationSeconds').type, { t: 'int32' });
});

test('events.k8s.io Event', () => {
  const ev = 'io.k8s.api.events.v1.Event';
  assert.deepEqual(typeOf(ev).gvk, { group: 'events.k8s.io', version: 'v1', kind: 'Event' });
  assert.deepEqual(protoMap(ev), {
    metadata: 1,
    eventTime: 2,
    series: 3,
    reportingController: 4,
    reportingInstance: 5,
    action: 6,
    reason: 7,
    regarding: 8,
    related: 9,
    note: 10,
    type: 11,
    deprecatedSource: 12,
    deprecatedFirstTimestamp: 13,
    deprecatedLastTimestamp: 14,
    deprecatedCount: 15,
  });
  assert.deepEqual(fieldOf(ev, 'eventTime').type, { t: 'microTime' });
  assert.equal(fieldOf(ev, 'eventTime').required, true);
  assert.deepEqual(fieldOf(ev, 'deprecatedFirstTimestamp').type, { t: 'time' });
  assert.deepEqual(fieldOf(ev, 'regarding').type, { t: 'ref', name: 'io.k8s.api.core.v1.ObjectReference' });
  assert.equal(fieldOf(ev, 'regarding').pointer, undefined);
  assert.equal(fieldOf(ev, 'related').pointer, true);
  assert.deepEqual(fieldOf(ev, 'deprecatedSource').type, { t: 'ref', name: 'io.k8s.api.core.v1.EventSource' });
  const series = 'io.k8s.api.events.v1.EventSeries';
  assert.deepEqual(protoMap(series), { count: 1, lastObservedTime: 2 });
  assert.deepEqual(fieldOf(series, 'lastObservedTime').type, { t: 'microTime' });
});

test('autoscaling/v1 Scale', () => {
  const scale = 'io.k8s.api.autoscaling.v1.Scale';
  assert.deepEqual(typeOf(scale).gvk, { group: 'autoscaling', version: 'v1', kind: 'Scale' });
  assert.deepEqual(protoMap(scale), { metadata: 1, spec: 2, status: 3 });
  assert.deepEqual(fieldOf('io.k8s.api.autoscaling.v1.ScaleSpec', 'replicas').type, { t: 'int32' });
  assert.equal(fieldOf('io.k8s.api.autoscaling.v1.ScaleSpec', 'replicas').pointer, undefined);
  assert.deepEqual(protoMap('io.k8s.api.autoscaling.v1.ScaleStatus'), { replicas: 1, selector: 2 });
  assert.equal(fieldOf('io.k8s.api.autoscaling.v1.ScaleStatus', 'replicas').required, true);
  assert.deepEqual(fieldOf('io.k8s.api.autoscaling.v1.ScaleStatus', 'selector').type, { t: 'string' });
});

test('scheduling.k8s.io PriorityClass', () => {
  const pc = 'io.k8s.api.scheduling.v1.PriorityClass';
  assert.deepEqual(typeOf(pc).gvk, { group: 'scheduling.k8s.io', version: 'v1', kind: 'PriorityClass' });
  assert.deepEqual(protoMap(pc), { metadata: 1, value: 2, globalDefault: 3, description: 4, preemptionPolicy: 5 });
  assert.equal(fieldOf(pc, 'value').required, true);
  assert.equal(fieldOf(pc, 'preemptionPolicy').pointer, true);
  assert.deepEqual(fieldOf(pc, 'preemptionPolicy').type, { t: 'string', enum: ['Never', 'PreemptLowerPriority'] });
});

test('policy/v1 PodDisruptionBudget and Eviction', () => {
  const spec = 'io.k8s.api.policy.v1.PodDisruptionBudgetSpec';
  const status = 'io.k8s.api.policy.v1.PodDisruptionBudgetStatus';
  assert.deepEqual(typeOf('io.k8s.api.policy.v1.PodDisruptionBudget').gvk, {
    group: 'policy',
    version: 'v1',
    kind: 'PodDisruptionBudget',
  });
  assert.deepEqual(protoMap(spec), { minAvailable: 1, selector: 2, maxUnavailable: 3, unhealthyPodEvictionPolicy: 4 });
  assert.deepEqual(fieldOf(spec, 'minAvailable').type, { t: 'intOrString' });
  assert.deepEqual(fieldOf(spec, 'maxUnavailable').type, { t: 'intOrString' });
  assert.equal(fieldOf(spec, 'selector').patchStrategy, 'replace');
  assert.deepEqual(protoMap(status), {
    observedGeneration: 1,
    disruptedPods: 2,
    disruptionsAllowed: 3,
    currentHealthy: 4,
    desiredHealthy: 5,
    expectedPods: 6,
    conditions: 7,
  });
  assert.deepEqual(fieldOf(status, 'disruptedPods').type, { t: 'map', of: { t: 'time' } });
  assert.deepEqual(fieldOf(status, 'conditions').type, { t: 'array', of: { t: 'ref', name: META + 'Condition' } });
  assert.equal(fieldOf(status, 'conditions').mergeKey, 'type');
  assert.deepEqual(protoMap('io.k8s.api.policy.v1.Eviction'), { metadata: 1, deleteOptions: 2 });
});
