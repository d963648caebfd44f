// The node-side duties of a kubelet, for one simulated node at a time:
// register (or adopt) the Node, keep its Lease renewed, and post node status.
// Every API call goes through the shared CallLimiter.

import { resources } from '../../api/resources.js';
import { isAlreadyExists, isConflict, isNotFound, type KubeObject, type RestClient } from '../../client/index.js';
import type { CallLimiter, Lane } from './call-limiter.js';
import { buildLease, NODE_LEASE_NAMESPACE } from './lease-object.js';
import { buildNode, conditionsChanged, healthyConditions, nodeLabels, nodeStatus } from './node-object.js';
import type { FleetShape } from './options.js';
import type { SimNode } from './sim-node.js';
import { microTime, rfc3339 } from './times.js';

export const nodesDef = resources.find((r) => r.group === '' && r.plural === 'nodes')!;
export const leasesDef = resources.find((r) => r.group === 'coordination.k8s.io' && r.plural === 'leases')!;

const FIELD_MANAGER = 'skiff-sim';

export interface NodeAgentDeps {
  client: RestClient;
  limiter: CallLimiter;
  shape: FleetShape;
  /** Stands for the kubelet's boot: one per sim process. */
  bootID: string;
  wallNow?: () => Date;
  monoNow?: () => number;
}

export class NodeAgent {
  private readonly wallNow: () => Date;
  private readonly monoNow: () => number;

  constructor(private readonly d: NodeAgentDeps) {
    this.wallNow = d.wallNow ?? (() => new Date());
    this.monoNow = d.monoNow ?? (() => performance.now());
  }

  private call<T>(lane: Lane, fn: () => Promise<T>): Promise<T> {
    return this.d.limiter.run(fn, lane);
  }

  /** Creates the Node, or adopts an existing one of the same name, then makes sure its Lease exists. */
  async register(node: SimNode): Promise<void> {
    const { client, shape, bootID } = this.d;
    const now = rfc3339(this.wallNow());
    node.conditionsSince = now;
    const desired = buildNode(shape, node, now, bootID);
    try {
      const created = await this.call('normal', () => client.create<KubeObject>(nodesDef, undefined, desired, { fieldManager: FIELD_MANAGER }));
      node.uid = created.metadata.uid;
    } catch (e) {
      if (!isAlreadyExists(e)) throw e;
      await this.adopt(node);
    }
    node.lastStatusMs = this.monoNow();
    await this.renewLease(node, 'normal');
    node.registered = true;
  }

  /** Like a restarted kubelet: take the node over, refresh our labels and the whole status. */
  private async adopt(node: SimNode): Promise<void> {
    const { client, shape, bootID } = this.d;
    const existing = await this.call('normal', () => client.get<KubeObject>(nodesDef, undefined, node.name));
    node.uid = existing.metadata.uid;
    const now = rfc3339(this.wallNow());
    const current = existing.status?.conditions;
    const ready = Array.isArray(current) ? current.find((c: any) => c?.type === 'Ready') : undefined;
    node.conditionsSince = !conditionsChanged(current, healthyConditions(now, now)) && ready?.lastTransitionTime ? ready.lastTransitionTime : now;
    const labels = nodeLabels(shape, node.index, node.name);
    const have: Record<string, string> = existing.metadata.labels ?? {};
    if (Object.entries(labels).some(([k, v]) => have[k] !== v)) {
      await this.call('normal', () => client.patch(nodesDef, undefined, node.name, { metadata: { labels } }, 'merge', { fieldManager: FIELD_MANAGER }));
    }
    const status = nodeStatus(shape, node, now, bootID);
    await this.call('normal', () =>
      client.patch(nodesDef, undefined, node.name, { status }, 'merge', { subresource: 'status', fieldManager: FIELD_MANAGER }),
    );
  }

  /** One heartbeat: update the Lease's renewTime (creating the Lease if it is missing). */
  async renewLease(node: SimNode, lane: Lane = 'urgent'): Promise<void> {
    const { client } = this.d;
    for (let attempt = 0; ; attempt++) {
      const lease = buildLease(node, microTime(this.wallNow()));
      try {
        const written = node.leaseRv
          ? await this.call(lane, () => client.update<KubeObject>(leasesDef, NODE_LEASE_NAMESPACE, lease, { fieldManager: FIELD_MANAGER }))
          : await this.call(lane, () => client.create<KubeObject>(leasesDef, NODE_LEASE_NAMESPACE, lease, { fieldManager: FIELD_MANAGER }));
        node.leaseRv = written.metadata.resourceVersion;
        return;
      } catch (e) {
        if (attempt >= 2) throw e;
        if (isNotFound(e)) {
          node.leaseRv = undefined;
        } else if (isConflict(e) || isAlreadyExists(e)) {
          // Someone else wrote it (or a previous run made it): start from the stored version.
          try {
            const got = await this.call(lane, () => client.get<KubeObject>(leasesDef, NODE_LEASE_NAMESPACE, node.name));
            node.leaseRv = got.metadata.resourceVersion;
          } catch (g) {
            if (!isNotFound(g)) throw g;
            node.leaseRv = undefined;
          }
        } else throw e;
      }
    }
  }

  /**
   * The periodic node status report: conditions with a fresh heartbeat time.
   * Reads the node first, as the kubelet does, so a status someone else changed
   * (a controller marking it Unknown) gets a new transition time.
   */
  async postStatus(node: SimNode): Promise<void> {
    const { client } = this.d;
    const current = await this.call('urgent', () => client.get<KubeObject>(nodesDef, undefined, node.name));
    if (node.uid && current.metadata.uid !== node.uid) node.uid = current.metadata.uid;
    const now = rfc3339(this.wallNow());
    if (conditionsChanged(current.status?.conditions, healthyConditions(now, now))) node.conditionsSince = now;
    const conditions = healthyConditions(now, node.conditionsSince);
    await this.call('urgent', () =>
      client.patch(nodesDef, undefined, node.name, { status: { conditions } }, 'merge', { subresource: 'status', fieldManager: FIELD_MANAGER }),
    );
    node.lastStatusMs = this.monoNow();
  }
}
