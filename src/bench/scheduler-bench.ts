// npm run bench:scheduler — scheduler_perf-shaped workloads (SchedulingBasic,
// SchedulingNodeAffinity, SchedulingPodAntiAffinity, TopologySpreading,
// PreemptionBasic) end to end through the real `skiff server`, the same
// workloads in process (framework only), a bind-only floor, and CPU profiles.
//
// Environment: BENCH_NODES / BENCH_PODS scale the workloads down (nodes for the
// 5000-node cases, measured pods for SchedulingBasic; the rest scale alike),
// BENCH_WORKLOADS=name,name picks workloads, BENCH_PLACEMENTS=in-server,own-process
// picks where the scheduler runs end to end, BENCH_CONCURRENCY (32) sets the client
// pool, BENCH_REPEAT (3) the in-process runs (median kept), BENCH_PROFILE=0 skips profiles.

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { workloads, type Workload } from './scheduler/workloads.js';
import { runInProcess, type InProcessResult } from './scheduler/in-process.js';
import { runBindFloor, runEndToEnd } from './scheduler/e2e.js';
import { formatTop, newestProfile, readProfile, selfTimes, type TimeWindow } from './scheduler/cpu-profile.js';
import { floorLine, resultsTable, workloadNotes, type WorkloadRow } from './scheduler/report.js';

const here = path.dirname(fileURLToPath(import.meta.url));
/** dist/ (or src/ under tsx): profile URLs are shown relative to it. */
const codeRoot = path.resolve(here, '..');

function progress(msg: string): void {
  process.stderr.write(`[bench:scheduler ${new Date().toISOString().slice(11, 19)}] ${msg}\n`);
}

function envNumber(name: string): number | undefined {
  const v = process.env[name];
  return v ? Number(v) : undefined;
}

function selected(): Workload[] {
  const all = workloads({ nodes: envNumber('BENCH_NODES'), pods: envNumber('BENCH_PODS') });
  const names = process.env.BENCH_WORKLOADS?.split(',').map((s) => s.trim()).filter(Boolean);
  return names?.length ? all.filter((w) => names.includes(w.name)) : all;
}

/** Median run by throughput (runs are short; one slow garbage collection should not decide the number). */
function medianInProcess(w: Workload, repeat: number): InProcessResult {
  const runs: InProcessResult[] = [];
  for (let i = 0; i < repeat; i++) runs.push(runInProcess(w, i === 0 ? progress : undefined));
  runs.sort((a, b) => a.podsPerSecond - b.podsPerSecond);
  return runs[Math.floor(runs.length / 2)];
}

/** Child mode: one in-process run, result as JSON on stdout (used under --cpu-prof). */
function inProcessOnly(name: string): void {
  const w = selected().find((x) => x.name === name) ?? workloads({ nodes: envNumber('BENCH_NODES'), pods: envNumber('BENCH_PODS') }).find((x) => x.name === name);
  if (!w) throw new Error(`unknown workload ${name}`);
  process.stdout.write(JSON.stringify(runInProcess(w)) + '\n');
}

async function profileInProcess(name: string, dir: string): Promise<InProcessResult> {
  const child = spawn(process.execPath, [...process.execArgv, '--cpu-prof', '--cpu-prof-dir', dir, process.argv[1], '--in-process-only', name], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  if (code !== 0) throw new Error(`profiled in-process run exited with ${code}`);
  return JSON.parse(out.trim().split('\n').pop()!) as InProcessResult;
}

/** Top 15 self-time functions, restricted to the measured phase when the profile has samples in it. */
function profileSummary(dir: string, title: string, window: TimeWindow): string {
  const file = newestProfile(dir);
  if (!file) return `${title}: no profile written`;
  const profile = readProfile(file);
  let { total, entries } = selfTimes(profile, codeRoot, window);
  let scope = 'measured phase only';
  if (total === 0) {
    ({ total, entries } = selfTimes(profile, codeRoot));
    scope = 'whole process (no samples matched the measured phase)';
  }
  return `${title} — ${scope}, ${(total / 1000).toFixed(2)} s sampled, top 15 by self time:\n\n${formatTop(entries, total, 15)}`;
}

async function main(): Promise<void> {
  const started = Date.now();
  const list = selected();
  const placements = (process.env.BENCH_PLACEMENTS ?? 'in-server,own-process').split(',').map((s) => s.trim()) as ('in-server' | 'own-process')[];
  const concurrency = envNumber('BENCH_CONCURRENCY') ?? 32;
  const repeat = envNumber('BENCH_REPEAT') ?? 3;
  const rows: WorkloadRow[] = list.map((w) => ({ workload: w.name, note: w.note, ciFloor: w.ciFloor, e2e: {} }));

  for (const [i, w] of list.entries()) {
    progress(`${w.name}: in process (${repeat} runs, median kept)`);
    rows[i].inProcess = medianInProcess(w, repeat);
    progress(`${w.name}: in process ${rows[i].inProcess!.podsPerSecond.toFixed(0)} pods/s`);
  }

  for (const [i, w] of list.entries()) {
    for (const placement of placements) {
      progress(`${w.name}: end to end, scheduler ${placement}`);
      try {
        const r = await runEndToEnd(w, { concurrency, progress, scheduler: placement });
        rows[i].e2e[placement] = r;
        progress(`${w.name}: ${r.throughput.average.toFixed(0)} pods/s end to end (${placement})`);
      } catch (e) {
        rows[i].e2e[placement] = { error: (e as Error).message };
        progress(`${w.name}: failed: ${(e as Error).message}`);
      }
    }
  }

  const basic = list.find((w) => w.name === 'SchedulingBasic') ?? workloads({ nodes: envNumber('BENCH_NODES'), pods: envNumber('BENCH_PODS') })[0];
  progress('bind-only floor');
  const floor = await runBindFloor(basic, { concurrency, progress });

  const sections: string[] = [];
  if (process.env.BENCH_PROFILE !== '0') {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'skiff-sched-prof-'));
    const ipDir = path.join(tmp, 'in-process');
    const e2eDir = path.join(tmp, 'server');
    fs.mkdirSync(ipDir);
    fs.mkdirSync(e2eDir);
    progress(`profiling in-process ${basic.name} (--cpu-prof → ${ipDir})`);
    const ip = await profileInProcess(basic.name, ipDir);
    progress(`profiling end-to-end ${basic.name}, server under --cpu-prof (→ ${e2eDir})`);
    const e2e = await runEndToEnd(basic, { concurrency, progress, cpuProfileDir: e2eDir });
    sections.push(profileSummary(ipDir, `Profile: in-process ${basic.name} (${ip.podsPerSecond.toFixed(0)} pods/s while profiled)`, ip.window));
    sections.push(
      profileSummary(e2eDir, `Profile: end-to-end ${basic.name}, the skiff server process: API server + scheduler (${e2e.throughput.average.toFixed(0)} pods/s while profiled)`, e2e.window),
    );
    sections.push(`Profiles kept in ${tmp}`);
  }

  const out = [
    `## Results (${new Date().toISOString()}, ${os.cpus().length} CPUs, node ${process.version}, client pool ${concurrency})`,
    '',
    resultsTable(rows),
    '',
    floorLine(floor),
    '',
    'Workloads:',
    workloadNotes(rows),
    '',
    ...sections.flatMap((s) => [s, '']),
    `Total time ${((Date.now() - started) / 1000).toFixed(0)} s.`,
  ].join('\n');
  process.stdout.write(out + '\n');
}

const childIndex = process.argv.indexOf('--in-process-only');
if (childIndex >= 0) inProcessOnly(process.argv[childIndex + 1]);
else
  main().catch((e) => {
    process.stderr.write(`${(e as Error).stack ?? e}\n`);
    process.exit(1);
  });
