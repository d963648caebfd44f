import { test } from 'node:test';
import assert from 'node:assert/strict';
import { missingRequirements, NODE_REQUIREMENTS } from './host-packages.js';

test('missingRequirements lists the packages whose marker file is absent', () => {
  const present = new Set(['/usr/bin/containerd', '/usr/sbin/iptables']);
  const missing = missingRequirements(NODE_REQUIREMENTS, (f) => present.has(f)).map((m) => m.pkg);
  assert.deepEqual(missing, ['runc', 'containernetworking-plugins', 'busybox-static']);
});

test('nothing is missing when every file exists', () => {
  assert.deepEqual(missingRequirements(NODE_REQUIREMENTS, () => true), []);
});
