// One timer for the whole fleet: a min-heap of (due time, task) and a single
// setTimeout armed for the earliest entry. 10 000 nodes × a few periodic jobs
// each would otherwise mean tens of thousands of live timers.

export interface TimelineClock {
  /** Monotonic milliseconds. */
  now(): number;
  setTimer(fn: () => void, ms: number): unknown;
  clearTimer(handle: unknown): void;
}

export const realClock: TimelineClock = {
  now: () => performance.now(),
  setTimer: (fn, ms) => setTimeout(fn, ms),
  clearTimer: (h) => clearTimeout(h as NodeJS.Timeout),
};

interface Entry<T> {
  at: number;
  seq: number;
  task: T;
}

export interface TimelineOptions {
  clock?: TimelineClock;
  /** Tasks due within this many ms of now run in the same wake-up. Default 5. */
  slackMs?: number;
}

export class Timeline<T> {
  private readonly heap: Entry<T>[] = [];
  private seq = 0;
  private timer: unknown;
  private armedAt = Infinity;
  private stopped = false;
  private readonly clock: TimelineClock;
  private readonly slackMs: number;

  constructor(
    private readonly run: (task: T) => void,
    opts: TimelineOptions = {},
  ) {
    this.clock = opts.clock ?? realClock;
    this.slackMs = opts.slackMs ?? 5;
  }

  get size(): number {
    return this.heap.length;
  }

  /** Runs task at monotonic time `at` (or as soon as possible if that has passed). Same-time tasks run in the order added. */
  schedule(at: number, task: T): void {
    if (this.stopped) return;
    this.push({ at, seq: this.seq++, task });
    this.arm();
  }

  /** Drops every pending task and the timer. */
  stop(): void {
    this.stopped = true;
    this.heap.length = 0;
    this.disarm();
  }

  private fire(): void {
    this.timer = undefined;
    this.armedAt = Infinity;
    const limit = this.clock.now() + this.slackMs;
    while (!this.stopped && this.heap.length > 0 && this.heap[0].at <= limit) {
      const { task } = this.pop();
      try {
        this.run(task);
      } catch {
        // A task's own errors are its business; the loop must go on.
      }
    }
    this.arm();
  }

  private arm(): void {
    if (this.stopped || this.heap.length === 0) return;
    const at = this.heap[0].at;
    if (at >= this.armedAt) return;
    this.disarm();
    this.armedAt = at;
    this.timer = this.clock.setTimer(() => this.fire(), Math.max(0, at - this.clock.now()));
  }

  private disarm(): void {
    if (this.timer !== undefined) this.clock.clearTimer(this.timer);
    this.timer = undefined;
    this.armedAt = Infinity;
  }

  // ---------------------------------------------------------------- heap

  private less(a: Entry<T>, b: Entry<T>): boolean {
    return a.at < b.at || (a.at === b.at && a.seq < b.seq);
  }

  private push(e: Entry<T>): void {
    const h = this.heap;
    h.push(e);
    let i = h.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.less(h[i], h[parent])) break;
      [h[i], h[parent]] = [h[parent], h[i]];
      i = parent;
    }
  }

  private pop(): Entry<T> {
    const h = this.heap;
    const top = h[0];
    const last = h.pop()!;
    if (h.length > 0) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && this.less(h[l], h[m])) m = l;
        if (r < h.length && this.less(h[r], h[m])) m = r;
        if (m === i) break;
        [h[i], h[m]] = [h[m], h[i]];
        i = m;
      }
    }
    return top;
  }
}

/**
 * The first time strictly after `after` that falls on `phase` modulo `period`.
 * Giving each node its own phase spreads a fleet's heartbeats evenly over the period.
 */
export function nextSlot(after: number, phase: number, period: number): number {
  const k = Math.floor((after - phase) / period) + 1;
  return phase + k * period;
}
