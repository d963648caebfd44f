// Reads a V8 .cpuprofile (what `node --cpu-prof` writes) and sums self time per
// function (name + script), so the report can say where the time went.

import fs from 'node:fs';
import path from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

export interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples?: number[];
  timeDeltas?: number[];
}

export interface SelfTimeEntry {
  /** Function name, '(anonymous)' when V8 has none. */
  name: string;
  /** Script, shortened (relative to the repo, or node:internal/…). */
  where: string;
  selfMs: number;
  /** Share of all sampled time, 0–100. */
  percent: number;
}

/** Makes script URLs readable: file URLs under `root` become relative paths. */
export function shortUrl(url: string, root: string): string {
  if (!url) return '';
  let p = url.startsWith('file://') ? decodeURIComponent(new URL(url).pathname) : url;
  if (root && p.startsWith(root + path.sep)) p = p.slice(root.length + 1);
  const nm = p.lastIndexOf('node_modules/');
  if (nm >= 0) p = p.slice(nm);
  return p;
}

/** A time range in the profile's clock (µs; V8 uses the monotonic clock, as process.hrtime does). */
export interface TimeWindow {
  startUs: number;
  endUs: number;
}

/**
 * Self time per (function name, script). Uses the sample timeline (samples + timeDeltas:
 * each delta is the time since the previous sample, charged to the sampled node) when present,
 * else hitCount × the mean sampling interval. With `window`, only samples taken inside it count
 * (needs the timeline).
 */
export function selfTimes(profile: CpuProfile, root = '', window?: TimeWindow): { total: number; entries: SelfTimeEntry[] } {
  const byNode = new Map<number, number>();
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  if (samples.length && deltas.length === samples.length) {
    // Delta i is the gap before sample i; charge the gap after a sample to that sample.
    let t = profile.startTime;
    for (let i = 0; i < samples.length; i++) {
      t += deltas[i];
      if (window && (t < window.startUs || t > window.endUs)) continue;
      const us = i + 1 < deltas.length ? deltas[i + 1] : 0;
      byNode.set(samples[i], (byNode.get(samples[i]) ?? 0) + Math.max(0, us));
    }
  } else if (!window) {
    const hits = profile.nodes.reduce((s, n) => s + (n.hitCount ?? 0), 0);
    const interval = hits ? (profile.endTime - profile.startTime) / hits : 0;
    for (const n of profile.nodes) if (n.hitCount) byNode.set(n.id, n.hitCount * interval);
  }
  const sums = new Map<string, SelfTimeEntry>();
  let totalUs = 0;
  for (const n of profile.nodes) {
    const us = byNode.get(n.id);
    if (!us) continue;
    totalUs += us;
    const name = n.callFrame.functionName || '(anonymous)';
    const where = shortUrl(n.callFrame.url, root);
    const key = `${name}\u0000${where}`;
    const e = sums.get(key);
    if (e) e.selfMs += us / 1000;
    else sums.set(key, { name, where, selfMs: us / 1000, percent: 0 });
  }
  const entries = [...sums.values()].sort((a, b) => b.selfMs - a.selfMs || a.name.localeCompare(b.name));
  for (const e of entries) e.percent = totalUs ? (e.selfMs * 1000 * 100) / totalUs : 0;
  return { total: totalUs / 1000, entries };
}

export function readProfile(file: string): CpuProfile {
  return JSON.parse(fs.readFileSync(file, 'utf8')) as CpuProfile;
}

/** The newest .cpuprofile in dir (node names them by time and pid). */
export function newestProfile(dir: string): string | undefined {
  const files = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.cpuprofile'))
    .map((f) => path.join(dir, f));
  files.sort((a, b) => fs.statSync(b).mtimeMs - fs.statSync(a).mtimeMs);
  return files[0];
}

/** A markdown table of the top entries. */
export function formatTop(entries: readonly SelfTimeEntry[], totalMs: number, top = 15): string {
  const lines = [`| self ms | % | function | script |`, `|---:|---:|---|---|`];
  for (const e of entries.slice(0, top)) lines.push(`| ${e.selfMs.toFixed(0)} | ${e.percent.toFixed(1)} | ${e.name} | ${e.where || '(native)'} |`);
  lines.push(`| ${totalMs.toFixed(0)} | 100 | total sampled | |`);
  return lines.join('\n');
}
