// Deleting a namespace deletes what is in it: a terminating namespace has its
// contents removed, then its "kubernetes" finalizer, then it is gone.

import { resources } from '../api/resources.js';
import type { WatchCacheSet } from './watch-cache.js';
import type { ApiServer } from './server.js';
import { log } from '../log.js';

const SYSTEM_CTX = () => ({ user: 'system:serviceaccount:kube-system:namespace-controller', fieldManager: 'namespace-controller', dryRun: false, now: new Date() });

export class NamespaceFinalizer {
  private timer?: NodeJS.Timeout;
  private running = false;
  private again = false;
  private readonly listener = () => this.kick();

  constructor(private readonly api: ApiServer, private readonly caches: WatchCacheSet) {}

  start(): void {
    this.caches.onBatch.add(this.listener);
    this.timer = setInterval(() => this.kick(), 2000);
    this.kick();
  }

  stop(): void {
    this.caches.onBatch.delete(this.listener);
    if (this.timer) clearInterval(this.timer);
  }

  private kick(): void {
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = true;
    void this.sweep()
      .catch((e) => log.warn('namespace cleanup failed', { error: String(e) }))
      .finally(() => {
        this.running = false;
        if (this.again) {
          this.again = false;
          setImmediate(() => this.kick());
        }
      });
  }

  private async sweep(): Promise<void> {
    const namespaces = this.api.storageFor('', 'namespaces');
    for (const ns of [...namespaces.cache.values()]) {
      if (!ns.metadata.deletionTimestamp) continue;
      if (!ns.spec?.finalizers?.includes('kubernetes')) continue;
      const name = ns.metadata.name;
      let remaining = 0;
      for (const def of resources) {
        if (!def.namespaced || def.group === 'events.k8s.io' || def.verbs) continue;
        const storage = this.api.storage(def);
        for (const { obj } of storage.cache.list(`${storage.cache.prefix}${name}/`)) {
          remaining++;
          if (obj.metadata.deletionTimestamp) continue;
          try {
            await storage.delete(name, obj.metadata.name, { propagationPolicy: 'Background' }, SYSTEM_CTX());
          } catch (e) {
            if ((e as { code?: number }).code !== 404) throw e;
          }
        }
      }
      if (remaining > 0) continue;
      await namespaces.guaranteedUpdate(undefined, name, SYSTEM_CTX(), (cur) => {
        cur.spec = { ...(cur.spec ?? {}), finalizers: (cur.spec?.finalizers ?? []).filter((f: string) => f !== 'kubernetes') };
        delete cur.metadata.resourceVersion; // retry on races instead of failing with a conflict
        return cur;
      }, { subresource: 'finalize' }).catch((e) => {
        if ((e as { code?: number }).code !== 404) throw e;
      });
    }
  }
}
