// Per-node network defaults: every node on a machine (or in a cluster) needs
// its own bridge and pod CIDR; derive them from the node name unless given.

import { createHash } from 'node:crypto';
import os from 'node:os';

function nameHash(name: string): Buffer {
  return createHash('sha256').update(name).digest();
}

/** A /24 in 10.42.0.0/16 chosen by the node name (10.42.0.0/24 is kept for `skiff up`'s node). */
export function defaultPodCIDR(nodeName: string): string {
  const h = nameHash(nodeName);
  return `10.42.${1 + (h.readUInt16BE(0) % 254)}.0/24`;
}

/** Linux interface names are at most 15 bytes. */
export function defaultBridge(nodeName: string): string {
  return `skiff${nameHash(nodeName).toString('hex').slice(0, 6)}`;
}

/** Kubernetes node names are lower-case DNS subdomains. */
export function defaultNodeName(): string {
  return os.hostname().toLowerCase().replace(/[^a-z0-9.-]/g, '-').replace(/^[-.]+|[-.]+$/g, '') || 'node';
}
