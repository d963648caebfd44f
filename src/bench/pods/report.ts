// The bench's markdown: startup latency per run against the CRI floor, goal checks, RSS.

import { latencySummary } from '../scheduler/stats.js';

/** Goals from the issue. */
export const GOALS = { p50Ratio: 1.3, p99Ms: 1000, rssMB: 60 } as const;

export interface StartupRow {
  label: string;
  latencies: number[];
  wallMs: number;
  /** The floor row this run is compared with (same concurrency). */
  floor?: { label: string; latencies: number[] };
}

export const mark = (ok: boolean): string => (ok ? '✅' : '❌');

/** ms with one decimal under 100 ms, whole ms above. */
export function fmtMs(ms: number): string {
  if (!Number.isFinite(ms)) return '–';
  return ms < 100 ? ms.toFixed(1) : ms.toFixed(0);
}

export function fmtMiB(mib: number | undefined): string {
  return mib === undefined ? '–' : mib.toFixed(1);
}

/** RSS in MiB meets a goal given in MB (10^6 bytes). */
export function rssMeetsGoal(mib: number, goalMB: number = GOALS.rssMB): boolean {
  return mib * 1024 * 1024 <= goalMB * 1e6;
}

export function startupTable(rows: StartupRow[]): string {
  const out = [
    '| run | pods | p50 ms | p99 ms | max ms | pods/s | p50 vs floor | goals (p50 ≤ 1.3× floor, p99 ≤ 1 s) |',
    '|---|---:|---:|---:|---:|---:|---:|---|',
  ];
  for (const r of rows) {
    const s = latencySummary(r.latencies);
    const rate = r.wallMs > 0 ? (r.latencies.length * 1000) / r.wallMs : NaN;
    let ratio = '';
    let goals = '';
    if (r.floor) {
      const f = latencySummary(r.floor.latencies);
      const x = s.p50 / f.p50;
      ratio = `${x.toFixed(2)}×`;
      goals = `${mark(x <= GOALS.p50Ratio)} p50 ${x.toFixed(2)}× · ${mark(s.p99 <= GOALS.p99Ms)} p99 ${fmtMs(s.p99)} ms`;
    }
    out.push(`| ${r.label} | ${r.latencies.length} | ${fmtMs(s.p50)} | ${fmtMs(s.p99)} | ${fmtMs(s.max)} | ${Number.isFinite(rate) ? rate.toFixed(1) : '–'} | ${ratio} | ${goals} |`);
  }
  return out.join('\n');
}

export interface RssRow {
  label: string;
  /** MiB: total, and anonymous (heap etc.) / file-backed parts when known. */
  agent?: { total: number; anon?: number; file?: number };
  containerd?: number;
  /** No goal check (reference rows). */
  reference?: boolean;
}

export function rssTable(rows: RssRow[]): string {
  const out = [
    `| moment | agent RSS MiB | anon / file MiB | goal ≤ ${GOALS.rssMB} MB | its containerd RSS MiB |`,
    '|---|---:|---:|---|---:|',
  ];
  for (const r of rows) {
    const a = r.agent;
    const goal = a === undefined || r.reference ? '' : mark(rssMeetsGoal(a.total));
    const split = a?.anon !== undefined && a.file !== undefined ? `${fmtMiB(a.anon)} / ${fmtMiB(a.file)}` : '–';
    out.push(`| ${r.label} | ${fmtMiB(a?.total)} | ${split} | ${goal} | ${fmtMiB(r.containerd)} |`);
  }
  return out.join('\n');
}
