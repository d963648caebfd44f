// Per-key exponential back-off with the semantics of client-go's
// flowcontrol.Backoff (no jitter), used by the kubelet for container restarts
// and image pulls: the first recorded failure sets `initial`, each further one
// doubles it up to `max`, and an entry whose last update is more than 2×max
// older than the event is stale (the next failure starts again at `initial`).
// Success does not clear an entry; only that expiry (or forgetting) does.

export interface BackoffOptions {
  /** Default 10 s (the kubelet's container and image back-off). */
  initialMs?: number;
  /** Default 300 s. */
  maxMs?: number;
  /** The clock, in ms (default Date.now). */
  now?: () => number;
}

interface Entry {
  backoffMs: number;
  lastUpdateMs: number;
}

export class Backoff {
  readonly initialMs: number;
  readonly maxMs: number;
  private readonly now: () => number;
  private readonly entries = new Map<string, Entry>();

  constructor(opts: BackoffOptions = {}) {
    this.initialMs = opts.initialMs ?? 10_000;
    this.maxMs = opts.maxMs ?? 300_000;
    this.now = opts.now ?? Date.now;
  }

  private expired(e: Entry, eventMs: number): boolean {
    return eventMs - e.lastUpdateMs > 2 * this.maxMs;
  }

  /** The key's current back-off (0 when it has none). */
  get(key: string): number {
    return this.entries.get(key)?.backoffMs ?? 0;
  }

  /** Records a failure (or a restart) of something that happened at eventMs: starts or doubles the back-off. */
  next(key: string, eventMs: number = this.now()): void {
    const e = this.entries.get(key);
    if (!e || this.expired(e, eventMs)) this.entries.set(key, { backoffMs: this.initialMs, lastUpdateMs: this.now() });
    else this.entries.set(key, { backoffMs: Math.min(e.backoffMs * 2, this.maxMs), lastUpdateMs: this.now() });
  }

  /** True while something that finished at eventMs must still wait (measured from eventMs). */
  isInBackOffSince(key: string, eventMs: number): boolean {
    const e = this.entries.get(key);
    if (!e || this.expired(e, eventMs)) return false;
    return this.now() - eventMs < e.backoffMs;
  }

  /** True while eventMs is inside the back-off that started at the key's last update. */
  isInBackOffSinceUpdate(key: string, eventMs: number = this.now()): boolean {
    const e = this.entries.get(key);
    if (!e || this.expired(e, eventMs)) return false;
    return eventMs - e.lastUpdateMs < e.backoffMs;
  }

  /** ms from now until something that finished at eventMs may go again (0 = now). */
  remainingMs(key: string, eventMs: number): number {
    const e = this.entries.get(key);
    if (!e || this.expired(e, eventMs)) return 0;
    return Math.max(0, eventMs + e.backoffMs - this.now());
  }

  /** Drops entries untouched for more than 2×max. */
  gc(): void {
    const now = this.now();
    for (const [k, e] of this.entries) if (this.expired(e, now)) this.entries.delete(k);
  }

  reset(key: string): void {
    this.entries.delete(key);
  }

  /** Forgets every key starting with prefix (a pod's containers when the pod goes). */
  forgetPrefix(prefix: string): void {
    for (const k of [...this.entries.keys()]) if (k.startsWith(prefix)) this.entries.delete(k);
  }
}
