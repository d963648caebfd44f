import { test } from 'node:test';
import assert from 'node:assert/strict';
import { aggregateErrorsOf } from './aggregate.js';

test('aggregateErrorsOf: one as is, several bracketed and deduplicated', () => {
  assert.equal(aggregateErrorsOf([]), '');
  assert.equal(aggregateErrorsOf(['a']), 'a');
  assert.equal(aggregateErrorsOf(['a', 'a']), 'a');
  assert.equal(aggregateErrorsOf(['a', 'b', 'a']), '[a, b]');
});
