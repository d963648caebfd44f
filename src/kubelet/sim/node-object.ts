// The Node object a simulated kubelet registers and the status it reports,
// shaped like a real kubelet's (labels, conditions and their reasons,
// capacity, addresses, nodeInfo, images, daemon endpoints).

import { createHash } from 'node:crypto';
import { podCIDR } from './addresses.js';
import type { KubeObject } from '../../client/index.js';
import type { FleetShape } from './options.js';
import type { SimNode } from './sim-node.js';

export const KUBELET_VERSION = 'v1.32.0';
export const CONTAINER_RUNTIME_VERSION = 'skiff-sim://0.1.0';
export const OS_IMAGE = 'Skiff Simulated Linux';
export const KERNEL_VERSION = '6.1.0-skiff-sim';
export const KUBELET_PORT = 10250;
export const EPHEMERAL_STORAGE = '100Gi';
/** The kubelet reports at most this many images (its nodeStatusMaxImages default). */
export const MAX_IMAGES = 50;
export const SIM_LABEL = { key: 'type', value: 'skiff-sim' } as const;

export interface NodeCondition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  lastHeartbeatTime: string;
  lastTransitionTime: string;
  reason: string;
  message: string;
}

/** Labels a kubelet puts on its node, plus the fleet's own. The fleet's win on clashes except the identity ones. */
export function nodeLabels(shape: FleetShape, index: number, name: string): Record<string, string> {
  const labels: Record<string, string> = { ...shape.labels };
  labels[SIM_LABEL.key] = SIM_LABEL.value;
  labels['kubernetes.io/hostname'] = name;
  labels['kubernetes.io/os'] = 'linux';
  labels['kubernetes.io/arch'] = 'amd64';
  labels['beta.kubernetes.io/os'] = 'linux';
  labels['beta.kubernetes.io/arch'] = 'amd64';
  labels['node.kubernetes.io/instance-type'] = 'skiff-sim';
  if (shape.zones.length > 0) labels['topology.kubernetes.io/zone'] = shape.zones[index % shape.zones.length];
  return labels;
}

/** The four conditions a healthy kubelet posts, in the kubelet's order. */
export function healthyConditions(heartbeat: string, since: string): NodeCondition[] {
  const c = (type: string, status: NodeCondition['status'], reason: string, message: string): NodeCondition => ({
    type,
    status,
    lastHeartbeatTime: heartbeat,
    lastTransitionTime: since,
    reason,
    message,
  });
  return [
    c('MemoryPressure', 'False', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'),
    c('DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'),
    c('PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'),
    c('Ready', 'True', 'KubeletReady', 'kubelet is posting ready status'),
  ];
}

/**
 * True when the node's current conditions differ in status from what we
 * would post (e.g. a controller marked it Unknown): the transition time
 * must then move to now.
 */
export function conditionsChanged(current: unknown, desired: NodeCondition[]): boolean {
  const list = Array.isArray(current) ? (current as { type?: string; status?: string }[]) : [];
  return desired.some((d) => list.find((c) => c?.type === d.type)?.status !== d.status);
}

export function nodeCapacity(shape: FleetShape): Record<string, string> {
  return {
    cpu: shape.cpu,
    'ephemeral-storage': EPHEMERAL_STORAGE,
    'hugepages-1Gi': '0',
    'hugepages-2Mi': '0',
    memory: shape.memory,
    pods: String(shape.pods),
  };
}

/** Stable per-name identifiers, so a restarted sim reports the same machine. */
export function machineIdentity(name: string): { machineID: string; systemUUID: string } {
  const h = createHash('sha256').update(`skiff-sim/${name}`).digest('hex');
  const u = h.slice(32, 64);
  return {
    machineID: h.slice(0, 32),
    systemUUID: `${u.slice(0, 8)}-${u.slice(8, 12)}-${u.slice(12, 16)}-${u.slice(16, 20)}-${u.slice(20, 32)}`,
  };
}

export function nodeStatus(shape: FleetShape, node: SimNode, heartbeat: string, bootID: string): Record<string, unknown> {
  const capacity = nodeCapacity(shape);
  const images = [...shape.images]
    .sort((a, b) => b.sizeBytes - a.sizeBytes)
    .slice(0, MAX_IMAGES)
    .map((i) => ({ names: [i.name], sizeBytes: i.sizeBytes }));
  return {
    capacity,
    allocatable: { ...capacity },
    conditions: healthyConditions(heartbeat, node.conditionsSince),
    addresses: [
      { type: 'InternalIP', address: node.internalIP },
      { type: 'Hostname', address: node.name },
    ],
    daemonEndpoints: { kubeletEndpoint: { Port: KUBELET_PORT } },
    nodeInfo: {
      ...machineIdentity(node.name),
      bootID,
      kernelVersion: KERNEL_VERSION,
      osImage: OS_IMAGE,
      containerRuntimeVersion: CONTAINER_RUNTIME_VERSION,
      kubeletVersion: KUBELET_VERSION,
      kubeProxyVersion: '',
      operatingSystem: 'linux',
      architecture: 'amd64',
    },
    ...(images.length ? { images } : {}),
  };
}

export function buildNode(shape: FleetShape, node: SimNode, heartbeat: string, bootID: string): KubeObject {
  const cidr = podCIDR(node.index);
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: node.name,
      labels: nodeLabels(shape, node.index, node.name),
      annotations: { 'volumes.kubernetes.io/controller-managed-attach-detach': 'true' },
    },
    spec: {
      podCIDR: cidr,
      podCIDRs: [cidr],
      ...(shape.taints.length ? { taints: shape.taints.map((t) => ({ ...t })) } : {}),
    },
    status: nodeStatus(shape, node, heartbeat, bootID),
  };
}
