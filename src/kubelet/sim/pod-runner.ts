// The pod side of the kubelet for every simulated node at once: ONE informer
// on bound pods in all namespaces (filtered here by node name, not one watch
// per node), a work queue, and a few workers that
//   * report newly bound pods Running (IPs, conditions, container statuses),
//   * finish pods being deleted (DELETE with grace 0 and a uid precondition),
//   * let pods that ask for it succeed after N seconds.
// Pods on failed nodes are left alone.

import { randomBytes } from 'node:crypto';
import { resources } from '../../api/resources.js';
import { isConflict, isNotFound, objectKey, SharedInformer, WorkQueue, type KubeObject, type RestClient } from '../../client/index.js';
import { log } from '../../log.js';
import type { CallLimiter } from './call-limiter.js';
import { exitAfterSeconds, isFinished, isRunningBySim, runningPodStatus, succeededPodStatus } from './pod-status.js';
import { podIPs, type SimNode } from './sim-node.js';

export const podsDef = resources.find((r) => r.group === '' && r.plural === 'pods')!;
const NODE_INDEX = 'nodeName';

export interface PodRunnerDeps {
  client: RestClient;
  limiter: CallLimiter;
  nodes: ReadonlyMap<string, SimNode>;
  /** Asks for runExit(key) at wall-clock ms `atMs`. */
  scheduleExit: (key: string, atMs: number) => void;
  workers?: number;
  wallNow?: () => Date;
  newContainerID?: () => string;
}

export interface PodRunnerStats {
  started: number;
  deleted: number;
  succeeded: number;
  conflicts: number;
}

export class PodRunner {
  readonly informer: SharedInformer<KubeObject>;
  readonly stats: PodRunnerStats = { started: 0, deleted: 0, succeeded: 0, conflicts: 0 };
  private readonly queue = new WorkQueue<string>();
  private readonly exitScheduled = new Set<string>();
  private readonly wallNow: () => Date;
  private readonly newContainerID: () => string;
  private workers: Promise<void>[] = [];

  constructor(private readonly d: PodRunnerDeps) {
    this.wallNow = d.wallNow ?? (() => new Date());
    this.newContainerID = d.newContainerID ?? (() => randomBytes(32).toString('hex'));
    // Unbound pods are none of a kubelet's business: the server filters them out.
    this.informer = new SharedInformer<KubeObject>(d.client, podsDef, {
      fieldSelector: 'spec.nodeName!=',
      indexers: { [NODE_INDEX]: (p) => (p.spec?.nodeName ? [String(p.spec.nodeName)] : []) },
    });
    this.informer.addEventHandler({
      onAdd: (p) => this.observe(p),
      onUpdate: (_old, p) => this.observe(p),
      onDelete: (p) => this.forgetPod(p),
    });
  }

  start(): void {
    this.informer.start();
    const n = this.d.workers ?? 16;
    for (let i = 0; i < n; i++) this.workers.push(this.work());
  }

  waitForSync(timeoutMs?: number): Promise<boolean> {
    return this.informer.waitForSync(timeoutMs);
  }

  async stop(): Promise<void> {
    this.informer.stop();
    this.queue.shutDown();
    await Promise.allSettled(this.workers);
  }

  /** Re-examines every pod bound to the node (after it comes back from failure). */
  resyncNode(name: string): void {
    for (const p of this.informer.indexer.byIndex(NODE_INDEX, name)) this.observe(p);
  }

  /** Called by the fleet's timeline when a pod's exit time comes. */
  runExit(key: string): void {
    this.exitScheduled.delete(key);
    this.queue.add(key);
  }

  private nodeOf(pod: KubeObject): SimNode | undefined {
    const name = pod.spec?.nodeName;
    return typeof name === 'string' ? this.d.nodes.get(name) : undefined;
  }

  private observe(pod: KubeObject): void {
    const node = this.nodeOf(pod);
    if (!node) return;
    const uid = pod.metadata.uid;
    const ip = pod.status?.podIP;
    // Addresses from a previous run stay taken.
    if (uid && typeof ip === 'string' && ip !== node.internalIP && !isFinished(pod)) podIPs(node).claim(uid, ip);
    if (node.failed) return;
    if (pod.metadata.deletionTimestamp || (!isFinished(pod) && !isRunningBySim(pod))) {
      this.queue.add(objectKey(pod));
    } else if (isRunningBySim(pod)) {
      this.maybeScheduleExit(pod);
    }
  }

  private forgetPod(pod: KubeObject): void {
    const node = this.nodeOf(pod);
    if (node && pod.metadata.uid) node.ips?.release(pod.metadata.uid);
  }

  private maybeScheduleExit(pod: KubeObject): void {
    const after = exitAfterSeconds(pod);
    if (after === undefined) return;
    const key = objectKey(pod);
    if (this.exitScheduled.has(key)) return;
    const started = Date.parse(pod.status?.startTime ?? '');
    const base = Number.isFinite(started) ? started : this.wallNow().getTime();
    this.exitScheduled.add(key);
    this.d.scheduleExit(key, base + after * 1000);
  }

  private async work(): Promise<void> {
    for (;;) {
      const key = await this.queue.get();
      if (key === undefined) return;
      try {
        await this.sync(key);
        this.queue.forget(key);
      } catch (e) {
        if (this.queue.isShuttingDown()) {
          // Stopping: unfinished work stays for the next run.
        } else if (isConflict(e)) {
          this.stats.conflicts++;
          this.queue.addRateLimited(key);
        } else if (!isNotFound(e)) {
          log.warn('sim: pod sync failed, will retry', { pod: key, error: (e as Error).message });
          this.queue.addRateLimited(key);
        }
      } finally {
        this.queue.done(key);
      }
    }
  }

  private async sync(key: string): Promise<void> {
    const pod = this.informer.indexer.get(key);
    if (!pod) return;
    const node = this.nodeOf(pod);
    if (!node || node.failed) return;
    const { client, limiter } = this.d;
    const ns = pod.metadata.namespace;
    const name = pod.metadata.name!;
    const uid = pod.metadata.uid;

    if (pod.metadata.deletionTimestamp) {
      // Containers "stopped" at once: confirm the deletion so the object goes away.
      await limiter.run(
        () => client.delete(podsDef, ns, name, { gracePeriodSeconds: 0, ...(uid ? { preconditions: { uid } } : {}) }),
        'urgent',
      );
      if (uid) node.ips?.release(uid);
      this.stats.deleted++;
      return;
    }
    if (isFinished(pod)) return;

    const now = this.wallNow();
    if (isRunningBySim(pod)) {
      const after = exitAfterSeconds(pod);
      const started = Date.parse(pod.status?.startTime ?? '');
      if (after === undefined || !Number.isFinite(started)) return;
      if (now.getTime() < started + after * 1000) {
        this.maybeScheduleExit(pod);
        return;
      }
      await this.writeStatus(pod, succeededPodStatus(pod, now));
      if (uid) node.ips?.release(uid);
      this.stats.succeeded++;
      return;
    }

    const hostNetwork = pod.spec?.hostNetwork === true;
    const podIP = hostNetwork ? node.internalIP : uid ? podIPs(node).allocate(uid) : undefined;
    if (!podIP) {
      log.warn('sim: no pod IP left on node', { node: node.name, pod: key });
      return;
    }
    await this.writeStatus(pod, runningPodStatus(pod, { hostIP: node.internalIP, podIP, now, newContainerID: this.newContainerID }));
    this.stats.started++;
  }

  /** PUT /status with the cached resourceVersion: a stale cache means a conflict and a retry. */
  private async writeStatus(pod: KubeObject, status: Record<string, any>): Promise<void> {
    const body: KubeObject = { apiVersion: 'v1', kind: 'Pod', metadata: pod.metadata, spec: pod.spec, status };
    await this.d.limiter.run(() => this.d.client.updateStatus(podsDef, pod.metadata.namespace, body, { fieldManager: 'skiff-sim' }), 'normal');
  }
}
