import { test } from 'node:test';
import assert from 'node:assert/strict';
import { recordUpdate, serverSideApply, type ManagedFieldsEntry } from './server-side-apply.js';
import { PatchError } from './json-patch.js';
import { typeByName } from '../schema/index.js';

const POD = 'io.k8s.api.core.v1.Pod';
const T0 = new Date('2024-05-01T10:00:00.500Z');
const T1 = new Date('2024-05-01T10:05:00Z');
const T2 = new Date('2024-05-01T10:10:00Z');

const podConfig = (image: string, labels: Record<string, string> = { app: 'demo' }) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'demo', namespace: 'default', labels },
  spec: { containers: [{ name: 'main', image }] },
});

function apply(live: any, applied: any, manager = 'kubectl', opts: { force?: boolean; now?: Date } = {}) {
  return serverSideApply({
    live,
    applied,
    manager,
    force: opts.force ?? false,
    rootTypeName: POD,
    lookup: typeByName,
    apiVersion: 'v1',
    now: opts.now ?? T0,
  });
}

function update(old: any, next: any, manager: string, now = T1, subresource?: string): any {
  const managedFields = recordUpdate({ old, new: next, manager, apiVersion: 'v1', now, rootTypeName: POD, lookup: typeByName, subresource });
  const out = structuredClone(next);
  out.metadata.managedFields = managedFields;
  return out;
}

/** What the registry adds on create. */
const stored = (obj: any) => ({ ...obj, metadata: { ...obj.metadata, uid: 'u-1', resourceVersion: '5', creationTimestamp: '2024-05-01T09:00:00Z' } });

const entry = (mf: ManagedFieldsEntry[], manager: string, operation = 'Apply') => mf.find((e) => e.manager === manager && e.operation === operation);

test('apply creates the object and owns exactly the fields it sets', () => {
  const { object, managedFields } = apply(undefined, podConfig('busybox:1.36'));
  assert.deepEqual(object.spec, { containers: [{ name: 'main', image: 'busybox:1.36' }] });
  assert.deepEqual(managedFields, [
    {
      manager: 'kubectl',
      operation: 'Apply',
      apiVersion: 'v1',
      time: '2024-05-01T10:00:00Z',
      fieldsType: 'FieldsV1',
      fieldsV1: {
        'f:metadata': { 'f:labels': { 'f:app': {} } },
        'f:spec': { 'f:containers': { 'k:{"name":"main"}': { '.': {}, 'f:image': {}, 'f:name': {} } } },
      },
    },
  ]);
  assert.deepEqual(object.metadata.managedFields, managedFields);
});

test('re-apply by the same manager changes values without conflict and refreshes the time', () => {
  const live = stored(apply(undefined, podConfig('busybox:1.36')).object);
  const { object, managedFields } = apply(live, podConfig('busybox:1.37'), 'kubectl', { now: T2 });
  assert.equal(object.spec.containers[0].image, 'busybox:1.37');
  assert.equal(object.metadata.uid, 'u-1', 'server fields survive');
  assert.equal(managedFields.length, 1);
  assert.equal(managedFields[0].time, '2024-05-01T10:10:00Z');
});

test('a no-op re-apply keeps the old timestamp', () => {
  const live = stored(apply(undefined, podConfig('busybox:1.36')).object);
  const { managedFields } = apply(live, podConfig('busybox:1.36'), 'kubectl', { now: T2 });
  assert.equal(managedFields[0].time, '2024-05-01T10:00:00Z');
});

test('changing a field another manager owns is a 409 with Kubernetes message and causes', () => {
  const created = stored(apply(undefined, podConfig('busybox:1.36'), 'kubectl-client-side-apply').object);
  // Turn the creator into an Update manager, as client-side apply is.
  const live = structuredClone(created);
  delete live.metadata.managedFields;
  const withUpdate = update(undefined, live, 'kubectl-client-side-apply', T0);
  assert.throws(
    () => apply(withUpdate, podConfig('busybox:2')),
    (e: unknown) => {
      assert.ok(e instanceof PatchError);
      assert.equal(e.code, 409);
      assert.equal(e.reason, 'Conflict');
      assert.equal(
        e.message,
        'Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using v1: .spec.containers[name="main"].image',
      );
      assert.deepEqual(e.details, {
        causes: [
          {
            reason: 'FieldManagerConflict',
            message: 'conflict with "kubectl-client-side-apply" using v1',
            field: '.spec.containers[name="main"].image',
          },
        ],
      });
      return true;
    },
  );
});

test('several conflicts are listed per manager', () => {
  const live = stored(apply(undefined, podConfig('busybox:1.36', { app: 'demo', tier: 'web' }), 'other-applier').object);
  assert.throws(
    () => apply(live, podConfig('busybox:2', { app: 'demo', tier: 'db' })),
    (e: unknown) =>
      e instanceof PatchError &&
      e.message ===
        'Apply failed with 2 conflicts: conflicts with "other-applier":\n- .metadata.labels.tier\n- .spec.containers[name="main"].image' &&
      e.details?.causes?.length === 2 &&
      e.details.causes[0].field === '.metadata.labels.tier' &&
      e.details.causes[0].message === 'conflict with "other-applier"',
  );
});

test('setting the same value as another manager shares ownership instead of conflicting', () => {
  const live = stored(apply(undefined, podConfig('busybox:1.36'), 'a').object);
  const { managedFields } = apply(live, podConfig('busybox:1.36'), 'b');
  const image = (e?: ManagedFieldsEntry) => (e?.fieldsV1['f:spec'] as any)['f:containers']['k:{"name":"main"}']['f:image'];
  assert.deepEqual(image(entry(managedFields, 'a')), {});
  assert.deepEqual(image(entry(managedFields, 'b')), {});
});

test('force takes the conflicting field away from the other manager', () => {
  const live = stored(apply(undefined, podConfig('busybox:1.36'), 'a').object);
  const { object, managedFields } = apply(live, podConfig('busybox:2'), 'b', { force: true, now: T1 });
  assert.equal(object.spec.containers[0].image, 'busybox:2');
  const a = entry(managedFields, 'a')!;
  assert.deepEqual(a.fieldsV1, {
    'f:metadata': { 'f:labels': { 'f:app': {} } },
    'f:spec': { 'f:containers': { 'k:{"name":"main"}': { '.': {}, 'f:name': {} } } },
  });
  assert.ok(entry(managedFields, 'b'));
  assert.deepEqual(
    managedFields.map((e) => e.manager),
    ['a', 'b'],
    'sorted by time',
  );
});

test('a field the applier drops is removed unless someone else owns it', () => {
  const first = stored(apply(undefined, podConfig('x', { app: 'demo', tier: 'web', team: 'core' })).object);
  // Another manager takes co-ownership of "team" by setting it (same value, no change) via apply.
  const shared = apply(first, { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'demo', labels: { team: 'core' } } }, 'teams').object;
  const { object, managedFields } = apply(shared, podConfig('x', { app: 'demo' }), 'kubectl', { now: T2 });
  assert.deepEqual(object.metadata.labels, { app: 'demo', team: 'core' });
  assert.deepEqual(entry(managedFields, 'kubectl')!.fieldsV1['f:metadata'], { 'f:labels': { 'f:app': {} } });
});

test('dropping a whole container removes it; keyed list items keep their key fields', () => {
  const two = {
    ...podConfig('x'),
    spec: { containers: [{ name: 'main', image: 'x' }, { name: 'side', image: 'y', args: ['a'] }] },
  };
  const live = stored(apply(undefined, two).object);
  const { object } = apply(live, podConfig('x'), 'kubectl', { now: T1 });
  assert.deepEqual(object.spec.containers, [{ name: 'main', image: 'x' }]);

  // If another manager owns side's image, the item survives with just that and its key.
  const withOther = update(live, { ...live, spec: { containers: [live.spec.containers[0], { ...live.spec.containers[1], image: 'z' }] } }, 'kubectl-set');
  const pruned = apply(withOther, podConfig('x'), 'kubectl', { now: T2 }).object;
  assert.deepEqual(pruned.spec.containers, [{ name: 'main', image: 'x' }, { name: 'side', image: 'z' }]);
});

test('apply merges keyed lists by key and keeps fields it does not mention', () => {
  const live = stored(apply(undefined, podConfig('x'), 'a').object);
  live.spec.restartPolicy = 'Always';
  live.spec.containers[0].imagePullPolicy = 'IfNotPresent';
  const cfg = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'demo' }, spec: { containers: [{ name: 'side', image: 's' }] } };
  const { object } = apply(live, cfg, 'b');
  assert.deepEqual(object.spec, {
    containers: [
      { name: 'main', image: 'x', imagePullPolicy: 'IfNotPresent' },
      { name: 'side', image: 's' },
    ],
    restartPolicy: 'Always',
  });
});

test('ports are keyed by containerPort and protocol, with the protocol default filled in', () => {
  const cfg = { ...podConfig('x'), spec: { containers: [{ name: 'main', image: 'x', ports: [{ containerPort: 80 }] }] } };
  const { managedFields } = apply(undefined, cfg);
  const c = (managedFields[0].fieldsV1['f:spec'] as any)['f:containers']['k:{"name":"main"}'];
  assert.deepEqual(c['f:ports'], { 'k:{"containerPort":80,"protocol":"TCP"}': { '.': {}, 'f:containerPort': {} } });
});

test('an object without managedFields hands its fields to before-first-apply', () => {
  const live = stored(podConfig('old'));
  assert.throws(
    () => apply(live, podConfig('new')),
    (e: unknown) =>
      e instanceof PatchError &&
      e.message === 'Apply failed with 1 conflict: conflict with "before-first-apply" using v1: .spec.containers[name="main"].image',
  );
  const { managedFields } = apply(live, podConfig('old'));
  assert.deepEqual(
    managedFields.map((e) => [e.manager, e.operation]),
    [
      ['kubectl', 'Apply'],
      ['before-first-apply', 'Update'],
    ],
  );
});

test('recordUpdate: create records everything the creator set, like kubectl create', () => {
  const pod = stored(podConfig('busybox'));
  const mf = recordUpdate({ old: undefined, new: pod, manager: 'kubectl-create', apiVersion: 'v1', now: T0, rootTypeName: POD, lookup: typeByName });
  assert.deepEqual(mf, [
    {
      manager: 'kubectl-create',
      operation: 'Update',
      apiVersion: 'v1',
      time: '2024-05-01T10:00:00Z',
      fieldsType: 'FieldsV1',
      fieldsV1: {
        'f:metadata': { 'f:labels': { '.': {}, 'f:app': {} } },
        'f:spec': {
          'f:containers': { 'k:{"name":"main"}': { '.': {}, 'f:image': {}, 'f:name': {}, 'f:resources': {} } },
        },
      },
    },
  ]);
});

test('recordUpdate: a merge-patch label change moves the field to the patching manager', () => {
  const created = update(undefined, stored(podConfig('busybox')), 'kubectl-create', T0);
  const labelled = structuredClone(created);
  labelled.metadata.labels = { app: 'other', disk: 'ssd' };
  const after = update(created, labelled, 'kubectl-label', T1);
  const mf: ManagedFieldsEntry[] = after.metadata.managedFields;
  assert.deepEqual(
    mf.map((e) => e.manager),
    ['kubectl-create', 'kubectl-label'],
  );
  // Still owns the labels map itself, now with no owned entries: a bare leaf.
  assert.deepEqual(mf[0].fieldsV1['f:metadata'], { 'f:labels': {} });
  assert.deepEqual(mf[1].fieldsV1, { 'f:metadata': { 'f:labels': { 'f:app': {}, 'f:disk': {} } } });
  assert.equal(mf[1].time, '2024-05-01T10:05:00Z');

  // Removing the label takes it away from everyone.
  const unlabelled = structuredClone(after);
  delete unlabelled.metadata.labels.disk;
  const mf2: ManagedFieldsEntry[] = update(after, unlabelled, 'kubectl-label', T2).metadata.managedFields;
  assert.deepEqual(entry(mf2, 'kubectl-label', 'Update')!.fieldsV1, { 'f:metadata': { 'f:labels': { 'f:app': {} } } });
});

test('recordUpdate: a write that changes nothing leaves managedFields as they were', () => {
  const created = update(undefined, stored(podConfig('busybox')), 'kubectl-create', T0);
  const mf = recordUpdate({ old: created, new: structuredClone(created), manager: 'someone', apiVersion: 'v1', now: T2, rootTypeName: POD, lookup: typeByName });
  assert.deepEqual(mf, created.metadata.managedFields);
});

test('recordUpdate: [{}] from the client wipes managedFields', () => {
  const created = update(undefined, stored(podConfig('busybox')), 'kubectl-create', T0);
  const next = structuredClone(created);
  next.metadata.managedFields = [{}];
  assert.deepEqual(recordUpdate({ old: created, new: next, manager: 'm', apiVersion: 'v1', now: T1, rootTypeName: POD, lookup: typeByName }), []);
});

test('recordUpdate: status subresource writes own only status and say so', () => {
  const created = update(undefined, stored(podConfig('busybox')), 'kubectl-create', T0);
  const next = structuredClone(created);
  next.status = { phase: 'Running' };
  next.metadata.labels.sneaky = 'x';
  const mf: ManagedFieldsEntry[] = update(created, next, 'kubelet', T1, 'status').metadata.managedFields;
  const kubelet = entry(mf, 'kubelet', 'Update')!;
  assert.deepEqual(kubelet.fieldsV1, { 'f:status': { 'f:phase': {} } });
  assert.equal(kubelet.subresource, 'status');
  assert.deepEqual(Object.keys(kubelet), ['manager', 'operation', 'apiVersion', 'time', 'fieldsType', 'fieldsV1', 'subresource']);
});

test('recordUpdate keeps the bookkeeping serverSideApply did for the same write', () => {
  const live = stored(apply(undefined, podConfig('a'), 'a').object);
  const { object } = apply(live, podConfig('b'), 'kubectl', { now: T1, force: true });
  const mf = recordUpdate({ old: live, new: object, manager: 'kubectl', apiVersion: 'v1', now: T1, rootTypeName: POD, lookup: typeByName });
  assert.deepEqual(mf, object.metadata.managedFields);
  assert.equal(mf.some((e) => e.operation === 'Update'), false);
});

test('status is never owned through the main resource', () => {
  const cfg = { ...podConfig('x'), status: { phase: 'Running' } };
  const { managedFields } = apply(undefined, cfg);
  assert.equal('f:status' in managedFields[0].fieldsV1, false);
});
