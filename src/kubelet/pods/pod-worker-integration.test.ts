// A two-container pod through a real containerd (own temp dir, bridge and
// CIDR): sandbox with an IP, both containers started with $(VAR) expansion, a
// crashing container restarted then backed off, logs written, and graceful
// deletion removing everything including the pod cgroup and log directory.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import type { CriRuntime } from '../cri/api.js';
import { cgroupHierarchies, podCgroupPath, removeCgroupTree } from '../cri/host-cleanup.js';
import { containerdSkipReason, randomHex, startTestContainerd, TEST_BUSYBOX_REF as BUSYBOX_REF, type TestContainerd } from '../../testing/containerd-fixture.js';
import { until } from '../../testing/wait.js';
import { Backoff } from '../backoff.js';
import { PodWorker } from './pod-worker.js';
import { FakeWorld } from './test-fakes.js';

const skip = containerdSkipReason();

const uid = `${randomHex(8)}-${randomHex(4)}-${randomHex(4)}`;

let ctrd: TestContainerd | undefined;
let cri: CriRuntime | undefined;
let dir = '';
let world: FakeWorld;

before(async () => {
  if (skip) return;
  ctrd = await startTestContainerd({ prefix: 'skpods-', images: [BUSYBOX_REF] });
  ctrd.removeCgroupOnStop(podCgroupPath(uid, '/kubepods/besteffort'));
  cri = ctrd.cri;
  dir = ctrd.dir;
});

after(async () => {
  await ctrd?.stop();
});

test('a two-container pod runs, restarts a crashing container with back-off, and is deleted cleanly', { skip, timeout: 120_000 }, async () => {
  assert.ok(cri);
  world = new FakeWorld(path.join(dir, 'agent'));
  const ctx = { ...world.ctx, cri, now: () => new Date() };
  const images = { ensureImage: async () => ({ ok: true as const, imageRef: BUSYBOX_REF }) };
  const worker = new PodWorker(uid, {
    ctx,
    images,
    volumes: world.volumes,
    env: world.env,
    probes: world.probes,
    backoff: new Backoff(),
    hostDNS: () => ({ servers: ['10.0.0.2'], searches: [], options: [] }),
    memoryCapacity: 4 * 1024 ** 3,
    resyncMs: 1e9,
    cleanup: { removePodCgroups: (_u, podCgroup) => removeCgroupTree(podCgroup) },
  });
  const pod: any = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'duo', namespace: 'default', uid, resourceVersion: '1' },
    spec: {
      nodeName: 'node-1',
      restartPolicy: 'Always',
      terminationGracePeriodSeconds: 2,
      containers: [
        { name: 'main', image: BUSYBOX_REF, command: ['sh', '-c', 'echo hello $(WHO); exec sleep 3600'] },
        { name: 'crash', image: BUSYBOX_REF, command: ['sh', '-c', 'echo bye; exit 3'] },
      ],
    },
    status: { phase: 'Pending' },
  };
  world.apiPod = pod;
  const sync = async () => {
    if (!worker.update(structuredClone(world.apiPod))) worker.requestSync();
    await worker.whenIdle();
  };
  const cs = (n: string) => world.apiPod!.status.containerStatuses.find((s: any) => s.name === n);

  await sync();
  const st = world.apiPod!.status;
  assert.ok(String(st.podIP).startsWith(ctrd!.cidr.replace(/0\/24$/, '')), `pod IP ${st.podIP}`);
  assert.ok(cs('main').state.running, JSON.stringify(cs('main')));
  assert.match(cs('main').containerID, /^containerd:\/\/[0-9a-f]{64}$/);
  assert.ok(cs('main').imageID.includes('sha256:'), cs('main').imageID);

  // The crashing container exits 3; the next sync restarts it at once (attempt 1).
  await until('crash to exit', async () => (await cri!.listContainers({ label_selector: { 'io.kubernetes.container.name': 'crash' } })).some((c) => c.state === 'CONTAINER_EXITED'));
  await sync();
  assert.equal(cs('crash').restartCount, 1);
  assert.equal(cs('crash').lastState.terminated.exitCode, 3);
  assert.equal(cs('crash').lastState.terminated.reason, 'Error');
  await until('crash to exit again', async () => {
    const list = await cri!.listContainers({ label_selector: { 'io.kubernetes.container.name': 'crash' } });
    return list.filter((c) => c.state === 'CONTAINER_EXITED').length >= 1 && !list.some((c) => c.state === 'CONTAINER_RUNNING');
  });
  await sync();
  assert.equal(cs('crash').state.waiting?.reason, 'CrashLoopBackOff', JSON.stringify(cs('crash')));
  assert.equal(cs('crash').state.waiting.message, `back-off 10s restarting failed container=crash pod=duo_default(${uid})`);
  assert.equal(world.apiPod!.status.phase, 'Running');

  const logDir = `${ctx.paths.podLogsDir}/default_duo_${uid}`;
  const mainLog = fs.readFileSync(`${logDir}/main/0.log`, 'utf8');
  assert.match(mainLog, / stdout F hello world\n/);
  assert.ok(fs.existsSync(`${logDir}/crash/1.log`));
  assert.ok(cgroupHierarchies().some((h) => fs.existsSync(`${h}/kubepods/besteffort/pod${uid}`)));

  // Graceful deletion.
  world.apiPod = { ...world.apiPod!, metadata: { ...world.apiPod!.metadata, deletionTimestamp: new Date().toISOString(), deletionGracePeriodSeconds: 2, resourceVersion: world.nextRv() } };
  const t0 = Date.now();
  await sync();
  assert.ok(Date.now() - t0 < 15_000);
  assert.equal(worker.isFinished(), true);
  assert.deepEqual(world.deletes, [{ name: 'duo', opts: { gracePeriodSeconds: 0, preconditions: { uid } } }]);
  const final = world.statusWrites.at(-1);
  assert.equal(final.phase, 'Failed');
  assert.equal(final.containerStatuses.find((s: any) => s.name === 'main').state.terminated.exitCode, 137);
  assert.deepEqual(await cri.listContainers({ label_selector: { 'io.kubernetes.pod.uid': uid } }), []);
  assert.deepEqual(await cri.listPodSandbox({ label_selector: { 'io.kubernetes.pod.uid': uid } }), []);
  assert.equal(fs.existsSync(logDir), false);
  assert.ok(!cgroupHierarchies().some((h) => fs.existsSync(`${h}/kubepods/besteffort/pod${uid}`)), 'pod cgroup removed');
  assert.ok(world.events.some((e) => e.reason === 'Killing' && e.message === 'Stopping container main'));
});
