// Per-key exponential back-off with the semantics of client-go's
// flowcontrol.Backoff (no jitter), which the kubelet uses for image pulls:
// the first failure waits `initial`, each further failure within the window
// doubles it up to `max`, and an entry untouched for more than 2×max is
// forgotten (the next failure starts again at `initial`). Success does not
// clear an entry; only that expiry does.

export interface BackoffOptions {
  /** Default 10 s (the kubelet's image back-off). */
  initialMs?: number;
  /** Default 300 s. */
  maxMs?: number;
}

interface Entry {
  backoffMs: number;
  lastUpdateMs: number;
}

export class Backoff {
  readonly initialMs: number;
  readonly maxMs: number;
  private readonly entries = new Map<string, Entry>();

  constructor(opts: BackoffOptions = {}) {
    this.initialMs = opts.initialMs ?? 10_000;
    this.maxMs = opts.maxMs ?? 300_000;
  }

  private expired(e: Entry, nowMs: number): boolean {
    return nowMs - e.lastUpdateMs > 2 * this.maxMs;
  }

  /** Records a failure at nowMs: starts or doubles the key's back-off. */
  next(key: string, nowMs: number): void {
    const e = this.entries.get(key);
    if (!e || this.expired(e, nowMs)) {
      this.entries.set(key, { backoffMs: this.initialMs, lastUpdateMs: nowMs });
      return;
    }
    e.backoffMs = Math.min(e.backoffMs * 2, this.maxMs);
    e.lastUpdateMs = nowMs;
  }

  /** Whether nowMs is still inside the back-off that started at the key's last failure. */
  isInBackOffSinceUpdate(key: string, nowMs: number): boolean {
    const e = this.entries.get(key);
    if (!e || this.expired(e, nowMs)) return false;
    return nowMs - e.lastUpdateMs < e.backoffMs;
  }

  /** The key's current back-off (0 when it has none). */
  get(key: string): number {
    return this.entries.get(key)?.backoffMs ?? 0;
  }

  /** Drops expired entries. */
  gc(nowMs: number): void {
    for (const [k, e] of this.entries) if (this.expired(e, nowMs)) this.entries.delete(k);
  }

  reset(key: string): void {
    this.entries.delete(key);
  }
}
