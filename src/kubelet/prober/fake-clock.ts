// A manual clock with timers, for tests of the probe workers: advance() fires
// due timers in time order and lets promise chains settle between them.

import type { ProbeTimers } from './probe-manager.js';

interface Pending {
  at: number;
  seq: number;
  fn: () => void;
}

/** Lets queued promise callbacks and immediates run. */
export async function settle(rounds = 8): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise<void>((r) => setImmediate(r));
}

export class FakeClock implements ProbeTimers {
  private seq = 0;
  private readonly pending = new Map<number, Pending>();
  constructor(public nowMs = 0) {}

  readonly now = (): number => this.nowMs;

  setTimeout(fn: () => void, ms: number): unknown {
    const id = ++this.seq;
    this.pending.set(id, { at: this.nowMs + Math.max(0, ms), seq: id, fn });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.pending.delete(handle as number);
  }

  /** Number of timers waiting. */
  get size(): number {
    return this.pending.size;
  }

  async advance(ms: number): Promise<void> {
    const end = this.nowMs + ms;
    for (;;) {
      await settle();
      let next: Pending | undefined;
      let nextId = 0;
      for (const [id, p] of this.pending) {
        if (p.at <= end && (!next || p.at < next.at || (p.at === next.at && p.seq < next.seq))) {
          next = p;
          nextId = id;
        }
      }
      if (!next) break;
      this.pending.delete(nextId);
      this.nowMs = next.at;
      next.fn();
    }
    this.nowMs = end;
    await settle();
  }
}
