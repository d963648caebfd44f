import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KubeObject } from '../../client/index.js';
import { LABEL_CONTAINER_NAME, LABEL_MANAGED_BY, LABEL_POD_NAME, LABEL_POD_NAMESPACE, LABEL_POD_UID } from '../cri/api.js';
import { removeOrphanedPods } from './adoption.js';
import { Backoff } from '../backoff.js';
import { PodWorker } from './pod-worker.js';
import { FakeWorld } from './test-fakes.js';

const dirs: string[] = [];
const cgroupCalls: string[] = [];
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function setup(podSpec: any, uid = 'u1') {
  const dir = mkdtempSync(join(tmpdir(), 'skiff-pods-'));
  dirs.push(dir);
  const w = new FakeWorld(dir);
  const pod: KubeObject = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p', namespace: 'ns', uid, resourceVersion: '1' },
    spec: { nodeName: 'node-1', restartPolicy: 'Always', terminationGracePeriodSeconds: 30, ...podSpec },
    status: { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'True', lastTransitionTime: '2026-01-01T00:00:00Z' }] },
  };
  w.apiPod = pod;
  const worker = new PodWorker(uid, {
    ctx: w.ctx,
    images: w.images,
    volumes: w.volumes,
    env: w.env,
    probes: w.probes,
    runHandler: w.runHandler,
    backoff: new Backoff({ now: () => w.clock.ms }),
    hostDNS: () => ({ servers: ['10.0.0.2'], searches: [], options: [] }),
    memoryCapacity: 4 * 1024 ** 3,
    resyncMs: 1e9,
    cleanup: { removePodCgroups: (u: string, cg: string) => void cgroupCalls.push(`${u} ${cg}`) },
  });
  // One sync pass with the API's current pod (as the resync timer or the PLEG would start it).
  const sync = async (p: KubeObject | undefined = w.apiPod) => {
    if (!worker.update(p && structuredClone(p))) worker.requestSync();
    await worker.whenIdle();
  };
  return { w, worker, pod, sync };
}

const status = (w: FakeWorld) => w.apiPod!.status;
const cs = (w: FakeWorld, name: string) => [...(status(w).containerStatuses ?? []), ...(status(w).initContainerStatuses ?? [])].find((s: any) => s.name === name);
const evs = (w: FakeWorld) => w.events.map((e) => `${e.reason}|${e.fieldPath ?? ''}|${e.message}`);

test('init containers run one at a time, then app containers; status follows', async () => {
  const { w, worker, sync } = setup({
    initContainers: [{ name: 'i1', image: 'reg/i' }, { name: 'i2', image: 'reg/i' }],
    containers: [{ name: 'a', image: 'reg/a', command: ['echo', '$(WHO)'] }, { name: 'b', image: 'reg/b' }],
  });
  await sync();
  // The first status (Pending, before any sandbox) is written before the slow work starts.
  assert.deepEqual(w.cri.calls, ['updateStatus Pending', 'runPodSandbox attempt=0', 'createContainer i1 attempt=0', 'startContainer i1', 'updateStatus Pending']);
  assert.equal(cs(w, 'a').state.waiting.reason, 'PodInitializing');
  assert.ok(cs(w, 'i1').state.running);
  assert.equal(status(w).podIP, '10.1.0.2');

  w.cri.calls.length = 0;
  await sync();
  assert.deepEqual(w.cri.calls, [], 'nothing to do while i1 runs');

  w.cri.exit(w.cri.newest('i1')!.c.id, 0);
  await sync();
  assert.deepEqual(w.cri.calls, ['createContainer i2 attempt=0', 'startContainer i2', 'updateStatus Pending']);
  w.cri.exit(w.cri.newest('i2')!.c.id, 0);
  w.cri.calls.length = 0;
  await sync();
  assert.deepEqual(w.cri.calls, ['createContainer a attempt=0', 'startContainer a', 'createContainer b attempt=0', 'startContainer b', 'updateStatus Running']);
  assert.deepEqual(w.cri.newest('a')!.config.command, ['echo', 'world']);
  assert.deepEqual(evs(w), [
    'Created|spec.initContainers{i1}|Created container i1',
    'Started|spec.initContainers{i1}|Started container i1',
    'Created|spec.initContainers{i2}|Created container i2',
    'Started|spec.initContainers{i2}|Started container i2',
    'Created|spec.containers{a}|Created container a',
    'Started|spec.containers{a}|Started container a',
    'Created|spec.containers{b}|Created container b',
    'Started|spec.containers{b}|Started container b',
  ]);
  const conds = Object.fromEntries(status(w).conditions.map((c: any) => [c.type, c.status]));
  assert.deepEqual(conds, { PodReadyToStartContainers: 'True', Initialized: 'True', Ready: 'True', ContainersReady: 'True', PodScheduled: 'True' });
  assert.equal(cs(w, 'i1').state.terminated.reason, 'Completed');
  assert.equal(cs(w, 'a').imageID, 'reg/img@sha256:feed');
  assert.equal(cs(w, 'a').containerID, `containerd://${w.cri.newest('a')!.c.id}`);

  // Nothing changed: no status write.
  w.cri.calls.length = 0;
  await sync();
  assert.deepEqual(w.cri.calls, []);
  worker.stop();
});

test('crashing container: immediate first restart, then CrashLoopBackOff with back-off, attempts increase, older dead instances removed', async () => {
  const { w, worker, sync } = setup({ containers: [{ name: 'c', image: 'reg/c' }] });
  await sync();
  w.cri.exit(w.cri.newest('c')!.c.id, 1);
  w.cri.calls.length = 0;
  await sync();
  assert.deepEqual(w.cri.calls, ['createContainer c attempt=1', 'startContainer c', 'updateStatus Running']);
  assert.equal(cs(w, 'c').restartCount, 1);
  assert.equal(cs(w, 'c').lastState.terminated.exitCode, 1);

  w.clock.advance(1000);
  w.cri.exit(w.cri.newest('c')!.c.id, 1);
  w.cri.calls.length = 0;
  w.events.length = 0;
  await sync();
  assert.deepEqual(w.cri.calls, ['removeContainer c attempt=0', 'updateStatus Running']);
  assert.deepEqual(cs(w, 'c').state, { waiting: { reason: 'CrashLoopBackOff', message: 'back-off 10s restarting failed container=c pod=p_ns(u1)' } });
  assert.equal(cs(w, 'c').lastState.terminated.exitCode, 1);
  assert.equal(cs(w, 'c').restartCount, 1);
  assert.deepEqual(evs(w), ['BackOff|spec.containers{c}|Back-off restarting failed container c in pod p_ns(u1)']);

  w.clock.advance(9_000);
  w.cri.calls.length = 0;
  await sync();
  assert.ok(!w.cri.calls.some((c) => c.startsWith('createContainer')), 'still backing off after 9s');

  w.clock.advance(1_000);
  w.cri.calls.length = 0;
  await sync();
  assert.deepEqual(w.cri.calls.slice(0, 2), ['createContainer c attempt=2', 'startContainer c']);
  assert.equal(cs(w, 'c').restartCount, 2);
  assert.ok(cs(w, 'c').state.running);

  // Next crash waits 20s.
  w.clock.advance(500);
  w.cri.exit(w.cri.newest('c')!.c.id, 2);
  await sync();
  assert.equal(cs(w, 'c').state.waiting.message, 'back-off 20s restarting failed container=c pod=p_ns(u1)');
  // Only the newest dead instance is kept.
  assert.deepEqual([...w.cri.containers.values()].map((c) => c.c.metadata.attempt), [2]);
  worker.stop();
});

test('Never pod with a failing init container fails without starting app containers and stops its sandbox', async () => {
  const { w, worker, sync } = setup({ restartPolicy: 'Never', initContainers: [{ name: 'i', image: 'reg/i' }], containers: [{ name: 'a', image: 'reg/a' }] });
  await sync();
  w.cri.exit(w.cri.newest('i')!.c.id, 3);
  w.cri.calls.length = 0;
  await sync();
  assert.equal(status(w).phase, 'Failed');
  assert.ok(!w.cri.calls.some((c) => c.startsWith('createContainer')));
  assert.ok(w.cri.calls.some((c) => c.startsWith('stopPodSandbox')));
  assert.equal(cs(w, 'i').state.terminated.exitCode, 3);
  assert.deepEqual(cs(w, 'a').state, { waiting: { reason: 'PodInitializing' } });
  const ready = status(w).conditions.find((c: any) => c.type === 'Ready');
  assert.equal(ready.reason, 'PodFailed');
  worker.stop();
});

test('OnFailure pod whose container exits 0 succeeds; the sandbox is stopped and the container kept', async () => {
  const { w, worker, sync } = setup({ restartPolicy: 'OnFailure', containers: [{ name: 'a', image: 'reg/a' }] });
  await sync();
  w.cri.exit(w.cri.newest('a')!.c.id, 0);
  w.cri.calls.length = 0;
  await sync();
  assert.equal(status(w).phase, 'Succeeded');
  assert.ok(w.cri.calls.includes(`stopPodSandbox ${[...w.cri.sandboxes.keys()][0]}`));
  assert.equal(w.cri.containers.size, 1);
  // Later syncs leave it alone.
  w.cri.calls.length = 0;
  await sync();
  assert.deepEqual(w.cri.calls, []);
  worker.stop();
});

test('graceful deletion: Killing, preStop, StopContainer with the rest of the grace, final status, removal, DELETE with uid precondition', async () => {
  const { w, worker, sync } = setup({ containers: [{ name: 'a', image: 'reg/a', lifecycle: { preStop: { exec: { command: ['true'] } } } }] });
  await sync();
  const sandboxId = [...w.cri.sandboxes.keys()][0];
  const deleting = structuredClone(w.apiPod!);
  deleting.metadata.deletionTimestamp = '2026-01-02T00:00:10Z';
  deleting.metadata.deletionGracePeriodSeconds = 7;
  deleting.metadata.resourceVersion = w.nextRv();
  w.apiPod = deleting;
  w.cri.calls.length = 0;
  w.events.length = 0;
  await sync(deleting);
  assert.deepEqual(w.cri.calls, [
    'preStop a',
    'stopContainer a 7',
    'updateStatus Failed',
    `stopPodSandbox ${sandboxId}`,
    'removeContainer a attempt=0',
    `removePodSandbox ${sandboxId}`,
    'tearDownPod u1',
    'delete p',
  ]);
  assert.deepEqual(w.hookCalls.at(-1), 'preStop a 7');
  assert.deepEqual(evs(w), ['Killing|spec.containers{a}|Stopping container a']);
  assert.deepEqual(w.deletes, [{ name: 'p', opts: { gracePeriodSeconds: 0, preconditions: { uid: 'u1' } } }]);
  const last = w.statusWrites.at(-1);
  assert.equal(last.containerStatuses[0].state.terminated.exitCode, 137);
  assert.equal(last.containerStatuses[0].ready, false);
  assert.equal(worker.isFinished(), true);
  assert.equal(w.cri.containers.size + w.cri.sandboxes.size, 0);
  assert.ok(cgroupCalls.includes('u1 /kubepods/besteffort/podu1'));
});

test('liveness kill: Killing event with the probe message, then restart with restartCount 1', async () => {
  const { w, worker, sync } = setup({ containers: [{ name: 'a', image: 'reg/a', livenessProbe: { exec: { command: ['x'] }, terminationGracePeriodSeconds: 3 } }] });
  await sync();
  const first = w.cri.newest('a')!.c.id;
  w.events.length = 0;
  w.cri.calls.length = 0;
  worker.requestKill('a', first, 'liveness');
  await worker.whenIdle();
  assert.deepEqual(w.cri.calls.slice(0, 3), ['stopContainer a 3', 'createContainer a attempt=1', 'startContainer a']);
  assert.deepEqual(evs(w).slice(0, 1), ['Killing|spec.containers{a}|Container a failed liveness probe, will be restarted']);
  assert.equal(cs(w, 'a').restartCount, 1);
  assert.equal(cs(w, 'a').lastState.terminated.containerID, `containerd://${first}`);
  worker.stop();
});

test('config, create and start failures give Kubernetes events and waiting reasons', async () => {
  const { w, worker, sync } = setup({ containers: [{ name: 'a', image: 'reg/a' }, { name: 'b', image: 'reg/b' }] });
  w.envFailure.set('a', 'configmap "cm" not found');
  w.cri.failStart.set('b', 'exec: "/nope": stat /nope: no such file or directory');
  await sync();
  assert.deepEqual(cs(w, 'a').state, { waiting: { reason: 'CreateContainerConfigError', message: 'configmap "cm" not found' } });
  assert.deepEqual(cs(w, 'b').state.waiting, { reason: 'RunContainerError', message: 'exec: "/nope": stat /nope: no such file or directory' });
  assert.deepEqual(evs(w), [
    'Failed|spec.containers{a}|Error: configmap "cm" not found',
    'Created|spec.containers{b}|Created container b',
    'Failed|spec.containers{b}|Error: exec: "/nope": stat /nope: no such file or directory',
  ]);
  assert.equal(cs(w, 'b').lastState.terminated.reason, 'StartError');
  assert.equal(status(w).phase, 'Pending');
  worker.stop();
});

test('image failures leave the ImageService reason', async () => {
  const { w, worker, sync } = setup({ containers: [{ name: 'a', image: 'reg/a' }] });
  w.imageFailure = { ok: false, reason: 'ImagePullBackOff', message: 'Back-off pulling image "reg/a"' };
  await sync();
  assert.deepEqual(cs(w, 'a').state, { waiting: { reason: 'ImagePullBackOff', message: 'Back-off pulling image "reg/a"' } });
  assert.ok(!w.cri.calls.some((c) => c.startsWith('createContainer')));
  worker.stop();
});

test('sandbox creation failure: FailedCreatePodSandBox with the gRPC error text, NOTREADY sandbox removed', async () => {
  const { w, worker, sync } = setup({ containers: [{ name: 'a', image: 'reg/a' }] });
  w.cri.failSandbox = 'failed to setup network for sandbox: plugin failed';
  await sync();
  assert.deepEqual(evs(w), ['FailedCreatePodSandBox||Failed to create pod sandbox: rpc error: code = Unknown desc = failed to setup network for sandbox: plugin failed']);
  assert.equal(w.cri.sandboxes.size, 0);
  assert.equal(status(w).phase, 'Pending');
  assert.equal(cs(w, 'a').state.waiting.reason, 'ContainerCreating');
  // Next sync succeeds.
  await sync();
  assert.ok(cs(w, 'a').state.running);
  worker.stop();
});

test('sandbox died: SandboxChanged, containers re-created in a new sandbox with attempt+1', async () => {
  const { w, worker, sync } = setup({ containers: [{ name: 'a', image: 'reg/a' }] });
  await sync();
  const old = [...w.cri.sandboxes.values()][0];
  old.sb.state = 'SANDBOX_NOTREADY';
  w.cri.exit(w.cri.newest('a')!.c.id, 137);
  w.events.length = 0;
  w.cri.calls.length = 0;
  await sync();
  assert.deepEqual(evs(w)[0], 'SandboxChanged||Pod sandbox changed, it will be killed and re-created.');
  assert.deepEqual(w.cri.calls.slice(0, 4), [`stopPodSandbox ${old.sb.id}`, 'runPodSandbox attempt=1', 'createContainer a attempt=1', 'startContainer a']);
  assert.equal(cs(w, 'a').restartCount, 1);
  worker.stop();
});

test('postStart failure: FailedPostStartHook, container killed, waiting PostStartHookError', async () => {
  const { w, worker, sync } = setup({ containers: [{ name: 'a', image: 'reg/a', lifecycle: { postStart: { exec: { command: ['false'] } } } }] });
  w.hookResult = { result: 'failure', output: 'Exec lifecycle hook ([false]) for Container "a" in Pod "p_ns(u1)" failed - error: command \'false\' exited with 1: , message: ""' };
  await sync();
  assert.deepEqual(evs(w).slice(2), [`FailedPostStartHook|spec.containers{a}|${w.hookResult.output}`, 'Killing|spec.containers{a}|FailedPostStartHook']);
  assert.deepEqual(cs(w, 'a').state.waiting.reason, 'PostStartHookError');
  worker.stop();
});

test('adoption: running pods keep their containers; orphans are stopped and removed', async () => {
  const { w, worker, sync } = setup({ containers: [{ name: 'a', image: 'reg/a' }] });
  await sync();
  worker.stop(); // the agent goes away; containers stay
  const keptId = w.cri.newest('a')!.c.id;
  // An orphan: a pod that is no longer bound here.
  const labels = { [LABEL_POD_UID]: 'gone', [LABEL_POD_NAME]: 'old', [LABEL_POD_NAMESPACE]: 'ns', [LABEL_MANAGED_BY]: 'node-1' };
  const sbId = await w.cri.runPodSandbox({ metadata: { name: 'old', namespace: 'ns', uid: 'gone', attempt: 0 }, labels });
  const cid = await w.cri.createContainer(sbId, { metadata: { name: 'x', attempt: 0 }, image: { image: 'i' }, labels: { ...labels, [LABEL_CONTAINER_NAME]: 'x' } });
  await w.cri.startContainer(cid);
  const logDir = `${w.ctx.paths.podLogsDir}/ns_old_gone`;
  mkdirSync(logDir, { recursive: true });
  // Not ours (another node's label) — must be left alone.
  const foreign = await w.cri.runPodSandbox({ metadata: { name: 'f', namespace: 'ns', uid: 'f', attempt: 0 }, labels: { ...labels, [LABEL_POD_UID]: 'f', [LABEL_MANAGED_BY]: 'node-2' } });

  const cleaned = await removeOrphanedPods({ ctx: w.ctx, volumes: w.volumes }, new Set(['u1']));
  assert.deepEqual(cleaned, ['gone']);
  assert.equal(w.cri.containers.has(cid), false);
  assert.equal(w.cri.sandboxes.has(sbId), false);
  assert.equal(w.cri.sandboxes.has(foreign), true);
  assert.equal(existsSync(logDir), false);
  assert.deepEqual(w.torn, ['gone']);

  // A new worker for the live pod adopts: no new sandbox or container.
  const again = new PodWorker('u1', {
    ctx: w.ctx, images: w.images, volumes: w.volumes, env: w.env, probes: w.probes, backoff: new Backoff({ now: () => w.clock.ms }),
    hostDNS: () => ({ servers: [], searches: [], options: [] }), memoryCapacity: 1 << 30, resyncMs: 1e9,
  });
  w.cri.calls.length = 0;
  again.update(structuredClone(w.apiPod!));
  await again.whenIdle();
  assert.deepEqual(w.cri.calls.filter((c) => /^(runPodSandbox|createContainer|stopContainer)/.test(c)), []);
  assert.equal(cs(w, 'a').containerID, `containerd://${keptId}`);
  again.stop();
});

test('pod gone from the API (force delete): everything removed, no status write and no DELETE', async () => {
  const { w, worker, sync } = setup({ containers: [{ name: 'a', image: 'reg/a' }] });
  await sync();
  w.cri.calls.length = 0;
  worker.update(undefined);
  await worker.whenIdle();
  assert.ok(!w.cri.calls.some((c) => c.startsWith('updateStatus') || c.startsWith('delete')));
  assert.equal(w.cri.containers.size + w.cri.sandboxes.size, 0);
  assert.equal(worker.isFinished(), true);
});

test('status-only updates are reconciled without a sync; spec, label and deletion changes sync', async () => {
  const { w, worker, pod } = setup({ containers: [{ name: 'a', image: 'reg/a' }] });
  assert.equal(worker.update(structuredClone(pod)), true, 'the first sight of a pod syncs it');
  await worker.whenIdle();
  const calls = w.cri.calls.length;
  const next = (rv: string, change: (p: KubeObject) => void) => {
    const p = structuredClone(w.apiPod!);
    p.metadata.resourceVersion = rv;
    change(p);
    return p;
  };
  assert.equal(worker.update(next('1000', (p) => (p.status = { ...p.status, message: 'changed by someone' }))), false);
  await worker.whenIdle();
  assert.equal(w.cri.calls.length, calls, 'no runtime work for a status-only change');
  assert.equal(worker.update(next('1001', (p) => (p.metadata.labels = { x: 'y' }))), true);
  assert.equal(worker.update(next('1002', (p) => (p.metadata.annotations = { a: 'b' }))), true);
  assert.equal(worker.update(next('1003', (p) => (p.spec.activeDeadlineSeconds = 5))), true);
  assert.equal(worker.update(next('1004', (p) => (p.metadata.deletionTimestamp = '2026-01-01T00:00:00Z'))), true);
  assert.equal(worker.update(next('90', (p) => (p.metadata.labels = { older: 'yes' }))), false, 'an older version is ignored');
  await worker.whenIdle();
});
