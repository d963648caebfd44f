// Starts the control plane (API server over the chosen store) from a data dir:
// certificates, tokens and the admin kubeconfig are created on first start.

import { installNodeProxy } from '../apiserver/node-proxy.js';
import { forbiddenMessage, nodeIdentity } from '../apiserver/node-authorizer.js';
import fs from 'node:fs';
import path from 'node:path';
import { ApiServer } from '../apiserver/server.js';
import { ensureServingCerts } from '../apiserver/tls.js';
import { ensureAdminToken, loadTokenFile, matchToken } from '../apiserver/tokens.js';
import { writeKubeconfig } from './kubeconfig.js';
import { SqliteStore } from '../storage/sqlite-store.js';
import type { Store } from '../storage/store.js';
import { ensureComponentToken, writeComponentKubeconfig } from './component-credentials.js';
import { RestClient } from '../client/index.js';
import { Scheduler } from '../scheduler/scheduler.js';
import { loadSchedulerConfig } from '../scheduler/config.js';

export interface ControlPlaneOptions {
  dataDir: string;
  port: number;
  bind: string;
  store: 'sqlite' | 'etcd';
  /** Components left out (k3s-style --disable): 'scheduler'. */
  disable?: string[];
  schedulerConfig?: string;
}

export interface ControlPlane {
  api: ApiServer;
  store: Store;
  port: number;
  url: string;
  /** Absolute data dir. */
  dataDir: string;
  kubeconfigPath: string;
  adminToken: string;
  caCertPem: string;
  scheduler?: Scheduler;
  close(): Promise<void>;
}

export async function startControlPlane(o: ControlPlaneOptions): Promise<ControlPlane> {
  const dataDir = path.resolve(o.dataDir);
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  if (o.store !== 'sqlite') throw new Error(`--store ${o.store} is not available yet (only sqlite)`);
  const clientHost = o.bind === '0.0.0.0' || o.bind === '::' ? '127.0.0.1' : o.bind;
  const certs = await ensureServingCerts(dataDir, { hosts: [clientHost] });
  const adminToken = await ensureAdminToken(dataDir);
  const disabled = new Set(o.disable ?? []);
  for (const d of disabled) if (d !== 'scheduler') throw new Error(`--disable: unknown component "${d}" (known: scheduler)`);
  const schedulerToken = disabled.has('scheduler') ? undefined : ensureComponentToken(dataDir, 'system:kube-scheduler');
  const tokensPath = path.join(dataDir, 'tokens.csv');
  let tokens = loadTokenFile(tokensPath);
  // Re-read the token file when it changes, so joined nodes need no restart.
  fs.watchFile(tokensPath, { interval: 1000 }, () => {
    try {
      tokens = loadTokenFile(tokensPath);
    } catch {
      // keep the previous set
    }
  });
  const store = SqliteStore.open(path.join(dataDir, 'state.db'));
  const hostForUrl = clientHost.includes(':') ? `[${clientHost}]` : clientHost;
  let advertise = `${hostForUrl}:${o.port}`;
  const api = new ApiServer({
    store,
    tls: { cert: certs.certPem, key: certs.keyPem },
    caCertPem: certs.caCertPem,
    authenticate: (token) => {
      const id = matchToken(tokens, token);
      return id ? { name: id.user, groups: id.groups } : undefined;
    },
    get advertiseAddress() {
      return advertise;
    },
  });
  const port = await api.listen(o.port, o.bind);
  // pods/log, exec and attach go to the pod's kubelet; nodes themselves may not exec into pods.
  await installNodeProxy(api, {
    dataDir,
    authorize: (user, a) =>
      nodeIdentity(user) === undefined
        ? undefined
        : forbiddenMessage({ user: user.name, verb: a.verb, group: '', resource: 'pods', subresource: a.subresource, namespace: a.namespace }),
  });
  advertise = `${hostForUrl}:${port}`;
  await api.start();
  const url = `https://${hostForUrl}:${port}`;
  const kubeconfigPath = path.join(dataDir, 'kubeconfig.yaml');
  await writeKubeconfig(kubeconfigPath, { server: url, caCertPem: certs.caCertPem, token: adminToken });
  let scheduler: Scheduler | undefined;
  if (schedulerToken) {
    const kc = writeComponentKubeconfig(dataDir, 'scheduler', url, certs.caCertPem, schedulerToken);
    scheduler = new Scheduler({ client: new RestClient({ kubeconfig: kc }, { component: 'scheduler' }), config: loadSchedulerConfig(o.schedulerConfig) });
    await scheduler.start();
  }
  return {
    scheduler,
    api,
    store,
    port,
    url,
    dataDir,
    kubeconfigPath,
    adminToken,
    caCertPem: certs.caCertPem,
    async close() {
      await scheduler?.stop();
      fs.unwatchFile(tokensPath);
      await api.close();
      await store.close();
    },
  };
}
