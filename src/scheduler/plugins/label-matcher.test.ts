import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { matches, type Requirement } from '../../api/labels.js';
import { compileMatcher } from './label-matcher.js';

describe('compileMatcher', () => {
  const selectors: Record<string, Requirement[]> = {
    in1: [{ key: 'app', op: 'In', values: ['web'] }],
    inMany: [{ key: 'app', op: 'In', values: ['web', 'db'] }],
    notIn: [{ key: 'app', op: 'NotIn', values: ['web'] }],
    exists: [{ key: 'tier', op: 'Exists', values: [] }],
    missing: [{ key: 'tier', op: 'DoesNotExist', values: [] }],
    two: [
      { key: 'app', op: 'In', values: ['web'] },
      { key: 'tier', op: 'Exists', values: [] },
    ],
    three: [
      { key: 'app', op: 'NotIn', values: ['db'] },
      { key: 'tier', op: 'DoesNotExist', values: [] },
      { key: 'constructor', op: 'DoesNotExist', values: [] },
    ],
  };
  const labelSets: (Record<string, string> | undefined)[] = [undefined, {}, { app: 'web' }, { app: 'db', tier: 'x' }, { app: 'web', tier: '' }, { tier: 'y' }];

  for (const [name, reqs] of Object.entries(selectors)) {
    it(`${name} agrees with labels.matches on every label set`, () => {
      const m = compileMatcher(reqs);
      assert.deepEqual(labelSets.map((l) => m(l)), labelSets.map((l) => matches(reqs, l)));
    });
  }

  it('null selects nothing, [] everything', () => {
    assert.equal(compileMatcher(null)({ a: 'b' }), false);
    assert.equal(compileMatcher([])(undefined), true);
  });

  it('inherited object properties are not labels', () => {
    assert.equal(compileMatcher([{ key: 'toString', op: 'Exists', values: [] }])({}), false);
  });
});
