// One scheduling cycle for one pod: PreFilter, Filter (over an adaptive share
// of nodes, round-robin), PreScore, Score + normalise + weight, then pick the
// best node with random tie-break. Records everything for the explanation.

import {
  CycleState,
  MAX_NODE_SCORE,
  type FilterPlugin,
  type NodeInfo,
  type NodeScore,
  type PodInfo,
  type PreFilterPlugin,
  type PreScorePlugin,
  type ScorePlugin,
  type Snapshot,
  type Status,
} from './framework.js';
import { rankAll, rankTop } from './score-ranking.js';

export interface WeightedScorePlugin {
  plugin: ScorePlugin;
  weight: number;
}

export interface Profile {
  schedulerName: string;
  preFilter: PreFilterPlugin[];
  filter: FilterPlugin[];
  preScore: PreScorePlugin[];
  score: WeightedScorePlugin[];
  /** 0 = adaptive (Kubernetes' default), else 1–100. */
  percentageOfNodesToScore: number;
}

export interface PluginScore {
  plugin: string;
  raw: number;
  normalized: number;
  weighted: number;
}

export interface NodeScoreDetail {
  node: string;
  total: number;
  plugins: PluginScore[];
}

export interface CycleResult {
  /** Chosen node, when feasible. */
  node?: string;
  /** How many nodes the cycle looked at, and how many passed. */
  evaluated: number;
  feasible: number;
  totalNodes: number;
  /** A PreFilter rejection (applies to every node). */
  preFilter?: Status;
  /** Filter verdicts: node → the failing status (absent = passed). Only evaluated nodes appear in passed/failed. */
  failed: Map<string, Status>;
  passed: string[];
  /** Per-node scores, best first. */
  scores: NodeScoreDetail[];
  /** Filter plugins that ran for this pod (in order). */
  filterPlugins: string[];
  /** Score plugins with weights. */
  scorePlugins: { plugin: string; weight: number }[];
  /** The first n of `scores` without building the rest (set by CycleRunner). */
  topScores?(n: number): NodeScoreDetail[];
  /** How many nodes share the best total, and that total (set by CycleRunner when it scored). */
  tiedAtBest?: number;
  bestTotal?: number;
}


const MIN_FEASIBLE_NODES = 100;
const MIN_FEASIBLE_PERCENTAGE = 5;

/** How many feasible nodes to find before scoring, as Kubernetes' numFeasibleNodesToFind. */
export function numFeasibleNodesToFind(numAllNodes: number, percentage: number): number {
  if (numAllNodes < MIN_FEASIBLE_NODES || percentage >= 100) return numAllNodes;
  let pct = percentage;
  if (pct <= 0) {
    pct = 50 - Math.trunc(numAllNodes / 125);
    if (pct < MIN_FEASIBLE_PERCENTAGE) pct = MIN_FEASIBLE_PERCENTAGE;
  }
  const n = Math.trunc((numAllNodes * pct) / 100);
  return n < MIN_FEASIBLE_NODES ? MIN_FEASIBLE_NODES : n;
}

export class CycleRunner {
  private nextStartIndex = 0;

  constructor(readonly profile: Profile, private readonly random: () => number = Math.random) {}

  run(pod: PodInfo, snapshot: Snapshot): CycleResult {
    const p = this.profile;
    const state = new CycleState();
    const all = snapshot.nodes;
    const result: CycleResult = {
      evaluated: 0,
      feasible: 0,
      totalNodes: all.length,
      failed: new Map(),
      passed: [],
      scores: [],
      filterPlugins: [],
      scorePlugins: [],
    };

    // PreFilter
    const skipFilter = new Set<string>();
    let allowed: Set<string> | undefined;
    for (const pl of p.preFilter) {
      const r = pl.preFilter(state, pod, snapshot);
      if (r.status.code === 'Skip') {
        skipFilter.add(pl.name);
        continue;
      }
      if (r.status.code !== 'Success') {
        result.preFilter = { ...r.status, plugin: pl.name };
        return result;
      }
      if (r.nodeNames) allowed = allowed ? new Set([...allowed].filter((n) => r.nodeNames!.has(n))) : new Set(r.nodeNames);
    }
    const filters = p.filter.filter((f) => !skipFilter.has(f.name));
    result.filterPlugins = filters.map((f) => f.name);

    // Filter: round-robin over nodes until enough feasible ones are found.
    const candidates = allowed ? all.filter((n) => allowed!.has(n.name)) : all;
    const want = allowed ? candidates.length : numFeasibleNodesToFind(candidates.length, p.percentageOfNodesToScore);
    const feasible: NodeInfo[] = [];
    const n = candidates.length;
    const start = allowed || n === 0 ? 0 : this.nextStartIndex % n;
    let processed = 0;
    for (; processed < n && feasible.length < want; processed++) {
      const node = candidates[(start + processed) % n];
      let failedStatus: Status | undefined;
      for (const f of filters) {
        const s = f.filter(state, pod, node, snapshot);
        if (s.code !== 'Success' && s.code !== 'Skip') {
          failedStatus = { ...s, plugin: f.name };
          break;
        }
      }
      if (failedStatus) result.failed.set(node.name, failedStatus);
      else {
        feasible.push(node);
        result.passed.push(node.name);
      }
    }
    if (!allowed && n > 0) this.nextStartIndex = (start + processed) % n;
    result.evaluated = processed;
    result.feasible = feasible.length;
    if (!feasible.length) return result;
    if (feasible.length === 1) {
      result.node = feasible[0].name;
      result.scores = [{ node: feasible[0].name, total: 0, plugins: [] }];
      return result;
    }

    // PreScore + Score
    const skipScore = new Set<string>();
    for (const pl of p.preScore) {
      const s = pl.preScore(state, pod, feasible, snapshot);
      if (s.code === 'Skip') skipScore.add(pl.name);
    }
    const scorers = p.score.filter((s) => !skipScore.has(s.plugin.name));
    result.scorePlugins = scorers.map((s) => ({ plugin: s.plugin.name, weight: s.weight }));
    // Raw and normalised scores go into flat arrays (node-major); the per-node detail
    // objects are only built when someone reads them (explanations read the top few).
    const m = feasible.length;
    const k = scorers.length;
    const totals = new Float64Array(m);
    const raw = new Float64Array(m * k);
    const normalizedScores = new Float64Array(m * k);
    // One NodeScore list, refilled for each plugin (normalizeScore rewrites it in place).
    const scores: NodeScore[] = new Array(m);
    for (let i = 0; i < m; i++) scores[i] = { name: feasible[i].name, score: 0 };
    for (let j = 0; j < k; j++) {
      const { plugin, weight } = scorers[j];
      for (let i = 0; i < m; i++) {
        const score = plugin.score(state, pod, feasible[i], snapshot);
        scores[i].score = score;
        raw[i * k + j] = score;
      }
      plugin.normalizeScore?.(state, pod, scores);
      for (let i = 0; i < m; i++) {
        const normalized = Math.max(0, Math.min(MAX_NODE_SCORE, scores[i].score));
        normalizedScores[i * k + j] = normalized;
        totals[i] += normalized * weight;
      }
    }

    // Highest total wins; ties broken uniformly at random (reservoir sampling).
    let best = -1;
    let bestScore = -Infinity;
    let ties = 0;
    for (let i = 0; i < feasible.length; i++) {
      if (totals[i] > bestScore) {
        bestScore = totals[i];
        best = i;
        ties = 1;
      } else if (totals[i] === bestScore) {
        ties++;
        if (this.random() * ties < 1) best = i;
      }
    }
    result.node = feasible[best].name;
    result.tiedAtBest = ties;
    result.bestTotal = bestScore;
    const detail = (i: number): NodeScoreDetail => {
      const plugins: PluginScore[] = new Array(k);
      for (let j = 0; j < k; j++) {
        const normalized = normalizedScores[i * k + j];
        plugins[j] = { plugin: scorers[j].plugin.name, raw: raw[i * k + j], normalized, weighted: normalized * scorers[j].weight };
      }
      return { node: feasible[i].name, total: totals[i], plugins };
    };
    const names = feasible.map((node) => node.name);
    let details: NodeScoreDetail[] | undefined;
    Object.defineProperty(result, 'scores', {
      enumerable: true,
      configurable: true,
      get: () => (details ??= rankAll(totals, names).map(detail)),
      set: (v: NodeScoreDetail[]) => void (details = v),
    });
    result.topScores = (n) => (details ? details.slice(0, n) : rankTop(totals, names, n).map(detail));
    return result;
  }
}

/**
 * Kubernetes' FitError message: "0/3 nodes are available: 1 Insufficient cpu,
 * 2 node(s) didn't match Pod's node affinity/selector."
 */
export function fitErrorMessage(r: CycleResult): string {
  if (r.preFilter) {
    return `0/${r.totalNodes} nodes are available: ${r.preFilter.reasons.join(', ')}.`;
  }
  const histogram = new Map<string, number>();
  for (const status of r.failed.values()) for (const reason of status.reasons) histogram.set(reason, (histogram.get(reason) ?? 0) + 1);
  const parts = [...histogram].map(([reason, count]) => `${count} ${reason}`).sort();
  return `0/${r.totalNodes} nodes are available: ${parts.join(', ')}.`;
}
