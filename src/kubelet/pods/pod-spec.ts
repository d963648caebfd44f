// Small facts about a pod and its containers that every part of the worker
// needs: how the kubelet names a pod in messages, the event reference of a
// container, which list a container is in, grace periods.

import type { KubeObject, ObjectReference } from '../../client/index.js';
import { referenceOf } from '../../client/index.js';

export type ContainerKind = 'init' | 'app';

export function initContainers(pod: KubeObject): any[] {
  return Array.isArray(pod.spec?.initContainers) ? pod.spec.initContainers : [];
}

export function appContainers(pod: KubeObject): any[] {
  return Array.isArray(pod.spec?.containers) ? pod.spec.containers : [];
}

/** An init container with restartPolicy Always keeps running next to the app containers. */
export function isSidecar(c: any): boolean {
  return c?.restartPolicy === 'Always';
}

export function restartPolicy(pod: KubeObject): 'Always' | 'OnFailure' | 'Never' {
  const p = pod.spec?.restartPolicy;
  return p === 'OnFailure' || p === 'Never' ? p : 'Always';
}

export function containerSpec(pod: KubeObject, name: string): { spec: any; kind: ContainerKind } | undefined {
  const app = appContainers(pod).find((c) => c?.name === name);
  if (app) return { spec: app, kind: 'app' };
  const init = initContainers(pod).find((c) => c?.name === name);
  return init ? { spec: init, kind: 'init' } : undefined;
}

/** The event target for a container: the pod, with fieldPath spec.containers{name} / spec.initContainers{name}. */
export function containerRef(pod: KubeObject, name: string, kind: ContainerKind): ObjectReference {
  const list = kind === 'init' ? 'initContainers' : 'containers';
  return { ...referenceOf(pod), fieldPath: `spec.${list}{${name}}` };
}

export function isHostNetwork(pod: KubeObject): boolean {
  return pod.spec?.hostNetwork === true;
}

/** Seconds a container gets to stop: the deletion's grace period, else the spec's (default 30). */
export function terminationGracePeriod(pod: KubeObject): number {
  const del = pod.metadata.deletionGracePeriodSeconds;
  if (typeof del === 'number') return del;
  const spec = pod.spec?.terminationGracePeriodSeconds;
  return typeof spec === 'number' ? spec : 30;
}

/** The kubelet never gives a stopping container less than this. */
export const MIN_GRACE_SECONDS = 2;
