// `skiff up` / `skiff server`: the control plane, and for `up` a local node.

import { parseArgs, flag, checkFlags, flagList } from './args.js';
import { startControlPlane } from './control-plane.js';
import { AGENT_BOOLEAN_FLAGS, AGENT_FLAGS, nodeFlags, startNode, stopOnSignals } from './agent-command.js';
import { RestClient } from '../client/index.js';
import { ensureNodeToken } from '../apiserver/tokens.js';
import { defaultNodeName } from './node-defaults.js';

const SERVER_FLAGS = ['data-dir', 'port', 'bind', 'store', 'disable', 'scheduler-config'];

export async function runServer(argv: string[], withNode: boolean): Promise<void> {
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

