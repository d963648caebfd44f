// The node's heartbeat Lease, kube-node-lease/<node>: held by the node, 40 s
// long, owned by the Node object, its renewTime moved forward every 10 s.
// Kept as the kubelet's lease controller keeps it: update the copy we last
// wrote, and on any failure read (or create) it afresh.

import { resources } from '../../api/resources.js';
import { isAlreadyExists, isConflict, isNotFound, type KubeObject, type RestClient } from '../../client/index.js';
import { microTime } from '../sim/times.js';

export const NODE_LEASE_NAMESPACE = 'kube-node-lease';
export const LEASE_DURATION_SECONDS = 40;
export const leasesDef = resources.find((r) => r.group === 'coordination.k8s.io' && r.plural === 'leases')!;

export interface NodeLeaseOptions {
  client: RestClient;
  nodeName: string;
  now: () => Date;
  /** The Node's uid once known: the Lease then gets an owner reference to it. */
  nodeUid: () => string | undefined;
  durationSeconds?: number;
  fieldManager?: string;
}

export function buildLease(nodeName: string, renewTime: string, durationSeconds: number, nodeUid?: string): KubeObject {
  return {
    apiVersion: 'coordination.k8s.io/v1',
    kind: 'Lease',
    metadata: {
      name: nodeName,
      namespace: NODE_LEASE_NAMESPACE,
      ...(nodeUid ? { ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name: nodeName, uid: nodeUid }] } : {}),
    },
    spec: { holderIdentity: nodeName, leaseDurationSeconds: durationSeconds, renewTime },
  };
}

export class NodeLease {
  private latest?: KubeObject;

  constructor(private readonly o: NodeLeaseOptions) {}

  /** The Lease as last written. */
  get current(): KubeObject | undefined {
    return this.latest;
  }

  /** One heartbeat. Throws after a few failed attempts; the next tick tries again. */
  async renew(): Promise<void> {
    const { client, nodeName } = this.o;
    const opts = { fieldManager: this.o.fieldManager ?? 'kubelet' };
    let lastError: unknown;
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        if (!this.latest) {
          const got = await this.getOrCreate();
          this.latest = got.lease;
          if (got.created) return;
        }
        const next = this.withRenewTime(this.latest);
        this.latest = await client.update<KubeObject>(leasesDef, NODE_LEASE_NAMESPACE, next, opts);
        return;
      } catch (e) {
        lastError = e;
        // Someone else changed or removed it: start again from the stored object.
        this.latest = undefined;
        if (!isConflict(e) && !isNotFound(e) && !isAlreadyExists(e)) throw e;
      }
    }
    throw lastError;
  }

  private withRenewTime(lease: KubeObject): KubeObject {
    const duration = this.o.durationSeconds ?? LEASE_DURATION_SECONDS;
    const uid = this.o.nodeUid();
    const next: KubeObject = { ...lease, metadata: { ...lease.metadata }, spec: { ...lease.spec, holderIdentity: this.o.nodeName, leaseDurationSeconds: duration, renewTime: microTime(this.o.now()) } };
    const owners: any[] = next.metadata.ownerReferences ?? [];
    if (uid && !owners.some((r) => r?.kind === 'Node' && r?.uid === uid)) {
      next.metadata.ownerReferences = [{ apiVersion: 'v1', kind: 'Node', name: this.o.nodeName, uid }];
    }
    return next;
  }

  /** The stored Lease, or a new one (created: true, already carrying a fresh renewTime). */
  private async getOrCreate(): Promise<{ lease: KubeObject; created: boolean }> {
    const { client, nodeName } = this.o;
    try {
      return { lease: await client.get<KubeObject>(leasesDef, NODE_LEASE_NAMESPACE, nodeName), created: false };
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
    const lease = buildLease(nodeName, microTime(this.o.now()), this.o.durationSeconds ?? LEASE_DURATION_SECONDS, this.o.nodeUid());
    return { lease: await client.create<KubeObject>(leasesDef, NODE_LEASE_NAMESPACE, lease, { fieldManager: this.o.fieldManager ?? 'kubelet' }), created: true };
  }
}
