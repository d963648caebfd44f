import { test } from 'node:test';
import assert from 'node:assert/strict';
import { validateObjectMeta, validateObjectMetaUpdate, deepEqual } from './object-meta.js';
import { nameIsDNSSubdomain } from './names.js';
import { lines, SUBDOMAIN_MSG } from './test-helpers.js';

const opts = { namespaced: true, nameFn: nameIsDNSSubdomain };

test('name or generateName is required', () => {
  assert.deepEqual(lines(validateObjectMeta({ namespace: 'default' }, opts)), ['metadata.name: Required value: name or generateName is required']);
});

test('invalid name and generateName', () => {
  assert.deepEqual(lines(validateObjectMeta({ name: 'Demo', namespace: 'default' }, opts)), [`metadata.name: Invalid value: "Demo": ${SUBDOMAIN_MSG}`]);
  assert.deepEqual(lines(validateObjectMeta({ name: 'ok', generateName: 'Web-', namespace: 'default' }, opts)), [
    `metadata.generateName: Invalid value: "Web-": ${SUBDOMAIN_MSG}`,
  ]);
});

test('namespace required for namespaced kinds, forbidden for cluster-scoped ones', () => {
  assert.deepEqual(lines(validateObjectMeta({ name: 'a' }, opts)), ['metadata.namespace: Required value']);
  assert.deepEqual(lines(validateObjectMeta({ name: 'a', namespace: 'x' }, { namespaced: false, nameFn: nameIsDNSSubdomain })), [
    'metadata.namespace: Forbidden: not allowed on this type',
  ]);
});

test('label keys and values', () => {
  assert.deepEqual(lines(validateObjectMeta({ name: 'a', namespace: 'd', labels: { 'bad key': 'ok', good: 'bad value' } }, opts)), [
    "metadata.labels: Invalid value: \"bad key\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
    "metadata.labels: Invalid value: \"bad value\": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')",
  ]);
});

test('annotation keys are case-insensitive; total size is capped at 256 KiB', () => {
  assert.deepEqual(lines(validateObjectMeta({ name: 'a', namespace: 'd', annotations: { 'Example.COM/Key': 'v' } }, opts)), []);
  const big = { k: 'x'.repeat(256 * 1024) };
  assert.deepEqual(lines(validateObjectMeta({ name: 'a', namespace: 'd', annotations: big }, opts)), [
    'metadata.annotations: Too long: must have at most 262144 bytes',
  ]);
  const exact = { k: 'x'.repeat(256 * 1024 - 1) };
  assert.deepEqual(validateObjectMeta({ name: 'a', namespace: 'd', annotations: exact }, opts), []);
});

test('owner references need apiVersion, kind, name and uid', () => {
  assert.deepEqual(lines(validateObjectMeta({ name: 'a', namespace: 'd', ownerReferences: [{ apiVersion: 'apps/v1', kind: '', name: 'x' }] }, opts)), [
    'metadata.ownerReferences.kind: Invalid value: "": kind must not be empty',
    'metadata.ownerReferences.uid: Invalid value: "": uid must not be empty',
  ]);
});

test('finalizers must be qualified names', () => {
  assert.deepEqual(lines(validateObjectMeta({ name: 'a', namespace: 'd', finalizers: ['example.com/f', 'a/b/c'] }, opts)).length, 1);
});

test('update: name immutable, no new finalizers while deleting, generation not decremented', () => {
  const old = { name: 'a', namespace: 'd', uid: 'u1', generation: 3, deletionTimestamp: '2024-01-01T00:00:00Z', finalizers: ['x/a'] };
  assert.deepEqual(lines(validateObjectMetaUpdate({ ...old, name: 'b', generation: 2, finalizers: ['x/a', 'x/b'] }, old)), [
    'metadata.finalizers: Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers []string{"x/b"}',
    'metadata.generation: Invalid value: 2: must not be decremented',
    'metadata.name: Invalid value: "b": field is immutable',
  ]);
  assert.deepEqual(lines(validateObjectMetaUpdate({ ...old, uid: 'u2' }, old)), ['metadata.uid: Invalid value: "u2": field is immutable']);
  assert.deepEqual(validateObjectMetaUpdate({ name: 'a', namespace: 'd' }, old), []);
});

test('semantic equality treats empty and missing alike', () => {
  assert.equal(deepEqual({ a: [], b: {}, c: '' }, {}), true);
  assert.equal(deepEqual({ a: 0 }, {}), false);
  assert.equal(deepEqual({ a: [1, 2] }, { a: [2, 1] }), false);
  assert.equal(deepEqual({ x: { y: 1 } }, { x: { y: 1 } }), true);
});
