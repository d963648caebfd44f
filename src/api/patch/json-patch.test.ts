import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyJsonPatch, PatchError } from './json-patch.js';

const pod = () => ({
  metadata: { name: 'p', labels: { app: 'web', 'a/b': 'x', 'c~d': 'y' } },
  spec: { containers: [{ name: 'a', image: 'nginx' }, { name: 'b', image: 'redis' }] },
});

function rejects(fn: () => unknown, code: number, reason: string, message: string): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof PatchError);
    assert.equal(e.code, code);
    assert.equal(e.reason, reason);
    assert.equal(e.message, message);
    return true;
  });
}

const GENERIC_422 = 'the server rejected our request due to an error in our request';

test('add sets object keys, inserts into arrays and appends with "-"', () => {
  const out = applyJsonPatch(pod(), [
    { op: 'add', path: '/metadata/labels/tier', value: 'fe' },
    { op: 'add', path: '/spec/containers/1', value: { name: 'mid' } },
    { op: 'add', path: '/spec/containers/-', value: { name: 'last' } },
  ]);
  assert.deepEqual(out.metadata.labels, { app: 'web', 'a/b': 'x', 'c~d': 'y', tier: 'fe' });
  assert.deepEqual(
    out.spec.containers.map((c: any) => c.name),
    ['a', 'mid', 'b', 'last'],
  );
});

test('~1 and ~0 escapes address keys containing / and ~', () => {
  const out = applyJsonPatch(pod(), [
    { op: 'replace', path: '/metadata/labels/a~1b', value: 'X' },
    { op: 'remove', path: '/metadata/labels/c~0d' },
  ]);
  assert.deepEqual(out.metadata.labels, { app: 'web', 'a/b': 'X' });
});

test('remove, replace, move, copy and a passing test', () => {
  const out = applyJsonPatch(pod(), [
    { op: 'test', path: '/spec/containers/0/image', value: 'nginx' },
    { op: 'replace', path: '/spec/containers/0/image', value: 'nginx:2' },
    { op: 'copy', from: '/metadata/labels/app', path: '/metadata/labels/copied' },
    { op: 'move', from: '/metadata/labels/app', path: '/metadata/labels/moved' },
    { op: 'remove', path: '/spec/containers/1' },
  ]);
  assert.deepEqual(out, {
    metadata: { name: 'p', labels: { 'a/b': 'x', 'c~d': 'y', copied: 'web', moved: 'web' } },
    spec: { containers: [{ name: 'a', image: 'nginx:2' }] },
  });
});

test('the input object is never modified, even when a later op fails (atomic)', () => {
  const input = pod();
  const before = structuredClone(input);
  rejects(
    () =>
      applyJsonPatch(input, [
        { op: 'replace', path: '/metadata/name', value: 'changed' },
        { op: 'remove', path: '/spec/foo' },
      ]),
    422,
    'Invalid',
    GENERIC_422,
  );
  assert.deepEqual(input, before);
  const ok = applyJsonPatch(input, [{ op: 'replace', path: '/metadata/name', value: 'q' }]);
  assert.equal(ok.metadata.name, 'q');
  assert.equal(input.metadata.name, 'p');
});

test('failing operations give the generic 422 Invalid with empty details', () => {
  const cases: unknown[][] = [
    [{ op: 'remove', path: '/spec/nope' }],
    [{ op: 'replace', path: '/metadata/missing', value: 1 }],
    [{ op: 'add', path: '/spec/missing/child', value: 1 }],
    [{ op: 'add', path: '/spec/containers/5', value: {} }],
    [{ op: 'test', path: '/metadata/name', value: 'other' }],
    [{ op: 'frobnicate', path: '/metadata/name' }],
    [{ op: 'move', from: '/spec', path: '/spec/inner' }],
    [{ op: 'add', path: 'metadata', value: 1 }],
    [{ op: 'add', path: '/metadata/x' }],
  ];
  for (const patch of cases) {
    try {
      applyJsonPatch(pod(), patch);
      assert.fail(`expected failure for ${JSON.stringify(patch)}`);
    } catch (e) {
      assert.ok(e instanceof PatchError, JSON.stringify(patch));
      assert.equal(e.code, 422);
      assert.equal(e.message, GENERIC_422);
      assert.deepEqual(e.details, {});
    }
  }
});

test('negative array indexes count from the end', () => {
  const out = applyJsonPatch(pod(), [{ op: 'replace', path: '/spec/containers/-1/image', value: 'r2' }]);
  assert.equal(out.spec.containers[1].image, 'r2');
});

test('test op on a missing path matches only null', () => {
  const out = applyJsonPatch({ a: 1 }, [{ op: 'test', path: '/b', value: null }]);
  assert.deepEqual(out, { a: 1 });
});

test('empty path replaces the whole document', () => {
  assert.deepEqual(applyJsonPatch({ a: 1 }, [{ op: 'replace', path: '', value: { b: 2 } }]), { b: 2 });
});

test('a null body is an empty patch', () => {
  assert.deepEqual(applyJsonPatch({ a: 1 }, null), { a: 1 });
});

test('malformed bodies are 400 with the strict decoder message', () => {
  rejects(
    () => applyJsonPatch({}, { op: 'add' }),
    400,
    'BadRequest',
    'error decoding patch: json: cannot unmarshal object into Go value of type []handlers.jsonPatchOp',
  );
  rejects(
    () => applyJsonPatch({}, ['add']),
    400,
    'BadRequest',
    'error decoding patch: json: cannot unmarshal string into Go value of type handlers.jsonPatchOp',
  );
  rejects(
    () => applyJsonPatch({}, [{ op: 'add', path: 5 }]),
    400,
    'BadRequest',
    'error decoding patch: json: cannot unmarshal number into Go struct field jsonPatchOp.path of type string',
  );
});

test('values added are copies, not shared with the patch', () => {
  const value = { nested: [1] };
  const out = applyJsonPatch({}, [{ op: 'add', path: '/v', value }]);
  value.nested.push(2);
  assert.deepEqual(out, { v: { nested: [1] } });
});
