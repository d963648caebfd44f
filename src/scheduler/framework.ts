// The scheduling framework's contract, modelled on Kubernetes' scheduler
// framework: each plugin is a small object implementing some extension points,
// registered in one place (plugins/registry.ts) and enabled per profile.

/** Resource amounts: cpu in millicores, memory/ephemeral-storage in bytes, pods as a count, extended resources as integers. */
export interface Resources {
  milliCPU: number;
  memory: number;
  ephemeralStorage: number;
  pods: number;
  /** Extended / scalar resources by name (e.g. "example.com/gpu", "hugepages-2Mi"). */
  scalar: Record<string, number>;
}

export type Pod = Record<string, any>;
export type Node = Record<string, any>;

/** A pod with what the plugins compute from it once. */
export interface PodInfo {
  pod: Pod;
  /** Effective requests: max(sum of containers, any init container) + overhead. */
  requests: Resources;
  /** Same with Kubernetes' non-zero defaults (100m cpu, 200Mi memory) for containers without requests; used by scoring. */
  nonZeroRequests: Resources;
}

/** A node with the pods on it (bound and assumed) and their aggregates. */
export interface NodeInfo {
  name: string;
  node: Node;
  pods: PodInfo[];
  allocatable: Resources;
  requested: Resources;
  nonZeroRequested: Resources;
  /** Host ports in use: "TCP/0.0.0.0/8080" (protocol/hostIP/port). */
  usedPorts: Set<string>;
  /** Image name (normalised) → size in bytes, from node.status.images. */
  images: Map<string, number>;
}

/** The cluster as one scheduling cycle sees it. */
export interface Snapshot {
  nodes: NodeInfo[];
  get(nodeName: string): NodeInfo | undefined;
  /** For ImageLocality's spread factor: on how many nodes an image is present. */
  imageNodeCount(image: string): number;
  /** Namespace objects by name (for namespaceSelector in pod affinity). */
  namespaceLabels(namespace: string): Record<string, string> | undefined;
  /** Nodes with at least one pod that has pod affinity or anti-affinity (Kubernetes' HavePodsWithAffinityList). */
  nodesWithAffinityPods(): NodeInfo[];
  /** Nodes with at least one pod that has required anti-affinity (HavePodsWithRequiredAntiAffinityList). */
  nodesWithRequiredAntiAffinityPods(): NodeInfo[];
}

export type Code = 'Success' | 'Unschedulable' | 'UnschedulableAndUnresolvable' | 'Error' | 'Skip';

export interface Status {
  code: Code;
  /** Kubernetes' reason strings, e.g. "Insufficient cpu", "node(s) didn't match Pod's node affinity/selector". */
  reasons: string[];
  /** Set by the framework: the plugin that returned this status. */
  plugin?: string;
}

// Success and Skip carry no reasons, so every call can share one frozen object (filters run per node; this saves an allocation each time).
const SUCCESS: Status = Object.freeze({ code: 'Success', reasons: Object.freeze([]) as unknown as string[] }) as Status;
const SKIP: Status = Object.freeze({ code: 'Skip', reasons: Object.freeze([]) as unknown as string[] }) as Status;
export const success = (): Status => SUCCESS;
export const unschedulable = (...reasons: string[]): Status => ({ code: 'Unschedulable', reasons });
export const unresolvable = (...reasons: string[]): Status => ({ code: 'UnschedulableAndUnresolvable', reasons });
export const skip = (): Status => SKIP;

/** Per-cycle scratch space, so PreFilter/PreScore can hand precomputed data to Filter/Score. */
export class CycleState {
  private readonly data = new Map<string, unknown>();
  read<T>(key: string): T | undefined {
    return this.data.get(key) as T | undefined;
  }
  write(key: string, value: unknown): void {
    this.data.set(key, value);
  }
}

export interface Plugin {
  readonly name: string;
}

export interface PreFilterResult {
  status: Status;
  /** Optionally restrict the nodes to consider (e.g. NodeName, NodeAffinity matchFields). */
  nodeNames?: Set<string>;
}

export interface PreFilterPlugin extends Plugin {
  preFilter(state: CycleState, pod: PodInfo, snapshot: Snapshot): PreFilterResult;
}

export interface FilterPlugin extends Plugin {
  filter(state: CycleState, pod: PodInfo, node: NodeInfo, snapshot: Snapshot): Status;
}

export interface PreScorePlugin extends Plugin {
  preScore(state: CycleState, pod: PodInfo, nodes: NodeInfo[], snapshot: Snapshot): Status;
}

export interface NodeScore {
  name: string;
  score: number;
}

export interface ScorePlugin extends Plugin {
  score(state: CycleState, pod: PodInfo, node: NodeInfo, snapshot: Snapshot): number;
  /** Rescale raw scores to 0–100 in place (MaxNodeScore = 100). */
  normalizeScore?(state: CycleState, pod: PodInfo, scores: NodeScore[]): void;
}

export const MAX_NODE_SCORE = 100;

/** What the plugin factory gets: the plugin's args from the config file, and shared handles. */
export interface PluginContext {
  args: Record<string, unknown>;
}

export type PluginFactory = (ctx: PluginContext) => Plugin;

export function isPreFilter(p: Plugin): p is PreFilterPlugin {
  return typeof (p as PreFilterPlugin).preFilter === 'function';
}
export function isFilter(p: Plugin): p is FilterPlugin {
  return typeof (p as FilterPlugin).filter === 'function';
}
export function isPreScore(p: Plugin): p is PreScorePlugin {
  return typeof (p as PreScorePlugin).preScore === 'function';
}
export function isScore(p: Plugin): p is ScorePlugin {
  return typeof (p as ScorePlugin).score === 'function';
}
