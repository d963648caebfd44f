// One watch on the store feeds an in-memory cache per resource: lists, gets and
// every HTTP watcher are served from memory, so N watchers cost no extra queries.

import type { KeyValue, Store, WatchEvent, Watcher } from '../storage/store.js';

export type EventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface CacheEvent {
  type: EventType;
  key: string;
  /** The object after the event (for DELETED: the last state, resourceVersion = delete revision). */
  obj: any;
  /** The object before the event (for MODIFIED/DELETED). */
  prev?: any;
  rv: number;
}

export type CacheListener = (events: CacheEvent[]) => void;

export class TooOldError extends Error {
  constructor(readonly requested: number, readonly oldest: number) {
    super(`too old resource version: ${requested} (${oldest})`);
  }
}

export function decodeKv(kv: KeyValue): any {
  const obj = JSON.parse(kv.value.toString('utf8'));
  obj.metadata ??= {};
  obj.metadata.resourceVersion = String(kv.modRevision);
  return obj;
}

/** The cached state of one resource (one storage prefix). */
export class ResourceCache {
  private readonly items = new Map<string, any>();
  private sortedKeys: string[] | null = null;
  private history: CacheEvent[] = [];
  /** Index of the oldest event still kept in history (entries before it are dropped lazily). */
  private head = 0;
  /** Watchers may start from any rv >= this. */
  private historyStart = 0;
  private readonly listeners = new Set<CacheListener>();
  rev = 0;

  constructor(readonly prefix: string, private readonly capacity: number) {}

  get size(): number {
    return this.items.size;
  }

  get(key: string): any | undefined {
    return this.items.get(key);
  }

  /** Objects with keys under prefix (defaults to the whole resource), ascending by key. */
  list(prefix = this.prefix, startAfter?: string): { key: string; obj: any }[] {
    if (!this.sortedKeys) this.sortedKeys = [...this.items.keys()].sort();
    const keys = this.sortedKeys;
    let i = lowerBound(keys, startAfter !== undefined && startAfter >= prefix ? startAfter : prefix);
    if (startAfter !== undefined && keys[i] === startAfter) i++;
    const out: { key: string; obj: any }[] = [];
    for (; i < keys.length && keys[i].startsWith(prefix); i++) out.push({ key: keys[i], obj: this.items.get(keys[i]) });
    return out;
  }

  /** Iterate without sorting (for watch-free scans such as namespace cleanup). */
  values(): IterableIterator<any> {
    return this.items.values();
  }

  load(kv: KeyValue): void {
    this.items.set(kv.key, decodeKv(kv));
    this.sortedKeys = null;
  }

  setStart(rev: number): void {
    this.rev = rev;
    this.historyStart = rev;
  }

  apply(ev: WatchEvent): CacheEvent {
    const prev = this.items.get(ev.kv.key);
    const obj = decodeKv(ev.kv);
    let ce: CacheEvent;
    if (ev.type === 'DELETE') {
      this.items.delete(ev.kv.key);
      this.sortedKeys = null;
      ce = { type: 'DELETED', key: ev.kv.key, obj, prev, rv: ev.revision };
    } else {
      if (!prev) this.sortedKeys = null;
      this.items.set(ev.kv.key, obj);
      ce = { type: prev ? 'MODIFIED' : 'ADDED', key: ev.kv.key, obj, prev, rv: ev.revision };
    }
    this.history.push(ce);
    if (this.history.length - this.head > this.capacity) {
      this.head = this.history.length - this.capacity;
      // As Kubernetes' watch cache: resuming is allowed from one before the oldest kept event.
      this.historyStart = this.history[this.head].rv - 1;
      // Drop the dead prefix only now and then, so each write stays O(1) amortised.
      if (this.head >= this.capacity) {
        this.history = this.history.slice(this.head);
        this.head = 0;
      }
    }
    return ce;
  }

  notify(events: CacheEvent[]): void {
    for (const l of this.listeners) l(events);
  }

  /** Replay history after rv, then deliver live events. Throws TooOldError. */
  watch(fromRv: number, listener: CacheListener): () => void {
    if (fromRv < this.historyStart) throw new TooOldError(fromRv, this.historyStart);
    let lo = this.head;
    let hi = this.history.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.history[mid].rv <= fromRv) lo = mid + 1;
      else hi = mid;
    }
    if (lo < this.history.length) listener(this.history.slice(lo));
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get oldestRv(): number {
    return this.historyStart;
  }
}

/** Events kept per resource for resuming watches; SKIFF_WATCH_CACHE_CAPACITY overrides (tests provoke 410 with it). */
function defaultCapacity(): number {
  const n = Number(process.env.SKIFF_WATCH_CACHE_CAPACITY);
  return Number.isInteger(n) && n > 0 ? n : 20000;
}

function lowerBound(arr: string[], x: string): number {
  let lo = 0;
  let hi = arr.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (arr[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Owns the single store watch and routes events to the per-resource caches. */
export class WatchCacheSet {
  private readonly caches: ResourceCache[] = [];
  private watcher?: Watcher;
  private waiters: { rev: number; resolve: () => void }[] = [];
  rev = 0;
  /** Listeners for every batch (e.g. the namespace finaliser). */
  readonly onBatch = new Set<(events: { cache: ResourceCache; event: CacheEvent }[]) => void>();

  constructor(private readonly store: Store, private readonly root = '/registry/') {}

  add(prefix: string, capacity = defaultCapacity()): ResourceCache {
    const c = new ResourceCache(prefix, capacity);
    this.caches.push(c);
    // Longest prefix first so nested prefixes route correctly.
    this.caches.sort((a, b) => b.prefix.length - a.prefix.length);
    return c;
  }

  private route(key: string): ResourceCache | undefined {
    for (const c of this.caches) if (key.startsWith(c.prefix)) return c;
    return undefined;
  }

  async start(): Promise<void> {
    let startAfter: string | undefined;
    let revision = 0;
    for (;;) {
      const page = await this.store.list(this.root, { limit: 5000, startAfter });
      if (revision === 0) revision = page.revision;
      for (const kv of page.items) this.route(kv.key)?.load(kv);
      if (!page.more || page.items.length === 0) break;
      startAfter = page.items[page.items.length - 1].key;
    }
    // Anything written between pages is replayed by the watch below (it starts at the first page's revision),
    // and apply() is idempotent for a key it already holds at that state.
    this.rev = revision;
    for (const c of this.caches) c.setStart(revision);
    this.watcher = this.store.watch(this.root, revision, (evs) => this.onEvents(evs));
  }

  private onEvents(evs: WatchEvent[]): void {
    const byCache = new Map<ResourceCache, CacheEvent[]>();
    const all: { cache: ResourceCache; event: CacheEvent }[] = [];
    let last = this.rev;
    for (const ev of evs) {
      last = Math.max(last, ev.revision);
      const c = this.route(ev.kv.key);
      if (!c) continue;
      const ce = c.apply(ev);
      let arr = byCache.get(c);
      if (!arr) byCache.set(c, (arr = []));
      arr.push(ce);
      all.push({ cache: c, event: ce });
    }
    this.rev = last;
    for (const c of this.caches) c.rev = last;
    for (const [c, arr] of byCache) c.notify(arr);
    for (const l of this.onBatch) l(all);
    if (this.waiters.length) {
      const ready = this.waiters.filter((w) => w.rev <= last);
      this.waiters = this.waiters.filter((w) => w.rev > last);
      for (const w of ready) w.resolve();
    }
  }

  /** Resolves once every event up to rev is in the caches (consistent reads from cache). */
  waitFor(rev: number): Promise<void> {
    if (rev <= this.rev) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ rev, resolve }));
  }

  stop(): void {
    this.watcher?.cancel();
    for (const w of this.waiters) w.resolve();
    this.waiters = [];
  }
}
