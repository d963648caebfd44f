// The little the simulator remembers about each node (kept small: one
// process holds 10 000 of them).

import { nodeInternalIP, podSubnetPrefix, PodIPAllocator } from './addresses.js';

export interface SimNode {
  index: number;
  name: string;
  internalIP: string;
  uid?: string;
  /** resourceVersion of our Lease as last written; undefined until it exists. */
  leaseRv?: string;
  registered: boolean;
  /** Heartbeats stopped (--fail-node); its pods are left alone too. */
  failed: boolean;
  /** When the node's conditions last changed status (RFC 3339 seconds). */
  conditionsSince: string;
  /** Monotonic ms of the last node status write (0 = never). */
  lastStatusMs: number;
  /** Bumped to cancel scheduled heartbeats of the older generation. */
  leaseGen: number;
  statusGen: number;
  /** Monotonic ms since which lease renewals keep failing. */
  leaseFailingSinceMs?: number;
  /** Created on the first pod. */
  ips?: PodIPAllocator;
}

export function newSimNode(index: number, name: string, nowIso: string): SimNode {
  return {
    index,
    name,
    internalIP: nodeInternalIP(index),
    registered: false,
    failed: false,
    conditionsSince: nowIso,
    lastStatusMs: 0,
    leaseGen: 0,
    statusGen: 0,
  };
}

export function podIPs(node: SimNode): PodIPAllocator {
  return (node.ips ??= new PodIPAllocator(podSubnetPrefix(node.index)));
}
