// Formats the scheduler benchmark's results as markdown tables.

import type { EndToEndResult, BindFloorResult } from './e2e.js';
import type { InProcessResult } from './in-process.js';

export interface WorkloadRow {
  workload: string;
  note: string;
  ciFloor?: number;
  inProcess?: InProcessResult;
  /** End-to-end results by scheduler placement. */
  e2e: Partial<Record<'in-server' | 'own-process', EndToEndResult | { error: string }>>;
}

const f0 = (n: number) => (Number.isFinite(n) ? n.toFixed(0) : '–');

function e2eCells(r: EndToEndResult | { error: string } | undefined, inProcess?: InProcessResult): string[] {
  if (!r) return ['', '', '', ''];
  if ('error' in r) return [`failed: ${r.error}`, '', '', ''];
  const ratio = inProcess ? (r.throughput.average / inProcess.podsPerSecond).toFixed(2) : '–';
  const partial = r.bound < r.measured ? `; only ${r.bound}/${r.measured} bound within ${r.seconds.toFixed(0)} s` : '';
  return [
    `${f0(r.throughput.average)} (p50 ${f0(r.throughput.p50)}, p99 ${f0(r.throughput.p99)}${partial})`,
    `${f0(r.latency.p50)} / ${f0(r.latency.p99)}`,
    f0(r.createRate),
    ratio,
  ];
}

/** One table: pods/s end to end (both placements), in process, goal, latency, create rate. */
export function resultsTable(rows: readonly WorkloadRow[]): string {
  const out = [
    '| workload | e2e pods/s, scheduler in server (avg, p50, p99 of 1 s windows) | create→bound p50 / p99 ms | create rate pods/s | e2e / in-process | e2e pods/s, scheduler own process | create→bound p50 / p99 ms | in-process pods/s | goal (2× CI floor) |',
    '|---|---|---|---|---|---|---|---|---|',
  ];
  for (const r of rows) {
    const a = e2eCells(r.e2e['in-server'], r.inProcess);
    const b = e2eCells(r.e2e['own-process'], r.inProcess);
    const ip = r.inProcess ? `${f0(r.inProcess.podsPerSecond)}${r.inProcess.unschedulable ? ` (${r.inProcess.unschedulable} unschedulable)` : ''}` : '';
    out.push(`| ${r.workload} | ${a[0]} | ${a[1]} | ${a[2]} | ${a[3]} | ${b[0]} | ${b[1]} | ${ip} | ${r.ciFloor ? 2 * r.ciFloor : '–'} |`);
  }
  return out.join('\n');
}

export function floorLine(f: BindFloorResult): string {
  return `Bind-only floor (no scheduler; POST pods/binding to pre-chosen nodes, same client pool): ${f0(f.bindsPerSecond)} binds/s for ${f.pods} pods, latency p50 ${f0(f.latency.p50)} ms / p99 ${f0(f.latency.p99)} ms.`;
}

export function workloadNotes(rows: readonly WorkloadRow[]): string {
  return rows.map((r) => `- ${r.workload}: ${r.note}`).join('\n');
}
