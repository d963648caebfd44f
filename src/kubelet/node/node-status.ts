// The kubelet's node duties: register (or adopt) the Node, keep its Lease
// renewed, and keep its status current — capacity, allocatable, addresses,
// nodeInfo, images and the pressure/Ready conditions. Status is recomputed
// every 10 s but written only when something in it changed, or every 5 min
// so lastHeartbeatTime stays fresh (nodeStatusReportFrequency).

import { resources } from '../../api/resources.js';
import { isAlreadyExists, isConflict, type KubeObject, type ObjectReference } from '../../client/index.js';
import { log } from '../../log.js';
import type { KubeletContext } from '../contracts.js';
import { rfc3339 } from '../sim/times.js';
import { containerRuntimeVersion, goArch, readHostFacts, type HostFacts } from './host-info.js';
import { NodeLease } from './node-lease.js';
import {
  kubeletLabels,
  mergeConditions,
  nodeAddresses,
  nodeInfo,
  nodeResources,
  topImages,
  type NodeCondition,
  type NodeImage,
  type Reserved,
} from './node-object.js';
import {
  breachedSignals,
  conditionEvent,
  DEFAULT_EVICTION_HARD,
  nodeConditions,
  pressureOf,
  PressureTracker,
  type ConditionSpec,
  type EvictionThresholds,
} from './pressure.js';
import { RuntimeHealth } from './runtime-health.js';
import { readNodeSignals, type NodeSignals } from './signals.js';

export const nodesDef = resources.find((r) => r.group === '' && r.plural === 'nodes')!;

const FIELD_MANAGER = 'kubelet';
/** Attempts per status write (the kubelet's nodeStatusUpdateRetry). */
const STATUS_RETRIES = 5;
const CMAD_ANNOTATION = 'volumes.kubernetes.io/controller-managed-attach-detach';

export interface NodeStatusOptions {
  ctx: KubeletContext;
  kubeletPort: number;
  /** Written to spec.podCIDR(s) at registration (Skiff has no IPAM controller). */
  podCIDR?: string;
  reserved?: Reserved;
  /** Images present on the node (names and sizes). */
  images?: () => Promise<NodeImage[]>;
  /** Host facts (default: read from this machine, storage from the data dir). */
  hostFacts?: () => Promise<HostFacts>;
  /** Eviction signals (default: read from this machine). */
  signals?: () => Promise<NodeSignals>;
  /** The image filesystem for imagefs.* signals (default: the data dir's). */
  imagefsPath?: string;
  /** Hard eviction thresholds (default: the kubelet's). */
  thresholds?: EvictionThresholds;
  pressureTransitionMs?: number;
  /** Extra labels (--node-labels); the kubelet's own labels win on clashes. */
  labels?: Record<string, string>;
  /** Hostname label and address (default: the node name, like --hostname-override). */
  hostname?: string;
  /** Taints set when the Node is created; never touched afterwards. */
  registerWithTaints?: { key: string; value?: string; effect: string }[];
  maxPods?: number;
  statusIntervalMs?: number;
  leaseIntervalMs?: number;
  reportIntervalMs?: number;
  runtimeDownAfterMs?: number;
}

interface Desired {
  status: Record<string, any>;
  conditions: ConditionSpec[];
}

export class NodeStatusManager {
  private readonly ctx: KubeletContext;
  private readonly lease: NodeLease;
  private readonly health: RuntimeHealth;
  private readonly pressure: PressureTracker;
  private readonly thresholds: EvictionThresholds;
  private readonly hostname: string;
  private nodeUid?: string;
  private runtimeVersion?: string;
  /** From the host facts (read before any label is written). */
  private arch = goArch();
  private lastImages: NodeImage[] = [];
  /** Wall-clock ms of the last status write. */
  private lastReportMs = 0;
  private timers: NodeJS.Timeout[] = [];
  private stopped = false;
  private inflight = new Set<Promise<void>>();

  constructor(private readonly o: NodeStatusOptions) {
    this.ctx = o.ctx;
    this.thresholds = o.thresholds ?? DEFAULT_EVICTION_HARD;
    this.health = new RuntimeHealth(o.runtimeDownAfterMs);
    this.pressure = new PressureTracker(o.pressureTransitionMs);
    this.hostname = o.hostname ?? o.ctx.nodeName;
    this.lease = new NodeLease({ client: o.ctx.client, nodeName: o.ctx.nodeName, now: () => o.ctx.now(), nodeUid: () => this.nodeUid });
  }

  /** The uid of the registered Node. */
  get uid(): string | undefined {
    return this.nodeUid;
  }

  private get nodeRef(): ObjectReference {
    // The kubelet's events name the node by name, with the name as uid (kubectl describe node looks for that).
    return { kind: 'Node', name: this.ctx.nodeName, uid: this.ctx.nodeName, namespace: '' };
  }

  private event(reason: string, message: string): void {
    this.ctx.recorder.event(this.nodeRef, 'Normal', reason, message);
  }

  private conditionEvents(changed: ConditionSpec[], only: (c: ConditionSpec) => boolean): void {
    for (const c of changed.filter(only)) {
      const reason = conditionEvent(c);
      this.event(reason, `Node ${this.ctx.nodeName} status is now: ${reason}`);
    }
  }

  /** Creates the Node, or adopts the existing one of the same name, and writes the first heartbeat. */
  async register(): Promise<void> {
    this.event('Starting', 'Starting kubelet.');
    const desired = await this.desired();
    const now = rfc3339(this.ctx.now());
    const { conditions, changed } = mergeConditions(undefined, desired.conditions, now, true);
    const node: KubeObject = {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name: this.ctx.nodeName, labels: this.labels(), annotations: { [CMAD_ANNOTATION]: 'true' } },
      spec: {
        ...(this.o.podCIDR ? { podCIDR: this.o.podCIDR, podCIDRs: [this.o.podCIDR] } : {}),
        ...(this.o.registerWithTaints?.length ? { taints: this.o.registerWithTaints.map((t) => ({ ...t })) } : {}),
      },
      status: { ...desired.status, conditions },
    };
    try {
      const created = await this.ctx.client.create<KubeObject>(nodesDef, undefined, node, { fieldManager: FIELD_MANAGER });
      this.nodeUid = created.metadata.uid;
      this.lastReportMs = this.ctx.now().getTime();
      this.conditionEvents(changed, (c) => c.type !== 'Ready');
      this.event('NodeAllocatableEnforced', 'Updated Node Allocatable limit across pods');
      this.conditionEvents(changed, (c) => c.type === 'Ready');
    } catch (e) {
      if (!isAlreadyExists(e)) throw e;
      await this.adopt();
      this.event('NodeAllocatableEnforced', 'Updated Node Allocatable limit across pods');
      await this.syncStatus(true, desired);
    }
    await this.lease.renew();
  }

  /** Starts the periodic lease renewal and status updates. */
  start(): void {
    this.stopped = false;
    this.every(this.o.leaseIntervalMs ?? 10_000, () => this.lease.renew(), 'lease renewal failed');
    this.every(this.o.statusIntervalMs ?? 10_000, () => this.syncStatus(false), 'node status update failed');
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers = [];
    await Promise.allSettled([...this.inflight]);
  }

  /** Renews the Lease once (also run by the timer). */
  renewLease(): Promise<void> {
    return this.lease.renew();
  }

  private every(ms: number, fn: () => Promise<unknown>, what: string): void {
    const slot = this.timers.length;
    const tick = () => {
      if (this.stopped) return;
      const run = fn()
        .then(() => undefined)
        .catch((e) => log.warn(what, { node: this.ctx.nodeName, error: String((e as Error)?.message ?? e) }))
        .finally(() => {
          this.inflight.delete(run);
          if (!this.stopped) this.timers[slot] = setTimeout(tick, ms);
        });
      this.inflight.add(run);
    };
    this.timers[slot] = setTimeout(tick, ms);
  }

  private labels(): Record<string, string> {
    return { ...(this.o.labels ?? {}), ...kubeletLabels(this.hostname, 'linux', this.arch) };
  }

  /** Takes over an existing Node: our labels, the attach/detach annotation and a missing pod CIDR. */
  private async adopt(): Promise<void> {
    const existing = await this.ctx.client.get<KubeObject>(nodesDef, undefined, this.ctx.nodeName);
    this.nodeUid = existing.metadata.uid;
    const want = this.labels();
    const have: Record<string, string> = existing.metadata.labels ?? {};
    const patch: Record<string, any> = {};
    const labels = Object.fromEntries(Object.entries(want).filter(([k, v]) => have[k] !== v));
    if (Object.keys(labels).length) patch.metadata = { labels };
    if (existing.metadata.annotations?.[CMAD_ANNOTATION] !== 'true') {
      patch.metadata = { ...(patch.metadata ?? {}), annotations: { [CMAD_ANNOTATION]: 'true' } };
    }
    if (this.o.podCIDR && !existing.spec?.podCIDR) patch.spec = { podCIDR: this.o.podCIDR, podCIDRs: [this.o.podCIDR] };
    if (Object.keys(patch).length) {
      await this.ctx.client.patch(nodesDef, undefined, this.ctx.nodeName, patch, 'merge', { fieldManager: FIELD_MANAGER });
    }
  }

  /** Everything we report except condition times. */
  private async desired(): Promise<Desired> {
    const { ctx } = this.o;
    const nowMs = ctx.now().getTime();
    try {
      this.health.observe(await ctx.cri.status(), nowMs);
      if (!this.runtimeVersion) this.runtimeVersion = containerRuntimeVersion(await ctx.cri.version());
    } catch (e) {
      this.health.observe(e instanceof Error ? e : new Error(String(e)), nowMs);
    }
    const facts = await (this.o.hostFacts ?? (() => readHostFacts(ctx.paths.dataDir)))();
    this.arch = facts.architecture;
    const signals = await (this.o.signals ?? (() => readNodeSignals({ nodefsPath: ctx.paths.dataDir, imagefsPath: this.o.imagefsPath })))();
    const pressure = this.pressure.observe(pressureOf(breachedSignals(signals, this.thresholds)), nowMs);
    if (this.o.images) {
      try {
        this.lastImages = topImages(await this.o.images());
      } catch (e) {
        log.warn('listing images for node status failed', { error: String((e as Error)?.message ?? e) });
      }
    }
    const { capacity, allocatable } = nodeResources(facts, { reserved: this.o.reserved, maxPods: this.o.maxPods, thresholds: this.thresholds });
    const status: Record<string, any> = {
      capacity,
      allocatable,
      addresses: nodeAddresses(ctx.nodeIP, this.hostname),
      daemonEndpoints: { kubeletEndpoint: { Port: this.o.kubeletPort } },
      nodeInfo: nodeInfo(facts, this.runtimeVersion ?? ''),
    };
    if (this.lastImages.length) status.images = this.lastImages;
    return { status, conditions: nodeConditions(pressure, this.health.errors(nowMs)) };
  }

  /**
   * One status round: read the Node, merge in what we report, and write it
   * if anything changed (or force, or the report interval passed).
   * Returns whether it wrote.
   */
  async syncStatus(force = false, precomputed?: Desired): Promise<boolean> {
    const desired = precomputed ?? (await this.desired());
    for (let attempt = 0; ; attempt++) {
      const node = await this.ctx.client.get<KubeObject>(nodesDef, undefined, this.ctx.nodeName);
      this.nodeUid = node.metadata.uid;
      const nowDate = this.ctx.now();
      const now = rfc3339(nowDate);
      const current: Record<string, any> = node.status ?? {};
      const probe = mergeConditions(current.conditions as NodeCondition[] | undefined, desired.conditions, now, false);
      const next: Record<string, any> = { ...current, ...desired.status, conditions: probe.conditions };
      if (!desired.status.images) delete next.images;
      const due = nowDate.getTime() - this.lastReportMs >= (this.o.reportIntervalMs ?? 300_000);
      if (!force && !due && sameJson(next, current)) return false;
      const { conditions, changed } = mergeConditions(current.conditions as NodeCondition[] | undefined, desired.conditions, now, true);
      next.conditions = conditions;
      try {
        await this.ctx.client.updateStatus<KubeObject>(nodesDef, undefined, { ...node, status: next }, { fieldManager: FIELD_MANAGER });
      } catch (e) {
        if (!isConflict(e) || attempt >= STATUS_RETRIES - 1) throw e;
        continue;
      }
      this.lastReportMs = nowDate.getTime();
      this.conditionEvents(changed, () => true);
      return true;
    }
  }
}

/** Deep equality of JSON values, ignoring key order. */
export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    return a.length === bb.length && a.every((v, i) => sameJson(v, bb[i]));
  }
  const ak = Object.keys(a).filter((k) => (a as any)[k] !== undefined);
  const bk = Object.keys(b).filter((k) => (b as any)[k] !== undefined);
  return ak.length === bk.length && ak.every((k) => sameJson((a as any)[k], (b as any)[k]));
}
