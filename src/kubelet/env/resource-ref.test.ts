import assert from 'node:assert/strict';
import { test } from 'node:test';
import { containerResourceValue, withAllocatableLimits } from './resource-ref.js';

const app = { name: 'app', resources: { limits: { cpu: '250m', memory: '64Mi' }, requests: { cpu: '100m', memory: '32Mi' } } };
const bare = { name: 'bare' };
const pod = { metadata: { name: 'p' }, spec: { containers: [app, bare], initContainers: [{ name: 'init', resources: { limits: { cpu: '2' } } }] } };
const alloc = { cpu: '4', memory: '8Gi', 'ephemeral-storage': '100Gi', pods: '110' };

test('cpu rounds up to whole divisor units', () => {
  assert.equal(containerResourceValue({ resource: 'limits.cpu' }, pod, app), '1');
  assert.equal(containerResourceValue({ resource: 'limits.cpu', divisor: '1m' }, pod, app), '250');
  assert.equal(containerResourceValue({ resource: 'requests.cpu', divisor: '0' }, pod, app), '1');
  assert.equal(containerResourceValue({ resource: 'requests.cpu', divisor: '1m' }, pod, app), '100');
});

test('memory in bytes or divisor units, rounded up', () => {
  assert.equal(containerResourceValue({ resource: 'limits.memory' }, pod, app), '67108864');
  assert.equal(containerResourceValue({ resource: 'limits.memory', divisor: '1Mi' }, pod, app), '64');
  assert.equal(containerResourceValue({ resource: 'requests.memory', divisor: '1M' }, pod, app), '34');
});

test('missing limits take the node allocatable; missing requests are 0', () => {
  assert.equal(containerResourceValue({ resource: 'limits.cpu' }, pod, bare, alloc), '4');
  assert.equal(containerResourceValue({ resource: 'limits.memory', divisor: '1Gi' }, pod, bare, alloc), '8');
  assert.equal(containerResourceValue({ resource: 'limits.ephemeral-storage', divisor: '1Gi' }, pod, bare, alloc), '100');
  assert.equal(containerResourceValue({ resource: 'requests.cpu' }, pod, bare, alloc), '0');
  assert.equal(containerResourceValue({ resource: 'limits.cpu' }, pod, bare), '0');
  // a set limit is kept
  assert.equal(containerResourceValue({ resource: 'limits.cpu', divisor: '1m' }, pod, app, alloc), '250');
  assert.deepEqual(withAllocatableLimits({ resources: { limits: { cpu: '0' } } }, alloc).resources.limits, {
    cpu: '4',
    memory: '8Gi',
    'ephemeral-storage': '100Gi',
  });
});

test('containerName picks another container; unknown names and resources fail', () => {
  assert.equal(containerResourceValue({ containerName: 'init', resource: 'limits.cpu' }, pod, undefined), '2');
  assert.throws(() => containerResourceValue({ containerName: 'nope', resource: 'limits.cpu' }, pod, app), { message: 'container nope not found' });
  assert.throws(() => containerResourceValue({ resource: 'limits.cpu' }, pod, undefined), { message: 'container  not found' });
  assert.throws(() => containerResourceValue({ resource: 'limits.nvidia.com/gpu' }, pod, app), {
    message: 'unsupported container resource : limits.nvidia.com/gpu',
  });
});
