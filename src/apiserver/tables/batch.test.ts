import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cronJobPrinter, jobPrinter } from './batch.js';
import { NOW, ago, meta, S, M } from './test-helpers.js';
import type { JsonObject } from './table.js';

const template = { spec: { containers: [{ name: 'pi', image: 'perl:5.34' }] } };

function job(spec: JsonObject, status: JsonObject, metadata: JsonObject = meta('pi', 10 * M)): JsonObject {
  return { apiVersion: 'batch/v1', kind: 'Job', metadata, spec: { template, ...spec }, status };
}

test('completed job row', () => {
  const j = job(
    { completions: 1, parallelism: 1, selector: { matchLabels: { 'batch.kubernetes.io/controller-uid': 'abc' } } },
    {
      succeeded: 1,
      startTime: ago(10 * M),
      completionTime: ago(10 * M - 35 * S),
      conditions: [{ type: 'Complete', status: 'True' }],
    },
  );
  assert.deepEqual(jobPrinter.row(j, NOW), ['pi', 'Complete', '1/1', '35s', '10m', 'pi', 'perl:5.34', 'batch.kubernetes.io/controller-uid=abc']);
});

test('job status precedence', () => {
  const status = (conds: JsonObject[], metadata?: JsonObject) => jobPrinter.row(job({}, { conditions: conds }, metadata), NOW)[1];
  assert.equal(status([]), 'Running');
  assert.equal(status([{ type: 'Failed', status: 'True' }]), 'Failed');
  assert.equal(status([{ type: 'Complete', status: 'False' }, { type: 'Failed', status: 'True' }]), 'Failed');
  assert.equal(status([{ type: 'Suspended', status: 'True' }]), 'Suspended');
  assert.equal(status([{ type: 'Suspended', status: 'True' }], meta('pi', M, { deletionTimestamp: ago(0) })), 'Terminating');
  assert.equal(status([{ type: 'FailureTarget', status: 'True' }]), 'FailureTarget');
  assert.equal(status([{ type: 'Suspended', status: 'False' }]), 'Running');
});

test('job completions variants', () => {
  const completions = (spec: JsonObject, succeeded = 2) => jobPrinter.row(job(spec, { succeeded }), NOW)[2];
  assert.equal(completions({ completions: 5, parallelism: 2 }), '2/5');
  assert.equal(completions({ parallelism: 3 }), '2/1 of 3');
  assert.equal(completions({ parallelism: 1 }), '2/1');
  assert.equal(completions({}, 0), '0/1'); // defaulting: completions 1
});

test('job duration: running job measures to now; unstarted job is empty', () => {
  assert.equal(jobPrinter.row(job({}, { startTime: ago(4 * M + 10 * S) }), NOW)[3], '4m10s');
  assert.equal(jobPrinter.row(job({}, {}), NOW)[3], '');
});

test('cronjob row', () => {
  const cj = {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: meta('hello', 3 * 60 * M),
    spec: {
      schedule: '*/5 * * * *',
      timeZone: 'Etc/UTC',
      suspend: true,
      jobTemplate: { spec: { template } },
    },
    status: { active: [{ name: 'hello-1' }], lastScheduleTime: ago(2 * M) },
  };
  assert.deepEqual(cronJobPrinter.row(cj, NOW), ['hello', '*/5 * * * *', 'Etc/UTC', 'True', 1, '2m', '3h', 'pi', 'perl:5.34', '<none>']);
});

test('cronjob defaults: no time zone, suspend False, never scheduled', () => {
  const cj = { metadata: meta('c'), spec: { schedule: '@hourly', jobTemplate: { spec: { template } } }, status: {} };
  assert.deepEqual(cronJobPrinter.row(cj, NOW).slice(1, 6), ['@hourly', '<none>', 'False', 0, '<none>']);
  assert.deepEqual(
    cronJobPrinter.columns.map((c) => `${c.name}:${c.type}`),
    ['Name:string', 'Schedule:string', 'Timezone:string', 'Suspend:boolean', 'Active:integer', 'Last Schedule:string', 'Age:string', 'Containers:string', 'Images:string', 'Selector:string'],
  );
});
