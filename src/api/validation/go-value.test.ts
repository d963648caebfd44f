import { test } from 'node:test';
import assert from 'node:assert/strict';
import { goQuote, goStringMap, goStringSlice, renderGoValue } from './go-value.js';
import { duplicate, forbidden, invalid, notSupported, required, tooLong, tooMany } from './errors.js';

test('values render as Go prints them', () => {
  assert.equal(renderGoValue('a"b\\c'), '"a\\"b\\\\c"');
  assert.equal(goQuote('tab\there\n\x01é'), '"tab\\there\\n\\x01é"');
  assert.equal(renderGoValue(5), '5');
  assert.equal(renderGoValue(false), 'false');
  assert.equal(renderGoValue(null), 'null');
  assert.equal(goStringMap({ b: '2', a: '1' }).text, 'map[string]string{"a":"1", "b":"2"}');
  assert.equal(goStringMap(undefined).text, 'map[string]string(nil)');
  assert.equal(goStringSlice(['x', 'y']).text, '[]string{"x", "y"}');
});

test('error builders produce Kubernetes bodies and reasons', () => {
  assert.deepEqual(required('a.b'), { reason: 'FieldValueRequired', field: 'a.b', message: 'Required value' });
  assert.equal(required('a', 'why').message, 'Required value: why');
  assert.equal(invalid('f', 'x', 'bad').message, 'Invalid value: "x": bad');
  assert.equal(notSupported('f', 'x', ['a', 'b']).message, 'Unsupported value: "x": supported values: "a", "b"');
  assert.equal(notSupported('f', 'x', []).message, 'Unsupported value: "x"');
  assert.equal(duplicate('f', 'x').reason, 'FieldValueDuplicate');
  assert.equal(forbidden('f', 'nope').message, 'Forbidden: nope');
  assert.equal(tooLong('f', 10).message, 'Too long: must have at most 10 bytes');
  assert.equal(tooMany('f', 5, 3).message, 'Too many: 5: must have at most 3 items');
});
