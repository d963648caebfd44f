import { test } from 'node:test';
import assert from 'node:assert/strict';
import { exitAfterSeconds, isFinished, isRunningBySim, mergePodConditions, runningPodStatus, succeededPodStatus } from './pod-status.js';

const T0 = '2025-01-01T00:00:00Z';
const now = new Date('2025-01-01T00:01:00Z');
const T1 = '2025-01-01T00:01:00Z';

function ids(): () => string {
  let n = 0;
  return () => `id${++n}`;
}

const pod = (extra: any = {}) => ({
  metadata: { name: 'p', namespace: 'default', uid: 'u' },
  spec: {
    nodeName: 'sim-0',
    containers: [
      { name: 'a', image: 'nginx:1.25' },
      { name: 'b', image: 'busybox' },
    ],
    ...extra.spec,
  },
  status: {
    phase: 'Pending',
    qosClass: 'BestEffort',
    conditions: [{ type: 'PodScheduled', status: 'True', lastTransitionTime: T0 }],
    ...extra.status,
  },
});

test('runningPodStatus: phase, IPs, conditions in kubelet order, every container running and ready', () => {
  const s = runningPodStatus(pod(), { hostIP: '10.200.0.1', podIP: '10.244.0.2', now, newContainerID: ids() });
  assert.equal(s.phase, 'Running');
  assert.equal(s.qosClass, 'BestEffort');
  assert.equal(s.hostIP, '10.200.0.1');
  assert.deepEqual(s.hostIPs, [{ ip: '10.200.0.1' }]);
  assert.equal(s.podIP, '10.244.0.2');
  assert.deepEqual(s.podIPs, [{ ip: '10.244.0.2' }]);
  assert.equal(s.startTime, T1);
  assert.deepEqual(s.conditions, [
    { type: 'PodReadyToStartContainers', status: 'True', lastTransitionTime: T1 },
    { type: 'Initialized', status: 'True', lastTransitionTime: T1 },
    { type: 'Ready', status: 'True', lastTransitionTime: T1 },
    { type: 'ContainersReady', status: 'True', lastTransitionTime: T1 },
    { type: 'PodScheduled', status: 'True', lastTransitionTime: T0 },
  ]);
  assert.deepEqual(s.containerStatuses, [
    { name: 'a', state: { running: { startedAt: T1 } }, lastState: {}, ready: true, restartCount: 0, image: 'nginx:1.25', imageID: 'sim://nginx:1.25', containerID: 'sim://id1', started: true },
    { name: 'b', state: { running: { startedAt: T1 } }, lastState: {}, ready: true, restartCount: 0, image: 'busybox', imageID: 'sim://busybox', containerID: 'sim://id2', started: true },
  ]);
  assert.equal('initContainerStatuses' in s, false);
});

test('runningPodStatus: init containers completed, sidecars running', () => {
  const p = pod({ spec: { initContainers: [{ name: 'setup', image: 'alpine' }, { name: 'proxy', image: 'envoy', restartPolicy: 'Always' }] } });
  const s = runningPodStatus(p, { hostIP: 'h', podIP: 'i', now, newContainerID: ids() });
  assert.deepEqual(s.initContainerStatuses[0], {
    name: 'setup',
    state: { terminated: { exitCode: 0, reason: 'Completed', startedAt: T1, finishedAt: T1, containerID: 'sim://id3' } },
    lastState: {},
    ready: true,
    restartCount: 0,
    image: 'alpine',
    imageID: 'sim://alpine',
    containerID: 'sim://id3',
    started: false,
  });
  assert.deepEqual(s.initContainerStatuses[1].state, { running: { startedAt: T1 } });
  assert.equal(s.initContainerStatuses[1].ready, true);
  assert.equal(s.initContainerStatuses[1].started, true);
});

test('runningPodStatus: a retry keeps start time, container IDs and transition times; drops reason/message', () => {
  const first = runningPodStatus(pod(), { hostIP: 'h', podIP: 'i', now, newContainerID: ids() });
  const later = new Date('2025-01-01T00:05:00Z');
  const again = runningPodStatus(
    { ...pod(), status: { ...first, phase: 'Pending', reason: 'X', message: 'y' } },
    { hostIP: 'h', podIP: 'i', now: later, newContainerID: () => 'fresh' },
  );
  assert.equal(again.startTime, T1);
  assert.deepEqual(again.containerStatuses.map((c: any) => c.containerID), ['sim://id1', 'sim://id2']);
  assert.equal(again.containerStatuses[0].state.running.startedAt, T1);
  assert.equal(again.conditions[2].lastTransitionTime, T1);
  assert.equal('reason' in again, false);
  assert.equal('message' in again, false);
});

test('mergePodConditions keeps foreign conditions and adds PodScheduled when missing', () => {
  const out = mergePodConditions(
    [
      { type: 'Ready', status: 'False', lastTransitionTime: T0 },
      { type: 'example.com/gate', status: 'True', lastTransitionTime: T0 },
    ],
    [{ type: 'Ready', status: 'True' }],
    T1,
  );
  assert.deepEqual(out, [
    { type: 'Ready', status: 'True', lastTransitionTime: T1 },
    { type: 'PodScheduled', status: 'True', lastTransitionTime: T1 },
    { type: 'example.com/gate', status: 'True', lastTransitionTime: T0 },
  ]);
});

test('succeededPodStatus: containers terminated Completed, nothing ready, PodCompleted reasons', () => {
  const running = { ...pod(), status: runningPodStatus(pod(), { hostIP: 'h', podIP: 'i', now, newContainerID: ids() }) };
  const end = new Date('2025-01-01T00:02:00Z');
  const s = succeededPodStatus(running, end);
  assert.equal(s.phase, 'Succeeded');
  assert.equal(s.podIP, 'i');
  assert.deepEqual(
    s.conditions.map((c: any) => [c.type, c.status, c.reason ?? '', c.lastTransitionTime]),
    [
      ['PodReadyToStartContainers', 'False', '', '2025-01-01T00:02:00Z'],
      ['Initialized', 'True', 'PodCompleted', T1],
      ['Ready', 'False', 'PodCompleted', '2025-01-01T00:02:00Z'],
      ['ContainersReady', 'False', 'PodCompleted', '2025-01-01T00:02:00Z'],
      ['PodScheduled', 'True', '', T0],
    ],
  );
  assert.deepEqual(s.containerStatuses[0].state, {
    terminated: { exitCode: 0, reason: 'Completed', startedAt: T1, finishedAt: '2025-01-01T00:02:00Z', containerID: 'sim://id1' },
  });
  assert.equal(s.containerStatuses[0].ready, false);
  assert.equal(s.containerStatuses[0].started, false);
  assert.equal(isFinished({ status: s }), true);
});

test('isRunningBySim needs phase Running, both IPs and a status per container', () => {
  const p = pod();
  assert.equal(isRunningBySim(p), false);
  const s = runningPodStatus(p, { hostIP: 'h', podIP: 'i', now, newContainerID: ids() });
  assert.equal(isRunningBySim({ ...p, status: s }), true);
  assert.equal(isRunningBySim({ ...p, status: { ...s, podIP: '' } }), false);
  assert.equal(isRunningBySim({ ...p, status: { ...s, containerStatuses: s.containerStatuses.slice(1) } }), false);
});

test('exitAfterSeconds: only for Never/OnFailure pods with a valid annotation', () => {
  const mk = (policy: string, v?: string) => ({
    metadata: { annotations: v === undefined ? {} : { 'skiff.dev/sim-exit-after-seconds': v } },
    spec: { restartPolicy: policy },
  });
  assert.equal(exitAfterSeconds(mk('Never', '5')), 5);
  assert.equal(exitAfterSeconds(mk('OnFailure', '0.5')), 0.5);
  assert.equal(exitAfterSeconds(mk('OnFailure', '0')), 0);
  assert.equal(exitAfterSeconds(mk('Always', '5')), undefined);
  assert.equal(exitAfterSeconds(mk('Never')), undefined);
  assert.equal(exitAfterSeconds(mk('Never', 'soon')), undefined);
  assert.equal(exitAfterSeconds(mk('Never', '-3')), undefined);
  assert.equal(exitAfterSeconds(mk('Never', ' ')), undefined);
});
