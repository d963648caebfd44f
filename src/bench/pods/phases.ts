// Where a Skiff pod start spends its time, per pod, from four clocks on one machine:
// the bench's watch (create sent, bound seen, Running seen) and containerd's own
// timestamps (sandbox created_at, container started_at). All in epoch ms.

import { latencySummary } from '../scheduler/stats.js';
import { fmtMs } from './report.js';

export interface PodTimes {
  createSent: number;
  bound?: number;
  sandboxCreated?: number;
  containerStarted?: number;
  running?: number;
}

export const PHASES = [
  ['create sent → bound seen (API + scheduler + watch)', 'createSent', 'bound'],
  ['bound seen → sandbox created_at (kubelet picks the pod up)', 'bound', 'sandboxCreated'],
  ['sandbox created_at → container started_at (runtime)', 'sandboxCreated', 'containerStarted'],
  ['container started_at → Running seen (status write + watch)', 'containerStarted', 'running'],
] as const;

/** CRI nanosecond decimal string → epoch ms with µs kept; undefined for unset. */
export function nsToEpochMs(ns: string | undefined): number | undefined {
  if (!ns || ns === '0') return undefined;
  return Number(BigInt(ns) / 1000n) / 1000;
}

/** Per phase, the durations of the pods that have both ends. */
export function phaseDurations(pods: PodTimes[]): number[][] {
  return PHASES.map(([, from, to]) =>
    pods.flatMap((p) => (p[from] !== undefined && p[to] !== undefined ? [p[to]! - p[from]!] : [])),
  );
}

/** Markdown table: phase × run, p50 / p99 ms. */
export function phaseTable(runs: { label: string; pods: PodTimes[] }[]): string {
  const durations = runs.map((r) => phaseDurations(r.pods));
  const out = [`| phase (ms, p50 / p99) | ${runs.map((r) => r.label).join(' | ')} |`, `|---|${runs.map(() => '---:').join('|')}|`];
  PHASES.forEach(([label], i) => {
    const cells = durations.map((d) => {
      if (d[i].length === 0) return '–';
      const s = latencySummary(d[i]);
      return `${fmtMs(s.p50)} / ${fmtMs(s.p99)}`;
    });
    out.push(`| ${label} | ${cells.join(' | ')} |`);
  });
  return out.join('\n');
}
