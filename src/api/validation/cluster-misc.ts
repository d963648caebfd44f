// Leases (coordination.k8s.io) and PriorityClasses (scheduling.k8s.io).

import type { FieldError } from './field-error.js';
import { forbidden, invalid, notSupported, required } from './errors.js';
import { nameIsDNSSubdomain } from './names.js';
import { immutable, validateObjectMeta, validateObjectMetaUpdate } from './object-meta.js';

export function validateLease(lease: any): FieldError[] {
  const errs = validateObjectMeta(lease?.metadata, { namespaced: true, nameFn: nameIsDNSSubdomain });
  const spec = lease?.spec ?? {};
  if (typeof spec.leaseDurationSeconds === 'number' && spec.leaseDurationSeconds <= 0) {
    errs.push(invalid('spec.leaseDurationSeconds', spec.leaseDurationSeconds, 'must be greater than 0'));
  }
  if (typeof spec.leaseTransitions === 'number' && spec.leaseTransitions < 0) {
    errs.push(invalid('spec.leaseTransitions', spec.leaseTransitions, 'must be greater than or equal to 0'));
  }
  if (spec.preferredHolder && !spec.strategy) {
    errs.push(forbidden('spec.preferredHolder', 'may only be specified if `strategy` is defined'));
  }
  return errs;
}

export function validateLeaseUpdate(lease: any, old: any): FieldError[] {
  return [...validateObjectMetaUpdate(lease?.metadata, old?.metadata), ...validateLease(lease)];
}

export const HIGHEST_USER_DEFINABLE_PRIORITY = 1_000_000_000;
const SYSTEM_PRIORITY_CLASSES: Record<string, number> = {
  'system-node-critical': 2_000_001_000,
  'system-cluster-critical': 2_000_000_000,
};
const PREEMPTION_POLICIES = ['PreemptLowerPriority', 'Never'];

export function validatePriorityClass(pc: any): FieldError[] {
  const errs = validateObjectMeta(pc?.metadata, { namespaced: false, nameFn: nameIsDNSSubdomain });
  const name = String(pc?.metadata?.name ?? '');
  const value = Number(pc?.value ?? 0);
  if (name.startsWith('system-')) {
    const known = SYSTEM_PRIORITY_CLASSES[name];
    const problem =
      known === undefined ? `${name} is not a known system priority class` : known !== value ? `value of ${name} PriorityClass must be ${known}` : undefined;
    if (problem) {
      errs.push(forbidden('metadata.name', `priority class names with 'system-' prefix are reserved for system use only. error: ${problem}`));
    }
  } else if (value > HIGHEST_USER_DEFINABLE_PRIORITY) {
    errs.push(forbidden('value', `maximum allowed value of a user defined priority is ${HIGHEST_USER_DEFINABLE_PRIORITY}`));
  }
  if (pc?.preemptionPolicy !== undefined) {
    if (!pc.preemptionPolicy) errs.push(required('preemptionPolicy'));
    else if (!PREEMPTION_POLICIES.includes(pc.preemptionPolicy)) errs.push(notSupported('preemptionPolicy', pc.preemptionPolicy, PREEMPTION_POLICIES));
  }
  return errs;
}

export function validatePriorityClassUpdate(pc: any, old: any): FieldError[] {
  const errs = validateObjectMetaUpdate(pc?.metadata, old?.metadata);
  if (Number(pc?.value ?? 0) !== Number(old?.value ?? 0)) errs.push(forbidden('value', 'may not be changed in an update.'));
  errs.push(...immutable(pc?.preemptionPolicy ?? null, old?.preemptionPolicy ?? null, 'preemptionPolicy'));
  return errs;
}
