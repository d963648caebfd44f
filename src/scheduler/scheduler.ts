// The scheduler component: informers feed the queue and the cache; one loop
// pops a pod, runs the profile's plugins, assumes the pod on the chosen node
// and binds it asynchronously through pods/binding. Everything through the API.

import os from 'node:os';
import { RestClient, InformerFactory, EventRecorder, type SharedInformer } from '../client/index.js';
import { resources, type ResourceDef } from '../api/resources.js';
import { SchedulingQueue, podKey, type QueuedPod } from './queue.js';
import { SchedulerCache } from './cache.js';
import { CycleRunner, fitErrorMessage, type CycleResult, type Profile } from './cycle.js';
import { instantiatePlugins } from './plugins/registry.js';
import { podInfoOf } from './node-info.js';
import { buildExplanation, ExplanationStore } from './explanation.js';
import { startExplanationServer, type ExplanationServer } from './explanation-server.js';
import { EXPLAIN_TOKEN_ANNOTATION, EXPLAIN_URL_ANNOTATION, SCHEDULER_LEASE } from '../apiserver/explanation-proxy.js';
import { defaultSchedulerConfig, type SchedulerConfig } from './config.js';
import { Preemptor } from './preemption.js';
import { log } from '../log.js';

const def = (group: string, plural: string): ResourceDef => resources.find((r) => r.group === group && r.plural === plural)!;
const PODS = def('', 'pods');
const NODES = def('', 'nodes');
const NAMESPACES = def('', 'namespaces');
const LEASES = def('coordination.k8s.io', 'leases');

export interface SchedulerOptions {
  client: RestClient;
  config?: SchedulerConfig;
  /** Publish explanations for the API server (default true). */
  serveExplanations?: boolean;
  explanationCapacity?: number;
  identity?: string;
}

interface ProfileRuntime {
  name: string;
  runner: CycleRunner;
  profile: Profile;
}

export class Scheduler {
  readonly queue = new SchedulingQueue();
  readonly cache = new SchedulerCache();
  readonly explanations: ExplanationStore;
  private readonly profiles = new Map<string, ProfileRuntime>();
  private readonly factory: InformerFactory;
  private readonly recorder: EventRecorder;
  private readonly preemptor: Preemptor;
  private podInformer?: SharedInformer;
  private explainServer?: ExplanationServer;
  private leaseTimer?: NodeJS.Timeout;
  private housekeeping?: NodeJS.Timeout;
  private running = false;
  private loopDone?: Promise<void>;
  private inFlightBinds = 0;
  readonly identity: string;
  /** Counters for benchmarks and tests. */
  readonly stats = { attempts: 0, scheduled: 0, unschedulable: 0, bindErrors: 0 };

  constructor(private readonly o: SchedulerOptions) {
    const config = o.config ?? defaultSchedulerConfig();
    for (const p of config.profiles) {
      const plugins = instantiatePlugins(p, p.args);
      const profile: Profile = {
        schedulerName: p.schedulerName,
        preFilter: plugins.preFilter,
        filter: plugins.filter,
        preScore: plugins.preScore,
        score: plugins.score,
        percentageOfNodesToScore: p.percentageOfNodesToScore,
      };
      this.profiles.set(p.schedulerName, { name: p.schedulerName, runner: new CycleRunner(profile), profile });
    }
    this.factory = new InformerFactory(o.client);
    this.recorder = new EventRecorder(o.client, { component: 'default-scheduler' });
    this.explanations = new ExplanationStore(o.explanationCapacity ?? 2000);
    this.identity = o.identity ?? `${os.hostname()}_${process.pid}`;
    this.preemptor = new Preemptor(o.client, this.cache, this.recorder);
  }

  private responsible(pod: any): boolean {
    return this.profiles.has(pod.spec?.schedulerName ?? 'default-scheduler');
  }

  private pending(pod: any): boolean {
    return !pod.spec?.nodeName && !pod.metadata?.deletionTimestamp && pod.status?.phase !== 'Succeeded' && pod.status?.phase !== 'Failed';
  }

  async start(): Promise<void> {
    const nodes = this.factory.informerFor(NODES, {});
    nodes.addEventHandler({
      onAdd: (n) => {
        this.cache.addNode(n);
        this.queue.moveAll('NodeAdd');
      },
      onUpdate: (old, n) => {
        this.cache.updateNode(n);
        if (nodeChangeMatters(old, n)) this.queue.moveAll('NodeUpdate');
      },
      onDelete: (n) => this.cache.removeNode(n),
    });
    const namespaces = this.factory.informerFor(NAMESPACES, {});
    namespaces.addEventHandler({
      onAdd: (ns) => this.cache.setNamespace(ns),
      onUpdate: (_o, ns) => this.cache.setNamespace(ns),
      onDelete: (ns) => this.cache.setNamespace(ns, true),
    });
    this.podInformer = this.factory.informerFor(PODS, {});
    this.podInformer.addEventHandler({
      onAdd: (p) => this.onPod(undefined, p),
      onUpdate: (old, p) => this.onPod(old, p),
      onDelete: (p) => this.onPodDelete(p),
    });
    this.factory.start();
    await this.factory.waitForCacheSync();
    this.queue.start();
    this.housekeeping = setInterval(() => this.cache.cleanupExpired(), 1000);
    this.housekeeping.unref?.();
    if (this.o.serveExplanations !== false) {
      this.explainServer = await startExplanationServer(this.explanations);
      await this.renewLease();
      this.leaseTimer = setInterval(() => void this.renewLease(), 10_000);
      this.leaseTimer.unref?.();
    }
    this.running = true;
    this.loopDone = this.loop();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.queue.close();
    if (this.leaseTimer) clearInterval(this.leaseTimer);
    if (this.housekeeping) clearInterval(this.housekeeping);
    await this.loopDone;
    this.factory.stop();
    await this.recorder.flush?.();
    this.recorder.stop?.();
    await this.explainServer?.close();
  }

  private onPod(old: any, pod: any): void {
    if (pod.spec?.nodeName) {
      // Bound (by us or anyone): it counts on its node; a pending copy leaves the queue.
      const wasAssumed = this.cache.isAssumed(pod);
      this.cache.upsertPod(pod);
      if (this.queue.has(podKey(pod))) this.queue.delete(pod);
      if (!old?.spec?.nodeName && !wasAssumed) this.queue.moveAll('AssignedPodAdd');
      if (pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed') {
        this.cache.removePod(pod);
        this.queue.moveAll('AssignedPodDelete');
      }
      return;
    }
    if (!this.responsible(pod)) return;
    if (this.pending(pod)) {
      if (old) this.queue.update(pod, podUpdated(old, pod));
      else this.queue.add(pod);
    } else this.queue.delete(pod);
  }

  private onPodDelete(pod: any): void {
    this.explanations.delete(pod.metadata.namespace, pod.metadata.name);
    if (pod.spec?.nodeName || this.cache.isAssumed(pod)) {
      this.cache.removePod(pod);
      this.queue.moveAll('AssignedPodDelete');
    }
    this.queue.delete(pod);
  }

  private async loop(): Promise<void> {
    while (this.running) {
      const q = await this.queue.pop();
      if (!q) return;
      try {
        await this.scheduleOne(q);
      } catch (e) {
        log.error('scheduling attempt failed', { pod: q.key, error: String((e as Error).stack ?? e) });
        this.queue.failed(q, 'error');
      }
      // Let informer events and bind responses in between cycles.
      if (this.stats.attempts % 32 === 0) await new Promise((r) => setImmediate(r));
    }
  }

  /** One attempt: the synchronous cycle, then an asynchronous bind. */
  async scheduleOne(q: QueuedPod): Promise<void> {
    // Schedule the latest version the informer has.
    const latest = this.podInformer?.lister().get(q.pod.metadata.namespace, q.pod.metadata.name) ?? q.pod;
    if (!latest || !this.pending(latest) || latest.metadata.uid !== q.pod.metadata.uid) {
      this.queue.done(q.key);
      return;
    }
    const pod = latest;
    const rt = this.profiles.get(pod.spec?.schedulerName ?? 'default-scheduler');
    if (!rt) {
      this.queue.done(q.key);
      return;
    }
    this.stats.attempts++;
    const snapshot = this.cache.snapshot();
    const podInfo = podInfoOf(pod);
    const result = rt.runner.run(podInfo, snapshot);
    const now = new Date();
    if (result.node) {
      this.cache.assume(pod, result.node, podInfo);
      this.explanations.put(buildExplanation(pod, rt.name, q.attempts, result, now, { result: 'Scheduled', message: `Successfully assigned ${pod.metadata.namespace}/${pod.metadata.name} to ${result.node}` }));
      this.bind(q, pod, result.node);
      return;
    }
    await this.handleUnschedulable(q, pod, rt, result, now);
  }

  private bind(q: QueuedPod, pod: any, node: string): void {
    this.inFlightBinds++;
    this.o.client
      .bind(pod.metadata.namespace, pod.metadata.name, node, { podUid: pod.metadata.uid })
      .then(() => {
        this.cache.finishBinding(pod);
        this.queue.done(q.key);
        this.stats.scheduled++;
        this.recorder.event(pod, 'Normal', 'Scheduled', `Successfully assigned ${pod.metadata.namespace}/${pod.metadata.name} to ${node}`);
      })
      .catch((e: Error) => {
        this.stats.bindErrors++;
        this.cache.forget(pod);
        this.queue.failed(q, 'error');
        this.recorder.event(pod, 'Warning', 'FailedScheduling', `Binding rejected: ${e.message}`);
        log.warn('bind failed', { pod: q.key, node, error: e.message });
      })
      .finally(() => this.inFlightBinds--);
  }

  private async handleUnschedulable(q: QueuedPod, pod: any, rt: ProfileRuntime, result: CycleResult, now: Date): Promise<void> {
    this.stats.unschedulable++;
    let message = fitErrorMessage(result);
    const explanation = buildExplanation(pod, rt.name, q.attempts, result, now, { result: 'Unschedulable', message });
    // PostFilter: preemption.
    if (pod.spec?.preemptionPolicy !== 'Never' && !result.preFilter) {
      const p = await this.preemptor.preempt(pod, result, rt.profile);
      message = p.nominatedNode ? message : `${message} preemption: ${p.message}`;
      explanation.message = message;
      explanation.preemption = p;
    } else if (pod.spec?.preemptionPolicy === 'Never') {
      message = `${message} preemption: not eligible due to preemptionPolicy=Never.`;
      explanation.message = message;
    }
    this.explanations.put(explanation);
    const plugins = new Set<string>();
    if (result.preFilter?.plugin) plugins.add(result.preFilter.plugin);
    for (const s of result.failed.values()) if (s.plugin) plugins.add(s.plugin);
    this.queue.failed(q, 'unschedulable', plugins);
    this.recorder.event(pod, 'Warning', 'FailedScheduling', message);
    await this.setUnschedulableCondition(pod, message);
  }

  private async setUnschedulableCondition(pod: any, message: string): Promise<void> {
    const conds: any[] = pod.status?.conditions ?? [];
    const cur = conds.find((c) => c.type === 'PodScheduled');
    if (cur && cur.status === 'False' && cur.reason === 'Unschedulable' && cur.message === message) return;
    const cond = {
      type: 'PodScheduled',
      status: 'False',
      lastProbeTime: null,
      lastTransitionTime: cur?.status === 'False' ? cur.lastTransitionTime : new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
      reason: 'Unschedulable',
      message,
    };
    const next = [...conds.filter((c) => c.type !== 'PodScheduled'), cond];
    try {
      await this.o.client.patch(PODS, pod.metadata.namespace, pod.metadata.name, { status: { conditions: next } }, 'strategic', { subresource: 'status' });
    } catch (e) {
      log.debug('could not update pod condition', { pod: podKey(pod), error: (e as Error).message });
    }
  }

  /** The scheduler's Lease: who runs, and where its explanations are served. */
  private async renewLease(): Promise<void> {
    const now = new Date().toISOString().replace('Z', '000Z').replace(/\.(\d{3})000Z$/, '.$1000Z');
    const lease = {
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: {
        name: SCHEDULER_LEASE.name,
        namespace: SCHEDULER_LEASE.namespace,
        annotations: { [EXPLAIN_URL_ANNOTATION]: this.explainServer!.url, [EXPLAIN_TOKEN_ANNOTATION]: this.explainServer!.token },
      },
      spec: { holderIdentity: this.identity, leaseDurationSeconds: 15, renewTime: now },
    };
    try {
      await this.o.client.patch(LEASES, SCHEDULER_LEASE.namespace, SCHEDULER_LEASE.name, lease, 'apply', { fieldManager: 'skiff-scheduler', force: true });
    } catch (e) {
      log.warn('could not renew the scheduler lease', { error: (e as Error).message });
    }
  }

  get bindsInFlight(): number {
    return this.inFlightBinds;
  }
}

/** Like Kubernetes' isPodUpdated: changes other than status and bookkeeping metadata. */
function podUpdated(a: any, b: any): boolean {
  const strip = (p: any) => {
    const { resourceVersion: _rv, managedFields: _mf, generation: _g, ...meta } = p.metadata ?? {};
    return JSON.stringify({ ...p, status: undefined, metadata: meta });
  };
  return strip(a) !== strip(b);
}

/** Node changes that can make a pending pod fit: allocatable, labels, taints, unschedulable, readiness. */
function nodeChangeMatters(a: any, b: any): boolean {
  return (
    JSON.stringify(a.status?.allocatable) !== JSON.stringify(b.status?.allocatable) ||
    JSON.stringify(a.metadata?.labels) !== JSON.stringify(b.metadata?.labels) ||
    JSON.stringify(a.spec?.taints) !== JSON.stringify(b.spec?.taints) ||
    !!a.spec?.unschedulable !== !!b.spec?.unschedulable ||
    JSON.stringify(a.status?.images) !== JSON.stringify(b.status?.images)
  );
}
