import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { NodeSelector, PreferredSchedulingTerms, RequiredNodeAffinity, parseInt64 } from './node-selector.js';

const node = (name: string, labels: Record<string, string>) => ({ metadata: { name, labels } });

describe('node selector helpers', () => {
  it('parseInt64 follows strconv.ParseInt', () => {
    assert.equal(parseInt64('42'), 42n);
    assert.equal(parseInt64('+7'), 7n);
    assert.equal(parseInt64('-9223372036854775808'), -(2n ** 63n));
    assert.equal(parseInt64('9223372036854775808'), undefined);
    assert.equal(parseInt64('1.5'), undefined);
    assert.equal(parseInt64(''), undefined);
  });

  it('Gt/Lt compare as 64-bit integers, not strings', () => {
    const sel = new NodeSelector([{ matchExpressions: [{ key: 'gen', operator: 'Gt', values: ['9'] }] }]);
    assert.equal(sel.matches(node('a', { gen: '10' })), true);
    assert.equal(sel.matches(node('a', { gen: '9' })), false);
    assert.equal(sel.matches(node('a', { gen: '-1' })), false);
    assert.equal(sel.matches(node('a', {})), false);
  });

  it('invalid terms are dropped with an error, valid ones still match', () => {
    const sel = new NodeSelector([
      { matchExpressions: [{ key: 'a', operator: 'Exists', values: ['x'] }] },
      { matchExpressions: [{ key: 'b', operator: 'Bogus' }] },
      { matchExpressions: [{ key: 'c', operator: 'In', values: ['1'] }] },
    ]);
    assert.equal(sel.errors.length, 2);
    assert.equal(sel.matches(node('n', { a: 'x', b: 'y' })), false);
    assert.equal(sel.matches(node('n', { c: '1' })), true);
  });

  it('matchFields only knows metadata.name and needs exactly one value', () => {
    const sel = new NodeSelector([{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['a', 'b'] }] }]);
    assert.equal(sel.terms.length, 0);
    const other = new NodeSelector([{ matchFields: [{ key: 'spec.foo', operator: 'In', values: ['x'] }] }]);
    assert.equal(other.matches(node('x', {})), false);
  });

  it('RequiredNodeAffinity with an empty nodeSelector map matches everything', () => {
    assert.equal(new RequiredNodeAffinity({ spec: { nodeSelector: {} } }).matches(node('n', {})), true);
    assert.equal(new RequiredNodeAffinity({ spec: { nodeSelector: { a: 'b' } } }).matches(node('n', { a: 'c' })), false);
  });

  it('PreferredSchedulingTerms sums the weights of matching terms', () => {
    const t = new PreferredSchedulingTerms([
      { weight: 3, preference: { matchExpressions: [{ key: 'a', operator: 'Exists' }] } },
      { weight: 4, preference: { matchFields: [{ key: 'metadata.name', operator: 'In', values: ['n'] }] } },
    ]);
    assert.equal(t.score(node('n', { a: '' })), 7);
    assert.equal(t.score(node('m', {})), 0);
  });
});
