import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nodeInternalIP, podCIDR, podSubnetPrefix, PodIPAllocator } from './addresses.js';
import { MAX_NODES } from './options.js';

test('node InternalIPs count up from 10.200.0.1 across octets', () => {
  assert.equal(nodeInternalIP(0), '10.200.0.1');
  assert.equal(nodeInternalIP(254), '10.200.0.255');
  assert.equal(nodeInternalIP(255), '10.200.1.0');
  assert.equal(nodeInternalIP(9999), '10.200.39.16');
});

test('pod CIDRs: one /24 per node from 10.244.0.0, wrapping inside 10/8 without reaching 10.200', () => {
  assert.equal(podCIDR(0), '10.244.0.0/24');
  assert.equal(podCIDR(7), '10.244.7.0/24');
  assert.equal(podCIDR(256), '10.245.0.0/24');
  assert.equal(podCIDR(3071), '10.255.255.0/24');
  assert.equal(podCIDR(3072), '10.0.0.0/24');
  const seen = new Set<string>();
  for (let i = 0; i < MAX_NODES; i++) {
    const p = podSubnetPrefix(i);
    assert.ok(!seen.has(p), `duplicate ${p}`);
    seen.add(p);
    assert.notEqual(p.split('.')[1], '200');
  }
});

test('PodIPAllocator hands out .2-.254 round-robin, stable per uid', () => {
  const a = new PodIPAllocator('10.244.3');
  assert.equal(a.allocate('u1'), '10.244.3.2');
  assert.equal(a.allocate('u2'), '10.244.3.3');
  assert.equal(a.allocate('u1'), '10.244.3.2');
  a.release('u1');
  // Not reused right away: the cursor moves on.
  assert.equal(a.allocate('u3'), '10.244.3.4');
  assert.equal(a.size, 2);
});

test('PodIPAllocator runs out after 253 pods and recovers on release', () => {
  const a = new PodIPAllocator('10.0.0');
  const got = new Set<string>();
  for (let i = 0; i < 253; i++) got.add(a.allocate(`u${i}`)!);
  assert.equal(got.size, 253);
  assert.ok(!got.has('10.0.0.1') && !got.has('10.0.0.255') && !got.has('10.0.0.0'));
  assert.equal(a.allocate('one-too-many'), undefined);
  a.release('u100');
  assert.equal(a.allocate('late'), '10.0.0.102');
});

test('PodIPAllocator.claim records existing addresses and refuses foreign or taken ones', () => {
  const a = new PodIPAllocator('10.244.1');
  assert.equal(a.claim('u1', '10.244.1.2'), true);
  assert.equal(a.claim('u1', '10.244.1.2'), true);
  assert.equal(a.claim('u2', '10.244.1.2'), false);
  assert.equal(a.claim('u3', '10.244.10.5'), false);
  assert.equal(a.claim('u4', '10.244.1.255'), false);
  assert.equal(a.claim('u5', '10.244.1.x'), false);
  assert.equal(a.allocate('u6'), '10.244.1.3');
  assert.equal(a.allocate('u1'), '10.244.1.2');
});
