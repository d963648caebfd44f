// Per-container restart back-off, as the kubelet's flowcontrol.Backoff does it
// (initial 10 s, doubling to 300 s, no jitter): the first restart after a
// crash is immediate; later crashes wait out the current delay, measured from
// when the container finished. An entry whose last restart is more than twice
// the cap (10 min) older than the crash starts again from 10 s.

export const INITIAL_BACKOFF_MS = 10_000;
export const MAX_BACKOFF_MS = 300_000;

interface Entry {
  backoffMs: number;
  lastUpdateMs: number;
}

export class Backoff {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly now: () => number = Date.now,
    private readonly initialMs = INITIAL_BACKOFF_MS,
    private readonly maxMs = MAX_BACKOFF_MS,
  ) {}

  private expired(eventMs: number, e: Entry): boolean {
    return eventMs - e.lastUpdateMs > this.maxMs * 2;
  }

  /** The current delay for key (0 when none). */
  get(key: string): number {
    return this.entries.get(key)?.backoffMs ?? 0;
  }

  /** True while a restart of something that finished at eventMs must still wait. */
  isInBackOffSince(key: string, eventMs: number): boolean {
    const e = this.entries.get(key);
    if (!e || this.expired(eventMs, e)) return false;
    return this.now() - eventMs < e.backoffMs;
  }

  /** ms from now until a restart of something that finished at eventMs is allowed (0 = now). */
  remainingMs(key: string, eventMs: number): number {
    const e = this.entries.get(key);
    if (!e || this.expired(eventMs, e)) return 0;
    return Math.max(0, eventMs + e.backoffMs - this.now());
  }

  /** Records a restart: the next delay doubles (or starts at the initial value). */
  next(key: string, eventMs: number): void {
    const e = this.entries.get(key);
    if (!e || this.expired(eventMs, e)) this.entries.set(key, { backoffMs: this.initialMs, lastUpdateMs: this.now() });
    else this.entries.set(key, { backoffMs: Math.min(e.backoffMs * 2, this.maxMs), lastUpdateMs: this.now() });
  }

  /** Forgets every key starting with prefix (a pod's containers when the pod goes). */
  forgetPrefix(prefix: string): void {
    for (const k of [...this.entries.keys()]) if (k.startsWith(prefix)) this.entries.delete(k);
  }
}

/** A whole-second duration the way Go prints time.Duration: 10s, 1m20s, 5m0s, 1h0m0s. */
export function goDuration(ms: number): string {
  if (ms === 0) return '0s';
  const neg = ms < 0;
  let rest = Math.abs(ms);
  const frac = rest % 1000;
  let secs = Math.floor(rest / 1000);
  const h = Math.floor(secs / 3600);
  secs -= h * 3600;
  const m = Math.floor(secs / 60);
  secs -= m * 60;
  const s = frac ? `${secs}.${String(frac).padStart(3, '0').replace(/0+$/, '')}s` : `${secs}s`;
  const text = h ? `${h}h${m}m${s}` : m ? `${m}m${s}` : s;
  return neg ? `-${text}` : text;
}
