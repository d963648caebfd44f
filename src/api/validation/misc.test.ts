import { test } from 'node:test';
import assert from 'node:assert/strict';
import { validateJob, validateJobUpdate } from './batch.js';
import { validateLease, validatePriorityClass, validatePriorityClassUpdate } from './cluster-misc.js';
import { validateEndpoints, validateEvent, validateNamespace, validateNode, validateServiceAccount } from './core-misc.js';
import { defaulted, lines, LABEL_MSG, SUBDOMAIN_MSG } from './test-helpers.js';

const job = (spec: Record<string, any>) =>
  defaulted('Job', {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: 'pi', namespace: 'default', uid: 'uid-1' },
    spec: { template: { spec: { containers: [{ name: 'pi', image: 'perl' }], restartPolicy: 'Never' } }, ...spec },
  });

test('jobs: generated selector is valid; restartPolicy must be OnFailure or Never', () => {
  assert.deepEqual(validateJob(job({})), []);
  const j = job({ template: { spec: { containers: [{ name: 'pi', image: 'perl' }] } } });
  assert.equal(j.spec.template.spec.restartPolicy, 'Always');
  assert.deepEqual(lines(validateJob(j)), ['spec.template.spec.restartPolicy: Required value: valid values: "OnFailure", "Never"']);
});

test('jobs: counts and completion mode', () => {
  assert.deepEqual(lines(validateJob(job({ backoffLimit: -1, completionMode: 'Sometimes' }))), [
    'spec.backoffLimit: Invalid value: -1: must be greater than or equal to 0',
    'spec.completionMode: Unsupported value: "Sometimes": supported values: "NonIndexed", "Indexed"',
  ]);
  assert.deepEqual(lines(validateJob(job({ parallelism: 2, completionMode: 'Indexed' }))), ['spec.completions: Required value: when completion mode is Indexed']);
});

test('jobs: manual selector must match; selector immutable on update', () => {
  const j = job({ manualSelector: true, selector: { matchLabels: { a: 'b' } } });
  assert.deepEqual(lines(validateJob(j)), ['spec.template.metadata.labels: Invalid value: map[string]string(nil): `selector` does not match template `labels`']);
  const old = job({});
  const next = structuredClone(old);
  next.spec.selector = { matchLabels: { other: 'x' } };
  assert.equal(lines(validateJobUpdate(next, old)).includes(
    'spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"other":"x"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable',
  ), true);
  const suspended = structuredClone(old);
  suspended.spec.suspend = true;
  assert.deepEqual(validateJobUpdate(suspended, old), []);
});

test('namespaces: DNS label names, finalizer names', () => {
  assert.deepEqual(validateNamespace(defaulted('Namespace', { metadata: { name: 'team-a' } })), []);
  assert.deepEqual(lines(validateNamespace({ metadata: { name: 'team.a' } })), ['metadata.name: Invalid value: "team.a": must not contain dots']);
  assert.deepEqual(lines(validateNamespace({ metadata: { name: 'Team' } })), [`metadata.name: Invalid value: "Team": ${LABEL_MSG}`]);
  assert.deepEqual(lines(validateNamespace({ metadata: { name: 'a' }, spec: { finalizers: ['custom'] } })), [
    'spec.finalizers: Invalid value: "custom": name is neither a standard finalizer name nor is it fully qualified',
  ]);
});

test('nodes: taints (reported under metadata.taints)', () => {
  const node = { metadata: { name: 'node-1' }, spec: { taints: [{ key: 'k', effect: 'Bad' }, { key: 'k', value: 'v', effect: 'NoSchedule' }, { key: 'k', effect: 'NoSchedule' }] } };
  assert.deepEqual(lines(validateNode(node)), [
    'metadata.taints[0].effect: Unsupported value: "Bad": supported values: "NoSchedule", "PreferNoSchedule", "NoExecute"',
    'metadata.taints[2]: Duplicate value: core.Taint{Key:"k", Value:"", Effect:"NoSchedule", TimeAdded:<nil>}: taints must be unique by key and effect pair',
  ]);
  assert.deepEqual(lines(validateNode({ metadata: { name: 'n', namespace: 'x' } })), ['metadata.namespace: Forbidden: not allowed on this type']);
});

test('endpoints: addresses required, IPs valid and not special', () => {
  const ep = (subsets: any[]) => defaulted('Endpoints', { metadata: { name: 'web', namespace: 'default' }, subsets });
  assert.deepEqual(validateEndpoints(ep([{ addresses: [{ ip: '10.1.2.3' }], ports: [{ port: 80 }] }])), []);
  assert.deepEqual(lines(validateEndpoints(ep([{ ports: [{ port: 80 }] }]))), ['subsets[0]: Required value: must specify `addresses` or `notReadyAddresses`']);
  assert.deepEqual(lines(validateEndpoints(ep([{ addresses: [{ ip: 'x' }, { ip: '127.0.0.1' }] }]))), [
    'subsets[0].addresses[0].ip: Invalid value: "x": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)',
    'subsets[0].addresses[1].ip: Invalid value: "127.0.0.1": may not be in the loopback range (127.0.0.0/8, ::1/128)',
  ]);
});

test('core/v1 events only get the legacy namespace checks', () => {
  const ev = { apiVersion: 'v1', kind: 'Event', metadata: { name: 'x.123', namespace: 'default' }, involvedObject: { namespace: 'other' } };
  assert.deepEqual(lines(validateEvent(ev)), ['involvedObject.namespace: Invalid value: "other": does not match event.namespace']);
  assert.deepEqual(validateEvent({ ...ev, involvedObject: { namespace: 'default' } }), []);
});

test('events.k8s.io events are strict', () => {
  const ev = {
    apiVersion: 'events.k8s.io/v1',
    kind: 'Event',
    metadata: { name: 'x.1', namespace: 'default' },
    eventTime: '2024-01-01T00:00:00.000000Z',
    regarding: { namespace: 'default' },
    reportingController: 'example.com/ctl',
    reportingInstance: 'i',
    action: 'Do',
    reason: 'Because',
    type: 'Normal',
  };
  assert.deepEqual(validateEvent(ev), []);
  assert.deepEqual(lines(validateEvent({ ...ev, type: 'Odd', action: '' })), ['action: Required value', 'type: Invalid value: "": has invalid value: Odd']);
});

test('service accounts, leases and priority classes', () => {
  assert.deepEqual(lines(validateServiceAccount({ metadata: { name: 'Bad', namespace: 'd' } })), [`metadata.name: Invalid value: "Bad": ${SUBDOMAIN_MSG}`]);
  assert.deepEqual(lines(validateLease({ metadata: { name: 'l', namespace: 'd' }, spec: { leaseDurationSeconds: 0 } })), [
    'spec.leaseDurationSeconds: Invalid value: 0: must be greater than 0',
  ]);
  const pc = (name: string, value: number) => defaulted('PriorityClass', { metadata: { name }, value });
  assert.deepEqual(validatePriorityClass(pc('high', 1000)), []);
  assert.deepEqual(validatePriorityClass(pc('system-node-critical', 2000001000)), []);
  assert.deepEqual(lines(validatePriorityClass(pc('huge', 2000000000))), ['value: Forbidden: maximum allowed value of a user defined priority is 1000000000']);
  assert.deepEqual(lines(validatePriorityClass(pc('system-mine', 5))), [
    "metadata.name: Forbidden: priority class names with 'system-' prefix are reserved for system use only. error: system-mine is not a known system priority class",
  ]);
  assert.deepEqual(lines(validatePriorityClassUpdate(pc('high', 5), pc('high', 1000))), ['value: Forbidden: may not be changed in an update.']);
});
