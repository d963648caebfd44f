// Every API call the simulator makes goes through here: at most maxInFlight
// at once, and no faster than a token bucket allows. Two lanes: heartbeats
// and pod deletions ("urgent") go before registration and pod starts, so a
// busy fleet never lets its leases lapse because of its own backlog.

import { TokenBucket, monotonicMs, type Clock } from '../../client/token-bucket.js';

export type Lane = 'urgent' | 'normal';

export interface CallLimiterOptions {
  maxInFlight: number;
  /** Calls per second; 0 or Infinity turns the rate limit off. */
  qps: number;
  /** Default: qps rounded up. */
  burst?: number;
  clock?: Clock;
}

interface Job {
  fn: () => Promise<unknown>;
  resolve: (v: unknown) => void;
  reject: (e: unknown) => void;
}

/** A FIFO with O(1) shift. */
class Fifo<T> {
  private items: T[] = [];
  private head = 0;

  get length(): number {
    return this.items.length - this.head;
  }

  push(x: T): void {
    this.items.push(x);
  }

  shift(): T | undefined {
    if (this.head >= this.items.length) return undefined;
    const x = this.items[this.head];
    this.items[this.head++] = undefined as T;
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return x;
  }

  drain(): T[] {
    const rest = this.items.slice(this.head);
    this.items = [];
    this.head = 0;
    return rest;
  }
}

export class CallLimiterClosedError extends Error {
  constructor() {
    super('call limiter closed');
    this.name = 'CallLimiterClosedError';
  }
}

export class CallLimiter {
  private readonly lanes: Record<Lane, Fifo<Job>> = { urgent: new Fifo(), normal: new Fifo() };
  private active = 0;
  private closed = false;
  private readonly bucket?: TokenBucket;
  private idleWaiters: (() => void)[] = [];
  /** Most calls seen in flight at once (for tests and benchmarks). */
  peakInFlight = 0;

  constructor(private readonly opts: CallLimiterOptions) {
    if (!(opts.maxInFlight >= 1)) throw new Error(`maxInFlight must be >= 1, got ${opts.maxInFlight}`);
    if (opts.qps > 0 && Number.isFinite(opts.qps)) {
      this.bucket = new TokenBucket(opts.qps, opts.burst ?? Math.max(1, Math.ceil(opts.qps)), opts.clock ?? monotonicMs);
    }
  }

  /** Calls started or waiting for their token. */
  get inFlight(): number {
    return this.active;
  }

  get queued(): number {
    return this.lanes.urgent.length + this.lanes.normal.length;
  }

  run<T>(fn: () => Promise<T>, lane: Lane = 'normal'): Promise<T> {
    if (this.closed) return Promise.reject(new CallLimiterClosedError());
    return new Promise<T>((resolve, reject) => {
      this.lanes[lane].push({ fn, resolve: resolve as (v: unknown) => void, reject });
      this.pump();
    });
  }

  /** Resolves once nothing is queued or in flight. */
  idle(): Promise<void> {
    if (this.active === 0 && this.queued === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Rejects everything still queued; calls in flight finish normally. */
  close(): void {
    this.closed = true;
    const err = new CallLimiterClosedError();
    for (const lane of Object.values(this.lanes)) for (const job of lane.drain()) job.reject(err);
    this.checkIdle();
  }

  private pump(): void {
    while (this.active < this.opts.maxInFlight) {
      const job = this.lanes.urgent.shift() ?? this.lanes.normal.shift();
      if (!job) break;
      this.active++;
      if (this.active > this.peakInFlight) this.peakInFlight = this.active;
      // Reserve now (golang rate.Reserve semantics): the job holds its slot while it waits for its token.
      const wait = this.bucket ? this.bucket.reserve() : 0;
      if (wait > 0) setTimeout(() => this.start(job), wait);
      else this.start(job);
    }
  }

  private start(job: Job): void {
    let p: Promise<unknown>;
    try {
      p = job.fn();
    } catch (e) {
      p = Promise.reject(e);
    }
    p.then(job.resolve, job.reject).finally(() => {
      this.active--;
      this.pump();
      this.checkIdle();
    });
  }

  private checkIdle(): void {
    if (this.active === 0 && this.queued === 0) for (const w of this.idleWaiters.splice(0)) w();
  }
}
