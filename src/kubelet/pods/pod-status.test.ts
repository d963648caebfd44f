import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generatePodStatus, nsTime, podPhase, terminatePodStatus, canonical } from './pod-status.js';
import type { PodRuntimeState, RuntimeContainer, RuntimeSandbox } from './runtime-state.js';

const NOW = new Date('2026-01-02T03:04:05.678Z');
const T = (s: number) => String(BigInt(Date.parse('2026-01-02T00:00:00Z') + s * 1000) * 1_000_000n);

function rc(name: string, over: Partial<RuntimeContainer> = {}): RuntimeContainer {
  return {
    id: `${name}-id`,
    sandboxId: 'sb',
    name,
    kind: 'app',
    state: 'CONTAINER_RUNNING',
    createdAt: T(1),
    startedAt: T(2),
    finishedAt: '0',
    exitCode: 0,
    reason: '',
    message: '',
    restartCount: 0,
    hash: '',
    image: `reg/${name}:1`,
    imageRef: `reg/${name}@sha256:aa`,
    logPath: '',
    mounts: [],
    ...over,
  };
}

const sandbox: RuntimeSandbox = { id: 'sb', attempt: 0, state: 'SANDBOX_READY', createdAt: T(0), ips: ['10.1.0.5'] };
const rt = (containers: RuntimeContainer[], sandboxes = [sandbox]): PodRuntimeState => ({ sandboxes, containers });

function pod(spec: any, status: any = {}): any {
  return { metadata: { name: 'p', namespace: 'ns', uid: 'u' }, spec: { restartPolicy: 'Always', ...spec }, status };
}

const statusOf = (s: any, n: string) => s.containerStatuses.find((c: any) => c.name === n);
const cond = (s: any, t: string) => s.conditions.find((c: any) => c.type === t);

test('nsTime: whole seconds, epoch for unset', () => {
  assert.equal(nsTime(T(2)), '2026-01-02T00:00:02Z');
  assert.equal(nsTime('1767312002999999999'), '2026-01-02T00:00:02Z');
  assert.equal(nsTime('0'), '1970-01-01T00:00:00Z');
});

test('new pod before anything runs: Pending, ContainerCreating, conditions with reasons', () => {
  const p = pod({ containers: [{ name: 'a', image: 'a', volumeMounts: [{ name: 'v', mountPath: '/v' }, { name: 't', mountPath: '/t', readOnly: true }] }, { name: 'b', image: 'b' }] }, {
    conditions: [{ type: 'PodScheduled', status: 'True', lastTransitionTime: '2026-01-01T00:00:00Z' }],
  });
  const s = generatePodStatus({ pod: p, runtime: rt([], []), nodeIP: '192.168.1.2', now: NOW });
  assert.equal(s.phase, 'Pending');
  assert.deepEqual(statusOf(s, 'a'), {
    name: 'a',
    state: { waiting: { reason: 'ContainerCreating' } },
    lastState: {},
    ready: false,
    restartCount: 0,
    image: 'a',
    imageID: '',
    started: false,
    volumeMounts: [{ name: 'v', mountPath: '/v' }, { name: 't', mountPath: '/t', readOnly: true, recursiveReadOnly: 'Disabled' }],
  });
  assert.deepEqual(s.conditions, [
    { type: 'PodReadyToStartContainers', status: 'False', lastProbeTime: null, lastTransitionTime: '2026-01-02T03:04:05Z' },
    { type: 'Initialized', status: 'True', lastProbeTime: null, lastTransitionTime: '2026-01-02T03:04:05Z' },
    { type: 'Ready', status: 'False', lastProbeTime: null, lastTransitionTime: '2026-01-02T03:04:05Z', reason: 'ContainersNotReady', message: 'containers with unready status: [a b]' },
    { type: 'ContainersReady', status: 'False', lastProbeTime: null, lastTransitionTime: '2026-01-02T03:04:05Z', reason: 'ContainersNotReady', message: 'containers with unready status: [a b]' },
    { type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: '2026-01-01T00:00:00Z' },
  ]);
  assert.equal(s.hostIP, '192.168.1.2');
  assert.deepEqual(s.hostIPs, [{ ip: '192.168.1.2' }]);
  assert.equal(s.podIP, undefined);
  assert.equal(s.startTime, '2026-01-02T03:04:05Z');
  assert.equal(s.qosClass, 'BestEffort');
});

test('all running and ready: Running, Ready True, IPs from the sandbox, lastTransitionTime kept', () => {
  const old = { startTime: '2026-01-01T00:00:00Z', conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: '2025-12-31T00:00:00Z' }, { type: 'DisruptionTarget', status: 'True', lastTransitionTime: 'x' }] };
  const p = pod({ containers: [{ name: 'a', image: 'a' }] }, old);
  const s = generatePodStatus({ pod: p, runtime: rt([rc('a')]), nodeIP: 'n', now: NOW });
  assert.equal(s.phase, 'Running');
  assert.deepEqual(statusOf(s, 'a'), {
    name: 'a',
    state: { running: { startedAt: '2026-01-02T00:00:02Z' } },
    lastState: {},
    ready: true,
    restartCount: 0,
    image: 'reg/a:1',
    imageID: 'reg/a@sha256:aa',
    containerID: 'containerd://a-id',
    started: true,
  });
  assert.equal(s.podIP, '10.1.0.5');
  assert.deepEqual(s.podIPs, [{ ip: '10.1.0.5' }]);
  assert.equal(s.startTime, '2026-01-01T00:00:00Z');
  assert.equal(s.conditions[0].type, 'DisruptionTarget');
  assert.equal(cond(s, 'Ready').lastTransitionTime, '2025-12-31T00:00:00Z');
  assert.equal(cond(s, 'PodReadyToStartContainers').status, 'True');
});

test('readiness and startup probes drive ready/started', () => {
  const p = pod({ containers: [{ name: 'a', image: 'a' }, { name: 'b', image: 'b' }] });
  const s = generatePodStatus({
    pod: p,
    runtime: rt([rc('a'), rc('b')]),
    nodeIP: 'n',
    now: NOW,
    isReady: (n) => n === 'a',
    isStarted: (n) => n !== 'b' || false,
  });
  assert.deepEqual([statusOf(s, 'a').ready, statusOf(s, 'a').started], [true, true]);
  assert.deepEqual([statusOf(s, 'b').ready, statusOf(s, 'b').started], [false, false]);
  assert.equal(cond(s, 'ContainersReady').message, 'containers with unready status: [b]');
});

test('crash loop: waiting CrashLoopBackOff with the previous run as lastState, restartCount from the runtime', () => {
  const p = pod({ containers: [{ name: 'a', image: 'a' }] });
  const dead = rc('a', { id: 'a2', state: 'CONTAINER_EXITED', exitCode: 1, reason: 'Error', restartCount: 2, createdAt: T(10), startedAt: T(11), finishedAt: T(12) });
  const older = rc('a', { id: 'a1', state: 'CONTAINER_EXITED', exitCode: 1, reason: 'Error', restartCount: 1, createdAt: T(5) });
  const reasons = new Map([['a', { reason: 'CrashLoopBackOff', message: 'back-off 20s restarting failed container=a pod=p_ns(u)' }]]);
  const s = generatePodStatus({ pod: p, runtime: rt([dead, older]), nodeIP: 'n', now: NOW, reasons });
  const a = statusOf(s, 'a');
  assert.deepEqual(a.state, { waiting: { reason: 'CrashLoopBackOff', message: 'back-off 20s restarting failed container=a pod=p_ns(u)' } });
  assert.deepEqual(a.lastState, {
    terminated: { exitCode: 1, reason: 'Error', startedAt: '2026-01-02T00:00:11Z', finishedAt: '2026-01-02T00:00:12Z', containerID: 'containerd://a2' },
  });
  assert.equal(a.restartCount, 2);
  assert.equal(a.containerID, 'containerd://a2');
  assert.equal(s.phase, 'Running');
});

test('restarted and running again: lastState is the previous instance', () => {
  const p = pod({ containers: [{ name: 'a', image: 'a' }] });
  const now = rc('a', { id: 'a2', restartCount: 1, createdAt: T(10) });
  const before = rc('a', { id: 'a1', state: 'CONTAINER_EXITED', exitCode: 137, reason: 'Error', createdAt: T(5), startedAt: T(5), finishedAt: T(9) });
  const a = statusOf(generatePodStatus({ pod: p, runtime: rt([now, before]), nodeIP: 'n', now: NOW }), 'a');
  assert.equal(a.restartCount, 1);
  assert.deepEqual(a.lastState.terminated.containerID, 'containerd://a1');
  assert.equal(a.lastState.terminated.exitCode, 137);
  assert.ok(a.state.running);
});

test('Never pod whose container exited 0 succeeds; conditions say PodCompleted', () => {
  const p = pod({ restartPolicy: 'Never', containers: [{ name: 'a', image: 'a' }] });
  const done = rc('a', { state: 'CONTAINER_EXITED', exitCode: 0, reason: 'Completed', finishedAt: T(3) });
  const s = generatePodStatus({ pod: p, runtime: rt([done], [{ ...sandbox, state: 'SANDBOX_NOTREADY', ips: [] }]), nodeIP: 'n', now: NOW });
  assert.equal(s.phase, 'Succeeded');
  assert.deepEqual(
    s.conditions.map((c: any) => [c.type, c.status, c.reason]),
    [
      ['PodReadyToStartContainers', 'False', undefined],
      ['Initialized', 'True', 'PodCompleted'],
      ['Ready', 'False', 'PodCompleted'],
      ['ContainersReady', 'False', 'PodCompleted'],
      ['PodScheduled', 'True', undefined],
    ],
  );
  assert.deepEqual(statusOf(s, 'a').state.terminated, {
    exitCode: 0,
    reason: 'Completed',
    startedAt: '2026-01-02T00:00:02Z',
    finishedAt: '2026-01-02T00:00:03Z',
    containerID: 'containerd://a-id',
  });
});

test('termination message is reported; old podIP kept once the sandbox is gone', () => {
  const p = pod({ restartPolicy: 'Never', containers: [{ name: 'a', image: 'a' }] }, { podIP: '10.1.0.9', podIPs: [{ ip: '10.1.0.9' }] });
  const done = rc('a', { state: 'CONTAINER_EXITED', exitCode: 2, reason: 'Error', message: 'boom' });
  const s = generatePodStatus({ pod: p, runtime: rt([done], []), nodeIP: 'n', now: NOW });
  assert.equal(s.phase, 'Failed');
  assert.equal(statusOf(s, 'a').state.terminated.message, 'boom');
  assert.equal(s.podIP, '10.1.0.9');
  assert.equal(cond(s, 'Ready').reason, 'PodFailed');
});

test('init containers: app containers PodInitializing; Initialized False with incomplete list', () => {
  const p = pod({ initContainers: [{ name: 'i1', image: 'i' }, { name: 'i2', image: 'i' }], containers: [{ name: 'a', image: 'a' }] });
  const i1 = rc('i1', { kind: 'init', state: 'CONTAINER_EXITED', exitCode: 0, reason: 'Completed', finishedAt: T(3) });
  const i2 = rc('i2', { kind: 'init', createdAt: T(4) });
  const s = generatePodStatus({ pod: p, runtime: rt([i2, i1]), nodeIP: 'n', now: NOW });
  assert.equal(s.phase, 'Pending');
  assert.deepEqual(statusOf(s, 'a').state, { waiting: { reason: 'PodInitializing' } });
  const inits = s.initContainerStatuses;
  assert.deepEqual(inits.map((x: any) => [x.name, x.ready, x.started]), [
    ['i1', true, false],
    ['i2', false, true],
  ]);
  assert.deepEqual(cond(s, 'Initialized'), {
    type: 'Initialized',
    status: 'False',
    lastProbeTime: null,
    lastTransitionTime: '2026-01-02T03:04:05Z',
    reason: 'ContainersNotInitialized',
    message: 'containers with incomplete status: [i2]',
  });
});

test('failed init container: Never → Failed; OnFailure → Pending (Init:CrashLoopBackOff)', () => {
  const spec = { initContainers: [{ name: 'i1', image: 'i' }], containers: [{ name: 'a', image: 'a' }] };
  const failed = rc('i1', { kind: 'init', state: 'CONTAINER_EXITED', exitCode: 1, reason: 'Error' });
  assert.equal(generatePodStatus({ pod: pod({ ...spec, restartPolicy: 'Never' }), runtime: rt([failed]), nodeIP: 'n', now: NOW }).phase, 'Failed');
  const reasons = new Map([['i1', { reason: 'CrashLoopBackOff', message: 'm' }]]);
  const s = generatePodStatus({ pod: pod({ ...spec, restartPolicy: 'OnFailure' }), runtime: rt([failed]), nodeIP: 'n', now: NOW, reasons });
  assert.equal(s.phase, 'Pending');
  assert.equal(s.initContainerStatuses[0].state.waiting.reason, 'CrashLoopBackOff');
  assert.equal(s.initContainerStatuses[0].lastState.terminated.exitCode, 1);
});

test('image pull failure shows the ImageService reason on a never-started container', () => {
  const p = pod({ containers: [{ name: 'a', image: 'a' }] });
  const reasons = new Map([['a', { reason: 'ErrImagePull', message: 'failed to pull' }]]);
  const s = generatePodStatus({ pod: p, runtime: rt([]), nodeIP: 'n', now: NOW, reasons });
  assert.deepEqual(statusOf(s, 'a').state, { waiting: { reason: 'ErrImagePull', message: 'failed to pull' } });
  assert.equal(s.phase, 'Pending');
});

test('getPhase table', () => {
  const run = { state: { running: {} } };
  const ok = { state: { terminated: { exitCode: 0 } } };
  const bad = { state: { terminated: { exitCode: 1 } } };
  const wait = { state: { waiting: {} } };
  const waitAfterFail = { state: { waiting: {} }, lastState: { terminated: { exitCode: 1 } } };
  const two = (policy: string) => pod({ restartPolicy: policy, containers: [{ name: 'a' }, { name: 'b' }] });
  const st = (a: any, b: any) => [{ name: 'a', ...a }, { name: 'b', ...b }];
  const rows: [string, any, any, boolean, string][] = [
    ['Always', run, run, false, 'Running'],
    ['Always', run, wait, false, 'Pending'],
    ['Always', run, ok, false, 'Running'],
    ['Always', ok, bad, false, 'Running'],
    ['Always', ok, ok, false, 'Running'],
    ['Always', ok, bad, true, 'Failed'],
    ['Always', ok, ok, true, 'Succeeded'],
    ['Always', run, waitAfterFail, false, 'Running'],
    ['OnFailure', ok, ok, false, 'Succeeded'],
    ['OnFailure', ok, bad, false, 'Running'],
    ['Never', ok, bad, false, 'Failed'],
    ['Never', ok, ok, false, 'Succeeded'],
    ['Never', run, bad, false, 'Running'],
  ];
  for (const [policy, a, b, terminal, want] of rows) {
    assert.equal(podPhase(two(policy), st(a, b), terminal), want, `${policy} ${JSON.stringify([a, b, terminal])}`);
  }
  assert.equal(podPhase(two('Always'), [{ name: 'a', ...run }], false), 'Pending');
});

test('phase never leaves a terminal phase already in the API', () => {
  const p = pod({ containers: [{ name: 'a', image: 'a' }] }, { phase: 'Succeeded' });
  assert.equal(generatePodStatus({ pod: p, runtime: rt([]), nodeIP: 'n', now: NOW }).phase, 'Succeeded');
});

test('readiness gates keep Ready False with the gate message', () => {
  const p = pod({ readinessGates: [{ conditionType: 'example.com/lb' }], containers: [{ name: 'a', image: 'a' }] }, {
    conditions: [{ type: 'example.com/lb', status: 'False', lastTransitionTime: 't' }],
  });
  const s = generatePodStatus({ pod: p, runtime: rt([rc('a')]), nodeIP: 'n', now: NOW });
  assert.deepEqual([cond(s, 'Ready').status, cond(s, 'Ready').reason, cond(s, 'Ready').message], [
    'False',
    'ReadinessGatesNotReady',
    'the status of pod readiness gate "example.com/lb" is not "True", but False',
  ]);
  assert.equal(cond(s, 'ContainersReady').status, 'True');
});

test('hostNetwork pods report the node IP as pod IP', () => {
  const p = pod({ hostNetwork: true, containers: [{ name: 'a', image: 'a' }] });
  const s = generatePodStatus({ pod: p, runtime: rt([rc('a')], [{ ...sandbox, ips: [] }]), nodeIP: '192.168.1.2', now: NOW });
  assert.equal(s.podIP, '192.168.1.2');
  assert.equal(cond(s, 'PodReadyToStartContainers').status, 'True');
});

test('terminatePodStatus: unaccounted containers count as failed and the phase becomes Failed', () => {
  const p = pod({ containers: [{ name: 'a', image: 'a' }, { name: 'b', image: 'b' }] });
  const s = generatePodStatus({ pod: p, runtime: rt([rc('a', { state: 'CONTAINER_EXITED', exitCode: 0, reason: 'Completed' })]), nodeIP: 'n', now: NOW });
  const t = terminatePodStatus(p, { ...s, conditions: s.conditions.map((c: any) => (c.type === 'Initialized' ? { ...c, status: 'True' } : c)) });
  assert.equal(t.phase, 'Failed');
  assert.deepEqual(t.containerStatuses[1].state, {
    terminated: { exitCode: 137, reason: 'ContainerStatusUnknown', message: 'The container could not be located when the pod was terminated' },
  });
});

test('canonical ignores key order and undefined', () => {
  assert.equal(canonical({ a: 1, b: { c: [1, { d: 2, e: undefined }] } }), canonical({ b: { c: [1, { d: 2 }] }, a: 1 }));
  assert.notEqual(canonical({ a: [1, 2] }), canonical({ a: [2, 1] }));
});
