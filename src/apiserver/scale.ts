// The scale subresource (autoscaling/v1 Scale) of deployments and replicasets.

import type { ResourceStorage, WriteContext } from './registry.js';
import { errors } from './status.js';
import { decodeObject } from './body.js';
import { compileLabelSelector, formatRequirements } from '../api/labels.js';
import { applyJsonPatch, applyMergePatch, PatchError } from '../api/patch/index.js';

export function scaleOf(obj: any): unknown {
  const m = obj.metadata;
  let selector = '';
  try {
    const reqs = compileLabelSelector(obj.spec?.selector);
    selector = reqs ? formatRequirements(reqs) : '';
  } catch {
    selector = '';
  }
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: { name: m.name, namespace: m.namespace, uid: m.uid, resourceVersion: m.resourceVersion, creationTimestamp: m.creationTimestamp },
    spec: { replicas: obj.spec?.replicas ?? 0 },
    status: { replicas: obj.status?.replicas ?? 0, selector },
  };
}

export async function applyScale(
  storage: ResourceStorage,
  namespace: string | undefined,
  name: string,
  method: string,
  body: Buffer,
  contentType: string | undefined,
  ctx: WriteContext,
): Promise<any> {
  const { obj } = await storage.guaranteedUpdate(namespace, name, ctx, (current) => {
    const scale: any = scaleOf(current);
    let next: any;
    if (method === 'PUT') {
      next = decodeObject(body, contentType, { kind: 'Scale', apiVersion: 'autoscaling/v1' }).obj;
    } else {
      let patch: any;
      try {
        patch = JSON.parse(body.toString('utf8'));
      } catch (e) {
        throw errors.badRequest(`error decoding patch: ${(e as Error).message}`);
      }
      try {
        next = contentType === 'application/json-patch+json' ? applyJsonPatch(scale, patch) : applyMergePatch(scale, patch);
      } catch (e) {
        if (e instanceof PatchError) throw errors.badRequest(e.message);
        throw e;
      }
    }
    const replicas = next?.spec?.replicas;
    if (replicas !== undefined && (!Number.isInteger(replicas) || replicas < 0)) {
      throw errors.invalid('Scale', 'autoscaling', name, [
        { reason: 'FieldValueInvalid', field: 'spec.replicas', message: `Invalid value: ${replicas}: must be greater than or equal to 0` },
      ]);
    }
    const rv = next?.metadata?.resourceVersion;
    if (rv && rv !== current.metadata.resourceVersion) throw errors.modified(storage.gr, name);
    current.spec = { ...(current.spec ?? {}), replicas: replicas ?? 0 };
    delete current.metadata.resourceVersion;
    return current;
  });
  return obj;
}
