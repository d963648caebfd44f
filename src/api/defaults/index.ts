// Entry point: applyDefaults(kind, obj) mutates a decoded object in place the way
// Kubernetes' defaulting (and the defaulting admission plugins) would.

import { defaultPod } from './pod.js';
import { defaultService } from './service.js';
import { defaultDeployment, defaultJob, defaultReplicaSet } from './workloads.js';
import { defaultEndpoints, defaultEvent, defaultNamespace, defaultNode, defaultPriorityClass, defaultSecret } from './misc.js';

const defaulters: Record<string, (obj: any) => void> = {
  Pod: defaultPod,
  Service: defaultService,
  Deployment: defaultDeployment,
  ReplicaSet: defaultReplicaSet,
  Job: defaultJob,
  Secret: defaultSecret,
  Namespace: defaultNamespace,
  Node: defaultNode,
  Endpoints: defaultEndpoints,
  Event: defaultEvent,
  PriorityClass: defaultPriorityClass,
};

export function applyDefaults(kind: string, obj: any): void {
  if (obj == null || typeof obj !== 'object') return;
  defaulters[kind]?.(obj);
}

export { defaultPullPolicy, defaultPodSpec } from './pod-spec.js';
