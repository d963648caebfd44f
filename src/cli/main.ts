#!/usr/bin/env node
// The `skiff` command: one binary, components still separable.

import { parseArgs, flag, checkFlags } from './args.js';
import { startControlPlane } from './control-plane.js';
import { SKIFF_VERSION, KUBERNETES_VERSION } from '../version.js';
import { flagList } from './args.js';
import { runScheduler } from './scheduler-command.js';
import { runExplain } from './explain-command.js';

const USAGE = `Usage: skiff <command> [flags]

Commands:
  up         Run the control plane and (in later releases) a local node
  server     Run the control plane (API server + scheduler)
  scheduler  Run the scheduler alone (--kubeconfig F [--config C])
  sim        Register simulated nodes that run pods without containers
  explain    Explain a scheduling decision: skiff explain pod NAME [-n NS]
  version    Print versions

Flags for up/server:
  --data-dir DIR     where state, certificates and the kubeconfig live (default ./.skiff)
  --port N           HTTPS port (default 6443; 0 picks a free one)
  --bind ADDR        listen address (default 127.0.0.1)
  --store sqlite     storage backend (sqlite; etcd comes later)
  --disable C        leave a component out (scheduler)
  --scheduler-config F   the scheduler's KubeSchedulerConfiguration file
`;

async function runServer(argv: string[]): Promise<void> {
  const args = parseArgs(argv);
  checkFlags(args, ['data-dir', 'port', 'bind', 'store', 'disable', 'scheduler-config']);
  const store = flag(args, 'store', 'sqlite')!;
  if (store !== 'sqlite' && store !== 'etcd') throw new Error(`--store must be sqlite or etcd, not ${store}`);
  const port = Number(flag(args, 'port', '6443'));
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be a port number, not ${flag(args, 'port')}`);
  const cp = await startControlPlane({
    dataDir: flag(args, 'data-dir', '.skiff')!,
    port,
    bind: flag(args, 'bind', '127.0.0.1')!,
    store,
    disable: flagList(args, 'disable'),
    schedulerConfig: flag(args, 'scheduler-config'),
  });
  process.stdout.write(`Skiff API server ready at ${cp.url} — export KUBECONFIG=${cp.kubeconfigPath}\n`);
  let stopping = false;
  const stop = async (sig: string) => {
    if (stopping) return;
    stopping = true;
    process.stderr.write(`skiff: ${sig} received, shutting down\n`);
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    await cp.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

async function main(): Promise<void> {
  const [cmd, ...rest] = process.argv.slice(2);
  switch (cmd) {
    case 'server':
    case 'up':
      return runServer(rest);
    case 'scheduler':
      return runScheduler(rest);
    case 'explain':
      return runExplain(rest);
    case 'sim': {
      const { runSim } = await import('./sim-command.js');
      return runSim(rest);
    }
    case 'version':
    case '--version':
      process.stdout.write(`skiff ${SKIFF_VERSION}\nkubernetes API ${KUBERNETES_VERSION}\nnode ${process.version}\n`);
      return;
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      process.stdout.write(USAGE);
      return;
    default:
      process.stderr.write(`skiff: unknown command "${cmd}"\n\n${USAGE}`);
      process.exit(2);
  }
}

main().catch((e) => {
  process.stderr.write(`skiff: ${(e as Error).message}\n`);
  process.exit(1);
});
