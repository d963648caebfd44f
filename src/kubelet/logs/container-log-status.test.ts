import { test } from 'node:test';
import assert from 'node:assert/strict';
import { containerIdForLogs, ContainerLogStatusError, runtimeContainerId } from './container-log-status.js';

const running = { name: 'nginx', containerID: 'containerd://cur', state: { running: { startedAt: 'x' } }, lastState: { terminated: { containerID: 'containerd://old', exitCode: 1 } } };

function err(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof ContainerLogStatusError);
    return (e as Error).message;
  }
  throw new Error('no error');
}

test('running container: current and previous instances', () => {
  assert.equal(containerIdForLogs('web-1', { containerStatuses: [running] }, 'nginx', false), 'cur');
  assert.equal(containerIdForLogs('web-1', { containerStatuses: [running] }, 'nginx', true), 'old');
});

test('init and ephemeral containers are found too', () => {
  const init = { ...running, name: 'setup' };
  assert.equal(containerIdForLogs('web-1', { initContainerStatuses: [init] }, 'setup', false), 'cur');
  assert.equal(containerIdForLogs('web-1', { ephemeralContainerStatuses: [{ ...running, name: 'dbg' }] }, 'dbg', false), 'cur');
});

test('terminated container without a current ID falls back to lastState', () => {
  const cs = { name: 'nginx', state: { terminated: { containerID: '' } }, lastState: { terminated: { containerID: 'containerd://prev' } } };
  assert.equal(containerIdForLogs('web-1', { containerStatuses: [cs] }, 'nginx', false), 'prev');
  const bare = { name: 'nginx', state: { terminated: { containerID: '' } } };
  assert.equal(err(() => containerIdForLogs('web-1', { containerStatuses: [bare] }, 'nginx', false)), 'container "nginx" in pod "web-1" is terminated');
});

test('waiting containers (CrashLoopBackOff with a previous run) use the previous run', () => {
  const cs = { name: 'nginx', state: { waiting: { reason: 'CrashLoopBackOff' } }, lastState: { terminated: { containerID: 'containerd://dead' } } };
  assert.equal(containerIdForLogs('web-1', { containerStatuses: [cs] }, 'nginx', false), 'dead');
});

test('error texts match the kubelet', () => {
  const waiting = (reason: string) => ({ containerStatuses: [{ name: 'nginx', state: { waiting: { reason } } }] });
  assert.equal(err(() => containerIdForLogs('web-1', waiting('ContainerCreating'), 'nginx', false)), 'container "nginx" in pod "web-1" is waiting to start: ContainerCreating');
  assert.equal(err(() => containerIdForLogs('web-1', waiting('ErrImagePull'), 'nginx', false)), `container "nginx" in pod "web-1" is waiting to start: image can't be pulled`);
  assert.equal(err(() => containerIdForLogs('web-1', waiting('ImagePullBackOff'), 'nginx', false)), 'container "nginx" in pod "web-1" is waiting to start: trying and failing to pull image');
  assert.equal(err(() => containerIdForLogs('web-1', waiting('ContainerCreating'), 'nginx', true)), 'previous terminated container "nginx" in pod "web-1" not found');
  assert.equal(err(() => containerIdForLogs('web-1', {}, 'nginx', false)), 'container "nginx" in pod "web-1" is not available');
  assert.equal(err(() => containerIdForLogs('web-1', { containerStatuses: [{ name: 'nginx', state: {} }] }, 'nginx', false)), 'container "nginx" in pod "web-1" is waiting to start - no logs yet');
});

test('runtimeContainerId strips the scheme', () => {
  assert.equal(runtimeContainerId('containerd://abc'), 'abc');
  assert.equal(runtimeContainerId('abc'), 'abc');
});
