// Beyond Kubernetes: the explanation of the latest scheduling attempt of each
// pod — every filter plugin's verdict per node and every score — kept in a
// bounded map and rendered as a table by `skiff explain pod`.

import type { CycleResult, NodeScoreDetail } from './cycle.js';

export interface FilterVerdict {
  node: string;
  plugin: string;
  code: string;
  reasons: string[];
}

export interface SchedulingExplanation {
  apiVersion: 'skiff.dev/v1';
  kind: 'SchedulingExplanation';
  metadata: { name: string; namespace: string; uid: string; creationTimestamp: string };
  schedulerName: string;
  attempt: number;
  result: 'Scheduled' | 'Unschedulable' | 'Error';
  node?: string;
  message: string;
  nodes: { total: number; evaluated: number; feasible: number };
  preFilter?: { plugin: string; code: string; reasons: string[] };
  filterPlugins: string[];
  /** Nodes that failed a filter, with the plugin that rejected them (later plugins did not run). */
  filtered: FilterVerdict[];
  /** Nodes that passed every filter. */
  passed: string[];
  scorePlugins: { plugin: string; weight: number }[];
  /** Best first; at most MAX_SCORED entries. */
  scores: NodeScoreDetail[];
  winnerReason?: string;
  preemption?: { nominatedNode?: string; victims: string[]; message: string };
}

export const MAX_SCORED = 50;

export function buildExplanation(
  pod: any,
  schedulerName: string,
  attempt: number,
  r: CycleResult,
  now: Date,
  outcome: { result: SchedulingExplanation['result']; message: string },
): SchedulingExplanation {
  const filtered: FilterVerdict[] = [];
  for (const [node, s] of r.failed) filtered.push({ node, plugin: s.plugin ?? '', code: s.code, reasons: s.reasons });
  const e: SchedulingExplanation = {
    apiVersion: 'skiff.dev/v1',
    kind: 'SchedulingExplanation',
    metadata: { name: pod.metadata.name, namespace: pod.metadata.namespace, uid: pod.metadata.uid, creationTimestamp: now.toISOString().replace(/\.\d+Z$/, 'Z') },
    schedulerName,
    attempt,
    result: outcome.result,
    node: r.node,
    message: outcome.message,
    nodes: { total: r.totalNodes, evaluated: r.evaluated, feasible: r.feasible },
    filterPlugins: r.filterPlugins,
    filtered,
    passed: r.passed,
    scorePlugins: r.scorePlugins,
    scores: r.topScores ? r.topScores(MAX_SCORED) : r.scores.slice(0, MAX_SCORED),
  };
  if (r.preFilter) e.preFilter = { plugin: r.preFilter.plugin ?? '', code: r.preFilter.code, reasons: r.preFilter.reasons };
  if (r.node) {
    const best = r.bestTotal ?? r.scores[0]?.total ?? 0;
    const tied = r.tiedAtBest ?? r.scores.filter((s) => s.total === best).length;
    e.winnerReason =
      r.feasible === 1
        ? 'the only node that passed every filter (scoring skipped)'
        : `highest total score ${fmt(best)} of ${r.feasible} feasible nodes${tied > 1 ? `; ${tied} nodes tied and one was chosen at random` : ''}`;
  }
  return e;
}

/** Latest explanation per pod, bounded: the oldest entries go first. */
export class ExplanationStore {
  private readonly map = new Map<string, SchedulingExplanation>();

  constructor(private readonly capacity = 2000) {}

  put(e: SchedulingExplanation): void {
    const key = `${e.metadata.namespace}/${e.metadata.name}`;
    this.map.delete(key);
    this.map.set(key, e);
    while (this.map.size > this.capacity) this.map.delete(this.map.keys().next().value as string);
  }

  get(namespace: string, name: string): SchedulingExplanation | undefined {
    return this.map.get(`${namespace}/${name}`);
  }

  delete(namespace: string, name: string): void {
    this.map.delete(`${namespace}/${name}`);
  }

  list(namespace?: string): SchedulingExplanation[] {
    return [...this.map.values()].filter((e) => !namespace || e.metadata.namespace === namespace);
  }

  get size(): number {
    return this.map.size;
  }
}

function fmt(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(1);
}

function table(rows: string[][]): string {
  const widths: number[] = [];
  for (const r of rows) r.forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 0, c.length)));
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i] + 2))).join('').trimEnd()).join('\n');
}

/** The human-readable form printed by `skiff explain pod`. */
export function renderExplanation(e: SchedulingExplanation, opts: { maxNodes?: number } = {}): string {
  const max = opts.maxNodes ?? 30;
  const out: string[] = [];
  out.push(`Pod:        ${e.metadata.namespace}/${e.metadata.name}`);
  out.push(`Scheduler:  ${e.schedulerName} (attempt ${e.attempt} at ${e.metadata.creationTimestamp})`);
  out.push(`Result:     ${e.result}${e.node ? ` on ${e.node}` : ''}`);
  if (e.winnerReason) out.push(`Why:        ${e.winnerReason}`);
  if (e.message) out.push(`Message:    ${e.message}`);
  out.push(`Nodes:      ${e.nodes.total} in the cluster, ${e.nodes.evaluated} evaluated, ${e.nodes.feasible} passed every filter`);
  if (e.preemption) {
    out.push(`Preemption: ${e.preemption.message}${e.preemption.nominatedNode ? ` (nominated ${e.preemption.nominatedNode}; victims: ${e.preemption.victims.join(', ') || 'none'})` : ''}`);
  }
  if (e.preFilter) {
    out.push('');
    out.push(`PreFilter ${e.preFilter.plugin} rejected the pod for every node: ${e.preFilter.reasons.join('; ')}`);
    return out.join('\n') + '\n';
  }

  out.push('');
  out.push('Filters (ok = passed, FAIL = rejected here, - = not run after a rejection):');
  const verdict = new Map(e.filtered.map((f) => [f.node, f]));
  const nodes = [...e.passed, ...e.filtered.map((f) => f.node)].sort();
  const header = ['NODE', ...e.filterPlugins, 'REASON'];
  const rows: string[][] = [header];
  for (const n of nodes.slice(0, max)) {
    const v = verdict.get(n);
    const failedAt = v ? e.filterPlugins.indexOf(v.plugin) : -1;
    const cells = e.filterPlugins.map((_, i) => (!v || i < failedAt ? 'ok' : i === failedAt ? 'FAIL' : '-'));
    rows.push([n, ...cells, v ? v.reasons.join('; ') : '']);
  }
  out.push(table(rows));
  if (nodes.length > max) {
    const hist = new Map<string, number>();
    for (const f of e.filtered) for (const r of f.reasons) hist.set(`${f.plugin}: ${r}`, (hist.get(`${f.plugin}: ${r}`) ?? 0) + 1);
    out.push(`… ${nodes.length - max} more nodes. Rejections by reason:`);
    for (const [r, c] of [...hist].sort((a, b) => b[1] - a[1])) out.push(`  ${c}× ${r}`);
  }

  if (e.scores.length && e.scorePlugins.length) {
    out.push('');
    out.push('Scores (raw → normalised × weight = weighted; best first):');
    const sh = ['NODE', ...e.scorePlugins.map((p) => `${p.plugin}(×${p.weight})`), 'TOTAL'];
    const srows: string[][] = [sh];
    for (const s of e.scores.slice(0, max)) {
      const by = new Map(s.plugins.map((p) => [p.plugin, p]));
      srows.push([
        s.node + (s.node === e.node ? ' *' : ''),
        ...e.scorePlugins.map((p) => {
          const x = by.get(p.plugin);
          return x ? `${fmt(x.raw)}→${fmt(x.normalized)}=${fmt(x.weighted)}` : '-';
        }),
        fmt(s.total),
      ]);
    }
    out.push(table(srows));
  }
  return out.join('\n') + '\n';
}
