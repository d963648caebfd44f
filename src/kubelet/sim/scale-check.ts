// Scale check (not a test): registers 10 000 simulated nodes against a fresh
// `skiff server`, and reports how long until all are Ready, how well their
// heartbeats keep up, and this (the sim) process's memory.
//
//   node --expose-gc --import tsx src/kubelet/sim/scale-check.ts [--nodes 10000] [--observe-seconds 30]
// (--expose-gc is optional: with it, memory is measured after a full GC.)

import { parseArgs, flag } from '../../cli/args.js';
import { RestClient } from '../../client/index.js';
import { startSkiff } from '../../testing/server-process.js';
import { nodesDef, leasesDef } from './node-agent.js';
import { startSim } from './sim.js';

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MiB`;

async function countReady(client: RestClient): Promise<{ total: number; ready: number }> {
  const list = await client.listAll(nodesDef, undefined, { labelSelector: 'type=skiff-sim' });
  const ready = list.items.filter((n) => n.status?.conditions?.some((c: any) => c.type === 'Ready' && c.status === 'True')).length;
  return { total: list.items.length, ready };
}

/** How many leases were renewed within the last `seconds`. */
async function freshLeases(client: RestClient, seconds: number): Promise<number> {
  const list = await client.listAll(leasesDef, 'kube-node-lease');
  const since = Date.now() - seconds * 1000;
  return list.items.filter((l) => Date.parse(l.spec?.renewTime ?? '') >= since).length;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const nodes = Number(flag(args, 'nodes', '10000'));
  const observeSeconds = Number(flag(args, 'observe-seconds', '30'));
  const server = await startSkiff();
  const rssBefore = process.memoryUsage().rss;
  const started = performance.now();
  const sim = await startSim({
    kubeconfig: server.kubeconfig,
    nodes,
    onProgress: (done, total) => {
      if (done % 1000 === 0 || done === total) {
        const secs = (performance.now() - started) / 1000;
        process.stderr.write(`registered ${done}/${total} in ${secs.toFixed(1)}s\n`);
      }
    },
  });
  const check = new RestClient({ kubeconfig: server.kubeconfig }, { component: 'scale-check' });
  try {
    await sim.ready;
    const registeredSecs = (performance.now() - started) / 1000;
    // Measured before this script's own LIST of every node inflates the heap.
    (globalThis as { gc?: () => void }).gc?.();
    const mem = process.memoryUsage();
    const counted = await countReady(check);
    const readySecs = (performance.now() - started) / 1000;
    console.log(`nodes: ${counted.total} listed, ${counted.ready} Ready`);
    console.log(`registered all ${nodes} in ${registeredSecs.toFixed(1)}s; all Ready confirmed by LIST at ${readySecs.toFixed(1)}s`);
    console.log(`sim RSS: ${mb(mem.rss)} when ready, heap used ${mb(mem.heapUsed)} (RSS ${mb(rssBefore)} before start)`);

    const cpu0 = process.cpuUsage();
    const s0 = sim.stats();
    const t0 = performance.now();
    await new Promise((r) => setTimeout(r, observeSeconds * 1000));
    const elapsed = (performance.now() - t0) / 1000;
    const s1 = sim.stats();
    const cpu = process.cpuUsage(cpu0);
    const renewals = s1.leaseRenewals - s0.leaseRenewals;
    console.log(
      `steady state over ${elapsed.toFixed(0)}s: ${(renewals / elapsed).toFixed(0)} lease renewals/s ` +
        `(ideal ${(nodes / 10).toFixed(0)}/s), ${s1.leaseFailures - s0.leaseFailures} failures, ` +
        `${s1.statusUpdates - s0.statusUpdates} node status updates, peak in flight ${s1.peakInFlight}, queued now ${s1.queued}`,
    );
    console.log(`sim CPU: ${(((cpu.user + cpu.system) / 1e6 / elapsed) * 100).toFixed(0)}% of one core`);
    console.log(`leases renewed within the last 15s: ${await freshLeases(check, 15)}/${nodes}`);
    (globalThis as { gc?: () => void }).gc?.();
    const end = process.memoryUsage();
    console.log(`sim RSS after steady state: ${mb(end.rss)}, heap used ${mb(end.heapUsed)} (includes this script's LIST results)`);
  } finally {
    await sim.stop();
    check.close();
    await server.stop();
  }
}

main().catch((e) => {
  process.stderr.write(`scale-check: ${(e as Error).stack ?? e}\n`);
  process.exit(1);
});
