import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyMergePatch, mergePatchValue } from './merge-patch.js';
import { PatchError } from './json-patch.js';

test('RFC 7386 appendix examples', () => {
  const cases: [unknown, unknown, unknown][] = [
    [{ a: 'b' }, { a: 'c' }, { a: 'c' }],
    [{ a: 'b' }, { b: 'c' }, { a: 'b', b: 'c' }],
    [{ a: 'b' }, { a: null }, {}],
    [{ a: 'b', b: 'c' }, { a: null }, { b: 'c' }],
    [{ a: ['b'] }, { a: 'c' }, { a: 'c' }],
    [{ a: 'c' }, { a: ['b'] }, { a: ['b'] }],
    [{ a: { b: 'c' } }, { a: { b: 'd', c: null } }, { a: { b: 'd' } }],
    [{ a: [{ b: 'c' }] }, { a: [1] }, { a: [1] }],
    [['a', 'b'], ['c', 'd'], ['c', 'd']],
    [{ a: 'b' }, ['c'], ['c']],
    [{ e: null }, { a: 1 }, { e: null, a: 1 }],
    [[1, 2], { a: 'b', c: null }, { a: 'b' }],
    [{}, { a: { bb: { ccc: null } } }, { a: { bb: {} } }],
  ];
  for (const [target, patch, want] of cases) {
    assert.deepEqual(mergePatchValue(target, patch), want, JSON.stringify([target, patch]));
  }
});

test('kubectl label/annotate style patches', () => {
  const node = { metadata: { name: 'n', labels: { disk: 'hdd', zone: 'a' } }, spec: {} };
  assert.deepEqual(applyMergePatch(node, { metadata: { labels: { disk: 'ssd' } } }).metadata.labels, { disk: 'ssd', zone: 'a' });
  assert.deepEqual(applyMergePatch(node, { metadata: { labels: { disk: null } } }).metadata.labels, { zone: 'a' });
  assert.deepEqual(node.metadata.labels, { disk: 'hdd', zone: 'a' }, 'input untouched');
});

test('lists are replaced wholesale', () => {
  const pod = { spec: { containers: [{ name: 'a', image: 'x' }, { name: 'b' }] } };
  assert.deepEqual(applyMergePatch(pod, { spec: { containers: [{ name: 'a', image: 'y' }] } }), {
    spec: { containers: [{ name: 'a', image: 'y' }] },
  });
});

test('non-object bodies are refused like kube-apiserver', () => {
  const check = (body: unknown, message: string) =>
    assert.throws(
      () => applyMergePatch({}, body),
      (e: unknown) => e instanceof PatchError && e.code === 400 && e.reason === 'BadRequest' && e.message === message,
    );
  check(null, 'Invalid JSON Patch');
  check([1], 'error decoding patch: json: cannot unmarshal array into Go value of type map[string]interface {}');
  check('x', 'error decoding patch: json: cannot unmarshal string into Go value of type map[string]interface {}');
  check(3, 'error decoding patch: json: cannot unmarshal number into Go value of type map[string]interface {}');
  check(true, 'error decoding patch: json: cannot unmarshal bool into Go value of type map[string]interface {}');
});
