// The object reference the kubelet puts on a container's events: the pod, with
// fieldPath naming the container (spec.containers{web}), so `kubectl describe`
// and event filters see exactly what they see with a real kubelet.

import type { KubeObject, ObjectReference } from '../../client/index.js';

export function containerFieldPath(pod: KubeObject, containerName: string): string {
  const spec = pod.spec ?? {};
  const has = (list: unknown) => Array.isArray(list) && list.some((c: any) => c?.name === containerName);
  if (has(spec.containers)) return `spec.containers{${containerName}}`;
  if (has(spec.initContainers)) return `spec.initContainers{${containerName}}`;
  if (has(spec.ephemeralContainers)) return `spec.ephemeralContainers{${containerName}}`;
  // Not in the spec (should not happen): the kubelet would fail to make a ref; point at the pod.
  return '';
}

export function containerRef(pod: KubeObject, containerName: string): ObjectReference {
  const ref: ObjectReference = {
    kind: pod.kind ?? 'Pod',
    apiVersion: pod.apiVersion ?? 'v1',
    namespace: pod.metadata.namespace,
    name: pod.metadata.name,
    uid: pod.metadata.uid,
    resourceVersion: pod.metadata.resourceVersion,
  };
  const fieldPath = containerFieldPath(pod, containerName);
  if (fieldPath) ref.fieldPath = fieldPath;
  return ref;
}
