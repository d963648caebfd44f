import { test } from 'node:test';
import assert from 'node:assert/strict';
import { goJsonSyntaxError, summarizeBody } from './go-json.js';

test('valid JSON has no error', () => {
  for (const ok of ['{}', ' [ 1, -0.5e+3, "a\\u00e9\\n", true, false, null, {"k": []} ] ', '0', '"x"']) {
    assert.equal(goJsonSyntaxError(ok), undefined, ok);
  }
});

test('syntax errors use Go encoding/json wording', () => {
  const cases: [string, string][] = [
    ['{bad', "invalid character 'b' looking for beginning of object key string"],
    ['', 'unexpected end of JSON input'],
    ['   ', 'unexpected end of JSON input'],
    ['{"a":1', 'unexpected end of JSON input'],
    ['{"a" 1}', "invalid character '1' after object key"],
    ['{"a":1 "b":2}', `invalid character '"' after object key:value pair`],
    ['{"a":1,}', "invalid character '}' looking for beginning of object key string"],
    ['[1 2]', "invalid character '2' after array element"],
    ['[1,]', "invalid character ']' looking for beginning of value"],
    ['x', "invalid character 'x' looking for beginning of value"],
    ['{} x', "invalid character 'x' after top-level value"],
    ['01', "invalid character '1' after top-level value"],
    ['trx', "invalid character 'x' in literal true (expecting 'u')"],
    ['nul', 'unexpected end of JSON input'],
    ['"a\\q"', "invalid character 'q' in string escape code"],
    ['"\\u12g4"', "invalid character 'g' in \\u hexadecimal character escape"],
    ['"a\nb"', "invalid character '\\n' in string literal"],
    ['-a', "invalid character 'a' in numeric literal"],
    ['1.x', "invalid character 'x' after decimal point in numeric literal"],
    ['1ex', "invalid character 'x' in exponent of numeric literal"],
    ["{'a':1}", "invalid character '\\'' looking for beginning of object key string"],
  ];
  for (const [input, want] of cases) assert.equal(goJsonSyntaxError(input), want, JSON.stringify(input));
});

test('summarizeBody: text for objects, hex otherwise, cut at 30 bytes', () => {
  assert.equal(summarizeBody(Buffer.from('')), '<empty>');
  assert.equal(summarizeBody(Buffer.from('{bad')), '{bad');
  assert.equal(summarizeBody(Buffer.from('[]')), '5b5d');
  assert.equal(summarizeBody(Buffer.from(`{"a":"${'x'.repeat(40)}"}`)), `{"a":"${'x'.repeat(24)} ...`);
  assert.equal(summarizeBody(Buffer.from('a'.repeat(31))), `${'61'.repeat(30)} ...`);
});
