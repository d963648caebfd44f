import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultBridge, defaultNodeName, defaultPodCIDR } from './node-defaults.js';

test('pod CIDR and bridge are stable per name and differ between names', () => {
  assert.equal(defaultPodCIDR('node-a'), defaultPodCIDR('node-a'));
  assert.notEqual(defaultPodCIDR('node-a'), defaultPodCIDR('node-b'));
  assert.match(defaultPodCIDR('node-a'), /^10\.42\.([1-9]|[1-9]\d|1\d\d|2[0-4]\d|25[0-4])\.0\/24$/);
  assert.match(defaultBridge('node-a'), /^skiff[0-9a-f]{6}$/);
  assert.ok(defaultBridge('node-a').length <= 15);
  assert.notEqual(defaultBridge('node-a'), defaultBridge('node-b'));
});

test('the default node name is a DNS subdomain', () => {
  assert.match(defaultNodeName(), /^[a-z0-9]([a-z0-9.-]*[a-z0-9])?$/);
});
