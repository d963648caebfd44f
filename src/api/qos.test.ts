import { test } from 'node:test';
import assert from 'node:assert/strict';
import { qosClass } from './qos.js';

const pod = (containers: any[], initContainers: any[] = []) => ({ spec: { containers, initContainers } });
const res = (requests?: Record<string, string>, limits?: Record<string, string>) => ({
  name: 'c',
  resources: { ...(requests ? { requests } : {}), ...(limits ? { limits } : {}) },
});

test('no resources at all is BestEffort', () => {
  assert.equal(qosClass(pod([{ name: 'c' }])), 'BestEffort');
  assert.equal(qosClass({}), 'BestEffort');
});

test('zero quantities do not count', () => {
  assert.equal(qosClass(pod([res({ cpu: '0', memory: '0' })])), 'BestEffort');
});

test('only non cpu/memory resources is BestEffort', () => {
  assert.equal(qosClass(pod([res({ 'ephemeral-storage': '1Gi' }, { 'nvidia.com/gpu': '1' })])), 'BestEffort');
});

test('equal requests and limits for cpu and memory is Guaranteed', () => {
  assert.equal(qosClass(pod([res({ cpu: '100m', memory: '128Mi' }, { cpu: '0.1', memory: '128Mi' })])), 'Guaranteed');
});

test('limits only (requests default to limits) is Guaranteed', () => {
  assert.equal(qosClass(pod([res(undefined, { cpu: '1', memory: '1Gi' })])), 'Guaranteed');
});

test('request below limit is Burstable', () => {
  assert.equal(qosClass(pod([res({ cpu: '100m', memory: '128Mi' }, { cpu: '200m', memory: '128Mi' })])), 'Burstable');
});

test('only cpu limit is Burstable', () => {
  assert.equal(qosClass(pod([res(undefined, { cpu: '1' })])), 'Burstable');
});

test('requests only is Burstable', () => {
  assert.equal(qosClass(pod([res({ memory: '64Mi' })])), 'Burstable');
});

test('one guaranteed and one best-effort container is Burstable', () => {
  assert.equal(qosClass(pod([res(undefined, { cpu: '1', memory: '1Gi' }), { name: 'd' }])), 'Burstable');
});

test('init containers count', () => {
  const guaranteed = res(undefined, { cpu: '1', memory: '1Gi' });
  assert.equal(qosClass(pod([guaranteed], [res(undefined, { cpu: '1', memory: '1Gi' })])), 'Guaranteed');
  assert.equal(qosClass(pod([guaranteed], [{ name: 'init' }])), 'Burstable');
  assert.equal(qosClass(pod([{ name: 'a' }], [res({ cpu: '1' })])), 'Burstable');
});

test('sums across containers before comparing', () => {
  const a = res({ cpu: '1', memory: '1Gi' }, { cpu: '1', memory: '1Gi' });
  const b = res({ cpu: '500m', memory: '512Mi' }, { cpu: '500m', memory: '512Mi' });
  assert.equal(qosClass(pod([a, b])), 'Guaranteed');
});
