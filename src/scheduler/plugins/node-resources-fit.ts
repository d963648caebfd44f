// NodeResourcesFit: Filter checks the node has room for the pod's requests
// (pods count, cpu, memory, ephemeral-storage, extended/scalar resources);
// Score ranks nodes by a scoring strategy (LeastAllocated by default).

import {
  success,
  unschedulable,
  type CycleState,
  type FilterPlugin,
  type NodeInfo,
  type PluginContext,
  type PodInfo,
  type PreFilterPlugin,
  type PreFilterResult,
  type PreScorePlugin,
  type Resources,
  type ScorePlugin,
  type Status,
} from '../framework.js';
import {
  DEFAULT_RESOURCES,
  ResourceAllocationScorer,
  leastAllocatedScorer,
  mostAllocatedScorer,
  podRequestVector,
  requestedToCapacityRatioScorer,
  type ResourceSpec,
  type UtilizationShapePoint,
  type VectorScorer,
} from './resource-allocation.js';
import { isExtendedResourceName } from './resource-names.js';

export const NODE_RESOURCES_FIT = 'NodeResourcesFit';
const PRE_SCORE_KEY = 'PreScore' + NODE_RESOURCES_FIT;

export type ScoringStrategyType = 'LeastAllocated' | 'MostAllocated' | 'RequestedToCapacityRatio';

export interface NodeResourcesFitArgs {
  ignoredResources?: string[];
  ignoredResourceGroups?: string[];
  scoringStrategy?: {
    type?: ScoringStrategyType;
    resources?: ResourceSpec[];
    requestedToCapacityRatio?: { shape?: UtilizationShapePoint[] };
  };
}

export interface InsufficientResource {
  resourceName: string;
  reason: string;
  requested: number;
  used: number;
  capacity: number;
}

/** Why the pod does not fit; empty when it does. Order: pods, cpu, memory, ephemeral-storage, then scalar resources. */
export function insufficientResources(
  podRequest: Resources,
  node: NodeInfo,
  ignoredResources: ReadonlySet<string> = new Set(),
  ignoredGroups: ReadonlySet<string> = new Set(),
): InsufficientResource[] {
  const out: InsufficientResource[] = [];
  const alloc = node.allocatable;
  const used = node.requested;
  if (node.pods.length + 1 > alloc.pods) {
    out.push({ resourceName: 'pods', reason: 'Too many pods', requested: 1, used: node.pods.length, capacity: alloc.pods });
  }
  const scalarNames = Object.keys(podRequest.scalar);
  if (podRequest.milliCPU === 0 && podRequest.memory === 0 && podRequest.ephemeralStorage === 0 && scalarNames.length === 0) return out;
  if (podRequest.milliCPU > 0 && podRequest.milliCPU > alloc.milliCPU - used.milliCPU) {
    out.push({ resourceName: 'cpu', reason: 'Insufficient cpu', requested: podRequest.milliCPU, used: used.milliCPU, capacity: alloc.milliCPU });
  }
  if (podRequest.memory > 0 && podRequest.memory > alloc.memory - used.memory) {
    out.push({ resourceName: 'memory', reason: 'Insufficient memory', requested: podRequest.memory, used: used.memory, capacity: alloc.memory });
  }
  if (podRequest.ephemeralStorage > 0 && podRequest.ephemeralStorage > alloc.ephemeralStorage - used.ephemeralStorage) {
    out.push({
      resourceName: 'ephemeral-storage',
      reason: 'Insufficient ephemeral-storage',
      requested: podRequest.ephemeralStorage,
      used: used.ephemeralStorage,
      capacity: alloc.ephemeralStorage,
    });
  }
  for (const name of scalarNames) {
    const quantity = podRequest.scalar[name];
    if (quantity === 0) continue;
    if (isExtendedResourceName(name)) {
      // Extended resources managed elsewhere (e.g. by a scheduler extender) can be ignored by name or by domain.
      if (ignoredResources.has(name)) continue;
      if (ignoredGroups.size > 0 && ignoredGroups.has(name.split('/')[0])) continue;
    }
    const capacity = alloc.scalar[name] ?? 0;
    const inUse = used.scalar[name] ?? 0;
    if (quantity > capacity - inUse) out.push({ resourceName: name, reason: `Insufficient ${name}`, requested: quantity, used: inUse, capacity });
  }
  return out;
}

/** Whether the request names any scalar (extended, hugepages…) resource; remembered for the last pod, as Filter runs once per node. */
let lastRequest: Resources | undefined;
let lastHasScalar = false;
function hasScalar(podRequest: Resources): boolean {
  if (podRequest !== lastRequest) {
    lastRequest = podRequest;
    lastHasScalar = Object.keys(podRequest.scalar).length > 0;
  }
  return lastHasScalar;
}

/** True when the pod clearly fits: no scalar resources asked for and room for pods, cpu, memory and storage. Otherwise insufficientResources decides. */
function fitsEasily(podRequest: Resources, node: NodeInfo): boolean {
  if (hasScalar(podRequest)) return false;
  const alloc = node.allocatable;
  const used = node.requested;
  return (
    node.pods.length + 1 <= alloc.pods &&
    podRequest.milliCPU <= alloc.milliCPU - used.milliCPU &&
    podRequest.memory <= alloc.memory - used.memory &&
    podRequest.ephemeralStorage <= alloc.ephemeralStorage - used.ephemeralStorage
  );
}

function strategyScorer(args: NodeResourcesFitArgs): { resources: readonly ResourceSpec[]; scorer: VectorScorer } {
  const strategy = args.scoringStrategy ?? {};
  const resources = strategy.resources?.length ? strategy.resources.map((r) => ({ name: r.name, weight: r.weight ?? 1 })) : DEFAULT_RESOURCES;
  switch (strategy.type ?? 'LeastAllocated') {
    case 'LeastAllocated':
      return { resources, scorer: leastAllocatedScorer(resources) };
    case 'MostAllocated':
      return { resources, scorer: mostAllocatedScorer(resources) };
    case 'RequestedToCapacityRatio': {
      const shape = strategy.requestedToCapacityRatio?.shape;
      if (!shape?.length) throw new Error('NodeResourcesFit: requestedToCapacityRatio.shape is required');
      return { resources, scorer: requestedToCapacityRatioScorer(resources, shape) };
    }
    default:
      throw new Error(`NodeResourcesFit: scoring strategy ${String(strategy.type)} is not supported`);
  }
}

export function newNodeResourcesFit(ctx: PluginContext = { args: {} }): PreFilterPlugin & FilterPlugin & PreScorePlugin & ScorePlugin {
  const args = (ctx.args ?? {}) as NodeResourcesFitArgs;
  const ignored = new Set(args.ignoredResources ?? []);
  const ignoredGroups = new Set(args.ignoredResourceGroups ?? []);
  const { resources, scorer } = strategyScorer(args);
  const allocation = new ResourceAllocationScorer(resources, false, scorer);
  // Score runs once per node with the same CycleState: read the PreScore vector once per cycle.
  let lastState: CycleState | undefined;
  let lastRequests: number[] = [];

  return {
    name: NODE_RESOURCES_FIT,

    // The pod's requests are already in PodInfo; nothing to precompute.
    preFilter(): PreFilterResult {
      return { status: success() };
    },

    filter(_state: CycleState, pod: PodInfo, node: NodeInfo): Status {
      if (fitsEasily(pod.requests, node)) return success();
      const missing = insufficientResources(pod.requests, node, ignored, ignoredGroups);
      if (missing.length === 0) return success();
      return unschedulable(...missing.map((m) => m.reason));
    },

    preScore(state: CycleState, pod: PodInfo): Status {
      state.write(PRE_SCORE_KEY, podRequestVector(pod, resources, false));
      return success();
    },

    score(state: CycleState, pod: PodInfo, node: NodeInfo): number {
      if (state !== lastState) {
        lastState = state;
        lastRequests = state.read<number[]>(PRE_SCORE_KEY) ?? podRequestVector(pod, resources, false);
      }
      return allocation.score(node, lastRequests);
    },
  };
}
