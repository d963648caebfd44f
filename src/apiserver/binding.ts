// pods/binding: the scheduler's way to assign a pod to a node.

import type { ResourceStorage, WriteContext } from './registry.js';
import { errors } from './status.js';
import { rfc3339 } from './registry.js';

export async function bindPod(pods: ResourceStorage, namespace: string, podName: string, binding: any, ctx: WriteContext): Promise<any> {
  const target = binding?.target;
  if (!podName) {
    throw errors.invalid('Binding', '', '', [{ reason: 'FieldValueRequired', field: 'metadata.name', message: 'Required value: name or generateName is required' }]);
  }
  if (!target?.name) {
    throw errors.invalid('Binding', '', podName, [{ reason: 'FieldValueRequired', field: 'target.name', message: 'Required value' }]);
  }
  if (target.kind && target.kind !== 'Node') {
    throw errors.invalid('Binding', '', podName, [
      { reason: 'FieldValueNotSupported', field: 'target.kind', message: `Unsupported value: "${target.kind}": supported values: "Node"` },
    ]);
  }
  const { obj } = await pods.guaranteedUpdate(namespace, podName, ctx, (pod) => {
    if (binding.metadata?.uid && binding.metadata.uid !== pod.metadata.uid) {
      throw errors.conflict(pods.gr, podName, `Precondition failed: UID in precondition: ${binding.metadata.uid}, UID in object meta: ${pod.metadata.uid}`);
    }
    if (pod.metadata.deletionTimestamp) throw errors.conflict(pods.gr, podName, 'pod is being deleted, cannot be assigned to a host');
    if (pod.spec?.nodeName) {
      throw errors.conflict(pods.gr, podName, `pod ${podName} is already assigned to node "${pod.spec.nodeName}"`);
    }
    pod.spec.nodeName = target.name;
    pod.status ??= {};
    const conds: any[] = (pod.status.conditions ??= []);
    const now = rfc3339(ctx.now);
    const existing = conds.find((c) => c.type === 'PodScheduled');
    const cond = { type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: now };
    if (existing) Object.assign(existing, cond, { reason: undefined, message: undefined });
    else conds.push(cond);
    for (const c of conds) for (const k of Object.keys(c)) if (c[k] === undefined) delete c[k];
    // No precondition: a concurrent status write makes the update re-read and retry, not fail.
    delete pod.metadata.resourceVersion;
    return pod;
  }, { subresource: 'binding' });
  return obj;
}
