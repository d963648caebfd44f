// `skiff sim --kubeconfig F --nodes N [...]`: simulated nodes that run pods
// without containers. Progress goes to stderr, one line when all nodes are up
// goes to stdout; SIGINT/SIGTERM stop it and leave the nodes in place.

import { checkFlags, flag, flagList, parseArgs, type ParsedArgs } from './args.js';
import {
  MAX_NODES,
  parseImages,
  parseIntFlag,
  parseLabels,
  parseQuantityFlag,
  parseSecondsFlag,
  parseTaints,
} from '../kubelet/sim/options.js';
import { startSim, type SimOptions } from '../kubelet/sim/sim.js';

const FLAGS = [
  'kubeconfig',
  'nodes',
  'name-prefix',
  'cpu',
  'memory',
  'pods',
  'labels',
  'taints',
  'zones',
  'images',
  'fail-node',
  'heartbeat-seconds',
  'node-status-seconds',
  'max-in-flight',
  'qps',
] as const;

/** Every 1000 nodes, and the last one. */
const PROGRESS_EVERY = 1000;

/** Flags → SimOptions (no client yet). Throws with a message naming the bad flag. */
export function simOptionsFromArgs(args: ParsedArgs): SimOptions & { kubeconfig: string } {
  checkFlags(args, FLAGS);
  if (args.positionals.length) throw new Error(`skiff sim takes no arguments, got "${args.positionals.join(' ')}"`);
  const kubeconfig = flag(args, 'kubeconfig', process.env.KUBECONFIG);
  if (!kubeconfig) throw new Error('skiff sim needs --kubeconfig (or KUBECONFIG)');
  const nodesText = flag(args, 'nodes');
  if (nodesText === undefined) throw new Error('skiff sim needs --nodes N');
  const opt = (name: string) => flag(args, name);
  const prefix = opt('name-prefix');
  return {
    kubeconfig,
    nodes: parseIntFlag('nodes', nodesText, 1, MAX_NODES),
    ...(prefix !== undefined ? { namePrefix: prefix } : {}),
    ...(opt('cpu') !== undefined ? { cpu: parseQuantityFlag('cpu', opt('cpu')!) } : {}),
    ...(opt('memory') !== undefined ? { memory: parseQuantityFlag('memory', opt('memory')!) } : {}),
    ...(opt('pods') !== undefined ? { pods: parseIntFlag('pods', opt('pods')!, 1, 100_000) } : {}),
    labels: parseLabels(flagList(args, 'labels')),
    taints: parseTaints(flagList(args, 'taints')),
    zones: flagList(args, 'zones'),
    images: parseImages(flagList(args, 'images')),
    failNodes: flagList(args, 'fail-node'),
    ...(opt('heartbeat-seconds') !== undefined ? { heartbeatSeconds: parseSecondsFlag('heartbeat-seconds', opt('heartbeat-seconds')!) } : {}),
    ...(opt('node-status-seconds') !== undefined ? { nodeStatusReportSeconds: parseSecondsFlag('node-status-seconds', opt('node-status-seconds')!) } : {}),
    ...(opt('max-in-flight') !== undefined ? { maxInFlight: parseIntFlag('max-in-flight', opt('max-in-flight')!, 1, 10_000) } : {}),
    ...(opt('qps') !== undefined ? { qps: parseIntFlag('qps', opt('qps')!, 1, 1_000_000) } : {}),
  };
}

export async function runSim(argv: string[]): Promise<void> {
  const options = simOptionsFromArgs(parseArgs(argv));
  const started = Date.now();
  const sim = await startSim({
    ...options,
    onProgress: (done, total) => {
      if (done % PROGRESS_EVERY === 0 || done === total) process.stderr.write(`skiff sim: registered ${done}/${total} nodes\n`);
    },
  });
  let stopping = false;
  const stop = async (sig: string) => {
    if (stopping) return;
    stopping = true;
    process.stderr.write(`skiff sim: ${sig} received, stopping (nodes stay registered)\n`);
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    await sim.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
  try {
    await sim.ready;
  } catch (e) {
    if (stopping) return;
    await sim.stop();
    throw e;
  }
  const first = sim.nodeNames[0];
  const last = sim.nodeNames[sim.nodeNames.length - 1];
  const secs = ((Date.now() - started) / 1000).toFixed(1);
  process.stdout.write(`Skiff sim running ${sim.nodeNames.length} nodes (${first} … ${last}), registered in ${secs}s\n`);
}
