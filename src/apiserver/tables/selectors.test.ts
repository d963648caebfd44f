import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deploymentSelector, formatLabelSelector, formatLabels } from './selectors.js';

test('formatLabels sorts keys and uses <none> when empty', () => {
  assert.equal(formatLabels({ tier: 'web', app: 'shop' }), 'app=shop,tier=web');
  assert.equal(formatLabels({}), '<none>');
  assert.equal(formatLabels(undefined), '<none>');
  assert.equal(formatLabels({ 'k8s.io/x': '' }), 'k8s.io/x=');
});

test('formatLabelSelector: matchLabels', () => {
  assert.equal(formatLabelSelector({ matchLabels: { app: 'web' } }), 'app=web');
  assert.equal(formatLabelSelector({ matchLabels: { z: '1', a: '2' } }), 'a=2,z=1');
});

test('formatLabelSelector: expressions, values sorted, requirements sorted by key', () => {
  assert.equal(
    formatLabelSelector({
      matchLabels: { tier: 'fe' },
      matchExpressions: [
        { key: 'env', operator: 'In', values: ['prod', 'dev'] },
        { key: 'zone', operator: 'NotIn', values: ['b', 'a'] },
        { key: 'canary', operator: 'DoesNotExist' },
        { key: 'beta', operator: 'Exists' },
      ],
    }),
    'beta,!canary,env in (dev,prod),tier=fe,zone notin (a,b)',
  );
});

test('formatLabelSelector: empty and missing selectors are <none>', () => {
  assert.equal(formatLabelSelector({}), '<none>');
  assert.equal(formatLabelSelector({ matchLabels: {}, matchExpressions: [] }), '<none>');
  assert.equal(formatLabelSelector(undefined), '<none>');
});

test('formatLabelSelector: invalid selectors are <error>', () => {
  assert.equal(formatLabelSelector({ matchExpressions: [{ key: 'a', operator: 'Gt', values: ['1'] }] }), '<error>');
  assert.equal(formatLabelSelector({ matchExpressions: [{ key: 'a', operator: 'In', values: [] }] }), '<error>');
  assert.equal(formatLabelSelector({ matchExpressions: [{ key: 'a', operator: 'Exists', values: ['x'] }] }), '<error>');
  assert.equal(formatLabelSelector({ matchLabels: { 'bad key': 'v' } }), '<error>');
  assert.equal(formatLabelSelector({ matchLabels: { k: 'bad value!' } }), '<error>');
});

test('deploymentSelector: empty is "", invalid is <invalid>', () => {
  assert.equal(deploymentSelector({ matchLabels: { app: 'web' } }), 'app=web');
  assert.equal(deploymentSelector({}), '');
  assert.equal(deploymentSelector(undefined), '');
  assert.equal(deploymentSelector({ matchExpressions: [{ key: 'a', operator: 'Nope' }] }), '<invalid>');
});
