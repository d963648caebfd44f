// `skiff agent`: joins this machine to a cluster as a node.
//   skiff agent --server URL --token T [--node-name N] [--data-dir D] [--containerd-socket S]
//               [--node-ip IP] [--pod-cidr CIDR] [--kubelet-port P] [--ca-file F]

import fs from 'node:fs';
import https from 'node:https';
import { parseArgs, flag, checkFlags } from './args.js';
import { RestClient } from '../client/index.js';
import { startKubelet, type Kubelet } from '../kubelet/kubelet.js';
import { ensureHostPackages } from './host-packages.js';
import { defaultBridge, defaultNodeName, defaultPodCIDR } from './node-defaults.js';
import { firstHostIPv4 } from '../kubelet/node/host-info.js';
import { log } from '../log.js';

export const AGENT_FLAGS = ['server', 'token', 'node-name', 'data-dir', 'containerd-socket', 'node-ip', 'pod-cidr', 'kubelet-port', 'ca-file', 'bridge', 'cleanup-on-exit'] as const;
/** Flags that take no value. */
export const AGENT_BOOLEAN_FLAGS: ReadonlySet<string> = new Set(['cleanup-on-exit']);

export interface NodeFlags {
  nodeName: string;
  dataDir: string;
  containerdSocket?: string;
  nodeIP: string;
  podCIDR: string;
  bridge: string;
  kubeletPort: number;
  cleanupOnExit: boolean;
}

export function nodeFlags(args: ReturnType<typeof parseArgs>, defaults: { dataDir: string; nodeIP?: string; podCIDR?: string; bridge?: string; kubeletPort?: number }): NodeFlags {
  const nodeName = flag(args, 'node-name') ?? defaultNodeName();
  const nodeIP = flag(args, 'node-ip') ?? defaults.nodeIP ?? firstHostIPv4();
  if (!nodeIP) throw new Error('could not find an IPv4 address for this node; pass --node-ip');
  const kubeletPort = Number(flag(args, 'kubelet-port', String(defaults.kubeletPort ?? 10250)));
  if (!Number.isInteger(kubeletPort) || kubeletPort < 0 || kubeletPort > 65535) throw new Error(`--kubelet-port must be a port number, not ${flag(args, 'kubelet-port')}`);
  return {
    nodeName,
    dataDir: flag(args, 'data-dir') ?? defaults.dataDir,
    containerdSocket: flag(args, 'containerd-socket'),
    nodeIP,
    podCIDR: flag(args, 'pod-cidr') ?? defaults.podCIDR ?? defaultPodCIDR(nodeName),
    bridge: flag(args, 'bridge') ?? defaults.bridge ?? defaultBridge(nodeName),
    kubeletPort,
    cleanupOnExit: flag(args, 'cleanup-on-exit') === 'true',
  };
}

/** Starts the node agent, installing missing system packages first when we run our own containerd. */
export async function startNode(f: NodeFlags, client: RestClient, clusterCaPem: string): Promise<Kubelet> {
  if (!f.containerdSocket) {
    ensureHostPackages(undefined, (l) => process.stderr.write(`skiff: ${l}\n`));
    // containerd, runc cgroups and CNI bridges all need root.
    if (process.getuid?.() !== 0) {
      throw new Error('a node runs its own containerd and pod network, which needs root: run as root, pass --containerd-socket of a containerd you run, or start without a node (skiff up --disable agent)');
    }
  }
  return startKubelet({
    nodeName: f.nodeName,
    dataDir: f.dataDir,
    client,
    clusterCaPem,
    containerdSocket: f.containerdSocket,
    nodeIP: f.nodeIP,
    podCIDR: f.podCIDR,
    bridge: f.bridge,
    port: f.kubeletPort,
    cleanupOnExit: f.cleanupOnExit,
  });
}

/** The cluster CA from the server's public /cacerts (trust on first use, like k3s without a CA hash). */
async function fetchClusterCa(server: string): Promise<string> {
  const url = new URL('/cacerts', server);
  return new Promise((resolve, reject) => {
    https
      .get(url, { rejectUnauthorized: false }, (res) => {
        let body = '';
        res.on('data', (d) => (body += d));
        res.on('end', () => (res.statusCode === 200 && body.includes('BEGIN CERTIFICATE') ? resolve(body) : reject(new Error(`GET ${url}: HTTP ${res.statusCode}`))));
      })
      .on('error', reject);
  });
}

export async function runAgent(argv: string[]): Promise<void> {
  const args = parseArgs(argv, AGENT_BOOLEAN_FLAGS);
  checkFlags(args, AGENT_FLAGS);
  const server = flag(args, 'server');
  const token = flag(args, 'token') ?? process.env.SKIFF_TOKEN;
  if (!server || !token) throw new Error('skiff agent needs --server URL and --token T (a node token from `skiff token create --node NAME` on the server)');
  const f = nodeFlags(args, { dataDir: '.skiff-agent' });
  const caFile = flag(args, 'ca-file');
  let caCertPem: string;
  if (caFile) caCertPem = fs.readFileSync(caFile, 'utf8');
  else {
    caCertPem = await fetchClusterCa(server);
    log.warn('agent: trusting the cluster CA fetched from the server; pass --ca-file to pin it', { server });
  }
  const client = new RestClient({ server, token, caCertPem }, { component: 'kubelet' });
  const kubelet = await startNode(f, client, caCertPem);
  process.stdout.write(`Skiff node ${f.nodeName} ready (kubelet on ${f.nodeIP}:${kubelet.port})\n`);
  stopOnSignals(async () => {
    await kubelet.stop();
    client.close();
  });
}

export function stopOnSignals(stop: () => Promise<void>): void {
  let stopping = false;
  const handler = async (sig: string) => {
    if (stopping) return;
    stopping = true;
    process.stderr.write(`skiff: ${sig} received, shutting down\n`);
    // Generous: the node's shutdown steps are bounded (containerd gets up to 20 s) and must finish.
    const force = setTimeout(() => process.exit(1), 60_000);
    force.unref();
    try {
      await stop();
    } finally {
      process.exit(0);
    }
  };
  process.on('SIGINT', () => void handler('SIGINT'));
  process.on('SIGTERM', () => void handler('SIGTERM'));
}
