// TaintToleration: Filter rejects nodes with an untolerated NoSchedule/NoExecute
// taint; Score counts untolerated PreferNoSchedule taints (fewer is better).

import {
  success,
  unresolvable,
  MAX_NODE_SCORE,
  type CycleState,
  type FilterPlugin,
  type NodeInfo,
  type NodeScore,
  type PodInfo,
  type PreScorePlugin,
  type ScorePlugin,
  type Status,
} from '../framework.js';
import { defaultNormalizeScore } from './normalize-score.js';
import { findUntoleratedTaint, isDoNotScheduleTaint, tolerationsTolerateTaint, type Taint, type Toleration } from './taints.js';

export const TAINT_TOLERATION = 'TaintToleration';
const PRE_SCORE_KEY = 'PreScore' + TAINT_TOLERATION;

export function taintReason(taint: Taint): string {
  return `node(s) had untolerated taint {${taint.key}: ${taint.value ?? ''}}`;
}

/** Tolerations that can matter for PreferNoSchedule: that effect, or any effect. */
function preferNoScheduleTolerations(tolerations: Toleration[] | undefined): Toleration[] {
  return (tolerations ?? []).filter((t) => !t.effect || t.effect === 'PreferNoSchedule');
}

export function countIntolerablePreferNoSchedule(taints: Taint[] | undefined, tolerations: Toleration[]): number {
  let n = 0;
  for (const taint of taints ?? []) {
    if (taint.effect !== 'PreferNoSchedule') continue;
    if (!tolerationsTolerateTaint(tolerations, taint)) n++;
  }
  return n;
}

export function newTaintToleration(): FilterPlugin & PreScorePlugin & ScorePlugin {
  return {
    name: TAINT_TOLERATION,
    filter(_state, pod, node): Status {
      const taint = findUntoleratedTaint(node.node?.spec?.taints, pod.pod?.spec?.tolerations, isDoNotScheduleTaint);
      return taint ? unresolvable(taintReason(taint)) : success();
    },
    preScore(state: CycleState, pod: PodInfo, nodes: NodeInfo[]): Status {
      if (nodes.length === 0) return success();
      state.write(PRE_SCORE_KEY, preferNoScheduleTolerations(pod.pod?.spec?.tolerations));
      return success();
    },
    score(state, pod, node): number {
      const tolerations = state.read<Toleration[]>(PRE_SCORE_KEY) ?? preferNoScheduleTolerations(pod.pod?.spec?.tolerations);
      return countIntolerablePreferNoSchedule(node.node?.spec?.taints, tolerations);
    },
    normalizeScore(_state, _pod, scores: NodeScore[]): void {
      defaultNormalizeScore(MAX_NODE_SCORE, true, scores);
    },
  };
}
