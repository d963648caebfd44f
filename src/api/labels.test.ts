import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { compileLabelSelector, formatRequirements, matches, parseLabelSelector, SelectorParseError } from './labels.js';

describe('label selectors', () => {
  const cases: [string, Record<string, string>, boolean][] = [
    ['app=web', { app: 'web' }, true],
    ['app==web', { app: 'web' }, true],
    ['app=web', { app: 'db' }, false],
    ['app!=web', { app: 'db' }, true],
    ['app!=web', {}, true],
    ['app!=web', { app: 'web' }, false],
    ['app', { app: '' }, true],
    ['app', {}, false],
    ['!app', {}, true],
    ['!app', { app: 'x' }, false],
    ['env in (prod,dev)', { env: 'dev' }, true],
    ['env in (prod, dev)', { env: 'qa' }, false],
    ['env notin (prod,dev)', { env: 'qa' }, true],
    ['env notin (prod,dev)', {}, true],
    ['env notin (prod,dev)', { env: 'prod' }, false],
    ['app=web,tier=front', { app: 'web', tier: 'front' }, true],
    ['app=web,tier=front', { app: 'web' }, false],
    ['app=web, env in (a,b), !debug', { app: 'web', env: 'b' }, true],
    ['example.com/role=db', { 'example.com/role': 'db' }, true],
    ['', { anything: 'x' }, true],
  ];
  for (const [sel, labels, want] of cases) {
    it(`${JSON.stringify(sel)} on ${JSON.stringify(labels)} → ${want}`, () => {
      assert.equal(matches(parseLabelSelector(sel), labels), want);
    });
  }

  it('rejects malformed selectors', () => {
    for (const bad of ['app=', 'a b', '=x', 'app in', 'Bad Key=x', 'app=has space']) {
      if (bad === 'app=') continue; // empty value is legal: app= selects app with empty value
      assert.throws(() => parseLabelSelector(bad), SelectorParseError, bad);
    }
  });

  it('empty value selects empty labels', () => {
    assert.equal(matches(parseLabelSelector('app='), { app: '' }), true);
    assert.equal(matches(parseLabelSelector('app='), { app: 'x' }), false);
  });

  it('compiles LabelSelector structs; null selects nothing, empty everything', () => {
    assert.equal(compileLabelSelector(null), null);
    assert.deepEqual(compileLabelSelector({}), []);
    const r = compileLabelSelector({ matchLabels: { app: 'web' }, matchExpressions: [{ key: 'env', operator: 'NotIn', values: ['prod'] }] })!;
    assert.equal(matches(r, { app: 'web', env: 'dev' }), true);
    assert.equal(matches(r, { app: 'web', env: 'prod' }), false);
    assert.throws(() => compileLabelSelector({ matchExpressions: [{ key: 'a', operator: 'Gt' }] }));
  });

  it('formats like Kubernetes', () => {
    assert.equal(formatRequirements(parseLabelSelector('app=web,env in (b,a),!x,y')), 'app=web,env in (a,b),!x,y');
  });
});
