// The raw CRI floor: what containerd alone takes to get a single-container pod
// running (RunPodSandbox + CreateContainer + StartContainer), measured with a
// throwaway containerd of our own, the same way a kubelet would call it.

import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import {
  LABEL_CONTAINER_NAME, LABEL_MANAGED_BY, LABEL_POD_NAME, LABEL_POD_NAMESPACE, LABEL_POD_UID,
  type ContainerConfig, type CriRuntime, type PodSandboxConfig,
} from '../../kubelet/cri/api.js';
import { removePodCgroups } from '../../kubelet/cri/host-cleanup.js';
import { startTestContainerd, type TestContainerd } from '../../testing/containerd-fixture.js';
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
  let ctrd: TestContainerd | undefined;
  const pods: FloorPod[] = [];
  try {
    ctrd = await startTestContainerd({ prefix: 'skpbf-', images: [BUSYBOX_FLOOR_REF] });
    const { cri, dir } = ctrd;
    const logRoot = path.join(dir, 'logs');
    const node = `pods-bench-floor-${path.basename(dir)}`;
    o.progress(`floor: containerd in ${dir} (bridge ${ctrd.bridge}, ${ctrd.cidr}) with the pause and busybox images`);

    o.progress('floor: warm-up pod');
    await startPod(cri, pods, 'floor-warmup', logRoot, node);
    await teardown(cri, pods);

    o.progress(`floor: ${o.pods} pods sequentially`);
    const sequential = await measure(cri, pods, 'floor-seq', o.pods, 1, logRoot, node);
    await teardown(cri, pods);

    o.progress(`floor: ${o.pods} pods, ${o.concurrency} at a time`);
    const concurrent = await measure(cri, pods, 'floor-par', o.pods, o.concurrency, logRoot, node);
    const containerdRssMiB = readRssMiB(ctrd.handle.pid);
    await teardown(cri, pods);
    return { sequential, concurrent, concurrency: o.concurrency, containerdRssMiB };
  } finally {
    if (ctrd) {
      // Our own teardown first, so its failures are reported; stop() then removes whatever is left.
      await teardown(ctrd.cri, pods).catch((e) => o.progress(`floor: teardown failed: ${(e as Error).message}`));
      await ctrd.stop();
    }
  }
}
