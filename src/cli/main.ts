#!/usr/bin/env node
// The `skiff` command: one binary, components still separable.

import { parseArgs, flag, checkFlags } from './args.js';
import { startControlPlane } from './control-plane.js';
import { SKIFF_VERSION, KUBERNETES_VERSION } from '../version.js';
import { flagList } from './args.js';
import { runScheduler } from './scheduler-command.js';
import { runExplain } from './explain-command.js';
import { AGENT_BOOLEAN_FLAGS, AGENT_FLAGS, nodeFlags, runAgent, startNode, stopOnSignals } from './agent-command.js';
import { runToken } from './token-command.js';
import { RestClient } from '../client/index.js';
import { ensureNodeToken } from '../apiserver/tokens.js';
import { defaultNodeName } from './node-defaults.js';

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

const SERVER_FLAGS = ['data-dir', 'port', 'bind', 'store', 'disable', 'scheduler-config'];

async function runServer(argv: string[], withNode: boolean): Promise<void> {
  const args = parseArgs(argv, AGENT_BOOLEAN_FLAGS);
  checkFlags(args, withNode ? [...SERVER_FLAGS, ...AGENT_FLAGS.filter((f) => !['server', 'token', 'ca-file', 'data-dir'].includes(f))] : SERVER_FLAGS);
  const disabled = flagList(args, 'disable');
  if (disabled.includes('agent')) withNode = false;
  const store = flag(args, 'store', 'sqlite')!;
  if (store !== 'sqlite' && store !== 'etcd') throw new Error(`--store must be sqlite or etcd, not ${store}`);
  const port = Number(flag(args, 'port', '6443'));
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be a port number, not ${flag(args, 'port')}`);
  // The local node's identity goes into the token file before the API server reads it.
  const nodeName = flag(args, 'node-name') ?? defaultNodeName();
  const dataDir = flag(args, 'data-dir', '.skiff')!;
  const nodeToken = withNode ? await ensureNodeToken(dataDir, nodeName) : undefined;
  const cp = await startControlPlane({
    dataDir,
    port,
    bind: flag(args, 'bind', '127.0.0.1')!,
    store,
    disable: disabled.filter((d) => d !== 'agent'),
    schedulerConfig: flag(args, 'scheduler-config'),
  });
  let stopNode: (() => Promise<void>) | undefined;
  if (withNode) {
    // The local node: its own identity, loopback addresses, Skiff's own containerd under <data-dir>/node.
    const f = nodeFlags(args, { dataDir: `${cp.dataDir}/node`, nodeIP: '127.0.0.1', podCIDR: '10.42.0.0/24', bridge: 'skiff0' });
    const client = new RestClient({ server: cp.url, token: nodeToken!, caCertPem: cp.caCertPem }, { component: 'kubelet' });
    try {
      const kubelet = await startNode(f, client, cp.caCertPem);
      stopNode = async () => {
        await kubelet.stop();
        client.close();
      };
      process.stdout.write(`Skiff node ${f.nodeName} ready (kubelet on ${f.nodeIP}:${kubelet.port})\n`);
    } catch (e) {
      client.close();
      await cp.close();
      throw e;
    }
  }
  process.stdout.write(`Skiff API server ready at ${cp.url} — export KUBECONFIG=${cp.kubeconfigPath}\n`);
  stopOnSignals(async () => {
    await stopNode?.();
    await cp.close();
  });
}

async function main(): Promise<void> {
  const [cmd, ...rest] = process.argv.slice(2);
  switch (cmd) {
    case 'server':
      return runServer(rest, false);
    case 'up':
      return runServer(rest, true);
    case 'agent':
      return runAgent(rest);
    case 'token':
      return runToken(rest);
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
