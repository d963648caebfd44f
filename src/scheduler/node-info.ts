// Builds the framework's PodInfo / NodeInfo / Snapshot from plain Pod and Node
// objects, with the same resource accounting as Kubernetes' scheduler cache
// (resourcehelper.PodRequests + NodeInfo.AddPod).

import { Quantity } from '../api/quantity.js';
import type { Node, NodeInfo, Pod, PodInfo, Resources, Snapshot } from './framework.js';
import { isScalarResourceName } from './plugins/resource-names.js';
import { normalizedImageName } from './plugins/image-names.js';

/** Kubernetes' defaults for containers that do not request cpu / memory (schedutil). */
export const DEFAULT_MILLI_CPU_REQUEST = 100;
export const DEFAULT_MEMORY_REQUEST = 200 * 1024 * 1024;

const NANOS_PER_MILLI = 1_000_000n;
const NANOS_PER_UNIT = 1_000_000_000n;

export function emptyResources(): Resources {
  return { milliCPU: 0, memory: 0, ephemeralStorage: 0, pods: 0, scalar: {} };
}

/** Exact resource amounts (nano-units), summed before rounding as Go sums Quantities. */
type ExactList = Map<string, bigint>;

function parseList(list: unknown): ExactList {
  const out: ExactList = new Map();
  if (list == null || typeof list !== 'object') return out;
  for (const [name, raw] of Object.entries(list as Record<string, unknown>)) {
    const q = Quantity.tryParse(raw);
    if (q) out.set(name, q.nanos);
  }
  return out;
}

function addInto(target: ExactList, list: ExactList): void {
  for (const [name, v] of list) target.set(name, (target.get(name) ?? 0n) + v);
}

function maxInto(target: ExactList, list: ExactList): void {
  for (const [name, v] of list) {
    const cur = target.get(name);
    if (cur === undefined || v > cur) target.set(name, v);
  }
}

/** Adds cpu/memory defaults for a container that leaves them unset (an explicit 0 stays 0). */
function withNonMissing(list: ExactList): ExactList {
  if (list.has('cpu') && list.has('memory')) return list;
  const copy = new Map(list);
  if (!copy.has('cpu')) copy.set('cpu', BigInt(DEFAULT_MILLI_CPU_REQUEST) * NANOS_PER_MILLI);
  if (!copy.has('memory')) copy.set('memory', BigInt(DEFAULT_MEMORY_REQUEST) * NANOS_PER_UNIT);
  return copy;
}

/** Rounds up like Quantity.Value()/MilliValue() (away from zero). */
function ceilDiv(n: bigint, d: bigint): number {
  const q = n / d;
  if (q * d === n) return Number(q);
  return Number(n < 0n ? q - 1n : q + 1n);
}

function toResources(list: ExactList): Resources {
  const r = emptyResources();
  for (const [name, nanos] of list) {
    switch (name) {
      case 'cpu':
        r.milliCPU += ceilDiv(nanos, NANOS_PER_MILLI);
        break;
      case 'memory':
        r.memory += ceilDiv(nanos, NANOS_PER_UNIT);
        break;
      case 'ephemeral-storage':
        r.ephemeralStorage += ceilDiv(nanos, NANOS_PER_UNIT);
        break;
      case 'pods':
        r.pods += ceilDiv(nanos, NANOS_PER_UNIT);
        break;
      default:
        if (isScalarResourceName(name)) r.scalar[name] = (r.scalar[name] ?? 0) + ceilDiv(nanos, NANOS_PER_UNIT);
    }
  }
  return r;
}

/** A ResourceList (e.g. node.status.allocatable) as Resources. */
export function resourcesOf(resourceList: Record<string, unknown> | undefined | null): Resources {
  return toResources(parseList(resourceList));
}

/**
 * The pod's effective requests: regular containers and sidecars (init containers with
 * restartPolicy Always) run together and add up; each other init container runs alone
 * next to the sidecars started before it; the pod needs the larger of the two, plus overhead.
 */
function podRequestList(pod: Pod, nonMissing: boolean): ExactList {
  const spec = pod?.spec ?? {};
  const reqs: ExactList = new Map();
  for (const c of spec.containers ?? []) {
    const r = parseList(c?.resources?.requests);
    addInto(reqs, nonMissing ? withNonMissing(r) : r);
  }
  const sidecars: ExactList = new Map();
  const initPeak: ExactList = new Map();
  for (const c of spec.initContainers ?? []) {
    let r = parseList(c?.resources?.requests);
    if (nonMissing) r = withNonMissing(r);
    let during: ExactList;
    if (c?.restartPolicy === 'Always') {
      addInto(reqs, r);
      addInto(sidecars, r);
      during = sidecars;
    } else {
      during = new Map(r);
      addInto(during, sidecars);
    }
    maxInto(initPeak, during);
  }
  maxInto(reqs, initPeak);
  if (spec.overhead) addInto(reqs, parseList(spec.overhead));
  return reqs;
}

export function podInfoOf(pod: Pod): PodInfo {
  const requests = toResources(podRequestList(pod, false));
  const nonZero = toResources(podRequestList(pod, true));
  // Each pod takes one pod slot on its node.
  requests.pods = 1;
  // Only cpu and memory get non-zero defaults; the rest is the plain request.
  const nonZeroRequests: Resources = { ...requests, scalar: { ...requests.scalar }, milliCPU: nonZero.milliCPU, memory: nonZero.memory };
  return { pod, requests, nonZeroRequests };
}

function addResources(into: Resources, r: Resources, sign: 1 | -1): void {
  into.milliCPU += sign * r.milliCPU;
  into.memory += sign * r.memory;
  into.ephemeralStorage += sign * r.ephemeralStorage;
  for (const name in r.scalar) {
    const v = (into.scalar[name] ?? 0) + sign * r.scalar[name];
    into.scalar[name] = v;
  }
}

/** Host ports a pod occupies (regular containers only, as Kubernetes 1.32 counts them). */
export function hostPortKeys(pod: Pod): string[] {
  const out: string[] = [];
  for (const c of pod?.spec?.containers ?? []) {
    for (const p of c?.ports ?? []) {
      const port = Number(p?.hostPort ?? 0);
      if (!(port > 0)) continue;
      out.push(portKey(p.protocol || 'TCP', p.hostIP || '0.0.0.0', port));
    }
  }
  return out;
}

export function portKey(protocol: string, hostIP: string, port: number): string {
  return `${protocol}/${hostIP}/${port}`;
}

/** Pods with any pod (anti-)affinity, and those with required anti-affinity; kept per NodeInfo for InterPodAffinity. */
export interface AffinityIndex {
  withAffinity: PodInfo[];
  withRequiredAntiAffinity: PodInfo[];
}

interface CachedIndex extends AffinityIndex {
  pods: PodInfo[];
  length: number;
}

const affinityIndexes = new WeakMap<NodeInfo, CachedIndex>();

function hasPodAffinity(pod: Pod): boolean {
  const a = pod?.spec?.affinity;
  return a != null && (a.podAffinity != null || a.podAntiAffinity != null);
}

function hasRequiredAntiAffinity(pod: Pod): boolean {
  const terms = pod?.spec?.affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
  return Array.isArray(terms) && terms.length > 0;
}

/** Cached lists, rebuilt when the node's pods changed (through addPod/removePod or a different array/length). */
export function affinityIndexOf(nodeInfo: NodeInfo): AffinityIndex {
  const cached = affinityIndexes.get(nodeInfo);
  if (cached && cached.pods === nodeInfo.pods && cached.length === nodeInfo.pods.length) return cached;
  const index: CachedIndex = { pods: nodeInfo.pods, length: nodeInfo.pods.length, withAffinity: [], withRequiredAntiAffinity: [] };
  for (const pi of nodeInfo.pods) {
    if (!hasPodAffinity(pi.pod)) continue;
    index.withAffinity.push(pi);
    if (hasRequiredAntiAffinity(pi.pod)) index.withRequiredAntiAffinity.push(pi);
  }
  affinityIndexes.set(nodeInfo, index);
  return index;
}

interface CachedCounts {
  pods: PodInfo[];
  length: number;
  counts: Map<string, number>;
}

const podCounts = new WeakMap<NodeInfo, CachedCounts>();
/** NodeInfos whose pods are only ever replaced through addPod/removePod, never edited in place (the SchedulerCache's). */
const countable = new WeakSet<NodeInfo>();

/** Lets cachedPodCount memoise for this NodeInfo; only for owners that never edit a placed pod in place. */
export function enablePodCountCache(nodeInfo: NodeInfo): void {
  countable.add(nodeInfo);
}

/**
 * How many of the node's pods match something the caller names by `key` (e.g. a namespace and
 * a label selector), computed by `count` once and reused until the node's pods change. Plugins
 * that count matching pods on every node for every pod (PodTopologySpread, InterPodAffinity)
 * mostly see nodes whose pods did not change since the last cycle.
 */
export function cachedPodCount(nodeInfo: NodeInfo, key: string, count: (pods: readonly PodInfo[]) => number): number {
  if (!countable.has(nodeInfo)) return count(nodeInfo.pods);
  let cached = podCounts.get(nodeInfo);
  if (!cached || cached.pods !== nodeInfo.pods || cached.length !== nodeInfo.pods.length) {
    cached = { pods: nodeInfo.pods, length: nodeInfo.pods.length, counts: new Map() };
    podCounts.set(nodeInfo, cached);
  }
  let n = cached.counts.get(key);
  if (n === undefined) {
    n = count(nodeInfo.pods);
    // Many distinct keys on a node that keeps its pods: start over rather than grow without bound.
    if (cached.counts.size >= 256) cached.counts.clear();
    cached.counts.set(key, n);
  }
  return n;
}

function imagesOf(node: Node): Map<string, number> {
  const images = new Map<string, number>();
  for (const image of node?.status?.images ?? []) {
    const size = Number(image?.sizeBytes ?? 0);
    for (const name of image?.names ?? []) {
      const key = normalizedImageName(String(name));
      if (!images.has(key)) images.set(key, size);
    }
  }
  return images;
}

export function nodeInfoOf(node: Node, pods: Pod[] = []): NodeInfo {
  const status = node?.status ?? {};
  // API defaulting copies capacity into allocatable when a node reports none.
  const allocatable = resourcesOf(status.allocatable ?? status.capacity);
  const info: NodeInfo = {
    name: node?.metadata?.name ?? '',
    node,
    pods: [],
    allocatable,
    requested: emptyResources(),
    nonZeroRequested: emptyResources(),
    usedPorts: new Set(),
    images: imagesOf(node),
  };
  for (const pod of pods) addPod(info, podInfoOf(pod));
  return info;
}

export function addPod(nodeInfo: NodeInfo, podInfo: PodInfo): void {
  nodeInfo.pods.push(podInfo);
  addResources(nodeInfo.requested, podInfo.requests, 1);
  addResources(nodeInfo.nonZeroRequested, podInfo.nonZeroRequests, 1);
  nodeInfo.requested.pods = nodeInfo.pods.length;
  nodeInfo.nonZeroRequested.pods = nodeInfo.pods.length;
  for (const key of hostPortKeys(podInfo.pod)) nodeInfo.usedPorts.add(key);
  affinityIndexes.delete(nodeInfo);
  podCounts.delete(nodeInfo);
}

function samePod(a: Pod, b: Pod): boolean {
  const ua = a?.metadata?.uid;
  const ub = b?.metadata?.uid;
  if (ua && ub) return ua === ub;
  return a?.metadata?.namespace === b?.metadata?.namespace && a?.metadata?.name === b?.metadata?.name;
}

/** Removes the pod (matched by uid, else namespace/name); returns false when it was not on the node. */
export function removePod(nodeInfo: NodeInfo, pod: Pod): boolean {
  const i = nodeInfo.pods.findIndex((pi) => samePod(pi.pod, pod));
  if (i < 0) return false;
  const [removed] = nodeInfo.pods.splice(i, 1);
  addResources(nodeInfo.requested, removed.requests, -1);
  addResources(nodeInfo.nonZeroRequested, removed.nonZeroRequests, -1);
  nodeInfo.requested.pods = nodeInfo.pods.length;
  nodeInfo.nonZeroRequested.pods = nodeInfo.pods.length;
  for (const key of hostPortKeys(removed.pod)) nodeInfo.usedPorts.delete(key);
  affinityIndexes.delete(nodeInfo);
  podCounts.delete(nodeInfo);
  return true;
}

/** Namespace objects, or a map of namespace name → labels. */
export type NamespaceSource = Map<string, Record<string, string>> | Array<{ metadata?: { name?: string; labels?: Record<string, string> } }>;

export function makeSnapshot(nodeInfos: NodeInfo[], namespaces?: NamespaceSource): Snapshot {
  const byName = new Map<string, NodeInfo>();
  const imageCounts = new Map<string, number>();
  for (const ni of nodeInfos) {
    byName.set(ni.name, ni);
    for (const image of ni.images.keys()) imageCounts.set(image, (imageCounts.get(image) ?? 0) + 1);
  }
  const nsLabels = new Map<string, Record<string, string>>();
  if (namespaces instanceof Map) for (const [name, labels] of namespaces) nsLabels.set(name, labels ?? {});
  else for (const ns of namespaces ?? []) if (ns?.metadata?.name) nsLabels.set(ns.metadata.name, ns.metadata.labels ?? {});
  return {
    nodes: nodeInfos,
    get: (name) => byName.get(name),
    imageNodeCount: (image) => imageCounts.get(image) ?? 0,
    namespaceLabels: (name) => nsLabels.get(name),
    // Computed on each call: callers of makeSnapshot may still add pods to these NodeInfos.
    nodesWithAffinityPods: () => nodeInfos.filter((ni) => affinityIndexOf(ni).withAffinity.length > 0),
    nodesWithRequiredAntiAffinityPods: () => nodeInfos.filter((ni) => affinityIndexOf(ni).withRequiredAntiAffinity.length > 0),
  };
}
