// The scheduling queue, as Kubernetes' PriorityQueue: an active heap ordered
// by priority then arrival, a back-off queue for pods that just failed, and a
// pool of unschedulable pods that cluster events (or time) move back.

import { Heap } from './heap.js';

export interface QueuedPod {
  key: string;
  pod: any;
  /** When the pod entered the queue (or was last re-added after leaving it). */
  timestamp: number;
  attempts: number;
  /** When the pod was first seen by the queue; for latency metrics. */
  initialAttemptTimestamp: number;
  /** Back-off expiry (ms epoch) after a failed attempt. */
  backoffUntil: number;
  /** Plugins that rejected the pod in its last attempt (for messages / hints). */
  unschedulablePlugins: Set<string>;
}

export interface QueueOptions {
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  /** Unschedulable pods are retried at least this often. */
  maxUnschedulableMs?: number;
  now?: () => number;
}

export const podKey = (pod: any): string => `${pod.metadata.namespace}/${pod.metadata.name}`;

function priorityOf(pod: any): number {
  return pod.spec?.priority ?? 0;
}

export class SchedulingQueue {
  private readonly active = new Heap<QueuedPod>((a, b) => {
    const pa = priorityOf(a.pod);
    const pb = priorityOf(b.pod);
    return pa !== pb ? pa > pb : a.timestamp < b.timestamp;
  });
  private readonly backoff = new Heap<QueuedPod>((a, b) => a.backoffUntil < b.backoffUntil);
  private readonly unschedulable = new Map<string, QueuedPod>();
  /** Every pod the queue knows, wherever it sits (active, backoff, unschedulable, or in flight). */
  private readonly known = new Map<string, QueuedPod>();
  private readonly inFlight = new Set<string>();
  /** Bumped by every move request; a failure that started before it goes to back-off, not the unschedulable pool. */
  private moveCycle = 0;
  private readonly cycleAtPop = new Map<string, number>();
  private waiters: ((p: QueuedPod | undefined) => void)[] = [];
  private closed = false;
  private timer?: NodeJS.Timeout;
  private readonly initialBackoff: number;
  private readonly maxBackoff: number;
  private readonly maxUnschedulable: number;
  private readonly now: () => number;

  constructor(o: QueueOptions = {}) {
    this.initialBackoff = o.initialBackoffMs ?? 1000;
    this.maxBackoff = o.maxBackoffMs ?? 10_000;
    this.maxUnschedulable = o.maxUnschedulableMs ?? 5 * 60_000;
    this.now = o.now ?? Date.now;
  }

  /** Start the periodic flushes (back-off every second, unschedulable every 30 s). */
  start(): void {
    let ticks = 0;
    this.timer = setInterval(() => {
      this.flushBackoff();
      if (++ticks % 30 === 0) this.flushUnschedulable();
    }, 1000);
    this.timer.unref?.();
  }

  close(): void {
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    for (const w of this.waiters) w(undefined);
    this.waiters = [];
  }

  /** A new pending pod. */
  add(pod: any): void {
    const key = podKey(pod);
    const existing = this.known.get(key);
    if (existing) {
      existing.pod = pod;
      return;
    }
    const now = this.now();
    const q: QueuedPod = { key, pod, timestamp: now, attempts: 0, initialAttemptTimestamp: now, backoffUntil: 0, unschedulablePlugins: new Set() };
    this.known.set(key, q);
    this.pushActive(q);
  }

  /** The pending pod changed: an unschedulable one gets another try (unless only its status changed). */
  update(pod: any, specChanged = true): void {
    const key = podKey(pod);
    const q = this.known.get(key);
    if (!q) return this.add(pod);
    q.pod = pod;
    if (specChanged && this.unschedulable.has(key)) {
      this.unschedulable.delete(key);
      this.requeue(q);
    }
  }

  delete(pod: any): void {
    const key = podKey(pod);
    const q = this.known.get(key);
    if (!q) return;
    this.known.delete(key);
    this.unschedulable.delete(key);
    this.active.remove((x) => x.key === key);
    this.backoff.remove((x) => x.key === key);
  }

  has(key: string): boolean {
    return this.known.has(key);
  }

  /** Wait for the next pod to schedule. Resolves undefined once closed. */
  pop(): Promise<QueuedPod | undefined> {
    if (this.closed) return Promise.resolve(undefined);
    const q = this.active.pop();
    if (q) return Promise.resolve(this.startAttempt(q));
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Non-blocking pop, for tight loops and tests. */
  tryPop(): QueuedPod | undefined {
    const q = this.active.pop();
    return q ? this.startAttempt(q) : undefined;
  }

  private startAttempt(q: QueuedPod): QueuedPod {
    q.attempts++;
    this.inFlight.add(q.key);
    this.cycleAtPop.set(q.key, this.moveCycle);
    return q;
  }

  /** The attempt ended with the pod bound (or gone): forget it. */
  done(key: string): void {
    this.inFlight.delete(key);
    this.cycleAtPop.delete(key);
    this.known.delete(key);
  }

  /**
   * The attempt failed. Unschedulable pods wait in the pool for a cluster event,
   * unless one happened while they were being scheduled; errors go to back-off.
   */
  failed(q: QueuedPod, reason: 'unschedulable' | 'error', plugins: Iterable<string> = []): void {
    const key = q.key;
    this.inFlight.delete(key);
    const popped = this.cycleAtPop.get(key) ?? 0;
    this.cycleAtPop.delete(key);
    if (!this.known.has(key)) return; // deleted meanwhile
    q.unschedulablePlugins = new Set(plugins);
    q.backoffUntil = this.now() + this.backoffDuration(q.attempts);
    q.timestamp = this.now();
    if (reason === 'unschedulable' && this.moveCycle <= popped) this.unschedulable.set(key, q);
    else this.pushBackoff(q);
  }

  backoffDuration(attempts: number): number {
    let d = this.initialBackoff;
    for (let i = 1; i < attempts && d < this.maxBackoff; i++) d *= 2;
    return Math.min(d, this.maxBackoff);
  }

  /** A cluster event that may make unschedulable pods fit (node added, pod deleted, …). */
  moveAll(_event: string): void {
    this.moveCycle++;
    if (!this.unschedulable.size) return;
    const pods = [...this.unschedulable.values()];
    this.unschedulable.clear();
    for (const q of pods) this.requeue(q);
  }

  private requeue(q: QueuedPod): void {
    if (q.backoffUntil > this.now()) this.pushBackoff(q);
    else this.pushActive(q);
  }

  private pushActive(q: QueuedPod): void {
    const w = this.waiters.shift();
    if (w) w(this.startAttempt(q));
    else this.active.push(q);
  }

  private pushBackoff(q: QueuedPod): void {
    this.backoff.push(q);
  }

  flushBackoff(): void {
    const now = this.now();
    for (let q = this.backoff.peek(); q && q.backoffUntil <= now; q = this.backoff.peek()) {
      this.backoff.pop();
      this.pushActive(q);
    }
  }

  flushUnschedulable(): void {
    const now = this.now();
    for (const [key, q] of this.unschedulable) {
      if (now - q.timestamp >= this.maxUnschedulable) {
        this.unschedulable.delete(key);
        this.requeue(q);
      }
    }
  }

  counts(): { active: number; backoff: number; unschedulable: number; inFlight: number } {
    return { active: this.active.size, backoff: this.backoff.size, unschedulable: this.unschedulable.size, inFlight: this.inFlight.size };
  }
}
