// NodeAffinity: pod.spec.nodeSelector and required node affinity as a filter
// (PreFilter narrows to the node names a matchFields metadata.name term allows),
// preferred node affinity as a score. Optional args.addedAffinity applies to every pod.

import {
  success,
  skip,
  unresolvable,
  MAX_NODE_SCORE,
  type CycleState,
  type FilterPlugin,
  type Node,
  type NodeInfo,
  type NodeScore,
  type PluginContext,
  type PodInfo,
  type PreFilterPlugin,
  type PreFilterResult,
  type PreScorePlugin,
  type ScorePlugin,
  type Status,
} from '../framework.js';
import { defaultNormalizeScore } from './normalize-score.js';
import { NodeSelector, PreferredSchedulingTerms, RequiredNodeAffinity, type NodeSelectorTerm, type PreferredSchedulingTerm } from './node-selector.js';

export const NODE_AFFINITY = 'NodeAffinity';
export const ERR_REASON_POD = "node(s) didn't match Pod's node affinity/selector";
export const ERR_REASON_ENFORCED = "node(s) didn't match scheduler-enforced node affinity";
export const ERR_REASON_CONFLICT = 'pod affinity terms conflict';

const PRE_FILTER_KEY = 'PreFilter' + NODE_AFFINITY;
const PRE_SCORE_KEY = 'PreScore' + NODE_AFFINITY;

export interface NodeAffinityArgs {
  addedAffinity?: {
    requiredDuringSchedulingIgnoredDuringExecution?: { nodeSelectorTerms?: NodeSelectorTerm[] };
    preferredDuringSchedulingIgnoredDuringExecution?: PreferredSchedulingTerm[];
  };
}

/** Node names a required term pins the pod to via matchFields metadata.name In; undefined = no restriction. */
export function nodeNamesFromTerms(terms: NodeSelectorTerm[]): Set<string> | undefined {
  let union: Set<string> | undefined;
  for (const t of terms) {
    let termNames: Set<string> | undefined;
    for (const r of t?.matchFields ?? []) {
      if (r.key !== 'metadata.name' || r.operator !== 'In') continue;
      // Requirements in one term are ANDed: intersect.
      const s = new Set(r.values ?? []);
      termNames = termNames ? new Set([...termNames].filter((n) => s.has(n))) : s;
    }
    // A term without a name requirement lets every node through (terms are ORed).
    if (!termNames) return undefined;
    union = union ?? new Set();
    for (const n of termNames) union.add(n);
  }
  return union;
}

function preferredOf(pod: PodInfo): PreferredSchedulingTerms | null {
  const terms = pod.pod?.spec?.affinity?.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution;
  return terms != null ? new PreferredSchedulingTerms(terms) : null;
}

export function newNodeAffinity(ctx: PluginContext = { args: {} }): PreFilterPlugin & FilterPlugin & PreScorePlugin & ScorePlugin {
  const args = (ctx.args ?? {}) as NodeAffinityArgs;
  let addedSelector: NodeSelector | null = null;
  let addedPreferred: PreferredSchedulingTerms | null = null;
  const required = args.addedAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
  if (required) {
    addedSelector = new NodeSelector(required.nodeSelectorTerms);
    if (addedSelector.errors.length) throw new Error(`NodeAffinity addedAffinity: ${addedSelector.errors.join(', ')}`);
  }
  const preferred = args.addedAffinity?.preferredDuringSchedulingIgnoredDuringExecution;
  if (preferred?.length) addedPreferred = new PreferredSchedulingTerms(preferred);

  return {
    name: NODE_AFFINITY,

    preFilter(state: CycleState, pod: PodInfo): PreFilterResult {
      const spec = pod.pod?.spec ?? {};
      const requiredTerms = spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
      if (requiredTerms == null && addedSelector === null && spec.nodeSelector == null) return { status: skip() };
      state.write(PRE_FILTER_KEY, new RequiredNodeAffinity(pod.pod));
      const terms: NodeSelectorTerm[] = requiredTerms?.nodeSelectorTerms ?? [];
      if (terms.length === 0) return { status: success() };
      const names = nodeNamesFromTerms(terms);
      if (names && names.size === 0) return { status: unresolvable(ERR_REASON_CONFLICT) };
      return names ? { status: success(), nodeNames: names } : { status: success() };
    },

    filter(state: CycleState, pod: PodInfo, node: NodeInfo): Status {
      const n: Node = node.node;
      if (addedSelector && !addedSelector.matches(n)) return unresolvable(ERR_REASON_ENFORCED);
      const req = state.read<RequiredNodeAffinity>(PRE_FILTER_KEY) ?? new RequiredNodeAffinity(pod.pod);
      return req.matches(n) ? success() : unresolvable(ERR_REASON_POD);
    },

    preScore(state: CycleState, pod: PodInfo, nodes: NodeInfo[]): Status {
      if (nodes.length === 0) return success();
      let terms: PreferredSchedulingTerms | null;
      try {
        terms = preferredOf(pod);
      } catch (e) {
        return { code: 'Error', reasons: [(e as Error).message] };
      }
      if (terms === null && addedPreferred === null) return skip();
      state.write(PRE_SCORE_KEY, terms);
      return success();
    },

    score(state: CycleState, pod: PodInfo, node: NodeInfo): number {
      let count = addedPreferred ? addedPreferred.score(node.node) : 0;
      let terms = state.read<PreferredSchedulingTerms | null>(PRE_SCORE_KEY);
      if (terms === undefined) {
        try {
          terms = preferredOf(pod);
        } catch {
          terms = null;
        }
      }
      if (terms) count += terms.score(node.node);
      return count;
    },

    normalizeScore(_state, _pod, scores: NodeScore[]): void {
      defaultNormalizeScore(MAX_NODE_SCORE, false, scores);
    },
  };
}
