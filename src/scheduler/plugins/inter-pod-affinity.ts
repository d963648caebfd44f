// InterPodAffinity: required pod affinity / anti-affinity of the incoming pod and
// required anti-affinity of existing pods as a filter; preferred terms of both
// sides (and existing pods' required affinity, at hardPodAffinityWeight) as a score.
// Counts are kept per topology (key → value → count), computed once in
// PreFilter / PreScore so Filter and Score are lookups.

import {
  skip,
  success,
  unresolvable,
  unschedulable,
  MAX_NODE_SCORE,
  type CycleState,
  type FilterPlugin,
  type Node,
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
import { affinityIndexOf, cachedPodCount } from '../node-info.js';
import { affinityTermsOf, IncomingTerm, parseAffinityTerms, termMatchesPod, type AffinityTerm, type PodAffinityTerms } from './affinity-terms.js';

export const INTER_POD_AFFINITY = 'InterPodAffinity';
export const ERR_REASON_EXISTING_ANTI_AFFINITY = "node(s) didn't satisfy existing pods anti-affinity rules";
export const ERR_REASON_AFFINITY = "node(s) didn't match pod affinity rules";
export const ERR_REASON_ANTI_AFFINITY = "node(s) didn't match pod anti-affinity rules";

const PRE_FILTER_KEY = 'PreFilter' + INTER_POD_AFFINITY;
const PRE_SCORE_KEY = 'PreScore' + INTER_POD_AFFINITY;

export interface InterPodAffinityArgs {
  /** Weight of existing pods' required affinity terms in scoring (default 1; 0 disables). */
  hardPodAffinityWeight?: number;
  ignorePreferredTermsOfExistingPods?: boolean;
}

/**
 * topologyKey → topologyValue → count. Filter counts drop entries that reach zero;
 * score sums keep them (Kubernetes' scoreMap does), which matters for "is it empty".
 */
export class TopologyCounts {
  readonly byKey = new Map<string, Map<string, number>>();
  private entries = 0;

  constructor(private readonly dropZero = true) {}

  /** Number of (key, value) entries. */
  get size(): number {
    return this.entries;
  }

  /** Adds `value` at the node's value for `key`, if the node has that label. */
  add(nodeLabels: Record<string, string> | undefined, key: string, value: number): void {
    if (!nodeLabels || !Object.prototype.hasOwnProperty.call(nodeLabels, key)) return;
    const tv = nodeLabels[key];
    let m = this.byKey.get(key);
    if (!m) this.byKey.set(key, (m = new Map()));
    const prev = m.get(tv);
    const next = (prev ?? 0) + value;
    if (prev === undefined) this.entries++;
    if (next === 0 && this.dropZero) {
      m.delete(tv);
      this.entries--;
    } else m.set(tv, next);
  }

  get(key: string, value: string): number {
    return this.byKey.get(key)?.get(value) ?? 0;
  }
}

interface PreFilterState {
  pod: Pod;
  requiredAffinity: IncomingTerm[];
  requiredAntiAffinity: IncomingTerm[];
  namespaceLabels: Record<string, string> | undefined;
  existingAntiAffinityCounts: TopologyCounts;
  affinityCounts: TopologyCounts;
  antiAffinityCounts: TopologyCounts;
}

function labelsOf(node: Node): Record<string, string> | undefined {
  return node?.metadata?.labels;
}

function matchesAll(terms: IncomingTerm[], pod: Pod): boolean {
  if (terms.length === 0) return false;
  for (const t of terms) if (!t.matches(pod)) return false;
  return true;
}

function computePreFilterState(pod: Pod, terms: PodAffinityTerms, snapshot: Snapshot): PreFilterState {
  const s: PreFilterState = {
    pod,
    requiredAffinity: terms.requiredAffinity.map((t) => new IncomingTerm(t, snapshot)),
    requiredAntiAffinity: terms.requiredAntiAffinity.map((t) => new IncomingTerm(t, snapshot)),
    namespaceLabels: snapshot.namespaceLabels(pod?.metadata?.namespace ?? ''),
    existingAntiAffinityCounts: new TopologyCounts(),
    affinityCounts: new TopologyCounts(),
    antiAffinityCounts: new TopologyCounts(),
  };
  // Existing pods whose required anti-affinity matches the incoming pod: only nodes holding such pods.
  for (const node of snapshot.nodesWithRequiredAntiAffinityPods()) {
    const labels = labelsOf(node.node);
    for (const existing of affinityIndexOf(node).withRequiredAntiAffinity) {
      for (const t of affinityTermsOf(existing.pod).requiredAntiAffinity) {
        if (termMatchesPod(t, pod, s.namespaceLabels)) s.existingAntiAffinityCounts.add(labels, t.topologyKey, 1);
      }
    }
  }
  if (s.requiredAffinity.length === 0 && s.requiredAntiAffinity.length === 0) return s;
  // Existing pods matching the incoming pod's required terms: any node may hold them.
  // Per node, the number of matching pods is memoised (cachedPodCount) when it depends on the pods alone.
  const affinity = s.requiredAffinity.length ? counter(s.requiredAffinity, (pods) => pods.reduce((n, p) => n + (matchesAll(s.requiredAffinity, p.pod) ? 1 : 0), 0)) : undefined;
  const anti = s.requiredAntiAffinity.map((t) => counter([t], (pods) => pods.reduce((n, p) => n + (t.matches(p.pod) ? 1 : 0), 0)));
  for (const node of snapshot.nodes) {
    if (node.pods.length === 0) continue;
    const labels = labelsOf(node.node);
    if (affinity) {
      const n = affinity(node);
      if (n > 0) for (const t of s.requiredAffinity) s.affinityCounts.add(labels, t.topologyKey, n);
    }
    for (let i = 0; i < anti.length; i++) {
      const n = anti[i](node);
      if (n > 0) s.antiAffinityCounts.add(labels, s.requiredAntiAffinity[i].topologyKey, n);
    }
  }
  return s;
}

/**
 * Counts a node's pods with `count`, through the per-node memo when the terms' matches depend
 * only on the pods: namespaces listed, no namespaceSelector (namespace labels may change between cycles).
 */
function counter(terms: readonly IncomingTerm[], count: (pods: readonly PodInfo[]) => number): (node: NodeInfo) => number {
  if (terms.some((t) => t.term.namespaceSelector !== null)) return (node) => count(node.pods);
  const key = `${INTER_POD_AFFINITY}\u0000${JSON.stringify(terms.map((t) => [[...t.term.namespaces].sort(), t.term.selector]))}`;
  return (node) => cachedPodCount(node, key, count);
}

function satisfiesExistingPodsAntiAffinity(s: PreFilterState, node: Node): boolean {
  if (s.existingAntiAffinityCounts.size === 0) return true;
  const labels = labelsOf(node);
  if (!labels) return true;
  for (const [key, values] of s.existingAntiAffinityCounts.byKey) {
    if (!Object.prototype.hasOwnProperty.call(labels, key)) continue;
    if ((values.get(labels[key]) ?? 0) > 0) return false;
  }
  return true;
}

function satisfiesPodAntiAffinity(s: PreFilterState, node: Node): boolean {
  if (s.antiAffinityCounts.size === 0) return true;
  const labels = labelsOf(node);
  for (const t of s.requiredAntiAffinity) {
    if (!labels || !Object.prototype.hasOwnProperty.call(labels, t.topologyKey)) continue;
    if (s.antiAffinityCounts.get(t.topologyKey, labels[t.topologyKey]) > 0) return false;
  }
  return true;
}

function satisfiesPodAffinity(s: PreFilterState, node: Node): boolean {
  const labels = labelsOf(node);
  let podsExist = true;
  for (const t of s.requiredAffinity) {
    // Every topology key must exist on the node.
    if (!labels || !Object.prototype.hasOwnProperty.call(labels, t.topologyKey)) return false;
    if (s.affinityCounts.get(t.topologyKey, labels[t.topologyKey]) <= 0) podsExist = false;
  }
  if (podsExist) return true;
  // The first pod of a group with affinity to itself: allowed when no pod anywhere
  // matches the terms and the pod matches its own terms.
  return s.affinityCounts.size === 0 && matchesAll(s.requiredAffinity, s.pod);
}

interface PreScoreState {
  topologyScore: TopologyCounts;
}

export function newInterPodAffinity(ctx: PluginContext = { args: {} }): PreFilterPlugin & FilterPlugin & PreScorePlugin & ScorePlugin {
  const args = (ctx.args ?? {}) as InterPodAffinityArgs;
  const hardPodAffinityWeight = args.hardPodAffinityWeight ?? 1;
  const ignoreExistingPreferred = args.ignorePreferredTermsOfExistingPods ?? false;

  return {
    name: INTER_POD_AFFINITY,

    preFilter(state: CycleState, pod: PodInfo, snapshot: Snapshot): PreFilterResult {
      let terms: PodAffinityTerms;
      try {
        terms = parseAffinityTerms(pod.pod);
      } catch (e) {
        return { status: unresolvable(`parsing pod: ${(e as Error).message}`) };
      }
      const s = computePreFilterState(pod.pod, terms, snapshot);
      if (s.existingAntiAffinityCounts.size === 0 && s.requiredAffinity.length === 0 && s.requiredAntiAffinity.length === 0) {
        return { status: skip() };
      }
      state.write(PRE_FILTER_KEY, s);
      return { status: success() };
    },

    filter(state: CycleState, _pod: PodInfo, node: NodeInfo): Status {
      const s = state.read<PreFilterState>(PRE_FILTER_KEY);
      if (!s) return { code: 'Error', reasons: [`reading "${PRE_FILTER_KEY}" from cycleState: not found`] };
      if (!satisfiesPodAffinity(s, node.node)) return unresolvable(ERR_REASON_AFFINITY);
      if (!satisfiesPodAntiAffinity(s, node.node)) return unschedulable(ERR_REASON_ANTI_AFFINITY);
      if (!satisfiesExistingPodsAntiAffinity(s, node.node)) return unschedulable(ERR_REASON_EXISTING_ANTI_AFFINITY);
      return success();
    },

    preScore(state: CycleState, pod: PodInfo, nodes: NodeInfo[], snapshot: Snapshot): Status {
      if (nodes.length === 0) return skip();
      const affinity = pod.pod?.spec?.affinity;
      const hasConstraints =
        (affinity?.podAffinity?.preferredDuringSchedulingIgnoredDuringExecution?.length ?? 0) > 0 ||
        (affinity?.podAntiAffinity?.preferredDuringSchedulingIgnoredDuringExecution?.length ?? 0) > 0;
      if (ignoreExistingPreferred && !hasConstraints) return skip();
      let terms: PodAffinityTerms;
      try {
        terms = parseAffinityTerms(pod.pod);
      } catch (e) {
        return { code: 'Error', reasons: [`failed to parse pod: ${(e as Error).message}`] };
      }
      const preferredAffinity = terms.preferredAffinity.map((t) => new IncomingTerm(t, snapshot, t.weight));
      const preferredAnti = terms.preferredAntiAffinity.map((t) => new IncomingTerm(t, snapshot, t.weight));
      const nsLabels = snapshot.namespaceLabels(pod.pod?.metadata?.namespace ?? '');
      const score = new TopologyCounts(false);

      const processTerm = (term: AffinityTerm, weight: number, target: Pod, labels: Record<string, string>, multiplier: number): void => {
        if (termMatchesPod(term, target, nsLabels)) score.add(labels, term.topologyKey, weight * multiplier);
      };

      // Without preferred terms of its own, only pods that have affinity terms can contribute.
      for (const node of hasConstraints ? snapshot.nodes : snapshot.nodesWithAffinityPods()) {
        const pods = hasConstraints ? node.pods : affinityIndexOf(node).withAffinity;
        if (pods.length === 0) continue;
        const labels = labelsOf(node.node);
        if (!labels || Object.keys(labels).length === 0) continue;
        for (const existing of pods) {
          const ep = existing.pod;
          for (const t of preferredAffinity) if (t.matches(ep)) score.add(labels, t.topologyKey, t.weight);
          for (const t of preferredAnti) if (t.matches(ep)) score.add(labels, t.topologyKey, -t.weight);
          const theirs = affinityTermsOf(ep);
          if (hardPodAffinityWeight > 0) for (const t of theirs.requiredAffinity) processTerm(t, hardPodAffinityWeight, pod.pod, labels, 1);
          for (const t of theirs.preferredAffinity) processTerm(t, t.weight, pod.pod, labels, 1);
          for (const t of theirs.preferredAntiAffinity) processTerm(t, t.weight, pod.pod, labels, -1);
        }
      }
      if (score.byKey.size === 0) return skip();
      state.write(PRE_SCORE_KEY, { topologyScore: score } satisfies PreScoreState);
      return success();
    },

    score(state: CycleState, _pod: PodInfo, node: NodeInfo): number {
      const s = state.read<PreScoreState>(PRE_SCORE_KEY);
      if (!s) return 0;
      const labels = labelsOf(node.node);
      if (!labels) return 0;
      let total = 0;
      for (const [key, values] of s.topologyScore.byKey) {
        if (Object.prototype.hasOwnProperty.call(labels, key)) total += values.get(labels[key]) ?? 0;
      }
      return total;
    },

    normalizeScore(state: CycleState, _pod: PodInfo, scores: NodeScore[]): void {
      const s = state.read<PreScoreState>(PRE_SCORE_KEY);
      if (!s || s.topologyScore.byKey.size === 0) return;
      let min = Infinity;
      let max = -Infinity;
      for (const n of scores) {
        if (n.score > max) max = n.score;
        if (n.score < min) min = n.score;
      }
      const diff = max - min;
      for (const n of scores) n.score = diff > 0 ? Math.trunc(MAX_NODE_SCORE * ((n.score - min) / diff)) : 0;
    },
  };
}
