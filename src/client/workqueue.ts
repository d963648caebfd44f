// A work queue with client-go's guarantees, which controllers rely on:
//   * an item queued twice is processed once (dedup while waiting);
//   * an item is never handed to two workers at once: re-adding it while it
//     is being processed parks it until done(), then it is queued again;
//   * delayed and rate-limited re-adds for failed items;
//   * shutDown() lets workers drain what is queued, then get() returns undefined.

import { defaultControllerRateLimiter, type RateLimiter } from './rate-limiter.js';

export interface WorkQueueOptions<T> {
  rateLimiter?: RateLimiter<T>;
}

export class WorkQueue<T = string> {
  /** FIFO of items ready to hand out; `head` avoids O(n) shifts. */
  private queue: T[] = [];
  private head = 0;
  /** Items that need processing (queued, or re-added while processing). */
  private readonly dirty = new Set<T>();
  private readonly processing = new Set<T>();
  private readonly waiting = new Map<T, { at: number; timer: NodeJS.Timeout }>();
  private getters: ((item: T | undefined) => void)[] = [];
  private shuttingDown = false;
  private readonly rateLimiter: RateLimiter<T>;

  constructor(opts: WorkQueueOptions<T> = {}) {
    this.rateLimiter = opts.rateLimiter ?? defaultControllerRateLimiter<T>();
  }

  add(item: T): void {
    if (this.shuttingDown || this.dirty.has(item)) return;
    this.dirty.add(item);
    if (this.processing.has(item)) return;
    this.queue.push(item);
    this.handOut();
  }

  /** Next item to process, or undefined once the queue is shut down and drained. Call done(item) afterwards. */
  get(): Promise<T | undefined> {
    if (this.head < this.queue.length) return Promise.resolve(this.take());
    if (this.shuttingDown) return Promise.resolve(undefined);
    return new Promise((resolve) => this.getters.push(resolve));
  }

  /** Marks processing finished; an item re-added meanwhile is queued again now. */
  done(item: T): void {
    if (!this.processing.delete(item)) return;
    if (this.dirty.has(item)) {
      this.queue.push(item);
      this.handOut();
    }
  }

  /** Adds the item after ms; a pending earlier schedule for the same item wins. */
  addAfter(item: T, ms: number): void {
    if (this.shuttingDown) return;
    if (ms <= 0) return this.add(item);
    const at = Date.now() + ms;
    const pending = this.waiting.get(item);
    if (pending) {
      if (pending.at <= at) return;
      clearTimeout(pending.timer);
    }
    const timer = setTimeout(() => {
      this.waiting.delete(item);
      this.add(item);
    }, ms);
    this.waiting.set(item, { at, timer });
  }

  /** Re-adds a failed item after its back-off delay. */
  addRateLimited(item: T): void {
    this.addAfter(item, this.rateLimiter.when(item));
  }

  /** The item succeeded: clear its failure history. */
  forget(item: T): void {
    this.rateLimiter.forget(item);
  }

  numRequeues(item: T): number {
    return this.rateLimiter.numRequeues(item);
  }

  /** Items ready to be handed out (not those being processed or waiting on a delay). */
  len(): number {
    return this.queue.length - this.head;
  }

  isShuttingDown(): boolean {
    return this.shuttingDown;
  }

  /** Stops accepting items and drops delayed ones; queued items can still be drained. */
  shutDown(): void {
    if (this.shuttingDown) return;
    this.shuttingDown = true;
    for (const { timer } of this.waiting.values()) clearTimeout(timer);
    this.waiting.clear();
    // Getters only wait when the queue is empty, so they all learn of the shutdown.
    for (const g of this.getters.splice(0)) g(undefined);
  }

  private take(): T {
    const item = this.queue[this.head++];
    if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
    this.processing.add(item);
    this.dirty.delete(item);
    return item;
  }

  private handOut(): void {
    while (this.getters.length > 0 && this.head < this.queue.length) this.getters.shift()!(this.take());
  }
}
