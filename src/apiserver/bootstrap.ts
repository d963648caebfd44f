// What a fresh cluster has: the four system namespaces and the `kubernetes`
// service pointing at the API server.

import type { ApiServer } from './server.js';
import { ServiceStrategy } from './service-strategy.js';
import { log } from '../log.js';

export const SYSTEM_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

const ctx = () => ({ user: 'system:apiserver', fieldManager: 'kube-apiserver', dryRun: false, now: new Date() });

async function ensure(api: ApiServer, group: string, plural: string, namespace: string | undefined, obj: any): Promise<void> {
  const storage = api.storageFor(group, plural);
  if (storage.peek(namespace, obj.metadata.name)) return;
  try {
    await storage.create(namespace, obj, ctx());
  } catch (e) {
    if ((e as { code?: number }).code !== 409) throw e;
  }
}

export async function bootstrap(api: ApiServer, advertiseAddress?: string): Promise<void> {
  for (const name of SYSTEM_NAMESPACES) {
    await ensure(api, '', 'namespaces', undefined, { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels: { 'kubernetes.io/metadata.name': name } } });
  }
  for (const [name, value] of [
    ['system-node-critical', 2000001000],
    ['system-cluster-critical', 2000000000],
  ] as const) {
    await ensure(api, 'scheduling.k8s.io', 'priorityclasses', undefined, {
      apiVersion: 'scheduling.k8s.io/v1',
      kind: 'PriorityClass',
      metadata: { name },
      value,
      description: `Used for ${name === 'system-node-critical' ? 'system critical pods that must not be moved from their current node' : 'system critical pods that must run in the cluster, but can be moved to another node if necessary'}.`,
    });
  }
  const services = api.storageFor('', 'services');
  for (const svc of services.cache.values()) ServiceStrategy.allocator.observe(svc);
  await ensure(api, '', 'services', 'default', {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'kubernetes', namespace: 'default', labels: { component: 'apiserver', provider: 'kubernetes' } },
    spec: { type: 'ClusterIP', clusterIP: '10.96.0.1', ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: 6443 }], sessionAffinity: 'None' },
  });
  // Endpoints may not point at loopback (Kubernetes validation); a loopback-bound server publishes none.
  const [host, port] = advertiseAddress ? splitHostPort(advertiseAddress) : ['', 0];
  if (host && !isLoopback(host)) {
    const endpoints = api.storageFor('', 'endpoints');
    const want = {
      apiVersion: 'v1',
      kind: 'Endpoints',
      metadata: { name: 'kubernetes', namespace: 'default', labels: { 'endpointslice.kubernetes.io/skip-mirror': 'true' } },
      subsets: [{ addresses: [{ ip: host }], ports: [{ name: 'https', port, protocol: 'TCP' }] }],
    };
    const cur = endpoints.peek('default', 'kubernetes');
    try {
      if (!cur) await ensure(api, '', 'endpoints', 'default', want);
      else if (JSON.stringify(cur.subsets) !== JSON.stringify(want.subsets)) {
        await endpoints.update('default', 'kubernetes', { ...want, metadata: { ...want.metadata } }, ctx());
      }
    } catch (e) {
      // Like kube-apiserver's endpoint reconciler: a rejected address (e.g. loopback) is logged, not fatal.
      if ((e as { code?: number }).code !== 422) throw e;
      log.warn('Unable to reconcile the kubernetes service endpoints', { error: (e as Error).message });
    }
  }
}

function isLoopback(host: string): boolean {
  return host.startsWith('127.') || host === '::1' || host === 'localhost';
}

function splitHostPort(addr: string): [string, number] {
  const i = addr.lastIndexOf(':');
  return [addr.slice(0, i).replace(/^\[|\]$/g, ''), Number(addr.slice(i + 1))];
}
