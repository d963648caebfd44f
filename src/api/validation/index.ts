// Entry points: validation by kind for create and update. Unknown kinds get the
// generic metadata checks only.

import type { FieldError } from './field-error.js';
import { resources } from '../resources.js';
import { validateDeployment, validateDeploymentUpdate, validateReplicaSet, validateReplicaSetUpdate } from './apps.js';
import { validateJob, validateJobUpdate } from './batch.js';
import { validateLease, validateLeaseUpdate, validatePriorityClass, validatePriorityClassUpdate } from './cluster-misc.js';
import { validateConfigMap, validateConfigMapUpdate, validateSecret, validateSecretUpdate } from './config.js';
import {
  validateEndpoints,
  validateEndpointsUpdate,
  validateEvent,
  validateEventUpdate,
  validateNamespace,
  validateNamespaceUpdate,
  validateNode,
  validateNodeUpdate,
  validateServiceAccount,
  validateServiceAccountUpdate,
} from './core-misc.js';
import { nameIsDNSSubdomain } from './names.js';
import { validateObjectMeta, validateObjectMetaUpdate } from './object-meta.js';
import { validatePod, validatePodUpdate } from './pod.js';
import { validateService, validateServiceUpdate } from './service.js';

export type { FieldError } from './field-error.js';

interface KindValidator {
  create(obj: any): FieldError[];
  update(obj: any, old: any): FieldError[];
}

const validators: Record<string, KindValidator> = {
  Pod: { create: validatePod, update: validatePodUpdate },
  Namespace: { create: validateNamespace, update: validateNamespaceUpdate },
  Node: { create: validateNode, update: validateNodeUpdate },
  Secret: { create: validateSecret, update: validateSecretUpdate },
  ConfigMap: { create: validateConfigMap, update: validateConfigMapUpdate },
  Service: { create: validateService, update: validateServiceUpdate },
  Endpoints: { create: validateEndpoints, update: validateEndpointsUpdate },
  Event: { create: validateEvent, update: validateEventUpdate },
  ServiceAccount: { create: validateServiceAccount, update: validateServiceAccountUpdate },
  Deployment: { create: validateDeployment, update: validateDeploymentUpdate },
  ReplicaSet: { create: validateReplicaSet, update: validateReplicaSetUpdate },
  Job: { create: validateJob, update: validateJobUpdate },
  Lease: { create: validateLease, update: validateLeaseUpdate },
  PriorityClass: { create: validatePriorityClass, update: validatePriorityClassUpdate },
};

/** Namespaced-ness from the resource table; undefined for kinds it does not know. */
function namespacedKind(kind: string): boolean | undefined {
  return resources.find((r) => r.kind === kind)?.namespaced;
}

export function validateCreate(kind: string, obj: any): FieldError[] {
  const v = validators[kind];
  if (v) return v.create(obj);
  return validateObjectMeta(obj?.metadata, { namespaced: namespacedKind(kind), nameFn: nameIsDNSSubdomain });
}

export function validateUpdate(kind: string, obj: any, old: any): FieldError[] {
  const v = validators[kind];
  if (v) return v.update(obj, old);
  return validateObjectMetaUpdate(obj?.metadata, old?.metadata);
}

export { validateObjectMeta, validateObjectMetaUpdate } from './object-meta.js';
