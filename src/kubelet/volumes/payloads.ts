// The files of configMap, secret, downwardAPI and projected volumes, as maps
// path → {data, mode} for the AtomicWriter (the kubelet's MakePayload and
// CollectData). Errors carry the kubelet's text.

import type { KubeObject, RestClient } from '../../client/index.js';
import { ObjectNotFoundError, configMapBytes, getConfigMap, getSecret, secretBytes } from '../env/api-objects.js';
import { metadataFieldValue } from '../env/field-ref.js';
import { containerResourceValue } from '../env/resource-ref.js';
import type { FileProjection } from './atomic-writer.js';

export type Payload = Map<string, FileProjection>;

/** What payload builders need besides the volume source. */
export interface PayloadContext {
  client: RestClient;
  pod: KubeObject;
  /** The node's allocatable, read on first use (resourceFieldRef without a limit). */
  allocatable(): Promise<Record<string, string>>;
}

export const DEFAULT_MODE = 0o644;

/** Several errors read `[a, b]`, one reads as itself (utilerrors.NewAggregate). */
export function aggregateMessage(errors: Error[]): string {
  const msgs = [...new Set(errors.map((e) => e.message))];
  return msgs.length === 1 ? msgs[0] : `[${msgs.join(', ')}]`;
}

function normalizePath(p: string): string {
  return p.split('/').filter((s) => s !== '' && s !== '.').join('/');
}

/** Keys of an object (or the given items) as files; `what` names the missing-key error. */
function keysPayload(
  keys: Map<string, Buffer>,
  items: any[] | undefined,
  defaultMode: number,
  optional: boolean,
  missingKey: (key: string) => string,
): Payload {
  const out: Payload = new Map();
  if (!items || items.length === 0) {
    for (const [k, data] of keys) out.set(k, { data, mode: defaultMode });
    return out;
  }
  for (const item of items) {
    const data = keys.get(item.key);
    if (!data) {
      if (optional) continue;
      throw new Error(missingKey(item.key));
    }
    out.set(normalizePath(item.path), { data, mode: item.mode ?? defaultMode });
  }
  return out;
}

async function objectKeys(kind: 'configmap' | 'secret', ctx: PayloadContext, name: string, optional: boolean): Promise<Map<string, Buffer>> {
  const ns = ctx.pod.metadata.namespace ?? 'default';
  try {
    return kind === 'configmap' ? configMapBytes(await getConfigMap(ctx.client, ns, name)) : secretBytes(await getSecret(ctx.client, ns, name));
  } catch (e) {
    if (e instanceof ObjectNotFoundError && optional) return new Map();
    throw e;
  }
}

/** configMap volume source {name, items, defaultMode, optional}; projected sources pass the volume's defaultMode. */
export async function configMapPayload(source: any, ctx: PayloadContext, defaultMode = source.defaultMode ?? DEFAULT_MODE): Promise<Payload> {
  const optional = source.optional === true;
  const keys = await objectKeys('configmap', ctx, source.name, optional);
  return keysPayload(keys, source.items, defaultMode, optional, (k) => `configmap references non-existent config key: ${k}`);
}

/** secret volume source {secretName, items, defaultMode, optional} (projected: {name, …}). */
export async function secretPayload(source: any, ctx: PayloadContext, defaultMode = source.defaultMode ?? DEFAULT_MODE): Promise<Payload> {
  const optional = source.optional === true;
  const keys = await objectKeys('secret', ctx, source.secretName ?? source.name, optional);
  return keysPayload(keys, source.items, defaultMode, optional, (k) => `references non-existent secret key: ${k}`);
}

/** downwardAPI items: fieldRef (metadata only) or resourceFieldRef (containerName required). */
export async function downwardApiPayload(source: any, ctx: PayloadContext, defaultMode = source.defaultMode ?? DEFAULT_MODE): Promise<Payload> {
  const out: Payload = new Map();
  const errors: Error[] = [];
  for (const item of source.items ?? []) {
    let value = '';
    try {
      if (item.fieldRef) value = metadataFieldValue(ctx.pod, item.fieldRef.fieldPath);
      else if (item.resourceFieldRef) value = containerResourceValue(item.resourceFieldRef, ctx.pod, undefined, await ctx.allocatable());
    } catch (e) {
      errors.push(e as Error);
    }
    out.set(normalizePath(item.path), { data: Buffer.from(value, 'utf8'), mode: item.mode ?? defaultMode });
  }
  if (errors.length > 0) throw new Error(aggregateMessage(errors));
  return out;
}

/**
 * projected sources merged into one folder. serviceAccountToken sources are
 * skipped: there is no TokenRequest API to issue the token from.
 */
export async function projectedPayload(source: any, ctx: PayloadContext): Promise<Payload> {
  const defaultMode = source.defaultMode ?? DEFAULT_MODE;
  const out: Payload = new Map();
  const errors: Error[] = [];
  for (const s of source.sources ?? []) {
    try {
      let part: Payload | undefined;
      if (s.configMap) part = await configMapPayload(s.configMap, ctx, defaultMode);
      else if (s.secret) part = await secretPayload(s.secret, ctx, defaultMode);
      else if (s.downwardAPI) part = await downwardApiPayload(s.downwardAPI, ctx, defaultMode);
      for (const [k, v] of part ?? []) out.set(k, v);
    } catch (e) {
      errors.push(e as Error);
    }
  }
  if (errors.length > 0) throw new Error(aggregateMessage(errors));
  return out;
}
