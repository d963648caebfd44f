// The raw CRI floor: what containerd alone takes to get a single-container pod
// running (RunPodSandbox + CreateContainer + StartContainer), measured with a
// throwaway containerd of our own, the same way a kubelet would call it.

import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  LABEL_CONTAINER_NAME, LABEL_MANAGED_BY, LABEL_POD_NAME, LABEL_POD_NAMESPACE, LABEL_POD_UID,
  type ContainerConfig, type CriRuntime, type PodSandboxConfig,
} from '../../kubelet/cri/api.js';
import { connectCri } from '../../kubelet/cri/cri-client.js';
import { startContainerd, type ContainerdHandle } from '../../kubelet/cri/containerd-process.js';
import { ensurePauseImage, importImageArchive } from '../../kubelet/cri/image-import.js';
import { cleanupNetwork, removePodCgroups } from '../../kubelet/cri/host-cleanup.js';
import { PAUSE_IMAGE_REF, writePauseImageArchive } from '../../oci/pause-image.js';
import { writeImageArchive } from '../../testing/test-images.js';
import { randomNet } from '../../testing/node-cluster.js';
import { runPool } from '../scheduler/stats.js';
import { readRssMiB } from './rss.js';

export const BUSYBOX_FLOOR_REF = 'localhost/skiff-bench/busybox:1.36';
const QOS_PARENT = 'kubepods/besteffort';
const NAMESPACE = 'default';

export interface FloorRun {
  /** Per pod: RunPodSandbox sent → StartContainer returned, ms. */
  latencies: number[];
  /** First pod sent → last pod running, ms. */
  wallMs: number;
}

export interface FloorResult {
  sequential: FloorRun;
  concurrent: FloorRun;
  concurrency: number;
  /** containerd's own RSS with all pods of the concurrent run up, MiB. */
  containerdRssMiB?: number;
}

interface FloorPod {
  uid: string;
  sandboxId?: string;
  containerId?: string;
}

export interface FloorOptions {
  pods: number;
  concurrency: number;
  progress: (msg: string) => void;
}

export function sandboxConfig(name: string, uid: string, logRoot: string, node: string): PodSandboxConfig {
  return {
    metadata: { name, uid, namespace: NAMESPACE, attempt: 0 },
    hostname: name,
    log_directory: path.join(logRoot, `${NAMESPACE}_${name}_${uid}`),
    labels: { [LABEL_POD_NAME]: name, [LABEL_POD_NAMESPACE]: NAMESPACE, [LABEL_POD_UID]: uid, [LABEL_MANAGED_BY]: node },
    linux: {
      cgroup_parent: `/${QOS_PARENT}/pod${uid}`,
      security_context: { namespace_options: { network: 'POD', pid: 'CONTAINER', ipc: 'POD' } },
    },
  };
}

export function containerConfig(uid: string, name: string, node: string): ContainerConfig {
  return {
    metadata: { name: 'c', attempt: 0 },
    image: { image: BUSYBOX_FLOOR_REF },
    command: ['sleep', '3600'],
    log_path: 'c/0.log',
    labels: { [LABEL_POD_NAME]: name, [LABEL_POD_NAMESPACE]: NAMESPACE, [LABEL_POD_UID]: uid, [LABEL_CONTAINER_NAME]: 'c', [LABEL_MANAGED_BY]: node },
    linux: {
      // BestEffort: the kubelet gives minimum shares and no limit.
      resources: { cpu_shares: 2 },
      // P6: without this the container joins the pod PID namespace.
      security_context: { namespace_options: { network: 'POD', pid: 'CONTAINER', ipc: 'POD' } },
    },
  };
}

/** Starts one pod; returns its latency (ms). The pod is recorded in `pods` before the first call so teardown finds it. */
async function startPod(cri: CriRuntime, pods: FloorPod[], name: string, logRoot: string, node: string): Promise<number> {
  const p: FloorPod = { uid: crypto.randomUUID() };
  pods.push(p);
  const sb = sandboxConfig(name, p.uid, logRoot, node);
  fs.mkdirSync(sb.log_directory!, { recursive: true });
  const t0 = performance.now();
  p.sandboxId = await cri.runPodSandbox(sb);
  p.containerId = await cri.createContainer(p.sandboxId, containerConfig(p.uid, name, node), sb);
  await cri.startContainer(p.containerId);
  return performance.now() - t0;
}

/** Stop + remove every pod (10 at a time), then its cgroups; leaves `pods` empty. */
async function teardown(cri: CriRuntime, pods: FloorPod[]): Promise<void> {
  const all = pods.splice(0);
  await runPool(all.length, 10, async (i) => {
    const p = all[i];
    if (p.containerId) {
      await cri.stopContainer(p.containerId, 0);
      await cri.removeContainer(p.containerId);
    }
    if (p.sandboxId) {
      await cri.stopPodSandbox(p.sandboxId);
      await cri.removePodSandbox(p.sandboxId);
    }
    removePodCgroups(p.uid, QOS_PARENT);
  });
}

async function measure(cri: CriRuntime, pods: FloorPod[], prefix: string, n: number, concurrency: number, logRoot: string, node: string): Promise<FloorRun> {
  const latencies: number[] = new Array(n);
  const t0 = performance.now();
  await runPool(n, concurrency, async (i) => {
    latencies[i] = await startPod(cri, pods, `${prefix}-${i}`, logRoot, node);
  });
  return { latencies, wallMs: performance.now() - t0 };
}

/** Runs the floor on a private containerd; always stops it and cleans the host. */
export async function runCriFloor(o: FloorOptions): Promise<FloorResult> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'skpbf-'));
  const logRoot = path.join(dir, 'logs');
  const net = randomNet();
  const node = `pods-bench-floor-${path.basename(dir)}`;
  let containerd: ContainerdHandle | undefined;
  let cri: CriRuntime | undefined;
  const pods: FloorPod[] = [];
  try {
    o.progress(`floor: starting containerd in ${dir} (bridge ${net.bridge}, ${net.cidr})`);
    containerd = await startContainerd({ dir: path.join(dir, 'ctrd'), bridge: net.bridge, podCIDR: net.cidr, pauseImage: PAUSE_IMAGE_REF });
    cri = connectCri(containerd.socket);
    await ensurePauseImage(containerd.socket, PAUSE_IMAGE_REF, (p) => writePauseImageArchive(p, PAUSE_IMAGE_REF), cri);
    const archive = path.join(dir, 'busybox.tar');
    await writeImageArchive(archive, 'busybox', BUSYBOX_FLOOR_REF);
    await importImageArchive(containerd.socket, archive);
    for (let i = 0; !(await cri.imageStatus(BUSYBOX_FLOOR_REF)); i++) {
      if (i > 200) throw new Error(`${BUSYBOX_FLOOR_REF} imported but not visible to CRI`);
      await new Promise((r) => setTimeout(r, 50));
    }

    o.progress('floor: warm-up pod');
    await startPod(cri, pods, 'floor-warmup', logRoot, node);
    await teardown(cri, pods);

    o.progress(`floor: ${o.pods} pods sequentially`);
    const sequential = await measure(cri, pods, 'floor-seq', o.pods, 1, logRoot, node);
    await teardown(cri, pods);

    o.progress(`floor: ${o.pods} pods, ${o.concurrency} at a time`);
    const concurrent = await measure(cri, pods, 'floor-par', o.pods, o.concurrency, logRoot, node);
    const containerdRssMiB = readRssMiB(containerd.pid);
    await teardown(cri, pods);
    return { sequential, concurrent, concurrency: o.concurrency, containerdRssMiB };
  } finally {
    if (cri) {
      await teardown(cri, pods).catch((e) => o.progress(`floor: teardown failed: ${(e as Error).message}`));
      cri.close();
    }
    await containerd?.stop();
    await cleanupNetwork(net.bridge).catch((e) => o.progress(`floor: network cleanup failed: ${(e as Error).message}`));
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
