// Shared informers: keep a local, always-current copy of one resource (LIST,
// then WATCH from the list's resourceVersion) and tell handlers what changed,
// following client-go's reflector + shared informer behaviour:
//   * watches ask for bookmarks and a random 5-10 minute timeout, and are
//     resumed from the last seen resourceVersion when the server ends them;
//   * 410 Expired (ERROR event or HTTP 410) means our resourceVersion is too
//     old: re-LIST and hand out synthetic add/update/delete for the difference;
//   * connection failures back off exponentially (capped);
//   * a resync period re-delivers every cached object as an update.
// InformerFactory hands out one informer per (resource, namespace, selectors).

import { apiVersionOf, type ResourceDef } from '../api/resources.js';
import { log } from '../log.js';
import { ApiStatusError, isResourceExpired, type Status } from './api-status-error.js';
import { Indexer, NAMESPACE_INDEX, namespaceIndexFunc, type Indexers } from './indexer.js';
import { objectKey, type KubeObject } from './kube-object.js';
import { Lister } from './lister.js';
import type { RestClient, WatchHandle } from './rest-client.js';
import type { WatchEvent } from './watch-decoder.js';

export interface EventHandlers<T> {
  onAdd?(obj: T): void;
  onUpdate?(oldObj: T, newObj: T): void;
  /** Gets the last known state of the object. */
  onDelete?(obj: T): void;
}

export interface InformerScope {
  /** Only this namespace (namespaced resources); all namespaces when absent. */
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
}

export interface InformerOptions<T> extends InformerScope {
  /** Re-deliver every cached object as onUpdate(obj, obj) this often. 0 = never (default). */
  resyncPeriodMs?: number;
  /** Extra indexes; a 'namespace' index is always present. */
  indexers?: Indexers<T>;
  /** LIST page size. Default 500. */
  pageSize?: number;
  /** Seconds each watch asks the server to keep it open. Default: random 300-600. */
  watchTimeoutSeconds?: () => number;
  /** First retry delay after a failure; doubles up to backoffMaxMs. Default 800 ms. */
  backoffInitialMs?: number;
  /** Default 30 000 ms. */
  backoffMaxMs?: number;
}

const defaultWatchTimeout = (): number => 300 + Math.floor(Math.random() * 301);

type WatchOutcome = 'closed' | 'expired';

export class SharedInformer<T extends KubeObject = KubeObject> {
  readonly indexer: Indexer<T>;
  private readonly handlers = new Set<EventHandlers<T>>();
  private lastRv = '';
  private synced = false;
  private syncWaiters: ((ok: boolean) => void)[] = [];
  private started = false;
  private stopped = false;
  private watch?: WatchHandle;
  private resyncTimer?: NodeJS.Timeout;
  private wake?: () => void;
  private resyncPeriodMs: number;
  private readonly apiVersion: string;

  constructor(
    private readonly client: RestClient,
    readonly def: ResourceDef,
    private readonly opts: InformerOptions<T> = {},
  ) {
    this.indexer = new Indexer<T>({ [NAMESPACE_INDEX]: namespaceIndexFunc, ...opts.indexers });
    this.resyncPeriodMs = opts.resyncPeriodMs ?? 0;
    this.apiVersion = apiVersionOf(def);
  }

  // ---------------------------------------------------------------- public API

  /** Registers handlers; if the cache already holds objects they are delivered as adds right away. Returns an unregister function. */
  addEventHandler(h: EventHandlers<T>): () => void {
    this.handlers.add(h);
    if (this.synced) for (const obj of this.indexer.list()) call(() => h.onAdd?.(obj));
    return () => this.handlers.delete(h);
  }

  addIndexers(indexers: Indexers<T>): void {
    this.indexer.addIndexers(indexers);
  }

  lister(): Lister<T> {
    return new Lister(this.indexer);
  }

  hasSynced(): boolean {
    return this.synced;
  }

  /** Resolves true once the first LIST is in the cache, false if stopped (or timed out) first. */
  waitForSync(timeoutMs?: number): Promise<boolean> {
    if (this.synced) return Promise.resolve(true);
    if (this.stopped) return Promise.resolve(false);
    return new Promise((resolve) => {
      let timer: NodeJS.Timeout | undefined;
      const waiter = (ok: boolean) => {
        if (timer) clearTimeout(timer);
        resolve(ok);
      };
      this.syncWaiters.push(waiter);
      if (timeoutMs !== undefined) {
        timer = setTimeout(() => {
          this.syncWaiters = this.syncWaiters.filter((w) => w !== waiter);
          resolve(false);
        }, timeoutMs);
      }
    });
  }

  /** The resourceVersion the cache is current to. */
  lastSyncResourceVersion(): string {
    return this.lastRv;
  }

  /** Shortens (never lengthens) the resync period; used when several callers share one informer. */
  requestResyncPeriod(ms: number): void {
    if (ms <= 0 || (this.resyncPeriodMs > 0 && this.resyncPeriodMs <= ms)) return;
    this.resyncPeriodMs = ms;
    if (this.resyncTimer) this.startResync();
  }

  isStarted(): boolean {
    return this.started;
  }

  start(): void {
    if (this.started || this.stopped) return;
    this.started = true;
    void this.run();
  }

  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.watch?.stop();
    if (this.resyncTimer) clearInterval(this.resyncTimer);
    this.wake?.();
    for (const w of this.syncWaiters.splice(0)) w(false);
  }

  // ---------------------------------------------------------------- the loop

  private async run(): Promise<void> {
    const initial = this.opts.backoffInitialMs ?? 800;
    const max = this.opts.backoffMaxMs ?? 30_000;
    let backoff = initial;
    let needList = true;
    while (!this.stopped) {
      try {
        if (needList) {
          await this.listAndReplace();
          needList = false;
          backoff = initial;
        }
        if (this.stopped) break;
        const started = Date.now();
        const { outcome, events } = await this.watchOnce();
        if (outcome === 'expired') {
          log.info('informer: resourceVersion expired, re-listing', { resource: this.def.plural, rv: this.lastRv });
          needList = true;
          continue;
        }
        // A watch that ends at once with nothing in it is treated as a failure, so a
        // misbehaving server cannot make us spin.
        if (events === 0 && Date.now() - started < 100) throw new Error('watch closed immediately');
        backoff = initial;
      } catch (e) {
        if (this.stopped) break;
        if (isResourceExpired(e)) {
          needList = true;
          continue;
        }
        if (e instanceof ApiStatusError && !needList) needList = e.code !== 429 && e.code < 500;
        log.warn('informer: list/watch failed, backing off', { resource: this.def.plural, error: (e as Error).message, backoffMs: backoff });
        await this.sleep(backoff * (1 + Math.random() * 0.5));
        backoff = Math.min(backoff * 2, max);
      }
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(() => {
        this.wake = undefined;
        resolve();
      }, ms);
      this.wake = () => {
        clearTimeout(t);
        this.wake = undefined;
        resolve();
      };
    });
  }

  private withType(obj: T): T {
    // Objects in lists may lack kind/apiVersion; handlers (e.g. the event recorder) want them.
    if (!obj.kind) obj.kind = this.def.kind;
    if (!obj.apiVersion) obj.apiVersion = this.apiVersion;
    return obj;
  }

  private async listAndReplace(): Promise<void> {
    const { namespace, labelSelector, fieldSelector } = this.opts;
    const limit = this.opts.pageSize ?? 500;
    const items: T[] = [];
    let rv = '';
    let cont: string | undefined;
    do {
      const page = await this.client.list<T>(this.def, namespace, { labelSelector, fieldSelector, limit, continue: cont });
      if (!cont) rv = page.metadata.resourceVersion;
      for (const obj of page.items) items.push(this.withType(obj));
      cont = page.metadata.continue;
    } while (cont && !this.stopped);
    if (this.stopped) return;
    this.replace(items, rv);
  }

  /** client-go's Replace: swap the cache and tell handlers what differs. */
  private replace(items: T[], rv: string): void {
    const fresh = new Map<string, T>();
    for (const obj of items) fresh.set(objectKey(obj), obj);
    const gone: T[] = [];
    for (const key of this.indexer.listKeys()) if (!fresh.has(key)) gone.push(this.indexer.get(key)!);
    const changes: (() => void)[] = [];
    for (const [key, obj] of fresh) {
      const old = this.indexer.get(key);
      if (!old) changes.push(() => this.dispatch((h) => h.onAdd?.(obj)));
      else if (old.metadata.resourceVersion !== obj.metadata.resourceVersion) changes.push(() => this.dispatch((h) => h.onUpdate?.(old, obj)));
    }
    this.indexer.replace(items);
    this.lastRv = rv;
    for (const obj of gone) this.dispatch((h) => h.onDelete?.(obj));
    for (const c of changes) c();
    if (!this.synced) {
      this.synced = true;
      for (const w of this.syncWaiters.splice(0)) w(true);
      if (this.resyncPeriodMs > 0) this.startResync();
    }
  }

  private startResync(): void {
    if (this.resyncTimer) clearInterval(this.resyncTimer);
    this.resyncTimer = setInterval(() => {
      for (const obj of this.indexer.list()) this.dispatch((h) => h.onUpdate?.(obj, obj));
    }, this.resyncPeriodMs);
  }

  private async watchOnce(): Promise<{ outcome: WatchOutcome; events: number }> {
    const { namespace, labelSelector, fieldSelector } = this.opts;
    let outcome: WatchOutcome = 'closed';
    let failure: unknown;
    let events = 0;
    const handle: WatchHandle = this.client.watch<any>(
      this.def,
      namespace,
      {
        resourceVersion: this.lastRv,
        labelSelector,
        fieldSelector,
        allowWatchBookmarks: true,
        timeoutSeconds: (this.opts.watchTimeoutSeconds ?? defaultWatchTimeout)(),
      },
      (ev) => {
        events++;
        if (ev.type === 'ERROR') {
          const err = new ApiStatusError(ev.object as Status);
          if (isResourceExpired(err)) outcome = 'expired';
          else failure = err;
          handle.stop();
          return;
        }
        this.apply(ev);
      },
    );
    this.watch = handle;
    try {
      await handle.done;
    } finally {
      this.watch = undefined;
    }
    if (failure) throw failure;
    return { outcome, events };
  }

  private apply(ev: WatchEvent<T>): void {
    const obj = ev.object;
    const rv = obj?.metadata?.resourceVersion;
    if (ev.type === 'BOOKMARK') {
      if (rv) this.lastRv = rv;
      return;
    }
    this.withType(obj);
    const key = objectKey(obj);
    if (ev.type === 'DELETED') {
      this.indexer.delete(key);
      this.dispatch((h) => h.onDelete?.(obj));
    } else {
      const old = this.indexer.update(obj);
      if (old) this.dispatch((h) => h.onUpdate?.(old, obj));
      else this.dispatch((h) => h.onAdd?.(obj));
    }
    if (rv) this.lastRv = rv;
  }

  private dispatch(fn: (h: EventHandlers<T>) => void): void {
    for (const h of this.handlers) call(() => fn(h));
  }
}

/** A throwing handler must not break the informer or other handlers. */
function call(fn: () => void): void {
  try {
    fn();
  } catch (e) {
    log.error('informer: event handler threw', { error: (e as Error).stack ?? String(e) });
  }
}

export interface FactoryOptions {
  /** Resync for informers made by this factory, unless a caller asks for shorter. Default 0 (off). */
  defaultResyncMs?: number;
  /** Passed to every informer (backoff, page size, watch timeout). */
  informerDefaults?: Omit<InformerOptions<KubeObject>, keyof InformerScope | 'indexers' | 'resyncPeriodMs'>;
}

/**
 * One SharedInformer per (resource, namespace, selectors) for all callers.
 * After start(), informers asked for later are started immediately.
 */
export class InformerFactory {
  private readonly informers = new Map<string, SharedInformer<any>>();
  private started = false;

  constructor(
    private readonly client: RestClient,
    private readonly opts: FactoryOptions = {},
  ) {}

  informerFor<T extends KubeObject = KubeObject>(def: ResourceDef, scope: InformerScope & { resyncPeriodMs?: number; indexers?: Indexers<T> } = {}): SharedInformer<T> {
    const key = [def.group, def.version, def.plural, scope.namespace ?? '', scope.labelSelector ?? '', scope.fieldSelector ?? ''].join('|');
    let inf = this.informers.get(key) as SharedInformer<T> | undefined;
    if (!inf) {
      inf = new SharedInformer<T>(this.client, def, {
        ...this.opts.informerDefaults,
        namespace: scope.namespace,
        labelSelector: scope.labelSelector,
        fieldSelector: scope.fieldSelector,
        resyncPeriodMs: this.opts.defaultResyncMs ?? 0,
      });
      this.informers.set(key, inf);
      if (this.started) inf.start();
    }
    if (scope.resyncPeriodMs) inf.requestResyncPeriod(scope.resyncPeriodMs);
    if (scope.indexers) {
      const missing = Object.fromEntries(Object.entries(scope.indexers).filter(([name]) => !inf!.indexer.hasIndex(name)));
      inf.addIndexers(missing);
    }
    return inf;
  }

  lister<T extends KubeObject = KubeObject>(def: ResourceDef, scope: InformerScope = {}): Lister<T> {
    return this.informerFor<T>(def, scope).lister();
  }

  start(): void {
    this.started = true;
    for (const inf of this.informers.values()) inf.start();
  }

  /** Resolves true when every informer made so far has synced. */
  async waitForCacheSync(timeoutMs?: number): Promise<boolean> {
    const results = await Promise.all([...this.informers.values()].map((i) => i.waitForSync(timeoutMs)));
    return results.every(Boolean);
  }

  stop(): void {
    for (const inf of this.informers.values()) inf.stop();
  }

  get size(): number {
    return this.informers.size;
  }
}
