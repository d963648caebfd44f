#!/usr/bin/env node
// The `skiff` command: one binary, components still separable. Each command's
// code is loaded only when that command runs, so `skiff agent` stays small.

import { SKIFF_VERSION, KUBERNETES_VERSION } from '../version.js';

const USAGE = `Usage: skiff <command> [flags]

Commands:
  up         Run the control plane and a local node (the quick start)
  server     Run the control plane (API server + scheduler)
  agent      Join this machine as a node: --server URL --token T [--node-name N]
  token      Make a node's token: skiff token create --node NAME [--data-dir DIR]
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

Flags for up (the local node) and agent:
  --node-name N          node name (default: the host name)
  --node-ip IP           the node's InternalIP (up: 127.0.0.1; agent: the host's first IPv4)
  --pod-cidr CIDR        this node's pod network (up: 10.42.0.0/24)
  --kubelet-port P       kubelet API port (default 10250; 0 picks a free one)
  --containerd-socket S  use this containerd instead of starting Skiff's own
  --disable agent        up without the local node
  --cleanup-on-exit      on shutdown remove every pod, containerd's state and the bridge
                         (by default pods keep running and a restarted node re-adopts them)
`;

async function main(): Promise<void> {
  const [cmd, ...rest] = process.argv.slice(2);
  switch (cmd) {
    case 'server':
      return (await import('./server-command.js')).runServer(rest, false);
    case 'up':
      return (await import('./server-command.js')).runServer(rest, true);
    case 'agent':
      return (await import('./agent-command.js')).runAgent(rest);
    case 'token':
      return (await import('./token-command.js')).runToken(rest);
    case 'scheduler':
      return (await import('./scheduler-command.js')).runScheduler(rest);
    case 'explain':
      return (await import('./explain-command.js')).runExplain(rest);
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
