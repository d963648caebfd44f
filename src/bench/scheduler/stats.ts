// Numbers for the report: percentiles, and scheduler_perf-style throughput
// (pods bound per 1-second window, then the distribution over windows).

/** Nearest-rank percentile of an ascending array (NaN when empty). */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
}

export interface Throughput {
  /** Pods per second over the whole phase (first window start to last event). */
  average: number;
  p50: number;
  p99: number;
  /** Per-window counts, for the curious. */
  windows: number[];
}

/**
 * Bins event times (ms) into windows of `windowMs` from `startMs`. A partial last window
 * is left out of the percentiles (a short tail would read as a spike or a dip) unless
 * it is the only window; the average covers the whole span.
 */
export function windowedThroughput(eventTimesMs: readonly number[], startMs: number, windowMs = 1000): Throughput {
  if (eventTimesMs.length === 0) return { average: 0, p50: 0, p99: 0, windows: [] };
  let end = startMs;
  for (const t of eventTimesMs) if (t > end) end = t;
  const duration = Math.max(end - startMs, 1);
  const full = Math.floor(duration / windowMs);
  // An event exactly at the end of a full window belongs to that window (then there is no partial one).
  const lastIndex = duration % windowMs === 0 ? full - 1 : full;
  const counts = new Array<number>(lastIndex + 1).fill(0);
  for (const t of eventTimesMs) counts[Math.min(lastIndex, Math.max(0, Math.floor((t - startMs) / windowMs)))]++;
  const rates = full > 0 ? counts.slice(0, full).map((c) => (c * 1000) / windowMs) : [(counts[0] * 1000) / duration];
  const sorted = rates.sort((a, b) => a - b);
  return { average: (eventTimesMs.length * 1000) / duration, p50: percentile(sorted, 50), p99: percentile(sorted, 99), windows: counts };
}

export interface LatencySummary {
  p50: number;
  p99: number;
  max: number;
}

export function latencySummary(valuesMs: readonly number[]): LatencySummary {
  const sorted = [...valuesMs].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p99: percentile(sorted, 99), max: sorted.length ? sorted[sorted.length - 1] : NaN };
}

/** Runs `total` jobs with `concurrency` workers; jobs get their index. */
export async function runPool(total: number, concurrency: number, job: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < total) await job(next++);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, total) }, worker));
}
