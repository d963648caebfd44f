// ConfigMaps, Secrets, Services and the Node as the kubelet's parts read them.
// A missing object fails with the text the kubelet's object caches use
// (`configmap "x" not found`, singular), which ends up in events and
// container waiting messages.

import { resources, type ResourceDef } from '../../api/resources.js';
import { isNotFound, type KubeObject, type RestClient } from '../../client/index.js';

function def(plural: string): ResourceDef {
  const d = resources.find((r) => r.group === '' && r.plural === plural);
  if (!d) throw new Error(`resource ${plural} is not registered`);
  return d;
}
const configMapsDef = def('configmaps');
const secretsDef = def('secrets');
const servicesDef = def('services');
const nodesDef = def('nodes');

/** The object does not exist (the `optional` flag decides whether that is an error). */
export class ObjectNotFoundError extends Error {
  constructor(kind: 'configmap' | 'secret', name: string) {
    super(`${kind} "${name}" not found`);
    this.name = 'ObjectNotFoundError';
  }
}

async function getOrNotFound(client: RestClient, d: ResourceDef, kind: 'configmap' | 'secret', ns: string, name: string): Promise<KubeObject> {
  try {
    return await client.get(d, ns, name);
  } catch (e) {
    if (isNotFound(e)) throw new ObjectNotFoundError(kind, name);
    throw e;
  }
}

export function getConfigMap(client: RestClient, ns: string, name: string): Promise<KubeObject> {
  return getOrNotFound(client, configMapsDef, 'configmap', ns, name);
}

export function getSecret(client: RestClient, ns: string, name: string): Promise<KubeObject> {
  return getOrNotFound(client, secretsDef, 'secret', ns, name);
}

/** A ConfigMap's keys with their bytes: data as UTF-8, binaryData decoded from base64. */
export function configMapBytes(cm: KubeObject): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  for (const [k, v] of Object.entries<string>(cm.data ?? {})) out.set(k, Buffer.from(v, 'utf8'));
  for (const [k, v] of Object.entries<string>(cm.binaryData ?? {})) out.set(k, Buffer.from(v, 'base64'));
  return out;
}

/** A Secret's keys with their decoded bytes (the API sends data as base64). */
export function secretBytes(secret: KubeObject): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  for (const [k, v] of Object.entries<string>(secret.data ?? {})) out.set(k, Buffer.from(v, 'base64'));
  return out;
}

export async function listServices(client: RestClient, ns: string): Promise<KubeObject[]> {
  return (await client.list(servicesDef, ns)).items;
}

/** default/kubernetes, or undefined when it does not exist. */
export async function getMasterService(client: RestClient): Promise<KubeObject | undefined> {
  try {
    return await client.get(servicesDef, 'default', 'kubernetes');
  } catch (e) {
    if (isNotFound(e)) return undefined;
    throw e;
  }
}

export async function getNodeAllocatable(client: RestClient, nodeName: string): Promise<Record<string, string>> {
  const node = await client.get(nodesDef, undefined, nodeName);
  return node.status?.allocatable ?? {};
}
