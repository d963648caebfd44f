// The parts of a real node's Node object: the kubelet's labels, capacity and
// allocatable, addresses, nodeInfo, images, and the merge of its conditions
// into what the API server holds.

import { Quantity } from '../../api/quantity.js';
import { KUBERNETES_VERSION } from '../../version.js';
import type { HostFacts } from './host-info.js';
import { thresholdAmount, type ConditionSpec, type EvictionThresholds } from './pressure.js';

export const DEFAULT_MAX_PODS = 110;
/** The kubelet reports at most this many images (nodeStatusMaxImages). */
export const MAX_IMAGES = 50;

export interface NodeImage {
  names: string[];
  sizeBytes: number;
}

export interface Reserved {
  cpu?: string;
  memory?: string;
  'ephemeral-storage'?: string;
}

export interface NodeCondition {
  type: string;
  status: string;
  lastHeartbeatTime?: string;
  lastTransitionTime?: string;
  reason?: string;
  message?: string;
}

/** The labels a kubelet keeps on its Node. */
export function kubeletLabels(hostname: string, os: string, arch: string): Record<string, string> {
  return {
    'beta.kubernetes.io/arch': arch,
    'beta.kubernetes.io/os': os,
    'kubernetes.io/arch': arch,
    'kubernetes.io/hostname': hostname,
    'kubernetes.io/os': os,
  };
}

function milliText(millis: bigint): string {
  return Quantity.fromMilli(millis < 0n ? 0n : millis).toString();
}

function binaryText(bytes: bigint): string {
  return Quantity.fromValue(bytes < 0n ? 0n : bytes, 'BinarySI').toString();
}

/**
 * Capacity from the host; allocatable = capacity − reserved − the hard
 * eviction threshold (memory.available for memory, nodefs.available for
 * ephemeral storage), never below zero — the kubelet's node allocatable.
 */
export function nodeResources(
  facts: Pick<HostFacts, 'cpuCount' | 'memoryBytes' | 'ephemeralStorageBytes'>,
  o: { reserved?: Reserved; maxPods?: number; thresholds?: EvictionThresholds } = {},
): { capacity: Record<string, string>; allocatable: Record<string, string> } {
  const pods = String(o.maxPods ?? DEFAULT_MAX_PODS);
  const cpuMillis = BigInt(facts.cpuCount) * 1000n;
  const memory = BigInt(facts.memoryBytes);
  const storage = BigInt(facts.ephemeralStorageBytes);
  const capacity = {
    cpu: milliText(cpuMillis),
    'ephemeral-storage': binaryText(storage),
    'hugepages-1Gi': '0',
    'hugepages-2Mi': '0',
    memory: binaryText(memory),
    pods,
  };
  const reserve = (k: keyof Reserved): Quantity | undefined => (o.reserved?.[k] ? Quantity.parse(o.reserved[k]!) : undefined);
  const memEvict = o.thresholds?.['memory.available'];
  const fsEvict = o.thresholds?.['nodefs.available'];
  const allocatable = {
    cpu: milliText(cpuMillis - (reserve('cpu')?.milliValueBig() ?? 0n)),
    'ephemeral-storage': binaryText(
      storage - (reserve('ephemeral-storage')?.valueBig() ?? 0n) - BigInt(fsEvict ? thresholdAmount(fsEvict, facts.ephemeralStorageBytes) : 0),
    ),
    'hugepages-1Gi': '0',
    'hugepages-2Mi': '0',
    memory: binaryText(memory - (reserve('memory')?.valueBig() ?? 0n) - BigInt(memEvict ? thresholdAmount(memEvict, facts.memoryBytes) : 0)),
    pods,
  };
  return { capacity, allocatable };
}

export function nodeAddresses(nodeIP: string, hostname: string): { type: string; address: string }[] {
  return [
    { type: 'InternalIP', address: nodeIP },
    { type: 'Hostname', address: hostname },
  ];
}

export function nodeInfo(facts: HostFacts, runtimeVersion: string): Record<string, string> {
  return {
    machineID: facts.machineID,
    systemUUID: facts.systemUUID,
    bootID: facts.bootID,
    kernelVersion: facts.kernelVersion,
    osImage: facts.osImage,
    containerRuntimeVersion: runtimeVersion,
    kubeletVersion: KUBERNETES_VERSION,
    kubeProxyVersion: KUBERNETES_VERSION,
    operatingSystem: facts.operatingSystem,
    architecture: facts.architecture,
  };
}

/** Largest first, at most MAX_IMAGES, images without a name left out. */
export function topImages(images: NodeImage[], max = MAX_IMAGES): NodeImage[] {
  return images
    .filter((i) => i.names.length > 0)
    .sort((a, b) => b.sizeBytes - a.sizeBytes)
    .slice(0, max)
    .map((i) => ({ names: [...i.names], sizeBytes: i.sizeBytes }));
}

/**
 * Puts our conditions into the node's current list (others, e.g. set by
 * controllers, are kept in place). A condition whose status differs from the
 * stored one (or that is new) gets lastTransitionTime = now and is returned
 * in `changed`, for the kubelet's status events. heartbeat says whether
 * lastHeartbeatTime moves to now; otherwise the stored heartbeat is kept.
 */
export function mergeConditions(
  current: NodeCondition[] | undefined,
  desired: ConditionSpec[],
  now: string,
  heartbeat: boolean,
): { conditions: NodeCondition[]; changed: ConditionSpec[] } {
  const out: NodeCondition[] = (current ?? []).map((c) => ({ ...c }));
  const changed: ConditionSpec[] = [];
  for (const d of desired) {
    const i = out.findIndex((c) => c.type === d.type);
    const old = i >= 0 ? out[i] : undefined;
    const transition = !old || old.status !== d.status;
    if (transition) changed.push(d);
    const next: NodeCondition = {
      type: d.type,
      status: d.status,
      lastHeartbeatTime: heartbeat || !old?.lastHeartbeatTime ? now : old.lastHeartbeatTime,
      lastTransitionTime: transition || !old?.lastTransitionTime ? now : old.lastTransitionTime,
      reason: d.reason,
      message: d.message,
    };
    if (i >= 0) out[i] = next;
    else out.push(next);
  }
  return { conditions: out, changed };
}
