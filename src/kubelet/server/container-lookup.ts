// Finding a pod's containers in the runtime by the labels the kubelet puts on them.

import {
  ANNOTATION_RESTART_COUNT,
  LABEL_CONTAINER_NAME,
  LABEL_POD_NAME,
  LABEL_POD_NAMESPACE,
  type Container,
  type CriRuntime,
} from '../cri/api.js';

function attempt(c: Container): number {
  const a = Number(c.annotations?.[ANNOTATION_RESTART_COUNT]);
  return Number.isFinite(a) ? a : c.metadata?.attempt ?? 0;
}

function created(c: Container): bigint {
  try {
    return BigInt(c.created_at || '0');
  } catch {
    return 0n;
  }
}

/** The container's instances in the runtime, newest attempt first. */
export async function containerInstances(cri: CriRuntime, namespace: string, pod: string, container: string, runningOnly = false): Promise<Container[]> {
  const list = await cri.listContainers({
    label_selector: { [LABEL_POD_NAMESPACE]: namespace, [LABEL_POD_NAME]: pod, [LABEL_CONTAINER_NAME]: container },
    ...(runningOnly ? { state: { state: 'CONTAINER_RUNNING' as const } } : {}),
  });
  return list.sort((a, b) => attempt(b) - attempt(a) || (created(b) > created(a) ? 1 : created(b) < created(a) ? -1 : 0));
}
