// Test helper: a throwaway containerd of our own (temp dir, unique bridge and
// pod CIDR, a private cgroup parent) with the pause image and test images
// imported, and a stop() that leaves the host as it was: pods removed,
// containerd stopped, bridge and hostPort chains gone, cgroups and dir removed.

import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { CriRuntime } from '../kubelet/cri/api.js';
import { connectCri } from '../kubelet/cri/cri-client.js';
import { startContainerd, stopStaleContainerd, type ContainerdHandle } from '../kubelet/cri/containerd-process.js';
import { cleanupNetwork, removeCgroupTree } from '../kubelet/cri/host-cleanup.js';
import { ensurePauseImage, importImageArchive } from '../kubelet/cri/image-import.js';
import { PAUSE_IMAGE_REF, writePauseImageArchive } from '../oci/pause-image.js';
import { REGISTRY_BINARY } from './registry.js';
import { writeImageArchive } from './test-images.js';

/** Where tests import the busybox test image when they need one without a registry. */
export const TEST_BUSYBOX_REF = 'localhost/skiff-test/busybox:1.36';

export function randomHex(n: number): string {
  return crypto.randomBytes(Math.ceil(n / 2)).toString('hex').slice(0, n);
}

/** A bridge name and /24 pod CIDR unlikely to collide with another containerd on this machine. */
export function randomNet(): { bridge: string; cidr: string } {
  const a = 100 + Math.floor(Math.random() * 150);
  const b = Math.floor(Math.random() * 250);
  return { bridge: `sk${randomHex(6)}`, cidr: `10.${a}.${b}.0/24` };
}

function onPath(bin: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${bin}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Why a containerd test cannot run on this machine, or false when it can. */
export function containerdSkipReason(needs: { registry?: boolean } = {}): string | false {
  if (process.getuid?.() !== 0) return 'needs root';
  if (!onPath('containerd') || !onPath('ctr') || !onPath('runc')) return 'containerd, ctr or runc is not installed';
  if (needs.registry && !fs.existsSync(REGISTRY_BINARY)) return 'docker-registry is not installed';
  return false;
}

export interface TestContainerdOptions {
  /** Prefix of the temp dir in the OS temp dir (default "skctrd-"). */
  prefix?: string;
  /** Import the pause image before returning (default true). */
  pause?: boolean;
  /** Full references to import the busybox-based test image under (its config follows the name, see test-images). */
  images?: string[];
}

export interface TestContainerd {
  /** The temp dir, removed by stop(); containerd's own files are in ctrdDir below it. */
  dir: string;
  ctrdDir: string;
  handle: ContainerdHandle;
  socket: string;
  cri: CriRuntime;
  bridge: string;
  /** The pod CIDR, e.g. 10.123.45.0/24. */
  cidr: string;
  /** A cgroup parent of its own ("/skiff-test-<hex>"); stop() removes it with everything below. */
  cgroupParent: string;
  /** Another cgroup tree for stop() to remove (e.g. a pod cgroup under /kubepods). */
  removeCgroupOnStop(relPath: string): void;
  /** Best effort, never throws: every pod, containerd (also one restarted on ctrdDir), the network, the cgroups, the dir. */
  stop(): Promise<void>;
}

async function waitForImage(cri: CriRuntime, ref: string): Promise<void> {
  // The CRI plugin learns of `ctr images import` through events.
  for (let i = 0; !(await cri.imageStatus(ref)); i++) {
    if (i >= 200) throw new Error(`${ref} imported but not visible to CRI`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function removeAllPods(cri: CriRuntime): Promise<void> {
  // The containerd is ours alone, so every sandbox in it is ours.
  for (const s of await cri.listPodSandbox()) {
    for (const c of await cri.listContainers({ pod_sandbox_id: s.id })) {
      await cri.stopContainer(c.id, 0);
      await cri.removeContainer(c.id);
    }
    await cri.stopPodSandbox(s.id);
    await cri.removePodSandbox(s.id);
  }
}

export async function startTestContainerd(opts: TestContainerdOptions = {}): Promise<TestContainerd> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), opts.prefix ?? 'skctrd-'));
  const ctrdDir = path.join(dir, 'ctrd');
  const net = randomNet();
  const cgroupParent = `/skiff-test-${randomHex(6)}`;
  const cgroups = [cgroupParent];
  let handle: ContainerdHandle | undefined;
  let cri: CriRuntime | undefined;

  const stop = async () => {
    if (cri) {
      await removeAllPods(cri).catch(() => undefined);
      cri.close();
    }
    await handle?.stop().catch(() => undefined);
    await stopStaleContainerd(ctrdDir).catch(() => undefined);
    await cleanupNetwork(net.bridge).catch(() => undefined);
    for (const cg of cgroups) {
      try {
        removeCgroupTree(cg);
      } catch {
        /* already gone, or not ours to judge */
      }
    }
    try {
      fs.rmSync(dir, { recursive: true, force: true });
    } catch {
      /* something is still mounted below it */
    }
  };

  try {
    handle = await startContainerd({ dir: ctrdDir, bridge: net.bridge, podCIDR: net.cidr, pauseImage: PAUSE_IMAGE_REF });
    cri = connectCri(handle.socket);
    if (opts.pause ?? true) await ensurePauseImage(handle.socket, PAUSE_IMAGE_REF, (p) => writePauseImageArchive(p, PAUSE_IMAGE_REF), cri);
    for (const [i, ref] of (opts.images ?? []).entries()) {
      const archive = path.join(dir, `image-${i}.tar`);
      await writeImageArchive(archive, ref, ref);
      await importImageArchive(handle.socket, archive);
      fs.rmSync(archive, { force: true });
      await waitForImage(cri, ref);
    }
  } catch (e) {
    await stop();
    throw e;
  }

  return {
    dir,
    ctrdDir,
    handle,
    socket: handle.socket,
    cri,
    bridge: net.bridge,
    cidr: net.cidr,
    cgroupParent,
    removeCgroupOnStop: (relPath) => void cgroups.push(relPath),
    stop,
  };
}
