// npm run bench:sim — one simulated-node process holding 10 000 Ready nodes and
// 100 000 Running pods (KWOK's documented scale), against a real `skiff server`.
// Baseline in the same run: the time to create the pods (API floor) vs. the time
// until the sim reports them all running.
//
// BENCH_SIM_NODES / BENCH_SIM_PODS scale it down for a quick run.

import https from 'node:https';
import fs from 'node:fs';
import { startSkiff } from '../testing/server-process.js';
import { startSim } from '../kubelet/sim/sim.js';

const NODES = Number(process.env.BENCH_SIM_NODES ?? 10_000);
const PODS = Number(process.env.BENCH_SIM_PODS ?? 100_000);

const progress = (m: string) => process.stderr.write(`[bench:sim] ${m}\n`);
const mib = (b: number) => (b / 1024 / 1024).toFixed(0);

function rssOf(pid: number): number {
  const m = fs.readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmRSS:\s+(\d+) kB/);
  return m ? Number(m[1]) * 1024 : NaN;
}

async function main(): Promise<void> {
  const server = await startSkiff();
  const agent = new https.Agent({ keepAlive: true, maxSockets: 32 });
  const post = (path: string, body: unknown) =>
    new Promise<number>((resolve, reject) => {
      const payload = JSON.stringify(body);
      const req = https.request(new URL(path, server.url), { method: 'POST', agent, ca: server.caCertPem, headers: { Authorization: `Bearer ${server.token}`, 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(payload) } }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      });
      req.on('error', reject);
      req.end(payload);
    });
  const t0 = performance.now();
  const sim = await startSim({
    kubeconfig: server.kubeconfig,
    nodes: NODES,
    onProgress: (done, total) => {
      if (done % 2000 === 0 || done === total) progress(`registered ${done}/${total} nodes`);
    },
  });
  const results: Record<string, string> = {};
  try {
    await sim.ready;
    const readySecs = (performance.now() - t0) / 1000;
    results[`${NODES} nodes registered and Ready (s)`] = readySecs.toFixed(1);
    results['sim RSS with nodes only (MiB)'] = mib(process.memoryUsage().rss);

    progress(`creating ${PODS} pods bound round-robin to the sim nodes (32 clients)`);
    const c0 = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: 32 }, async () => {
        while (next < PODS) {
          const i = next++;
          const code = await post('/api/v1/namespaces/default/pods', {
            apiVersion: 'v1',
            kind: 'Pod',
            metadata: { name: `p-${i}`, labels: { app: 'sim-bench' } },
            spec: { nodeName: sim.nodeNames[i % sim.nodeNames.length], containers: [{ name: 'c', image: 'registry.local/pause:1' }] },
          });
          if (code !== 201) throw new Error(`create failed with ${code}`);
          if (i % 10000 === 0) progress(`created ${i}, running ${sim.stats().podsStarted}`);
        }
      }),
    );
    const createSecs = (performance.now() - c0) / 1000;
    for (;;) {
      const s = sim.stats();
      if (s.podsStarted >= PODS) break;
      if ((performance.now() - c0) / 1000 > 600) throw new Error(`only ${s.podsStarted} pods running after 600 s`);
      await new Promise((r) => setTimeout(r, 500));
    }
    const runningSecs = (performance.now() - c0) / 1000;
    results[`create ${PODS} pods (s) — API floor`] = createSecs.toFixed(1);
    results[`all ${PODS} pods Running (s, from first create)`] = runningSecs.toFixed(1);
    results['ratio running/create'] = (runningSecs / createSecs).toFixed(2);
    (globalThis as { gc?: () => void }).gc?.();
    results['sim RSS with nodes and pods (MiB)'] = mib(process.memoryUsage().rss);
    results['API server RSS (MiB)'] = mib(rssOf(server.proc.pid!));
    const before = sim.stats();
    await new Promise((r) => setTimeout(r, 20_000));
    const after = sim.stats();
    results['lease renewals/s in steady state (ideal nodes/10)'] = `${((after.leaseRenewals - before.leaseRenewals) / 20).toFixed(0)} (${NODES / 10})`;
    results['lease failures in steady state'] = String(after.leaseFailures - before.leaseFailures);
  } finally {
    await sim.stop();
    agent.destroy();
    await server.stop();
  }
  const w = Math.max(...Object.keys(results).map((k) => k.length));
  for (const [k, v] of Object.entries(results)) process.stdout.write(`${k.padEnd(w)}  ${v}\n`);
}

main().catch((e) => {
  process.stderr.write(`bench:sim failed: ${(e as Error).stack ?? e}\n`);
  process.exit(1);
});
