// Delivers committed events to watchers. Each watcher first gets its replayed
// history (one callback, asynchronously, so the caller holds its Watcher handle
// before anything arrives), then live batches. Live events committed before
// the replay was delivered are buffered behind it, and anything at or below
// the revision the replay already covers is dropped: no gap, no duplicate.

import type { WatchCallback, WatchEvent, Watcher } from './store.js';

class Subscription implements Watcher {
  /** Live batches waiting for the replay to be delivered; null once it has been. */
  private backlog: WatchEvent[][] | null = [];
  private cancelled = false;

  constructor(
    private readonly prefix: string,
    /** Highest revision already covered (replayed, or not wanted). */
    private after: number,
    private readonly cb: WatchCallback,
    private readonly onCancel: (s: Subscription) => void,
  ) {}

  start(replay: WatchEvent[]): void {
    queueMicrotask(() => {
      if (replay.length > 0) this.emit(replay);
      const backlog = this.backlog ?? [];
      this.backlog = null;
      for (const batch of backlog) this.emit(batch);
    });
  }

  offer(events: WatchEvent[]): void {
    if (this.cancelled) return;
    const mine = events.filter((e) => e.revision > this.after && e.kv.key.startsWith(this.prefix));
    if (mine.length === 0) return;
    this.after = mine[mine.length - 1].revision;
    if (this.backlog) this.backlog.push(mine);
    else this.emit(mine);
  }

  cancel(): void {
    if (this.cancelled) return;
    this.cancelled = true;
    this.backlog = null;
    this.onCancel(this);
  }

  private emit(batch: WatchEvent[]): void {
    if (this.cancelled) return;
    try {
      this.cb(batch);
    } catch (error) {
      // A broken consumer must not break the commit path or other watchers,
      // nor take the process down; make it visible as a process warning.
      const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
      process.emitWarning(`watch callback threw: ${detail}`, 'StoreWatchWarning');
    }
  }
}

export class WatchFanout {
  private readonly subs = new Set<Subscription>();

  get size(): number {
    return this.subs.size;
  }

  /**
   * Registers a watcher. `replay` holds the history events the watcher needs;
   * `coveredThrough` is the revision they run up to (live events at or below it are skipped).
   */
  subscribe(prefix: string, coveredThrough: number, replay: WatchEvent[], cb: WatchCallback): Watcher {
    const sub = new Subscription(prefix, coveredThrough, cb, (s) => this.subs.delete(s));
    this.subs.add(sub);
    sub.start(replay);
    return sub;
  }

  /** Events of one commit, in revision order. */
  publish(events: WatchEvent[]): void {
    if (events.length === 0) return;
    for (const sub of [...this.subs]) sub.offer(events);
  }

  cancelAll(): void {
    for (const sub of [...this.subs]) sub.cancel();
  }
}
