import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkTypes } from './index.js';
import { META, metaV1Types } from './meta.js';
import { typeLookup } from './test-lookup.js';

const { typeOf, fieldOf } = typeLookup(metaV1Types, META);

test('meta types are sound on their own (no outside references)', () => {
  assert.deepEqual(checkTypes(metaV1Types), []);
});

test('ObjectMeta proto numbers and JSON names, in declaration order', () => {
  assert.deepEqual(
    typeOf('ObjectMeta').fields.map((f) => [f.json, f.proto]),
    [
      ['name', 1],
      ['generateName', 2],
      ['namespace', 3],
      ['selfLink', 4],
      ['uid', 5],
      ['resourceVersion', 6],
      ['generation', 7],
      ['creationTimestamp', 8],
      ['deletionTimestamp', 9],
      ['deletionGracePeriodSeconds', 10],
      ['labels', 11],
      ['annotations', 12],
      ['ownerReferences', 13],
      ['finalizers', 14],
      ['managedFields', 17],
    ],
  );
});

test('ObjectMeta field shapes', () => {
  assert.deepEqual(fieldOf('ObjectMeta', 'creationTimestamp').type, { t: 'time' });
  assert.equal(fieldOf('ObjectMeta', 'creationTimestamp').pointer, undefined);
  assert.deepEqual(fieldOf('ObjectMeta', 'deletionTimestamp').type, { t: 'time' });
  assert.equal(fieldOf('ObjectMeta', 'deletionTimestamp').pointer, true);
  assert.deepEqual(fieldOf('ObjectMeta', 'deletionGracePeriodSeconds').type, { t: 'int64' });
  assert.equal(fieldOf('ObjectMeta', 'deletionGracePeriodSeconds').pointer, true);
  assert.deepEqual(fieldOf('ObjectMeta', 'generation').type, { t: 'int64' });
  assert.deepEqual(fieldOf('ObjectMeta', 'labels').type, { t: 'map', of: { t: 'string' } });
  assert.deepEqual(fieldOf('ObjectMeta', 'annotations').type, { t: 'map', of: { t: 'string' } });
  const owners = fieldOf('ObjectMeta', 'ownerReferences');
  assert.equal(owners.mergeKey, 'uid');
  assert.equal(owners.patchStrategy, 'merge');
  assert.equal(owners.listType, 'map');
  assert.deepEqual(owners.listMapKeys, ['uid']);
  const finalizers = fieldOf('ObjectMeta', 'finalizers');
  assert.equal(finalizers.patchStrategy, 'merge');
  assert.equal(finalizers.mergeKey, undefined);
  assert.equal(finalizers.listType, 'set');
  assert.deepEqual(fieldOf('ObjectMeta', 'managedFields').type, { t: 'array', of: { t: 'ref', name: META + 'ManagedFieldsEntry' } });
  assert.equal(fieldOf('ObjectMeta', 'managedFields').listType, 'atomic');
});

test('ManagedFieldsEntry: proto 5 is a tombstone, fieldsV1 and time are pointers', () => {
  assert.deepEqual(
    typeOf('ManagedFieldsEntry').fields.map((f) => [f.json, f.proto]),
    [
      ['manager', 1],
      ['operation', 2],
      ['apiVersion', 3],
      ['time', 4],
      ['fieldsType', 6],
      ['fieldsV1', 7],
      ['subresource', 8],
    ],
  );
  assert.deepEqual(fieldOf('ManagedFieldsEntry', 'fieldsV1').type, { t: 'fieldsV1' });
  assert.deepEqual(fieldOf('ManagedFieldsEntry', 'time').type, { t: 'time' });
  assert.equal(fieldOf('ManagedFieldsEntry', 'time').pointer, true);
});

test('OwnerReference: odd proto order, required identity, pointer bools', () => {
  assert.equal(fieldOf('OwnerReference', 'apiVersion').proto, 5);
  assert.equal(fieldOf('OwnerReference', 'kind').proto, 1);
  assert.equal(fieldOf('OwnerReference', 'name').proto, 3);
  assert.equal(fieldOf('OwnerReference', 'uid').proto, 4);
  assert.equal(fieldOf('OwnerReference', 'controller').proto, 6);
  assert.equal(fieldOf('OwnerReference', 'blockOwnerDeletion').proto, 7);
  assert.deepEqual(
    typeOf('OwnerReference').fields.filter((f) => f.required).map((f) => f.json),
    ['apiVersion', 'kind', 'name', 'uid'],
  );
  assert.equal(fieldOf('OwnerReference', 'controller').pointer, true);
  assert.equal(fieldOf('OwnerReference', 'blockOwnerDeletion').pointer, true);
  assert.equal(typeOf('OwnerReference').gvk, undefined);
});

test('ListMeta and LabelSelector', () => {
  assert.deepEqual(typeOf('ListMeta').fields.map((f) => [f.json, f.proto]), [
    ['selfLink', 1],
    ['resourceVersion', 2],
    ['continue', 3],
    ['remainingItemCount', 4],
  ]);
  assert.equal(fieldOf('ListMeta', 'remainingItemCount').pointer, true);
  assert.equal(fieldOf('LabelSelector', 'matchLabels').proto, 1);
  assert.equal(fieldOf('LabelSelector', 'matchExpressions').proto, 2);
  assert.deepEqual(fieldOf('LabelSelectorRequirement', 'values').type, { t: 'array', of: { t: 'string' } });
  assert.equal(fieldOf('LabelSelectorRequirement', 'key').required, true);
  assert.equal(fieldOf('LabelSelectorRequirement', 'operator').required, true);
});

test('Status is the v1 Status kind with the meta name', () => {
  const status = typeOf('Status');
  assert.deepEqual(status.gvk, { group: '', version: 'v1', kind: 'Status' });
  assert.deepEqual(status.fields.map((f) => [f.json, f.proto]), [
    ['apiVersion', 0],
    ['kind', 0],
    ['metadata', 1],
    ['status', 2],
    ['message', 3],
    ['reason', 4],
    ['details', 5],
    ['code', 6],
  ]);
  assert.deepEqual(fieldOf('Status', 'code').type, { t: 'int32' });
  assert.deepEqual(fieldOf('StatusDetails', 'causes').type, { t: 'array', of: { t: 'ref', name: META + 'StatusCause' } });
  assert.equal(fieldOf('StatusDetails', 'uid').proto, 6);
  assert.equal(fieldOf('StatusDetails', 'causes').proto, 4);
  assert.equal(fieldOf('StatusDetails', 'retryAfterSeconds').proto, 5);
  assert.deepEqual(typeOf('StatusCause').fields.map((f) => [f.json, f.proto]), [
    ['reason', 1],
    ['message', 2],
    ['field', 3],
  ]);
});

test('DeleteOptions and Preconditions', () => {
  assert.deepEqual(
    typeOf('DeleteOptions').fields.filter((f) => f.proto).map((f) => [f.json, f.proto, f.pointer ?? false]),
    [
      ['gracePeriodSeconds', 1, true],
      ['preconditions', 2, true],
      ['orphanDependents', 3, true],
      ['propagationPolicy', 4, true],
      ['dryRun', 5, false],
      ['ignoreStoreReadErrorWithClusterBreakingPotential', 6, true],
    ],
  );
  assert.equal(fieldOf('Preconditions', 'uid').pointer, true);
  assert.equal(fieldOf('Preconditions', 'resourceVersion').proto, 2);
});

test('Condition, WatchEvent and the JSON-only Table types', () => {
  assert.deepEqual(
    typeOf('Condition').fields.filter((f) => f.required).map((f) => f.json),
    ['type', 'status', 'lastTransitionTime', 'reason', 'message'],
  );
  assert.equal(fieldOf('Condition', 'observedGeneration').proto, 3);
  assert.deepEqual(fieldOf('WatchEvent', 'object').type, { t: 'raw' });
  assert.equal(fieldOf('WatchEvent', 'object').proto, 2);
  assert.equal(typeOf('WatchEvent').fields.some((f) => f.json === 'kind'), false);
  assert.deepEqual(typeOf('Table').gvk, { group: 'meta.k8s.io', version: 'v1', kind: 'Table' });
  assert.ok(typeOf('Table').fields.every((f) => f.proto === 0));
  assert.deepEqual(fieldOf('TableRow', 'cells').type, { t: 'array', of: { t: 'raw' } });
  assert.equal(fieldOf('PartialObjectMetadata', 'metadata').proto, 1);
});

test('discovery types', () => {
  assert.equal(fieldOf('APIResource', 'singularName').proto, 6);
  assert.equal(fieldOf('APIResource', 'group').proto, 8);
  assert.equal(fieldOf('APIResource', 'version').proto, 9);
  assert.equal(fieldOf('APIResource', 'storageVersionHash').proto, 10);
  assert.equal(fieldOf('APIGroup', 'serverAddressByClientCIDRs').proto, 4);
  assert.deepEqual(typeOf('APIGroupList').gvk, { group: '', version: 'v1', kind: 'APIGroupList' });
  assert.deepEqual(typeOf('APIVersions').gvk, { group: '', version: 'v1', kind: 'APIVersions' });
  assert.equal(fieldOf('GroupVersionForDiscovery', 'version').proto, 2);
});
