// End to end through the real `skiff server`: nodes and pods created over the
// API by a pool of keep-alive clients, a pod watch that records when each pod
// is bound, and the bench acting as the kubelet where pods get evicted.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { RestClient, type KubeObject, type WatchHandle } from '../../client/index.js';
import { resources, type ResourceDef } from '../../api/resources.js';
import { spawn } from 'node:child_process';
import { cliCommand, startSkiff, type SkiffProcess } from '../../testing/server-process.js';
import { latencySummary, runPool, windowedThroughput, type LatencySummary, type Throughput } from './stats.js';
import { podName, type Obj, type Workload } from './workloads.js';

const def = (plural: string): ResourceDef => resources.find((r) => r.group === '' && r.plural === plural)!;
const PODS = def('pods');
const NODES = def('nodes');
const NAMESPACES = def('namespaces');
const PRIORITY_CLASSES = resources.find((r) => r.group === 'scheduling.k8s.io' && r.plural === 'priorityclasses')!;
// Workload objects are plain JSON built for the API; the client types them as KubeObject.
const kube = (o: Obj): KubeObject => o as KubeObject;

export interface ServerOptions {
  /** Extra `skiff server` flags (e.g. ['--disable', 'scheduler']). */
  args?: string[];
  /** Run the server under --cpu-prof, writing the profile here when it stops. */
  cpuProfileDir?: string;
  /**
   * Where the scheduler runs: inside `skiff server` (the default deployment) or as
   * its own `skiff scheduler` process (like kube-scheduler), leaving the server to the API.
   */
  scheduler?: 'in-server' | 'own-process';
}

export interface EndToEndOptions extends ServerOptions {
  /** Concurrent requests when creating objects. Default 32. */
  concurrency?: number;
  progress?: (msg: string) => void;
  /** Give up when no pod got bound for this long. Default 60 s. */
  stallMs?: number;
  /** Stop waiting for measured pods after this long and report the ones bound so far. Default 120 s. */
  measuredTimeoutMs?: number;
}

export interface EndToEndResult {
  workload: string;
  measured: number;
  bound: number;
  seconds: number;
  throughput: Throughput;
  /** Create request sent → bind seen on the watch. */
  latency: LatencySummary;
  /** How fast the measured pods were created (pods/s), for context. */
  createRate: number;
  /** Pods the bench deleted as the kubelet, or that vanished through preemption. */
  evicted: number;
  /** The measured phase on the monotonic clock (µs), which V8 profiles also use: to cut a server profile to it. */
  window: { startUs: number; endUs: number };
}

/** CLOCK_MONOTONIC in µs: the time base of process.hrtime and of V8's profile timestamps. */
export const monotonicUs = (): number => Number(process.hrtime.bigint() / 1000n);

/** Watches all pods; remembers when each one was first seen bound. */
class BindingWatch {
  readonly boundAt = new Map<string, number>();
  evicted = 0;
  private handle?: WatchHandle;
  private rv = '';
  private stopped = false;

  constructor(
    private readonly client: RestClient,
    private readonly actAsKubelet: boolean,
  ) {}

  async start(): Promise<void> {
    const list = await this.client.list(PODS, undefined, { limit: 1 });
    this.rv = list.metadata?.resourceVersion ?? '';
    this.open();
  }

  private open(): void {
    const h = this.client.watch(PODS, undefined, { resourceVersion: this.rv, allowWatchBookmarks: true }, (ev) => this.onEvent(ev.type, ev.object));
    this.handle = h;
    // Watches end (server timeout); resume from the last resourceVersion.
    h.done.then(
      () => !this.stopped && this.open(),
      () => !this.stopped && setTimeout(() => this.open(), 200),
    );
  }

  private onEvent(type: string, obj: Obj): void {
    if (obj?.metadata?.resourceVersion) this.rv = obj.metadata.resourceVersion;
    if (type === 'BOOKMARK' || type === 'ERROR') return;
    const key = `${obj.metadata.namespace}/${obj.metadata.name}`;
    if (type === 'DELETED') {
      if (obj.spec?.nodeName) this.evicted++;
      return;
    }
    if (obj.spec?.nodeName && !this.boundAt.has(key)) this.boundAt.set(key, performance.now());
    // The kubelet's part of eviction: a terminating pod is gone once its containers stop; there are none here.
    if (this.actAsKubelet && obj.metadata.deletionTimestamp && obj.spec?.nodeName) {
      this.client
        .delete(PODS, obj.metadata.namespace, obj.metadata.name, { gracePeriodSeconds: 0, preconditions: { uid: obj.metadata.uid } })
        .catch(() => undefined);
    }
  }

  /**
   * Polls (bind times come from the events, so polling costs no precision) until `done()`; rejects when
   * nothing new got bound for stallMs; returns false when `deadline` (performance.now() ms) passes first.
   */
  async waitFor(done: () => boolean, stallMs: number, what: string, deadline = Infinity): Promise<boolean> {
    let last = this.boundAt.size;
    let lastChange = performance.now();
    while (!done()) {
      if (performance.now() > deadline) return false;
      await new Promise((resolve) => setTimeout(resolve, 100));
      if (this.boundAt.size !== last) {
        last = this.boundAt.size;
        lastChange = performance.now();
      } else if (performance.now() - lastChange > stallMs) {
        throw new Error(`${what}: no pod bound for ${stallMs} ms`);
      }
    }
    return true;
  }

  stop(): void {
    this.stopped = true;
    this.handle?.stop();
  }
}

export function clientFor(s: SkiffProcess): RestClient {
  return new RestClient({ server: s.url, token: s.token, caCertPem: s.caCertPem }, { component: 'bench', timeoutMs: 120_000 });
}

export async function startServer(o: ServerOptions = {}): Promise<SkiffProcess> {
  // SIGTERM (stop) lets the server exit through process.exit, which is when node writes a --cpu-prof profile.
  const nodeArgs = o.cpuProfileDir ? ['--cpu-prof', '--cpu-prof-dir', o.cpuProfileDir] : [];
  return startSkiff({ dataDir: fs.mkdtempSync(path.join(os.tmpdir(), 'skiff-sched-bench-')), args: o.args, scheduler: true, nodeArgs });
}

/** Stops the server and removes its data dir. */
export async function stopServer(s: SkiffProcess): Promise<void> {
  await s.stop();
  fs.rmSync(s.dataDir, { recursive: true, force: true });
}

export async function createNodes(client: RestClient, w: Workload, concurrency: number): Promise<void> {
  await runPool(w.nodes, concurrency, async (i) => void (await client.create(NODES, undefined, kube(w.node(i)))));
}

export async function createNamespaces(client: RestClient, names: string[]): Promise<void> {
  for (const name of names) await client.create(NAMESPACES, undefined, { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
}

export async function createPriorityClasses(client: RestClient, w: Workload): Promise<void> {
  for (const pc of w.priorityClasses ?? []) {
    await client.create(PRIORITY_CLASSES, undefined, kube({ apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name: pc.name }, value: pc.value }));
  }
}

export async function runEndToEnd(w: Workload, o: EndToEndOptions = {}): Promise<EndToEndResult> {
  const concurrency = o.concurrency ?? 32;
  const progress = o.progress ?? (() => {});
  const stallMs = o.stallMs ?? 60_000;
  const own = o.scheduler === 'own-process';
  const s = await startServer(own ? { ...o, args: [...(o.args ?? []), '--disable', 'scheduler'] } : o);
  const schedulerProc = own ? startSchedulerProcess(s) : undefined;
  const client = clientFor(s);
  const watch = new BindingWatch(client, w.preemption);
  try {
    await createNamespaces(client, w.namespaces);
    await createPriorityClasses(client, w);
    progress(`${w.name}: end to end, creating ${w.nodes} nodes`);
    await createNodes(client, w, concurrency);
    await watch.start();

    progress(`${w.name}: creating ${w.init.count} init pods and waiting until they are bound`);
    const initKeys = Array.from({ length: w.init.count }, (_, i) => `${w.init.namespace}/${podName('init', i)}`);
    await runPool(w.init.count, concurrency, async (i) => void (await client.create(PODS, w.init.namespace, kube(w.init.pod(podName('init', i))))));
    await watch.waitFor(() => initKeys.every((k) => watch.boundAt.has(k)), stallMs, `${w.name} init pods`);

    progress(`${w.name}: creating ${w.measured.count} measured pods`);
    const evictedBefore = watch.evicted;
    const sentAt = new Map<string, number>();
    const keys = Array.from({ length: w.measured.count }, (_, i) => `${w.measured.namespace}/${podName('measured', i)}`);
    const t0 = performance.now();
    const startUs = monotonicUs();
    await runPool(w.measured.count, concurrency, async (i) => {
      sentAt.set(keys[i], performance.now());
      await client.create(PODS, w.measured.namespace, kube(w.measured.pod(podName('measured', i))));
    });
    const createRate = (w.measured.count * 1000) / (performance.now() - t0);
    let reported = 0;
    await watch.waitFor(
      () => {
        const n = keys.reduce((c, k) => c + (watch.boundAt.has(k) ? 1 : 0), 0);
        if (n - reported >= Math.max(1, Math.floor(w.measured.count / 4)) && n < keys.length) {
          reported = n;
          progress(`${w.name}: ${n}/${keys.length} measured pods bound`);
        }
        return n === keys.length;
      },
      stallMs,
      `${w.name} measured pods`,
      t0 + (o.measuredTimeoutMs ?? 120_000),
    );
    const endUs = monotonicUs();
    // After a timeout only the pods bound so far count.
    const boundKeys = keys.filter((k) => watch.boundAt.has(k));
    const times = boundKeys.map((k) => watch.boundAt.get(k)!);
    const end = Math.max(t0, ...times);
    return {
      workload: w.name,
      measured: keys.length,
      bound: times.length,
      seconds: (end - t0) / 1000,
      throughput: windowedThroughput(times, t0),
      latency: latencySummary(boundKeys.map((k) => watch.boundAt.get(k)! - sentAt.get(k)!)),
      createRate,
      evicted: watch.evicted - evictedBefore,
      window: { startUs, endUs },
    };
  } finally {
    watch.stop();
    client.close();
    await schedulerProc?.stop();
    await stopServer(s);
  }
}

/** `skiff scheduler --kubeconfig <the server's>` as a child process. */
function startSchedulerProcess(s: SkiffProcess): { stop(): Promise<void> } {
  const { cmd, argv } = cliCommand(['scheduler', '--kubeconfig', s.kubeconfig]);
  const proc = spawn(cmd, argv, { stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  proc.stderr!.on('data', (d) => (err = (err + d).slice(-10_000)));
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  void exited.then(() => {
    if (proc.exitCode && proc.exitCode !== 0) process.stderr.write(`scheduler process exited with ${proc.exitCode}: ${err}\n`);
  });
  return {
    async stop() {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGTERM');
      await exited;
    },
  };
}

export interface BindFloorResult {
  pods: number;
  bindsPerSecond: number;
  latency: LatencySummary;
}

/**
 * The API's floor for scheduling: a server without the scheduler, pods created,
 * then POST pods/binding to pre-chosen nodes with the same client pool. No scheduling at all.
 */
export async function runBindFloor(w: Workload, o: EndToEndOptions = {}): Promise<BindFloorResult> {
  const concurrency = o.concurrency ?? 32;
  const progress = o.progress ?? (() => {});
  const s = await startServer({ ...o, args: [...(o.args ?? []), '--disable', 'scheduler'] });
  const client = clientFor(s);
  try {
    await createNamespaces(client, w.namespaces);
    await createPriorityClasses(client, w);
    progress(`bind floor: ${w.nodes} nodes, ${w.measured.count} pods`);
    await createNodes(client, w, concurrency);
    const ns = w.measured.namespace;
    await runPool(w.measured.count, concurrency, async (i) => void (await client.create(PODS, ns, kube(w.measured.pod(podName('measured', i))))));
    const nodeNames = Array.from({ length: w.nodes }, (_, i) => w.node(i).metadata.name as string);
    const latencies: number[] = [];
    const t0 = performance.now();
    await runPool(w.measured.count, concurrency, async (i) => {
      const t = performance.now();
      await client.bind(ns, podName('measured', i), nodeNames[i % nodeNames.length]);
      latencies.push(performance.now() - t);
    });
    const seconds = (performance.now() - t0) / 1000;
    return { pods: w.measured.count, bindsPerSecond: w.measured.count / seconds, latency: latencySummary(latencies) };
  } finally {
    client.close();
    await stopServer(s);
  }
}
