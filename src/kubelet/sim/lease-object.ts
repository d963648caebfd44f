// The per-node heartbeat Lease in kube-node-lease, as the kubelet writes it:
// held by the node, 40 s long, owned by the Node so it goes when the node goes.

import type { KubeObject } from '../../client/index.js';
import type { SimNode } from './sim-node.js';

export const NODE_LEASE_NAMESPACE = 'kube-node-lease';
export const LEASE_DURATION_SECONDS = 40;

export function buildLease(node: SimNode, renewTime: string): KubeObject {
  return {
    apiVersion: 'coordination.k8s.io/v1',
    kind: 'Lease',
    metadata: {
      name: node.name,
      namespace: NODE_LEASE_NAMESPACE,
      ...(node.leaseRv ? { resourceVersion: node.leaseRv } : {}),
      ...(node.uid ? { ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name: node.name, uid: node.uid }] } : {}),
    },
    spec: {
      holderIdentity: node.name,
      leaseDurationSeconds: LEASE_DURATION_SECONDS,
      renewTime,
    },
  };
}
