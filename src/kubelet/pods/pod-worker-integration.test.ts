// A two-container pod through a real containerd (own temp dir, bridge and
// CIDR): sandbox with an IP, both containers started with $(VAR) expansion, a
// crashing container restarted then backed off, logs written, and graceful
// deletion removing everything including the pod cgroup and log directory.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { LABEL_MANAGED_BY, type CriRuntime } from '../cri/api.js';
import { connectCri } from '../cri/cri-client.js';
import { startContainerd, type ContainerdHandle } from '../cri/containerd-process.js';
import { ensurePauseImage, importImageArchive } from '../cri/image-import.js';
import { cleanupNetwork, cgroupHierarchies, removeCgroupTree, removePodCgroups } from '../cri/host-cleanup.js';
import { PAUSE_IMAGE_REF, writePauseImageArchive } from '../../oci/pause-image.js';
import { writeImageArchive } from '../../testing/test-images.js';
import { Backoff } from './backoff.js';
import { PodWorker } from './pod-worker.js';
import { FakeWorld } from './test-fakes.js';

function which(bin: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${bin}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const skip = process.getuid?.() !== 0 ? 'needs root' : !which('containerd') || !which('ctr') || !which('runc') ? 'containerd, ctr or runc is not installed' : false;

const hex = (n: number) => Array.from({ length: n }, () => Math.floor(Math.random() * 16).toString(16)).join('');
const bridge = `sk${hex(4)}`;
const cidrBase = `10.${100 + Math.floor(Math.random() * 150)}.${Math.floor(Math.random() * 256)}`;
const uid = `${hex(8)}-${hex(4)}-${hex(4)}`;
const BUSYBOX_REF = 'localhost/skiff-test/busybox:1.36';

let dir = '';
let handle: ContainerdHandle | undefined;
let cri: CriRuntime | undefined;
let world: FakeWorld;

before(async () => {
  if (skip) return;
  dir = fs.mkdtempSync('/tmp/skpods-');
  handle = await startContainerd({ dir: path.join(dir, 'ctrd'), bridge, podCIDR: `${cidrBase}.0/24`, pauseImage: PAUSE_IMAGE_REF });
  cri = connectCri(handle.socket);
  await ensurePauseImage(handle.socket, PAUSE_IMAGE_REF, (p) => writePauseImageArchive(p, PAUSE_IMAGE_REF), cri);
  const archive = path.join(dir, 'busybox.tar');
  await writeImageArchive(archive, 'busybox', BUSYBOX_REF);
  await importImageArchive(handle.socket, archive);
  for (let i = 0; i < 100 && !(await cri.imageStatus(BUSYBOX_REF)); i++) await new Promise((r) => setTimeout(r, 50));
});

after(async () => {
  if (skip) return;
  if (cri) {
    try {
      for (const s of await cri.listPodSandbox({ label_selector: { [LABEL_MANAGED_BY]: 'node-1' } })) {
        await cri.stopPodSandbox(s.id);
        await cri.removePodSandbox(s.id);
      }
    } catch {
      /* containerd already gone */
    }
    cri.close();
  }
  await handle?.stop();
  await cleanupNetwork(bridge).catch(() => undefined);
  try {
    removePodCgroups(uid, '/kubepods/besteffort');
  } catch {
    /* already gone */
  }
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until<T>(what: string, f: () => Promise<T | undefined | false>, ms = 15_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await f();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

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
    worker.update(structuredClone(world.apiPod));
    await worker.whenIdle();
  };
  const cs = (n: string) => world.apiPod!.status.containerStatuses.find((s: any) => s.name === n);

  await sync();
  const st = world.apiPod!.status;
  assert.ok(String(st.podIP).startsWith(`${cidrBase}.`), `pod IP ${st.podIP}`);
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
