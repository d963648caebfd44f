import { test } from 'node:test';
import assert from 'node:assert/strict';
import { conditionText, RuntimeHealth } from './runtime-health.js';
import type { RuntimeCondition } from '../cri/api.js';

const ready = (type: string): RuntimeCondition => ({ type, status: true, reason: '', message: '' });
const netDown: RuntimeCondition = {
  type: 'NetworkReady',
  status: false,
  reason: 'NetworkPluginNotReady',
  message: 'Network plugin returns error: cni plugin not initialized',
};

test('conditionText matches Go %v of a runtime condition', () => {
  assert.equal(conditionText(netDown), 'NetworkReady=false reason:NetworkPluginNotReady message:Network plugin returns error: cni plugin not initialized');
  assert.equal(conditionText(undefined), '<nil>');
});

test('before any status: not completed yet, network unknown', () => {
  assert.deepEqual(new RuntimeHealth().errors(0), ['container runtime status check may not have completed yet', 'network state unknown']);
});

test('a ready runtime and network: no errors; stale after the threshold', () => {
  const h = new RuntimeHealth(30_000);
  h.observe([ready('RuntimeReady'), ready('NetworkReady')], 1000);
  assert.deepEqual(h.errors(1000), []);
  assert.deepEqual(h.errors(30_999), []);
  h.observe(new Error('connection refused'), 20_000);
  assert.deepEqual(h.errors(31_000), ['container runtime is down']);
});

test('network not ready gives the kubelet message', () => {
  const h = new RuntimeHealth();
  h.observe([ready('RuntimeReady'), netDown], 0);
  assert.deepEqual(h.errors(0), [
    'container runtime network not ready: NetworkReady=false reason:NetworkPluginNotReady message:Network plugin returns error: cni plugin not initialized',
  ]);
  h.observe([ready('RuntimeReady')], 1);
  assert.deepEqual(h.errors(1), ['container runtime network not ready: <nil>']);
  h.observe([ready('RuntimeReady'), ready('NetworkReady')], 2);
  assert.deepEqual(h.errors(2), []);
});

test('runtime not ready keeps the last network state and does not count as a sync', () => {
  const h = new RuntimeHealth(30_000);
  h.observe([{ type: 'RuntimeReady', status: false, reason: 'Broken', message: 'oops' }, ready('NetworkReady')], 0);
  assert.deepEqual(h.errors(0), [
    'container runtime status check may not have completed yet',
    'container runtime not ready: RuntimeReady=false reason:Broken message:oops',
    'network state unknown',
  ]);
});
