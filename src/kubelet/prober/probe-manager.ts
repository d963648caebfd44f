// The kubelet's probe manager: keeps one ProbeWorker per (pod, container,
// probe type), answers readiness/started questions for the pod workers, and
// turns attempts into Unhealthy / ProbeWarning events.

import type { KubeObject } from '../../client/index.js';
import type { KubeletContext, ProbeHooks, ProbeService, ProbeTarget } from '../contracts.js';
import { runProbeHandler, type ContainerSpec, type Handler } from './actions.js';
import type { ProbeOutcome } from './probe-result.js';
import { probedContainers, probeTitle, type ProbeType } from './probe-spec.js';
import { ProbeWorker, type StoredResult, type WorkerHost } from './probe-worker.js';

export interface ProbeTimers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export type ProbeRunner = (ctx: KubeletContext, pod: KubeObject, container: ContainerSpec, containerId: string, podIP: string, handler: Handler, timeoutSeconds: number) => Promise<ProbeOutcome>;

export interface ProbeManagerOptions {
  ctx: KubeletContext;
  hooks: ProbeHooks;
  /** ms since the epoch; default ctx.now(). */
  now?: () => number;
  timers?: ProbeTimers;
  /** In [0,1); default Math.random. */
  random?: () => number;
  /**
   * Workers made within one period of the manager's start wait a random part
   * of min(period, this) before their first run, so a restarted agent doesn't
   * probe everything at once. Default 1000 ms (the kubelet uses the whole period).
   */
  maxStartJitterMs?: number;
  /** Runs one attempt; default runProbeHandler. */
  runProbe?: ProbeRunner;
}

/** Attempts per probe run while the attempt errors (the kubelet's maxProbeRetries). */
const MAX_PROBE_RETRIES = 3;

const realTimers: ProbeTimers = {
  setTimeout: (fn, ms) => {
    const t = setTimeout(fn, ms);
    t.unref();
    return t;
  },
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
};

interface PodEntry {
  pod: KubeObject;
  podIP: string;
  targets: Map<string, ProbeTarget>;
  workers: Map<string, ProbeWorker>;
}

const workerKey = (name: string, type: ProbeType): string => `${name}\u0000${type}`;

export class ProbeManager implements ProbeService, WorkerHost {
  private readonly ctx: KubeletContext;
  private readonly hooks: ProbeHooks;
  private readonly timers: ProbeTimers;
  private readonly random: () => number;
  private readonly maxJitterMs: number;
  private readonly runProbe: ProbeRunner;
  private readonly nowFn: () => number;
  private readonly startedAt: number;
  private readonly pods = new Map<string, PodEntry>();
  private stopped = false;

  constructor(opts: ProbeManagerOptions) {
    this.ctx = opts.ctx;
    this.hooks = opts.hooks;
    this.timers = opts.timers ?? realTimers;
    this.random = opts.random ?? Math.random;
    this.maxJitterMs = opts.maxStartJitterMs ?? 1000;
    this.runProbe = opts.runProbe ?? runProbeHandler;
    this.nowFn = opts.now ?? (() => opts.ctx.now().getTime());
    this.startedAt = this.nowFn();
  }

  // ------------------------------------------------------------ ProbeService

  sync(pod: KubeObject, podIP: string, containers: ProbeTarget[]): void {
    const uid = pod.metadata?.uid;
    if (!uid || this.stopped) return;
    let entry = this.pods.get(uid);
    if (!entry) {
      entry = { pod, podIP, targets: new Map(), workers: new Map() };
      this.pods.set(uid, entry);
    }
    entry.pod = pod;
    entry.podIP = podIP;
    entry.targets = new Map(containers.map((c) => [c.name, c]));
    for (const p of probedContainers(pod)) {
      const key = workerKey(p.container.name, p.type);
      // A worker that exited (e.g. pod deleting) is kept as a marker, never re-made.
      if (entry.workers.has(key)) continue;
      const w = new ProbeWorker(this, uid, p.container.name, p.container, p.list, p.type, p.spec);
      entry.workers.set(key, w);
      w.start();
    }
  }

  isStarted(podUid: string, containerName: string, containerId: string): boolean {
    const w = this.liveWorker(podUid, containerName, 'startup');
    if (!w) return true;
    return w.resultFor(containerId) === 'success';
  }

  isReady(podUid: string, containerName: string, containerId: string): boolean {
    if (!this.isStarted(podUid, containerName, containerId)) return false;
    const w = this.liveWorker(podUid, containerName, 'readiness');
    if (!w) return true;
    if (w.resultFor(containerId) === 'success') return true;
    // Not ready yet: ask for a run now rather than waiting for the next tick.
    const target = this.pods.get(podUid)?.targets.get(containerName);
    if (target?.running && target.containerId === containerId) w.trigger();
    return false;
  }

  removePod(podUid: string): void {
    const entry = this.pods.get(podUid);
    if (!entry) return;
    for (const w of entry.workers.values()) w.stop();
    this.pods.delete(podUid);
  }

  /** Stops every worker (agent shutdown). */
  stop(): void {
    this.stopped = true;
    for (const uid of [...this.pods.keys()]) this.removePod(uid);
  }

  /** Live workers, for diagnostics and tests: `<uid>/<container>/<type>`. */
  workerKeys(): string[] {
    const out: string[] = [];
    for (const [uid, e] of this.pods) for (const w of e.workers.values()) if (w.live) out.push(`${uid}/${w.containerName}/${w.type}`);
    return out.sort();
  }

  private liveWorker(uid: string, name: string, type: ProbeType): ProbeWorker | undefined {
    const w = this.pods.get(uid)?.workers.get(workerKey(name, type));
    return w?.live ? w : undefined;
  }

  // ------------------------------------------------------------ WorkerHost

  now(): number {
    return this.nowFn();
  }
  setTimer(fn: () => void, ms: number): unknown {
    return this.timers.setTimeout(fn, ms);
  }
  clearTimer(handle: unknown): void {
    this.timers.clearTimeout(handle);
  }
  startDelay(periodMs: number): number {
    if (this.nowFn() - this.startedAt >= periodMs) return 0;
    return Math.floor(this.random() * Math.min(periodMs, this.maxJitterMs));
  }
  podView(uid: string): { pod: any; targets: Map<string, ProbeTarget> } | undefined {
    return this.pods.get(uid);
  }

  async probeOnce(w: ProbeWorker): Promise<'success' | 'failure' | 'error'> {
    const entry = this.pods.get(w.podUid);
    if (!entry) return 'error';
    const { pod, podIP } = entry;
    let outcome: ProbeOutcome = { result: 'unknown', output: '', error: 'not run' };
    for (let i = 0; i < MAX_PROBE_RETRIES; i++) {
      try {
        outcome = await this.runProbe(this.ctx, pod, w.container, w.containerId, podIP, w.spec.handler, w.spec.timeoutSeconds);
      } catch (e) {
        outcome = { result: 'unknown', output: '', error: (e as Error).message };
      }
      if (outcome.error === undefined) break;
    }
    const title = probeTitle(w.type);
    if (outcome.error !== undefined) {
      this.event(w, 'Unhealthy', `${title} probe errored: ${outcome.error}`);
      return 'error';
    }
    if (outcome.result === 'failure' || outcome.result === 'unknown') {
      this.event(w, 'Unhealthy', `${title} probe failed: ${outcome.output}`);
      return 'failure';
    }
    if (outcome.result === 'warning') this.event(w, 'ProbeWarning', `${title} probe warning: ${outcome.output}`);
    return 'success';
  }

  resultChanged(w: ProbeWorker, _value: StoredResult): void {
    if (w.type === 'liveness') return;
    this.hooks.onResultChange(w.podUid);
  }

  probeKill(w: ProbeWorker): void {
    const pod: any = this.pods.get(w.podUid)?.pod;
    const restarts = w.container?.restartPolicy === 'Always' || pod?.spec?.restartPolicy !== 'Never';
    const message = `Container ${w.containerName} failed ${w.type} probe${restarts ? ', will be restarted' : ''}`;
    this.hooks.onProbeKill(w.podUid, w.containerName, w.containerId, w.type as 'liveness' | 'startup', message);
  }

  private event(w: ProbeWorker, reason: string, message: string): void {
    const pod = this.pods.get(w.podUid)?.pod;
    if (!pod) return;
    this.ctx.recorder.event(
      {
        kind: 'Pod',
        apiVersion: 'v1',
        namespace: pod.metadata?.namespace,
        name: pod.metadata?.name,
        uid: pod.metadata?.uid,
        fieldPath: `spec.${w.list}{${w.containerName}}`,
      },
      'Warning',
      reason,
      message,
    );
  }
}
