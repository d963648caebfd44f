// The kubelet's pod side: one informer on the pods bound to this node (all
// namespaces) and one PodWorker per pod UID. Every add/update/delete, every
// resync period and every expired back-off re-syncs the pod's worker. At
// start, runtime objects of pods no longer bound here are cleaned up; the
// others are adopted by their workers. stop() leaves containers running.

import { Pleg } from './pleg.js';
import { readFileSync } from 'node:fs';
import { totalmem } from 'node:os';
import { SharedInformer, type KubeObject } from '../../client/index.js';
import { log } from '../../log.js';
import type { EnvService, ImageService, KubeletContext, ProbeHooks, ProbeService, VolumeService } from '../contracts.js';
import { removeOrphanedPods, runtimePodUids } from './adoption.js';
import { Backoff } from '../backoff.js';
import { parseResolvConf, type HostDNS } from './dns-config.js';
import type { PodCleanup, RunHandler } from './hooks.js';
import { PodWorker, podsDef } from './pod-worker.js';

export interface PodManagerOptions {
  ctx: KubeletContext;
  images: ImageService;
  volumes: VolumeService;
  env: EnvService;
  probes: ProbeService;
  /** Runs lifecycle hooks (prober/actions.ts runHandler). Without it postStart/preStop hooks are skipped. */
  handlers?: RunHandler;
  cleanup?: PodCleanup;
  /** Default 10 000 ms. */
  resyncMs?: number;
  /** Node memory for the burstable OOM score (default os.totalmem()). */
  memoryCapacityBytes?: number;
  /** Host resolver config copied into Default-policy pods (default /etc/resolv.conf). */
  resolvConfPath?: string;
  /** Restart back-off clock (tests). */
  backoff?: Backoff;
}

export class PodManager implements ProbeHooks {
  readonly informer: SharedInformer<KubeObject>;
  private readonly workers = new Map<string, PodWorker>();
  /** UIDs whose termination is complete: late informer events for them are ignored. */
  private readonly finished = new Set<string>();
  private readonly backoff: Backoff;
  private readonly digestCache = new Map<string, string>();
  private hostDNSCache?: HostDNS;
  private started = false;
  private readonly pleg: Pleg;

  constructor(private readonly o: PodManagerOptions) {
    this.backoff = o.backoff ?? new Backoff({ now: () => o.ctx.now().getTime() });
    this.informer = new SharedInformer<KubeObject>(o.ctx.client, podsDef, { fieldSelector: `spec.nodeName=${o.ctx.nodeName}` });
    this.pleg = new Pleg(o.ctx.cri, o.ctx.nodeName, (uid) => this.workers.get(uid)?.requestSync());
    this.informer.addEventHandler({
      onAdd: (p) => this.observe(p),
      onUpdate: (_old, p) => this.observe(p),
      onDelete: (p) => this.forget(p),
    });
  }

  /** Starts watching pods; after the first list, cleans up orphans and starts a worker per pod. */
  async start(syncTimeoutMs = 60_000): Promise<void> {
    if (this.started) return;
    this.started = true;
    const before = await runtimePodUids(this.o.ctx);
    this.informer.start();
    if (!(await this.informer.waitForSync(syncTimeoutMs))) throw new Error('pod informer did not sync');
    const keep = new Set(this.informer.indexer.list().map((p) => String(p.metadata.uid)));
    await removeOrphanedPods({ ctx: this.o.ctx, volumes: this.o.volumes, cleanup: this.o.cleanup }, keep, before).catch((e) =>
      log.warn('orphan cleanup failed', { err: e instanceof Error ? e.message : String(e) }),
    );
    this.pleg.start();
  }

  /** Stops the informer and all workers; containers keep running. */
  async stop(): Promise<void> {
    this.pleg.stop();
    this.informer.stop();
    const all = [...this.workers.values()];
    for (const w of all) w.stop();
    await Promise.all(all.map((w) => w.whenIdle()));
  }

  worker(uid: string): PodWorker | undefined {
    return this.workers.get(uid);
  }

  onProbeKill(podUid: string, containerName: string, containerId: string, probe: 'liveness' | 'startup', _message: string): void {
    this.workers.get(podUid)?.requestKill(containerName, containerId, probe);
  }

  onResultChange(podUid: string): void {
    this.workers.get(podUid)?.requestSync();
  }

  private hostDNS(): HostDNS {
    if (!this.hostDNSCache) {
      try {
        this.hostDNSCache = parseResolvConf(readFileSync(this.o.resolvConfPath ?? '/etc/resolv.conf', 'utf8'));
      } catch {
        this.hostDNSCache = { servers: [], searches: [], options: [] };
      }
    }
    return this.hostDNSCache;
  }

  private observe(pod: KubeObject): void {
    const uid = pod.metadata.uid;
    if (!uid || this.finished.has(uid)) return;
    if (pod.spec?.nodeName !== this.o.ctx.nodeName) return;
    let w = this.workers.get(uid);
    if (!w) {
      w = new PodWorker(uid, {
        ctx: this.o.ctx,
        images: this.o.images,
        volumes: this.o.volumes,
        env: this.o.env,
        probes: this.o.probes,
        runHandler: this.o.handlers,
        cleanup: this.o.cleanup,
        backoff: this.backoff,
        hostDNS: () => this.hostDNS(),
        memoryCapacity: this.o.memoryCapacityBytes ?? totalmem(),
        resyncMs: this.o.resyncMs ?? 10_000,
        digestCache: this.digestCache,
        onFinished: (id) => {
          this.finished.add(id);
          this.workers.delete(id);
        },
      });
      this.workers.set(uid, w);
    }
    w.update(pod);
  }

  private forget(pod: KubeObject): void {
    const uid = pod.metadata.uid;
    if (!uid) return;
    this.workers.get(uid)?.update(undefined);
  }
}
