// npm run bench:pods — pod startup latency on a real node: create → Running (seen
// on a pod watch) for single-container pods whose image is present, sequentially
// and 10 at a time, against the raw CRI floor measured in the same run on a
// throwaway containerd (RunPodSandbox + CreateContainer + StartContainer);
// plus the agent's RSS with 0 and with all pods running.
//
// Environment: BENCH_PODS (50) pods per run, BENCH_CONCURRENCY (10),
// BENCH_PARTS=floor,skiff picks the parts. Needs root, containerd, runc, CNI plugins.

import os from 'node:os';
import { runCriFloor, type FloorResult } from './pods/cri-floor.js';
import { runSkiff, type SkiffResult } from './pods/skiff-run.js';
import { rssTable, startupTable, type StartupRow } from './pods/report.js';
import { canRunNode } from '../testing/node-cluster.js';
import { bareNodeRss } from './pods/rss.js';
import { phaseTable } from './pods/phases.js';

function progress(msg: string): void {
  process.stderr.write(`[bench:pods ${new Date().toISOString().slice(11, 19)}] ${msg}\n`);
}

function envNumber(name: string, fallback: number): number {
  const v = process.env[name];
  return v ? Number(v) : fallback;
}

async function main(): Promise<void> {
  const why = canRunNode();
  if (why) throw new Error(`cannot run: ${why}`);
  const started = Date.now();
  const pods = envNumber('BENCH_PODS', 50);
  const concurrency = envNumber('BENCH_CONCURRENCY', 10);
  const parts = (process.env.BENCH_PARTS ?? 'floor,skiff').split(',').map((s) => s.trim());

  let floor: FloorResult | undefined;
  let skiff: SkiffResult | undefined;
  let skiffError: string | undefined;
  if (parts.includes('floor')) floor = await runCriFloor({ pods, concurrency, progress });
  if (parts.includes('skiff')) {
    try {
      skiff = await runSkiff({ pods, concurrency, progress });
    } catch (e) {
      skiffError = (e as Error).message;
      progress(`skiff part failed: ${skiffError}`);
    }
  }

  const seqLabel = 'CRI floor, sequential';
  const parLabel = `CRI floor, ${concurrency} at a time`;
  const rows: StartupRow[] = [];
  if (floor) {
    rows.push({ label: seqLabel, ...floor.sequential });
    rows.push({ label: parLabel, ...floor.concurrent });
  }
  if (skiff) {
    rows.push({ label: 'Skiff, sequential', latencies: skiff.sequential.latencies, wallMs: skiff.sequential.wallMs, floor: floor && { label: seqLabel, latencies: floor.sequential.latencies } });
    rows.push({ label: `Skiff, ${concurrency} at a time`, latencies: skiff.concurrent.latencies, wallMs: skiff.concurrent.wallMs, floor: floor && { label: parLabel, latencies: floor.concurrent.latencies } });
  }

  const out = [
    `## Results (${new Date().toISOString()}, ${os.cpus().length} CPUs, node ${process.version}, ${pods} pods per run)`,
    '',
    'Latency: floor = RunPodSandbox sent → StartContainer returned; Skiff = pod create sent → watch event with phase Running.',
    '',
    startupTable(rows),
  ];
  if (skiff) {
    const bare = await bareNodeRss();
    out.push(
      '',
      'Where Skiff\'s time goes (watch times joined with containerd\'s own timestamps, per pod):',
      '',
      phaseTable([
        { label: 'Skiff, sequential', pods: skiff.sequential.times },
        { label: `Skiff, ${concurrency} at a time`, pods: skiff.concurrent.times },
      ]),
    );
    out.push(
      '',
      `Agent (\`skiff agent\`, ${skiff.agentRuntime === 'tsx' ? 'run under tsx: its RSS includes the TypeScript loader' : 'compiled JS'}) RSS from /proc/<pid>/status VmRSS:`,
      '',
      rssTable([
        { label: 'reference: idle bare `node` (same run)', agent: bare, reference: true },
        { label: '0 pods (warm-up pod deleted, 5 s settle)', ...skiff.rss.idle },
        { label: `${pods} pods running (sequential run)`, ...skiff.rss.fullSequential },
        { label: `${pods} pods running (${concurrency} at a time run)`, ...skiff.rss.fullConcurrent },
        { label: 'all pods deleted again, 5 s settle', ...skiff.rss.afterDelete },
      ]),
    );
  }
  if (floor?.containerdRssMiB !== undefined) out.push('', `Floor containerd RSS with ${pods} pods: ${floor.containerdRssMiB.toFixed(1)} MiB.`);
  if (skiffError) out.push('', `Skiff part FAILED: ${skiffError}`);
  out.push('', `Total time ${((Date.now() - started) / 1000).toFixed(0)} s.`);
  process.stdout.write(out.join('\n') + '\n');
  if (skiffError) process.exitCode = 1;
}

main().catch((e) => {
  process.stderr.write(`${(e as Error).stack ?? e}\n`);
  process.exit(1);
});
