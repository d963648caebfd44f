import assert from 'node:assert/strict';
import { test } from 'node:test';
import { expand, mappingFor } from './expansion.js';

const vars = mappingFor(new Map([['A', 'alpha'], ['B', 'beta'], ['EMPTY', '']]), new Map([['A', 'shadowed'], ['SVC', 'svc']]));

test('known references are replaced, earlier maps win', () => {
  assert.equal(expand('$(A)-$(B)', vars), 'alpha-beta');
  assert.equal(expand('x$(SVC)y', vars), 'xsvcy');
  assert.equal(expand('[$(EMPTY)]', vars), '[]');
});

test('unknown references stay as written', () => {
  assert.equal(expand('$(NOPE)', vars), '$(NOPE)');
  assert.equal(expand('$()', vars), '$()');
});

test('$$ escapes the operator', () => {
  assert.equal(expand('$$(A)', vars), '$(A)');
  assert.equal(expand('$$', vars), '$');
  assert.equal(expand('$$$(A)', vars), '$alpha');
  assert.equal(expand('a$$b', vars), 'a$b');
});

test('a lone or trailing $ and unterminated references are kept', () => {
  assert.equal(expand('$', vars), '$');
  assert.equal(expand('cost: 5$', vars), 'cost: 5$');
  assert.equal(expand('$A', vars), '$A');
  assert.equal(expand('$(A', vars), '$(A');
  assert.equal(expand('$(A $(B)', vars), '$(A $(B)');
});

test('text without references is unchanged', () => {
  assert.equal(expand('', vars), '');
  assert.equal(expand('plain (A)', vars), 'plain (A)');
});
