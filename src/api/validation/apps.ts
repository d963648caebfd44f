// Deployments and ReplicaSets: selector ↔ template labels, replica counts, strategy,
// and the apps/v1 rule that a selector never changes.

import type { FieldError } from './field-error.js';
import { forbidden, invalid, notSupported, required } from './errors.js';
import { goRaw, goStringMap } from './go-value.js';
import { goLabelSelector, selectorIsEmpty, selectorMatches, validateLabelSelector } from './label-selector.js';
import { isValidPercent, nameIsDNSSubdomain } from './names.js';
import { deepEqual, immutable, validateObjectMeta, validateObjectMetaUpdate } from './object-meta.js';
import { validatePodTemplateSpec } from './pod-spec.js';
import { nonNegative } from './probes.js';

function validateSelector(sel: any, field: string): FieldError[] {
  if (sel == null) return [required(field)];
  const errs = validateLabelSelector(sel, field);
  if (selectorIsEmpty(sel)) errs.push(invalid(field, goLabelSelector(sel), 'empty selector is invalid for deployment'));
  return errs;
}

/** The template a ReplicaSet or Deployment stamps out: labels must match, restartPolicy Always. */
export function validateTemplateForReplicaSet(template: any, sel: any, field: string): FieldError[] {
  if (template == null) return [required(field)];
  const errs: FieldError[] = [];
  // A missing selector selects nothing; an empty one selects everything.
  if (!selectorIsEmpty(sel) || sel == null) {
    const labels = template.metadata?.labels;
    if (!selectorMatches(sel, labels)) {
      errs.push(invalid(`${field}.metadata.labels`, goStringMap(labels), '`selector` does not match template `labels`'));
    }
  }
  errs.push(...validatePodTemplateSpec(template, field));
  const policy = template.spec?.restartPolicy ?? '';
  if (policy !== 'Always') errs.push(notSupported(`${field}.spec.restartPolicy`, policy, ['Always']));
  if (template.spec?.activeDeadlineSeconds != null) {
    errs.push(forbidden(`${field}.spec.activeDeadlineSeconds`, 'activeDeadlineSeconds in ReplicaSet is not Supported'));
  }
  return errs;
}

/** IntOrString rendered as Go's IntOrString.String() would print it. */
const intOrString = (v: unknown) => goRaw(String(v));

function validatePositiveIntOrPercent(v: unknown, field: string): FieldError[] {
  if (typeof v === 'string') return isValidPercent(v).map((msg) => invalid(field, intOrString(v), msg));
  return nonNegative(v, field);
}

const intOrPercentValue = (v: unknown): number => (typeof v === 'string' ? Number.parseInt(v, 10) || 0 : Number(v ?? 0));

function validateRollingUpdate(ru: any, field: string): FieldError[] {
  const errs: FieldError[] = [];
  errs.push(...validatePositiveIntOrPercent(ru?.maxUnavailable, `${field}.maxUnavailable`));
  errs.push(...validatePositiveIntOrPercent(ru?.maxSurge, `${field}.maxSurge`));
  if (intOrPercentValue(ru?.maxUnavailable) === 0 && intOrPercentValue(ru?.maxSurge) === 0) {
    errs.push(invalid(`${field}.maxUnavailable`, intOrString(ru?.maxUnavailable ?? 0), 'may not be 0 when `maxSurge` is 0'));
  }
  const mu = ru?.maxUnavailable;
  if (typeof mu === 'string' && isValidPercent(mu).length === 0 && Number.parseInt(mu, 10) > 100) {
    errs.push(invalid(`${field}.maxUnavailable`, intOrString(mu), 'must not be greater than 100%'));
  }
  return errs;
}

function validateStrategy(strategy: any, field: string): FieldError[] {
  switch (strategy?.type) {
    case 'Recreate':
      return strategy.rollingUpdate != null ? [forbidden(`${field}.rollingUpdate`, "may not be specified when strategy `type` is 'Recreate'")] : [];
    case 'RollingUpdate':
      if (strategy.rollingUpdate == null) return [required(`${field}.rollingUpdate`, 'this should be defaulted and never be nil')];
      return validateRollingUpdate(strategy.rollingUpdate, `${field}.rollingUpdate`);
    default:
      return [
        notSupported(
          field,
          goRaw(`apps.DeploymentStrategy{Type:"${strategy?.type ?? ''}", RollingUpdate:(*apps.RollingUpdateDeployment)(nil)}`),
          ['Recreate', 'RollingUpdate'],
        ),
      ];
  }
}

function validateDeploymentSpec(spec: any): FieldError[] {
  const errs: FieldError[] = [];
  spec ??= {};
  errs.push(...nonNegative(spec.replicas, 'spec.replicas'));
  errs.push(...validateSelector(spec.selector, 'spec.selector'));
  errs.push(...validateTemplateForReplicaSet(spec.template, spec.selector, 'spec.template'));
  errs.push(...validateStrategy(spec.strategy, 'spec.strategy'));
  errs.push(...nonNegative(spec.minReadySeconds, 'spec.minReadySeconds'));
  errs.push(...nonNegative(spec.revisionHistoryLimit, 'spec.revisionHistoryLimit'));
  if (spec.progressDeadlineSeconds != null) {
    errs.push(...nonNegative(spec.progressDeadlineSeconds, 'spec.progressDeadlineSeconds'));
    if (spec.progressDeadlineSeconds <= (spec.minReadySeconds ?? 0)) {
      errs.push(invalid('spec.progressDeadlineSeconds', spec.progressDeadlineSeconds, 'must be greater than minReadySeconds'));
    }
  }
  return errs;
}

export function validateDeployment(d: any): FieldError[] {
  return [...validateObjectMeta(d?.metadata, { namespaced: true, nameFn: nameIsDNSSubdomain }), ...validateDeploymentSpec(d?.spec)];
}

function selectorImmutable(obj: any, old: any): FieldError[] {
  const sel = obj?.spec?.selector;
  const oldSel = old?.spec?.selector;
  return deepEqual(sel, oldSel) ? [] : immutable(sel, oldSel, 'spec.selector', goLabelSelector(sel));
}

export function validateDeploymentUpdate(d: any, old: any): FieldError[] {
  return [...validateObjectMetaUpdate(d?.metadata, old?.metadata), ...validateDeploymentSpec(d?.spec), ...selectorImmutable(d, old)];
}

function validateReplicaSetSpec(spec: any): FieldError[] {
  const errs: FieldError[] = [];
  spec ??= {};
  errs.push(...nonNegative(spec.replicas, 'spec.replicas'));
  errs.push(...nonNegative(spec.minReadySeconds, 'spec.minReadySeconds'));
  errs.push(...validateSelector(spec.selector, 'spec.selector'));
  errs.push(...validateTemplateForReplicaSet(spec.template, spec.selector, 'spec.template'));
  return errs;
}

export function validateReplicaSet(rs: any): FieldError[] {
  return [...validateObjectMeta(rs?.metadata, { namespaced: true, nameFn: nameIsDNSSubdomain }), ...validateReplicaSetSpec(rs?.spec)];
}

export function validateReplicaSetUpdate(rs: any, old: any): FieldError[] {
  return [...validateObjectMetaUpdate(rs?.metadata, old?.metadata), ...validateReplicaSetSpec(rs?.spec), ...selectorImmutable(rs, old)];
}
