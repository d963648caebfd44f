// PodTopologySpread: DoNotSchedule constraints as a filter (matching pods per
// topology domain must stay within maxSkew of the global minimum), ScheduleAnyway
// constraints — or the cluster defaults — as a score favouring emptier domains.

import { SelectorParseError } from '../../api/labels.js';
import {
  skip,
  success,
  unresolvable,
  unschedulable,
  MAX_NODE_SCORE,
  type CycleState,
  type FilterPlugin,
  type NodeInfo,
  type NodeScore,
  type PluginContext,
  type Pod,
  type PodInfo,
  type PreFilterPlugin,
  type PreFilterResult,
  type PreScorePlugin,
  type ScorePlugin,
  type Snapshot,
  type Status,
} from '../framework.js';
import { compileMatcher } from './label-matcher.js';
import { cachedPodCount } from '../node-info.js';
import { goRound } from './normalize-score.js';
import { RequiredNodeAffinity } from './node-selector.js';
import {
  LABEL_HOSTNAME,
  SYSTEM_DEFAULT_CONSTRAINTS,
  countPodsMatchSelector,
  defaultSelector,
  filterConstraints,
  matchesNodeInclusionPolicies,
  nodeHasAllTopologyKeys,
  type SpreadConstraint,
  type TopologySpreadConstraintSpec,
  type WhenUnsatisfiable,
} from './topology-spread-constraints.js';

export const POD_TOPOLOGY_SPREAD = 'PodTopologySpread';
export const ERR_REASON_CONSTRAINTS_NOT_MATCH = "node(s) didn't match pod topology spread constraints";
export const ERR_REASON_NODE_LABEL_NOT_MATCH = ERR_REASON_CONSTRAINTS_NOT_MATCH + ' (missing required label)';

const PRE_FILTER_KEY = 'PreFilter' + POD_TOPOLOGY_SPREAD;
const PRE_SCORE_KEY = 'PreScore' + POD_TOPOLOGY_SPREAD;

export interface PodTopologySpreadArgs {
  /** "System" (default): Kubernetes' built-in defaults; "List": defaultConstraints below. */
  defaultingType?: 'System' | 'List';
  defaultConstraints?: TopologySpreadConstraintSpec[];
}

interface PreFilterState {
  constraints: SpreadConstraint[];
  /** Per constraint: topology value → matching pods. */
  matchNum: Map<string, number>[];
  /** Per constraint: the smallest count over its domains. */
  minMatch: number[];
}

interface PreScoreState {
  constraints: SpreadConstraint[];
  ignoredNodes: Set<string>;
  /** Per constraint: topology value → matching pods (not used for hostname constraints). */
  podCounts: Map<string, number>[];
  /** Per hostname constraint: candidate node → matching pods on it. */
  hostCounts: Map<string, number>[];
  normalizingWeight: number[];
}

/** Weight for a topology with `size` domains, so small topologies are not drowned by large ones. */
export function topologyNormalizingWeight(size: number): number {
  return Math.log(size + 2);
}

export function scoreForCount(count: number, maxSkew: number, weight: number): number {
  return count * weight + (maxSkew - 1);
}

/**
 * Per constraint: a counter of matching pods, and the key its result is cached under per node
 * (the namespace and the exact selector: equal keys always count the same pods).
 */
function matchCounters(constraints: readonly SpreadConstraint[], namespace: string): { key: string; count: (pods: readonly PodInfo[]) => number }[] {
  return constraints.map((c) => ({
    key: `PodTopologySpread\u0000${namespace}\u0000${JSON.stringify(c.selector)}`,
    count: (pods: readonly PodInfo[]) => countPodsMatchSelector(pods, c, namespace),
  }));
}

/** A nodeSelector or required node affinity: only then can honoring node affinity leave nodes out. */
function hasRequiredNodeAffinity(pod: Pod): boolean {
  const ns = pod?.spec?.nodeSelector;
  if (ns != null && Object.keys(ns).length > 0) return true;
  return pod?.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution != null;
}

/** Evaluates the required node affinity only when some constraint needs it. */
class LazyAffinity {
  private value: RequiredNodeAffinity | undefined;
  constructor(private readonly pod: Pod) {}
  get(): RequiredNodeAffinity {
    return (this.value ??= new RequiredNodeAffinity(this.pod));
  }
}

export function newPodTopologySpread(ctx: PluginContext = { args: {} }): PreFilterPlugin & FilterPlugin & PreScorePlugin & ScorePlugin {
  const args = (ctx.args ?? {}) as PodTopologySpreadArgs;
  const systemDefaulted = (args.defaultingType ?? 'System') === 'System';
  const defaults: readonly TopologySpreadConstraintSpec[] = systemDefaulted ? SYSTEM_DEFAULT_CONSTRAINTS : (args.defaultConstraints ?? []);

  function constraintsOf(pod: Pod, action: WhenUnsatisfiable): SpreadConstraint[] {
    const own: TopologySpreadConstraintSpec[] | undefined = pod?.spec?.topologySpreadConstraints;
    const labels = pod?.metadata?.labels;
    if (own?.length) return filterConstraints(own, labels, action);
    const cs = filterConstraints(defaults, labels, action);
    if (cs.length === 0) return cs;
    const selector = defaultSelector(pod);
    if (selector.length === 0) return [];
    // One compiled matcher for all default constraints lets PreScore count each node once.
    const matcher = compileMatcher(selector);
    for (const c of cs) {
      c.selector = selector;
      c.matcher = matcher;
    }
    return cs;
  }

  function preFilterState(pod: Pod, snapshot: Snapshot, constraints: SpreadConstraint[]): PreFilterState {
    const namespace = pod?.metadata?.namespace ?? '';
    const affinity = new LazyAffinity(pod);
    const matchNum = constraints.map(() => new Map<string, number>());
    // Per constraint: whether the inclusion policies can exclude a node. Honoring node affinity
    // excludes nothing when the pod has no nodeSelector and no required node affinity.
    const affinityCanExclude = hasRequiredNodeAffinity(pod);
    const checkPolicy = constraints.map((c) => (c.nodeAffinityPolicy === 'Honor' && affinityCanExclude) || c.nodeTaintsPolicy === 'Honor');
    const counters = matchCounters(constraints, namespace);
    for (const node of snapshot.nodes) {
      const labels = node.node?.metadata?.labels;
      if (!nodeHasAllTopologyKeys(labels, constraints)) continue;
      for (let i = 0; i < constraints.length; i++) {
        const c = constraints[i];
        if (checkPolicy[i] && !matchesNodeInclusionPolicies(c, pod, node.node, affinity.get())) continue;
        const value = labels![c.topologyKey];
        const count = node.pods.length === 0 ? 0 : cachedPodCount(node, counters[i].key, counters[i].count);
        const m = matchNum[i];
        m.set(value, (m.get(value) ?? 0) + count);
      }
    }
    const minMatch = matchNum.map((m) => {
      let min = Number.MAX_SAFE_INTEGER;
      for (const n of m.values()) if (n < min) min = n;
      return min;
    });
    return { constraints, matchNum, minMatch };
  }

  return {
    name: POD_TOPOLOGY_SPREAD,

    preFilter(state: CycleState, pod: PodInfo, snapshot: Snapshot): PreFilterResult {
      let constraints: SpreadConstraint[];
      try {
        constraints = constraintsOf(pod.pod, 'DoNotSchedule');
      } catch (e) {
        if (e instanceof SelectorParseError) return { status: { code: 'Error', reasons: [`get constraints from pod: ${e.message}`] } };
        throw e;
      }
      if (constraints.length === 0) return { status: skip() };
      state.write(PRE_FILTER_KEY, preFilterState(pod.pod, snapshot, constraints));
      return { status: success() };
    },

    filter(state: CycleState, pod: PodInfo, node: NodeInfo): Status {
      const s = state.read<PreFilterState>(PRE_FILTER_KEY);
      if (!s) return { code: 'Error', reasons: [`reading "${PRE_FILTER_KEY}" from cycleState: not found`] };
      const labels = node.node?.metadata?.labels;
      const podLabels = pod.pod?.metadata?.labels;
      for (let i = 0; i < s.constraints.length; i++) {
        const c = s.constraints[i];
        if (!labels || !Object.prototype.hasOwnProperty.call(labels, c.topologyKey)) return unresolvable(ERR_REASON_NODE_LABEL_NOT_MATCH);
        // Fewer eligible domains than minDomains: the global minimum counts as 0.
        const minMatch = s.matchNum[i].size < c.minDomains ? 0 : s.minMatch[i];
        const self = c.matcher(podLabels) ? 1 : 0;
        const matchNum = s.matchNum[i].get(labels[c.topologyKey]) ?? 0;
        if (matchNum + self - minMatch > c.maxSkew) return unschedulable(ERR_REASON_CONSTRAINTS_NOT_MATCH);
      }
      return success();
    },

    preScore(state: CycleState, pod: PodInfo, filteredNodes: NodeInfo[], snapshot: Snapshot): Status {
      if (snapshot.nodes.length === 0) return skip();
      const p = pod.pod;
      let constraints: SpreadConstraint[];
      try {
        constraints = constraintsOf(p, 'ScheduleAnyway');
      } catch (e) {
        if (e instanceof SelectorParseError) return { code: 'Error', reasons: [`calculating preScoreState: ${e.message}`] };
        throw e;
      }
      if (constraints.length === 0) return skip();
      // Only the system defaults tolerate nodes missing a topology label (e.g. no zone).
      const requireAllTopologies = (p?.spec?.topologySpreadConstraints?.length ?? 0) > 0 || !systemDefaulted;
      const s: PreScoreState = {
        constraints,
        ignoredNodes: new Set(),
        podCounts: constraints.map(() => new Map()),
        hostCounts: constraints.map(() => new Map()),
        normalizingWeight: [],
      };
      const topoSize = constraints.map(() => 0);
      const candidates = new Set<NodeInfo>();
      for (const node of filteredNodes) {
        const labels = node.node?.metadata?.labels;
        if (requireAllTopologies && !nodeHasAllTopologyKeys(labels, constraints)) {
          s.ignoredNodes.add(node.name);
          continue;
        }
        candidates.add(node);
        for (let i = 0; i < constraints.length; i++) {
          const c = constraints[i];
          if (c.topologyKey === LABEL_HOSTNAME) continue;
          const value = labels?.[c.topologyKey] ?? '';
          if (!s.podCounts[i].has(value)) {
            s.podCounts[i].set(value, 0);
            topoSize[i]++;
          }
        }
      }
      s.normalizingWeight = constraints.map((c, i) =>
        topologyNormalizingWeight(c.topologyKey === LABEL_HOSTNAME ? filteredNodes.length - s.ignoredNodes.size : topoSize[i]),
      );

      const namespace = p?.metadata?.namespace ?? '';
      const affinity = new LazyAffinity(p);
      const hasHostname = constraints.some((c) => c.topologyKey === LABEL_HOSTNAME);
      // Matching pods on the current node per constraint (-1 = not counted yet); constraints sharing a matcher share the count.
      const nodeCounts = new Array<number>(constraints.length);
      const counters = matchCounters(constraints, namespace);
      const countOn = (node: NodeInfo, i: number): number => {
        if (nodeCounts[i] >= 0) return nodeCounts[i];
        for (let j = 0; j < i; j++) {
          if (nodeCounts[j] >= 0 && constraints[j].matcher === constraints[i].matcher) return (nodeCounts[i] = nodeCounts[j]);
        }
        return (nodeCounts[i] = node.pods.length === 0 ? 0 : cachedPodCount(node, counters[i].key, counters[i].count));
      };
      for (const node of snapshot.nodes) {
        const labels = node.node?.metadata?.labels;
        if (requireAllTopologies && !nodeHasAllTopologyKeys(labels, constraints)) continue;
        nodeCounts.fill(-1);
        const candidate = hasHostname && candidates.has(node);
        for (let i = 0; i < constraints.length; i++) {
          const c = constraints[i];
          if (c.topologyKey === LABEL_HOSTNAME) {
            // Per-host counts only matter for the node itself (Kubernetes takes them in Score).
            if (candidate) s.hostCounts[i].set(node.name, countOn(node, i));
            continue;
          }
          if ((c.nodeAffinityPolicy === 'Honor' || c.nodeTaintsPolicy === 'Honor') && !matchesNodeInclusionPolicies(c, p, node.node, affinity.get())) continue;
          const value = labels?.[c.topologyKey] ?? '';
          // Only domains of candidate nodes matter.
          const current = s.podCounts[i].get(value);
          if (current === undefined) continue;
          s.podCounts[i].set(value, current + countOn(node, i));
        }
      }
      state.write(PRE_SCORE_KEY, s);
      return success();
    },

    score(state: CycleState, pod: PodInfo, node: NodeInfo): number {
      const s = state.read<PreScoreState>(PRE_SCORE_KEY);
      if (!s || s.ignoredNodes.has(node.name)) return 0;
      const labels = node.node?.metadata?.labels;
      if (!labels) return 0;
      const namespace = pod.pod?.metadata?.namespace ?? '';
      let score = 0;
      for (let i = 0; i < s.constraints.length; i++) {
        const c = s.constraints[i];
        if (!Object.prototype.hasOwnProperty.call(labels, c.topologyKey)) continue;
        const count =
          c.topologyKey === LABEL_HOSTNAME
            ? (s.hostCounts[i].get(node.name) ?? countPodsMatchSelector(node.pods, c, namespace))
            : (s.podCounts[i].get(labels[c.topologyKey]) ?? 0);
        score += scoreForCount(count, c.maxSkew, s.normalizingWeight[i]);
      }
      return goRound(score);
    },

    normalizeScore(state: CycleState, _pod: PodInfo, scores: NodeScore[]): void {
      const s = state.read<PreScoreState>(PRE_SCORE_KEY);
      if (!s) return;
      let min = Infinity;
      let max = 0;
      const ignored = new Array<boolean>(scores.length);
      for (let i = 0; i < scores.length; i++) {
        ignored[i] = s.ignoredNodes.has(scores[i].name);
        if (ignored[i]) continue;
        const v = scores[i].score;
        if (v < min) min = v;
        if (v > max) max = v;
      }
      for (let i = 0; i < scores.length; i++) {
        if (ignored[i]) scores[i].score = 0;
        else if (max === 0) scores[i].score = MAX_NODE_SCORE;
        // Fewer matching pods → higher score.
        else scores[i].score = Math.trunc((MAX_NODE_SCORE * (max + min - scores[i].score)) / max);
      }
    },
  };
}
