import assert from 'node:assert/strict';
import { test } from 'node:test';
import { batchV1Types } from './batch.js';
import { checkTypes } from './index.js';
import { isMetaOrCore, typeLookup } from './test-lookup.js';

const BATCH = 'io.k8s.api.batch.v1.';
const outside = isMetaOrCore;

const { typeOf, fieldOf, protoMap } = typeLookup(batchV1Types, BATCH);

test('batch types are sound (refs resolve to batch, meta or core/v1)', () => {
  assert.deepEqual(checkTypes(batchV1Types, outside), []);
});

test('Job and CronJob kinds', () => {
  assert.deepEqual(typeOf('Job').gvk, { group: 'batch', version: 'v1', kind: 'Job' });
  assert.deepEqual(typeOf('CronJob').gvk, { group: 'batch', version: 'v1', kind: 'CronJob' });
  assert.deepEqual(protoMap('Job'), { metadata: 1, spec: 2, status: 3 });
  assert.deepEqual(protoMap('JobTemplateSpec'), { metadata: 1, spec: 2 });
  assert.equal(typeOf('JobTemplateSpec').gvk, undefined);
});

test('JobSpec proto numbers and pointers', () => {
  assert.deepEqual(protoMap('JobSpec'), {
    parallelism: 1,
    completions: 2,
    activeDeadlineSeconds: 3,
    podFailurePolicy: 11,
    successPolicy: 16,
    backoffLimit: 7,
    backoffLimitPerIndex: 12,
    maxFailedIndexes: 13,
    selector: 4,
    manualSelector: 5,
    template: 6,
    ttlSecondsAfterFinished: 8,
    completionMode: 9,
    suspend: 10,
    podReplacementPolicy: 14,
    managedBy: 15,
  });
  const nonPointer = typeOf('JobSpec').fields.filter((f) => !f.pointer).map((f) => f.json);
  assert.deepEqual(nonPointer, ['template']);
  assert.equal(fieldOf('JobSpec', 'template').required, true);
  assert.deepEqual(fieldOf('JobSpec', 'completionMode').type, { t: 'string', enum: ['Indexed', 'NonIndexed'] });
  assert.deepEqual(fieldOf('JobSpec', 'activeDeadlineSeconds').type, { t: 'int64' });
  assert.equal(fieldOf('JobSpec', 'backoffLimit').default, undefined); // depends on backoffLimitPerIndex
});

test('JobStatus', () => {
  assert.deepEqual(protoMap('JobStatus'), {
    conditions: 1,
    startTime: 2,
    completionTime: 3,
    active: 4,
    succeeded: 5,
    failed: 6,
    terminating: 11,
    completedIndexes: 7,
    failedIndexes: 10,
    uncountedTerminatedPods: 8,
    ready: 9,
  });
  const conditions = fieldOf('JobStatus', 'conditions');
  assert.equal(conditions.patchStrategy, 'merge');
  assert.equal(conditions.mergeKey, 'type');
  assert.equal(conditions.listType, 'atomic');
  assert.deepEqual(protoMap('JobCondition'), {
    type: 1,
    status: 2,
    lastProbeTime: 3,
    lastTransitionTime: 4,
    reason: 5,
    message: 6,
  });
  assert.equal(fieldOf('UncountedTerminatedPods', 'failed').listType, 'set');
});

test('pod failure and success policies', () => {
  assert.deepEqual(protoMap('PodFailurePolicyRule'), { action: 1, onExitCodes: 2, onPodConditions: 3 });
  assert.deepEqual(fieldOf('PodFailurePolicyRule', 'action').type, {
    t: 'string',
    enum: ['Count', 'FailIndex', 'FailJob', 'Ignore'],
  });
  assert.deepEqual(fieldOf('PodFailurePolicyOnExitCodesRequirement', 'values').type, { t: 'array', of: { t: 'int32' } });
  assert.equal(fieldOf('PodFailurePolicyOnExitCodesRequirement', 'values').listType, 'set');
  assert.equal(fieldOf('PodFailurePolicyOnExitCodesRequirement', 'containerName').pointer, true);
  assert.deepEqual(protoMap('PodFailurePolicyOnPodConditionsPattern'), { type: 1, status: 2 });
  assert.deepEqual(protoMap('SuccessPolicyRule'), { succeededIndexes: 1, succeededCount: 2 });
  assert.equal(fieldOf('SuccessPolicy', 'rules').required, true);
});

test('CronJobSpec and CronJobStatus', () => {
  assert.deepEqual(protoMap('CronJobSpec'), {
    schedule: 1,
    timeZone: 8,
    startingDeadlineSeconds: 2,
    concurrencyPolicy: 3,
    suspend: 4,
    jobTemplate: 5,
    successfulJobsHistoryLimit: 6,
    failedJobsHistoryLimit: 7,
  });
  assert.deepEqual(
    typeOf('CronJobSpec').fields.filter((f) => f.required).map((f) => f.json),
    ['schedule', 'jobTemplate'],
  );
  assert.deepEqual(fieldOf('CronJobSpec', 'concurrencyPolicy').type, { t: 'string', enum: ['Allow', 'Forbid', 'Replace'] });
  assert.equal(fieldOf('CronJobSpec', 'successfulJobsHistoryLimit').default, 3);
  assert.equal(fieldOf('CronJobSpec', 'failedJobsHistoryLimit').default, 1);
  assert.deepEqual(protoMap('CronJobStatus'), { active: 1, lastScheduleTime: 4, lastSuccessfulTime: 5 });
  assert.deepEqual(fieldOf('CronJobStatus', 'active').type, {
    t: 'array',
    of: { t: 'ref', name: 'io.k8s.api.core.v1.ObjectReference' },
  });
});
