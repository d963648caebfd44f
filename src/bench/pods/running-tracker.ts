// Turns a pod watch into "when was each pod first seen Running, and is it gone yet":
// the bench's clock for create → Running. Fed watch events; callers wait on names.

export interface PodLike {
  metadata?: { name?: string; namespace?: string };
  spec?: { nodeName?: string };
  status?: { phase?: string };
}

interface Waiter {
  resolve: (t: number) => void;
  reject: (e: Error) => void;
  timer: NodeJS.Timeout;
}

export class RunningTracker {
  /** name → first time (now()) an event showed phase Running. */
  readonly runningAt = new Map<string, number>();
  /** name → first time an event showed spec.nodeName (bound by the scheduler). */
  readonly boundAt = new Map<string, number>();
  /** Names currently present (seen ADDED/MODIFIED, not DELETED). */
  readonly present = new Set<string>();
  private readonly waiters = new Map<string, Waiter[]>();
  private readonly goneWaiters: { names: Set<string>; resolve: () => void }[] = [];

  constructor(private readonly now: () => number = () => performance.now()) {}

  onEvent(type: string, obj: PodLike | undefined): void {
    const name = obj?.metadata?.name;
    if (!name || type === 'BOOKMARK' || type === 'ERROR') return;
    if (type === 'DELETED') {
      this.present.delete(name);
      this.checkGone();
      return;
    }
    this.present.add(name);
    if (obj?.spec?.nodeName && !this.boundAt.has(name)) this.boundAt.set(name, this.now());
    if (obj?.status?.phase === 'Running' && !this.runningAt.has(name)) {
      const t = this.now();
      this.runningAt.set(name, t);
      for (const w of this.waiters.get(name) ?? []) {
        clearTimeout(w.timer);
        w.resolve(t);
      }
      this.waiters.delete(name);
    }
  }

  /** Resolves with the time the pod was first seen Running (at once if it already was); rejects after timeoutMs. */
  waitRunning(name: string, timeoutMs: number): Promise<number> {
    const seen = this.runningAt.get(name);
    if (seen !== undefined) return Promise.resolve(seen);
    return new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => {
        const list = this.waiters.get(name) ?? [];
        this.waiters.set(name, list.filter((w) => w.timer !== timer));
        reject(new Error(`pod ${name} not Running after ${timeoutMs} ms`));
      }, timeoutMs);
      const list = this.waiters.get(name) ?? [];
      list.push({ resolve, reject, timer });
      this.waiters.set(name, list);
    });
  }

  /** Resolves once none of names is present (per the events); false on timeout. */
  waitGone(names: Iterable<string>, timeoutMs: number): Promise<boolean> {
    const set = new Set(names);
    return new Promise<boolean>((resolve) => {
      const entry = {
        names: set,
        resolve: () => {
          clearTimeout(timer);
          resolve(true);
        },
      };
      const timer = setTimeout(() => {
        const i = this.goneWaiters.indexOf(entry);
        if (i >= 0) this.goneWaiters.splice(i, 1);
        resolve(false);
      }, timeoutMs);
      this.goneWaiters.push(entry);
      this.checkGone();
    });
  }

  /** Rejects every pending Running waiter (e.g. the watch broke). */
  failAll(err: Error): void {
    for (const list of this.waiters.values()) {
      for (const w of list) {
        clearTimeout(w.timer);
        w.reject(err);
      }
    }
    this.waiters.clear();
  }

  private checkGone(): void {
    for (const g of [...this.goneWaiters]) {
      if ([...g.names].every((n) => !this.present.has(n))) {
        this.goneWaiters.splice(this.goneWaiters.indexOf(g), 1);
        g.resolve();
      }
    }
  }
}
