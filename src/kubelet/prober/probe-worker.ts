// One probe worker: a (pod, container, probe type), following the
// container's current instance. Same rules as the kubelet's prober worker:
// a ticker every periodSeconds (after a short start jitter), manual runs on
// request, results per container ID starting at the type's initial value,
// success/failure thresholds, startup gating, and "on hold" after a
// liveness/startup kill until a new container instance appears.

import type { ProbeTarget } from '../contracts.js';
import type { ProbeSpec, ProbeType } from './probe-spec.js';

export type StoredResult = 'success' | 'failure' | 'unknown';

/** What a worker needs from its manager. */
export interface WorkerHost {
  now(): number;
  setTimer(fn: () => void, ms: number): unknown;
  clearTimer(handle: unknown): void;
  /** Start jitter for this period (ms). */
  startDelay(periodMs: number): number;
  /** The pod as last synced, or undefined once removed. */
  podView(uid: string): { pod: any; targets: Map<string, ProbeTarget> } | undefined;
  /** Whether the container instance counts as started (startup probe passed or none). */
  isStarted(uid: string, name: string, containerId: string): boolean;
  /** One probe attempt with retries and events; 'error' when every attempt errored. */
  probeOnce(worker: ProbeWorker): Promise<'success' | 'failure' | 'error'>;
  resultChanged(worker: ProbeWorker, value: StoredResult): void;
  probeKill(worker: ProbeWorker): void;
}

const INITIAL: Record<ProbeType, StoredResult> = { readiness: 'failure', liveness: 'success', startup: 'unknown' };

export class ProbeWorker {
  containerId = '';
  private result: StoredResult | undefined;
  private onHold = false;
  private lastResult: 'success' | 'failure' | undefined;
  private resultRun = 0;
  /** Exited for good (terminal pod, deleted pod for liveness/startup): counts as no worker. */
  done = false;
  private stopped = false;
  private busy = false;
  private probing = false;
  private manualPending = false;
  private timer: unknown;
  private tickBase = -1;
  private ticksConsumed = 0;

  constructor(
    private readonly host: WorkerHost,
    readonly podUid: string,
    readonly containerName: string,
    readonly container: any,
    readonly list: 'containers' | 'initContainers',
    readonly type: ProbeType,
    readonly spec: ProbeSpec,
  ) {}

  /** Whether the worker still counts (the kubelet removes exited workers). */
  get live(): boolean {
    return !this.done && !this.stopped;
  }

  /** The stored result for that container instance, if any. */
  resultFor(containerId: string): StoredResult | undefined {
    return this.live && containerId !== '' && containerId === this.containerId ? this.result : undefined;
  }

  start(): void {
    const periodMs = this.spec.periodSeconds * 1000;
    this.timer = this.host.setTimer(() => {
      this.timer = undefined;
      this.tickBase = this.host.now();
      this.step();
    }, this.host.startDelay(periodMs));
  }

  stop(): void {
    this.stopped = true;
    if (this.timer !== undefined) this.host.clearTimer(this.timer);
    this.timer = undefined;
  }

  /** Asks for a run now (the kubelet's manual trigger; at most one pending). */
  trigger(): void {
    if (!this.live || this.tickBase < 0) return; // before the first run, that run is imminent anyway
    if (this.busy) {
      if (this.probing) this.manualPending = true;
      return;
    }
    // Run on a later turn: the caller (a pod worker computing status) must not
    // be re-entered through result-change hooks.
    if (this.timer !== undefined) this.host.clearTimer(this.timer);
    this.busy = true;
    this.timer = this.host.setTimer(() => {
      this.timer = undefined;
      this.busy = false;
      this.step();
    }, 0);
  }

  private step(): void {
    if (!this.live) return;
    this.busy = true;
    this.doProbe()
      .catch(() => true)
      .then((keepGoing) => {
        this.busy = false;
        this.probing = false;
        if (!this.live) return;
        if (!keepGoing) {
          this.finish();
          return;
        }
        this.scheduleNext();
      });
  }

  private scheduleNext(): void {
    const periodMs = this.spec.periodSeconds * 1000;
    if (this.manualPending) {
      this.manualPending = false;
      this.timer = this.host.setTimer(() => { this.timer = undefined; this.step(); }, 0);
      return;
    }
    // A tick that fell while probing is delivered at once (one is buffered, the rest dropped).
    const due = Math.floor((this.host.now() - this.tickBase) / periodMs);
    if (due > this.ticksConsumed) {
      this.ticksConsumed = due;
      this.timer = this.host.setTimer(() => { this.timer = undefined; this.step(); }, 0);
      return;
    }
    const at = this.tickBase + (this.ticksConsumed + 1) * periodMs;
    this.timer = this.host.setTimer(() => {
      this.timer = undefined;
      this.ticksConsumed = Math.max(this.ticksConsumed + 1, Math.floor((this.host.now() - this.tickBase) / periodMs));
      this.step();
    }, Math.max(0, at - this.host.now()));
  }

  private finish(): void {
    this.done = true;
    this.result = undefined;
    if (this.timer !== undefined) this.host.clearTimer(this.timer);
    this.timer = undefined;
  }

  private set(value: StoredResult): void {
    if (this.result === value) return;
    this.result = value;
    this.host.resultChanged(this, value);
  }

  /** One pass of the kubelet's doProbe; false ends the worker. */
  private async doProbe(): Promise<boolean> {
    const view = this.host.podView(this.podUid);
    if (!view) return true;
    const phase = view.pod?.status?.phase;
    if (phase === 'Failed' || phase === 'Succeeded') return false;

    const target = view.targets.get(this.containerName);
    if (!target || !target.containerId) return true; // not created yet, or gone

    if (this.containerId !== target.containerId) {
      this.containerId = target.containerId;
      this.result = undefined;
      this.set(INITIAL[this.type]);
      this.onHold = false; // a new instance: resume probing
    }
    if (this.onHold) return true;

    if (!target.running) {
      this.set('failure');
      // The kubelet stops here only for terminated containers under
      // restartPolicy Never; a target that is merely not running yet must
      // keep its worker, so this one keeps going.
      return true;
    }

    if (view.pod?.metadata?.deletionTimestamp && this.type !== 'readiness') {
      // Graceful shutdown: a last success keeps the kill quiet.
      this.set('success');
      return false;
    }

    if (Math.trunc((this.host.now() - target.startedAt) / 1000) < this.spec.initialDelaySeconds) return true;

    const started = this.host.isStarted(this.podUid, this.containerName, target.containerId);
    if (started ? this.type === 'startup' : this.type !== 'startup') return true;

    this.probing = true;
    const result = await this.host.probeOnce(this);
    this.probing = false;
    if (!this.live) return false;
    if (result === 'error') return true; // an errored attempt is thrown away

    if (this.lastResult === result) this.resultRun++;
    else {
      this.lastResult = result;
      this.resultRun = 1;
    }
    if ((result === 'failure' && this.resultRun < this.spec.failureThreshold) || (result === 'success' && this.resultRun < this.spec.successThreshold)) {
      return true;
    }
    this.set(result);
    if (this.type !== 'readiness' && result === 'failure') {
      // Wait for the next container instance before probing again.
      this.onHold = true;
      this.resultRun = 0;
      this.host.probeKill(this);
    }
    return true;
  }
}
