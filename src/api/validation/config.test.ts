import { test } from 'node:test';
import assert from 'node:assert/strict';
import { validateConfigMap, validateConfigMapUpdate, validateSecret, validateSecretUpdate, goJSONObjectError } from './config.js';
import { defaulted, lines } from './test-helpers.js';

const b64 = (s: string) => Buffer.from(s).toString('base64');
const secret = (extra: Record<string, any>) => defaulted('Secret', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's', namespace: 'default' }, ...extra });
const cm = (extra: Record<string, any>): any => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'default' }, ...extra });

test('secret data keys must be config keys', () => {
  assert.deepEqual(lines(validateSecret(secret({ data: { 'a b': b64('x') } }))), [
    "data[a b]: Invalid value: \"a b\": a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')",
  ]);
});

test('secret size cap is 1 MiB of decoded data', () => {
  assert.deepEqual(lines(validateSecret(secret({ data: { k: b64('x'.repeat(1024 * 1024 + 1)) } }))), ['data: Too long: must have at most 1048576 bytes']);
  assert.deepEqual(validateSecret(secret({ data: { k: b64('x'.repeat(1024 * 1024)) } })), []);
});

test('dockerconfigjson secrets need valid JSON', () => {
  const type = 'kubernetes.io/dockerconfigjson';
  assert.deepEqual(lines(validateSecret(secret({ type, data: {} }))), ['data[.dockerconfigjson]: Required value']);
  assert.deepEqual(lines(validateSecret(secret({ type, data: { '.dockerconfigjson': b64('nope') } }))), [
    `data[.dockerconfigjson]: Invalid value: "<secret contents redacted>": invalid character 'o' in literal null (expecting 'u')`,
  ]);
  assert.deepEqual(lines(validateSecret(secret({ type, data: { '.dockerconfigjson': b64('xyz') } }))), [
    `data[.dockerconfigjson]: Invalid value: "<secret contents redacted>": invalid character 'x' looking for beginning of value`,
  ]);
  assert.deepEqual(validateSecret(secret({ type, data: { '.dockerconfigjson': b64('{"auths":{}}') } })), []);
});

test('Go-style JSON errors', () => {
  assert.equal(goJSONObjectError(Buffer.from('')), 'unexpected end of JSON input');
  assert.equal(goJSONObjectError(Buffer.from('{"a":')), 'unexpected end of JSON input');
  assert.equal(goJSONObjectError(Buffer.from('[]')), 'json: cannot unmarshal array into Go value of type map[string]interface {}');
  assert.equal(goJSONObjectError(Buffer.from('{}')), undefined);
});

test('tls and basic-auth secrets need their keys; stringData counts', () => {
  assert.deepEqual(lines(validateSecret(secret({ type: 'kubernetes.io/tls', data: {} }))), ['data[tls.crt]: Required value', 'data[tls.key]: Required value']);
  assert.deepEqual(lines(validateSecret(secret({ type: 'kubernetes.io/basic-auth' }))), ['data[username]: Required value', 'data[password]: Required value']);
  assert.deepEqual(validateSecret(secret({ type: 'kubernetes.io/basic-auth', stringData: { username: 'u' } })), []);
  assert.deepEqual(lines(validateSecret(secret({ type: 'kubernetes.io/service-account-token' }))), [
    'metadata.annotations[kubernetes.io/service-account.name]: Required value',
  ]);
});

test('immutable secrets and secret type', () => {
  const old = secret({ immutable: true, data: { a: b64('1') } });
  const next = structuredClone(old);
  next.data.a = b64('2');
  assert.deepEqual(lines(validateSecretUpdate(next, old)), ['data: Forbidden: field is immutable when `immutable` is set']);
  const unfrozen = structuredClone(old);
  unfrozen.immutable = false;
  assert.deepEqual(lines(validateSecretUpdate(unfrozen, old)), ['immutable: Forbidden: field is immutable when `immutable` is set']);
  const retyped = secret({ data: {} });
  const old2 = secret({ data: {} });
  retyped.type = 'kubernetes.io/tls';
  assert.deepEqual(lines(validateSecretUpdate(retyped, old2)), [
    'type: Invalid value: "kubernetes.io/tls": field is immutable',
    'data[tls.crt]: Required value',
    'data[tls.key]: Required value',
  ]);
});

test('configmap keys, duplicates with binaryData, size', () => {
  assert.deepEqual(lines(validateConfigMap(cm({ data: { '..x': 'v' } }))), ["data[..x]: Invalid value: \"..x\": must not start with '..'"]);
  assert.deepEqual(lines(validateConfigMap(cm({ data: { k: 'v' }, binaryData: { k: b64('v') } }))), [
    'data[k]: Invalid value: "k": duplicate of key present in binaryData',
  ]);
  assert.deepEqual(lines(validateConfigMap(cm({ data: { k: 'x'.repeat(1024 * 1024 + 1) } }))), [': Too long: must have at most 1048576 bytes']);
});

test('immutable configmaps', () => {
  const old = cm({ immutable: true, data: { a: '1' } });
  const next = structuredClone(old);
  next.data.a = '2';
  assert.deepEqual(lines(validateConfigMapUpdate(next, old)), ['data: Forbidden: field is immutable when `immutable` is set']);
  assert.deepEqual(validateConfigMapUpdate(structuredClone(old), old), []);
});
