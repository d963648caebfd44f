// Builders and a tiny framework driver for the plugin tests: run a plugin's
// PreFilter + Filter over every node, or PreScore + Score + NormalizeScore.

import {
  CycleState,
  isFilter,
  isPreFilter,
  isPreScore,
  isScore,
  type Node,
  type NodeScore,
  type Plugin,
  type Pod,
  type PodInfo,
  type Snapshot,
  type Status,
} from '../framework.js';
import { makeSnapshot, nodeInfoOf, podInfoOf, type NamespaceSource } from '../node-info.js';

export interface NodeOptions {
  labels?: Record<string, string>;
  cpu?: string;
  memory?: string;
  pods?: string;
  ephemeral?: string;
  extra?: Record<string, string>;
  taints?: { key: string; value?: string; effect: string }[];
  unschedulable?: boolean;
  images?: { names: string[]; sizeBytes: number }[];
}

export function makeNode(name: string, o: NodeOptions = {}): Node {
  const allocatable: Record<string, string> = { cpu: o.cpu ?? '4', memory: o.memory ?? '8Gi', pods: o.pods ?? '110', ...(o.extra ?? {}) };
  if (o.ephemeral) allocatable['ephemeral-storage'] = o.ephemeral;
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, labels: { 'kubernetes.io/hostname': name, ...(o.labels ?? {}) } },
    spec: { ...(o.taints ? { taints: o.taints } : {}), ...(o.unschedulable ? { unschedulable: true } : {}) },
    status: { allocatable, capacity: allocatable, ...(o.images ? { images: o.images } : {}) },
  };
}

export interface PodOptions {
  namespace?: string;
  labels?: Record<string, string>;
  requests?: Record<string, string>;
  ownerReferences?: unknown[];
  spec?: Record<string, unknown>;
}

let uid = 0;

export function makePod(name: string, o: PodOptions = {}): Pod {
  const container: Record<string, unknown> = { name: 'c', image: 'busybox' };
  if (o.requests) container.resources = { requests: o.requests };
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: o.namespace ?? 'default',
      uid: `uid-${name}-${++uid}`,
      labels: o.labels ?? {},
      ...(o.ownerReferences ? { ownerReferences: o.ownerReferences } : {}),
    },
    spec: { containers: [container], ...(o.spec ?? {}) },
  };
}

/** Nodes with the pods bound to them (pod.spec.nodeName picks the node). */
export function cluster(nodes: Node[], pods: Pod[] = [], namespaces?: NamespaceSource): Snapshot {
  const infos = nodes.map((n) => nodeInfoOf(n, pods.filter((p) => p.spec?.nodeName === n.metadata.name)));
  return makeSnapshot(infos, namespaces);
}

/** Pod bound to a node. */
export function on(nodeName: string, pod: Pod): Pod {
  pod.spec.nodeName = nodeName;
  return pod;
}

export interface FilterRun {
  preFilter: Status;
  nodeNames?: Set<string>;
  /** node → status; absent when PreFilter skipped or rejected. */
  nodes: Record<string, { code: string; reasons: string[] }>;
}

export function runFilter(plugin: Plugin, pod: Pod | PodInfo, snapshot: Snapshot, state = new CycleState()): FilterRun {
  const pi = 'requests' in pod ? (pod as PodInfo) : podInfoOf(pod);
  const out: FilterRun = { preFilter: { code: 'Success', reasons: [] }, nodes: {} };
  if (isPreFilter(plugin)) {
    const r = plugin.preFilter(state, pi, snapshot);
    out.preFilter = r.status;
    out.nodeNames = r.nodeNames;
    if (r.status.code !== 'Success') return out;
  }
  if (!isFilter(plugin)) throw new Error(`${plugin.name} has no filter`);
  for (const n of snapshot.nodes) {
    const s = plugin.filter(state, pi, n, snapshot);
    out.nodes[n.name] = { code: s.code, reasons: s.reasons };
  }
  return out;
}

/** Codes per node, compactly: { n1: 'Success', n2: 'Unschedulable' }. */
export function codes(run: FilterRun): Record<string, string> {
  return Object.fromEntries(Object.entries(run.nodes).map(([k, v]) => [k, v.code]));
}

export interface ScoreRun {
  preScore: Status;
  raw: Record<string, number>;
  normalized: Record<string, number>;
}

/** Scores the given nodes (default: all); PreScore sees them as the filtered nodes. */
export function runScore(plugin: Plugin, pod: Pod | PodInfo, snapshot: Snapshot, nodeNames?: string[], state = new CycleState()): ScoreRun {
  const pi = 'requests' in pod ? (pod as PodInfo) : podInfoOf(pod);
  const nodes = nodeNames ? nodeNames.map((n) => snapshot.get(n)!) : snapshot.nodes;
  const out: ScoreRun = { preScore: { code: 'Success', reasons: [] }, raw: {}, normalized: {} };
  if (isPreScore(plugin)) {
    out.preScore = plugin.preScore(state, pi, nodes, snapshot);
    if (out.preScore.code !== 'Success') return out;
  }
  if (!isScore(plugin)) throw new Error(`${plugin.name} has no score`);
  const scores: NodeScore[] = nodes.map((n) => ({ name: n.name, score: plugin.score(state, pi, n, snapshot) }));
  for (const s of scores) out.raw[s.name] = s.score;
  plugin.normalizeScore?.(state, pi, scores);
  for (const s of scores) out.normalized[s.name] = s.score;
  return out;
}
