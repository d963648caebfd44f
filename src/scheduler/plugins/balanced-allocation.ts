// NodeResourcesBalancedAllocation: prefers nodes whose cpu and memory (or the
// configured resources) would be used in equal proportions. Uses the pod's real
// requests, not the non-zero defaults (Kubernetes 1.32 does not skip best-effort pods).

import { success, type CycleState, type NodeInfo, type PluginContext, type PodInfo, type PreScorePlugin, type ScorePlugin, type Status } from '../framework.js';
import { DEFAULT_RESOURCES, ResourceAllocationScorer, balancedResourceScorer, podRequestVector, type ResourceSpec } from './resource-allocation.js';

export const BALANCED_ALLOCATION = 'NodeResourcesBalancedAllocation';
const PRE_SCORE_KEY = 'PreScore' + BALANCED_ALLOCATION;

export interface BalancedAllocationArgs {
  resources?: ResourceSpec[];
}

export function newBalancedAllocation(ctx: PluginContext = { args: {} }): PreScorePlugin & ScorePlugin {
  const args = (ctx.args ?? {}) as BalancedAllocationArgs;
  const resources = args.resources?.length ? args.resources.map((r) => ({ name: r.name, weight: r.weight ?? 1 })) : DEFAULT_RESOURCES;
  const scorer = new ResourceAllocationScorer(resources, true, balancedResourceScorer);
  // Score runs once per node with the same CycleState: read the PreScore vector once per cycle.
  let lastState: CycleState | undefined;
  let lastRequests: number[] = [];
  return {
    name: BALANCED_ALLOCATION,
    preScore(state: CycleState, pod: PodInfo): Status {
      state.write(PRE_SCORE_KEY, podRequestVector(pod, resources, true));
      return success();
    },
    score(state: CycleState, pod: PodInfo, node: NodeInfo): number {
      if (state !== lastState) {
        lastState = state;
        lastRequests = state.read<number[]>(PRE_SCORE_KEY) ?? podRequestVector(pod, resources, true);
      }
      return scorer.score(node, lastRequests);
    },
  };
}
