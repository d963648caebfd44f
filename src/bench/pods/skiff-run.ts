// Pod startup through Skiff: `skiff server` (with the scheduler) plus `skiff agent`
// as its own process running pods on its own containerd. Latency is create
// request sent → the pod watch delivering status.phase Running.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { RestClient, type KubeObject, type WatchHandle } from '../../client/index.js';
import { resources, type ResourceDef } from '../../api/resources.js';
import { connectCri } from '../../kubelet/cri/cri-client.js';
import { containerdLayout } from '../../kubelet/cri/containerd-process.js';
import type { CriRuntime } from '../../kubelet/cri/api.js';
import { startSkiff, type SkiffProcess } from '../../testing/server-process.js';
import { randomNet, startAgent, waitFor, type AgentProcess } from '../../testing/node-cluster.js';
import { startRegistry, type TestRegistry } from '../../testing/registry.js';
import { pushTestImages } from '../../testing/test-images.js';
import { runPool } from '../scheduler/stats.js';
import { RunningTracker } from './running-tracker.js';
import { readRss, readRssMiB, type RssMiB } from './rss.js';
import { nsToEpochMs, type PodTimes } from './phases.js';

const def = (plural: string): ResourceDef => resources.find((r) => r.group === '' && r.plural === plural)!;
const PODS = def('pods');
const NODES = def('nodes');
const NAMESPACE = 'default';
const LABEL = 'skiff.dev/bench=pods';
const NODE_NAME = 'bench-node';
const RUNNING_TIMEOUT_MS = 120_000;
const GONE_TIMEOUT_MS = 180_000;

export interface SkiffRun {
  latencies: number[];
  wallMs: number;
  /** Per pod, for the phase breakdown. */
  times: PodTimes[];
}

export interface RssSample {
  agent?: RssMiB;
  containerd?: number;
}

export interface SkiffResult {
  sequential: SkiffRun;
  concurrent: SkiffRun;
  concurrency: number;
  /** MiB: after the warm-up pod is gone and 5 s of quiet; with all pods of each run up. */
  rss: { idle: RssSample; fullSequential: RssSample; fullConcurrent: RssSample; afterDelete: RssSample };
  /** How the agent ran: compiled JS or under tsx (which adds the compiler to its RSS). */
  agentRuntime: 'compiled' | 'tsx';
}

export interface SkiffOptions {
  pods: number;
  concurrency: number;
  progress: (msg: string) => void;
}

export function benchPod(name: string, image: string): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: NAMESPACE, labels: { 'skiff.dev/bench': 'pods' } },
    spec: {
      // `sleep` as PID 1 ignores SIGTERM: a short grace keeps the deletes between runs quick.
      terminationGracePeriodSeconds: 1,
      containers: [{ name: 'c', image, imagePullPolicy: 'IfNotPresent', command: ['sleep', '3600'] }],
    },
  } as KubeObject;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A label-selected pod watch feeding a RunningTracker, re-opened from the last resourceVersion when it ends. */
class PodWatch {
  readonly tracker = new RunningTracker();
  private handle?: WatchHandle;
  private rv = '';
  private stopped = false;

  constructor(private readonly client: RestClient) {}

  async start(): Promise<void> {
    const list = await this.client.list(PODS, NAMESPACE, { labelSelector: LABEL });
    this.rv = list.metadata.resourceVersion ?? '';
    for (const p of list.items) this.tracker.onEvent('ADDED', p as never);
    this.open();
  }

  private open(): void {
    const h = this.client.watch(PODS, NAMESPACE, { resourceVersion: this.rv, labelSelector: LABEL, allowWatchBookmarks: true }, (ev) => {
      const rv = (ev.object as KubeObject | undefined)?.metadata?.resourceVersion;
      if (rv) this.rv = rv;
      this.tracker.onEvent(ev.type, ev.object as never);
    });
    this.handle = h;
    h.done.then(
      () => !this.stopped && this.open(),
      () => !this.stopped && setTimeout(() => this.open(), 200),
    );
  }

  stop(): void {
    this.stopped = true;
    this.handle?.stop();
  }
}

function podSummary(p: any): string {
  const cs = (p?.status?.containerStatuses ?? []).map((c: any) => `${c.name}: ${JSON.stringify(c.state)}`).join('; ');
  return `phase=${p?.status?.phase} node=${p?.spec?.nodeName ?? '<none>'} conditions=${JSON.stringify(p?.status?.conditions ?? [])} containers=${cs || '<none>'}`;
}

export async function runSkiff(o: SkiffOptions): Promise<SkiffResult> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'skpbs-'));
  const agentDir = path.join(dir, 'agent');
  const net = randomNet();
  let registry: TestRegistry | undefined;
  let server: SkiffProcess | undefined;
  let agent: AgentProcess | undefined;
  let client: RestClient | undefined;
  let watch: PodWatch | undefined;
  let cri: CriRuntime | undefined;
  const created = new Set<string>();

  const rss = (): RssSample => {
    let containerdPid: number | undefined;
    try {
      containerdPid = Number(fs.readFileSync(containerdLayout(path.join(agentDir, 'containerd')).pidFile, 'utf8').trim());
    } catch { /* not running its own containerd */ }
    return { agent: agent ? readRss(agent.pid) : undefined, containerd: containerdPid ? readRssMiB(containerdPid) : undefined };
  };

  /** Deletes the pods, waits until the API has none left and the agent's containerd has no running sandbox. */
  const deleteAll = async (names: string[]) => {
    await runPool(names.length, 10, async (i) => {
      await client!.delete(PODS, NAMESPACE, names[i]).catch(() => undefined);
    });
    if (!(await watch!.tracker.waitGone(names, GONE_TIMEOUT_MS))) {
      const left = names.filter((n) => watch!.tracker.present.has(n));
      throw new Error(`pods still present ${GONE_TIMEOUT_MS} ms after delete: ${left.join(', ')}`);
    }
    for (const n of names) created.delete(n);
    await waitFor(async () => (await cri!.listPodSandbox({ state: { state: 'SANDBOX_READY' } })).length === 0, 60_000, 'agent sandboxes stopped', 200);
  };

  const createSent = new Map<string, number>();
  /** performance.now() → epoch ms (containerd's clock). */
  const epoch = (t: number) => performance.timeOrigin + t;

  /** Creates a pod and waits for Running; returns create sent → Running seen (ms). */
  const startPod = async (name: string, image: string): Promise<number> => {
    const t0 = performance.now();
    createSent.set(name, t0);
    created.add(name);
    await client!.create(PODS, NAMESPACE, benchPod(name, image));
    try {
      return (await watch!.tracker.waitRunning(name, RUNNING_TIMEOUT_MS)) - t0;
    } catch (e) {
      const pod = await client!.get(PODS, NAMESPACE, name).catch((err) => ({ error: String(err) }));
      const tail = agent?.output().slice(-4000) ?? '';
      throw new Error(`${(e as Error).message}: ${podSummary(pod)}\n--- agent output (tail) ---\n${tail}`);
    }
  };

  /** Joins the watch's times with containerd's sandbox created_at / container started_at, by pod name. */
  const podTimes = async (names: string[]): Promise<PodTimes[]> => {
    const sandboxes = await cri!.listPodSandbox({ state: { state: 'SANDBOX_READY' } });
    const byName = new Map(sandboxes.map((sb) => [sb.metadata.name, sb]));
    const containers = await cri!.listContainers();
    const started = new Map<string, number | undefined>();
    for (const c of containers) {
      const st = await cri!.containerStatus(c.id);
      if (st?.state === 'CONTAINER_RUNNING') started.set(c.pod_sandbox_id, nsToEpochMs(st.started_at));
    }
    const t = watch!.tracker;
    return names.map((n) => {
      const sb = byName.get(n);
      const at = (v: number | undefined) => (v === undefined ? undefined : epoch(v));
      return {
        createSent: epoch(createSent.get(n)!),
        bound: at(t.boundAt.get(n)),
        sandboxCreated: nsToEpochMs(sb?.created_at),
        containerStarted: sb ? started.get(sb.id) : undefined,
        running: at(t.runningAt.get(n)),
      };
    });
  };

  const measure = async (prefix: string, image: string, concurrency: number): Promise<{ run: SkiffRun; names: string[] }> => {
    const names = Array.from({ length: o.pods }, (_, i) => `${prefix}-${i}`);
    const latencies: number[] = new Array(o.pods);
    const t0 = performance.now();
    await runPool(o.pods, concurrency, async (i) => {
      latencies[i] = await startPod(names[i], image);
    });
    const wallMs = performance.now() - t0;
    return { run: { latencies, wallMs, times: await podTimes(names) }, names };
  };

  try {
    o.progress(`skiff: registry + busybox image, server, agent (bridge ${net.bridge}, ${net.cidr}) in ${dir}`);
    registry = await startRegistry({ dir: path.join(dir, 'registry') });
    const image = (await pushTestImages(registry, ['busybox:1.36']))['busybox:1.36'];
    server = await startSkiff({ dataDir: path.join(dir, 'server'), scheduler: true });
    agent = await startAgent(server, { nodeName: NODE_NAME, dataDir: agentDir, cleanupOnExit: true, net });
    const agentRuntime = import.meta.url.endsWith('.js') ? 'compiled' : 'tsx';
    client = new RestClient({ kubeconfig: server.kubeconfig }, { component: 'pods-bench', timeoutMs: 60_000 });
    const c = client;
    await waitFor(async () => {
      const node = await c.get(NODES, undefined, NODE_NAME).catch(() => undefined);
      return (node as any)?.status?.conditions?.some((x: any) => x.type === 'Ready' && x.status === 'True') === true;
    }, 60_000, `node ${NODE_NAME} Ready`);
    cri = connectCri(containerdLayout(path.join(agentDir, 'containerd')).socket);
    watch = new PodWatch(client);
    await watch.start();

    o.progress('skiff: warm-up pod (pulls the image once)');
    const warm = await startPod('bench-warmup', image);
    o.progress(`skiff: warm-up pod Running after ${warm.toFixed(0)} ms`);
    await deleteAll(['bench-warmup']);
    await sleep(5000);
    const idle = rss();
    o.progress(`skiff: agent RSS idle ${idle.agent?.total.toFixed(1)} MiB`);

    o.progress(`skiff: ${o.pods} pods sequentially`);
    const seq = await measure('bench-seq', image, 1);
    await sleep(5000);
    const fullSequential = rss();
    o.progress(`skiff: agent RSS with ${o.pods} pods ${fullSequential.agent?.total.toFixed(1)} MiB; deleting`);
    await deleteAll(seq.names);

    o.progress(`skiff: ${o.pods} pods, ${o.concurrency} at a time`);
    const par = await measure('bench-par', image, o.concurrency);
    await sleep(5000);
    const fullConcurrent = rss();
    o.progress(`skiff: agent RSS with ${o.pods} pods ${fullConcurrent.agent?.total.toFixed(1)} MiB; deleting`);
    await deleteAll(par.names);
    await sleep(5000);
    const afterDelete = rss();

    return {
      sequential: seq.run,
      concurrent: par.run,
      concurrency: o.concurrency,
      rss: { idle, fullSequential, fullConcurrent, afterDelete },
      agentRuntime,
    };
  } finally {
    if (client && watch && cri && created.size > 0) {
      o.progress(`skiff: cleaning up ${created.size} pods`);
      await deleteAll([...created]).catch((e) => o.progress(`skiff: pod cleanup: ${(e as Error).message}`));
    }
    watch?.stop();
    client?.close();
    cri?.close();
    // --cleanup-on-exit: the agent removes whatever is left, stops its containerd and deletes the bridge.
    await agent?.stop();
    await server?.stop();
    await registry?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
