// Jobs (the commonly used subset): counts, completion mode, selector ↔ template
// labels, restartPolicy OnFailure/Never, and the immutable parts of the spec.

import type { FieldError } from './field-error.js';
import { forbidden, invalid, notSupported, required } from './errors.js';
import { goLabelSelector, selectorMatches, validateLabelSelector } from './label-selector.js';
import { goRaw, goStringMap } from './go-value.js';
import { nameIsDNSSubdomain } from './names.js';
import { deepEqual, immutable, validateObjectMeta, validateObjectMetaUpdate } from './object-meta.js';
import { validatePodTemplateSpec } from './pod-spec.js';
import { nonNegative } from './probes.js';

const COMPLETION_MODES = ['NonIndexed', 'Indexed'];
const POD_REPLACEMENT_POLICIES = ['TerminatingOrFailed', 'Failed'];

function validateJobSpec(spec: any): FieldError[] {
  const errs: FieldError[] = [];
  spec ??= {};
  for (const k of ['parallelism', 'completions', 'activeDeadlineSeconds', 'backoffLimit', 'ttlSecondsAfterFinished']) {
    errs.push(...nonNegative(spec[k], `spec.${k}`));
  }
  if (spec.completionMode != null) {
    if (!COMPLETION_MODES.includes(spec.completionMode)) errs.push(notSupported('spec.completionMode', spec.completionMode, COMPLETION_MODES));
    if (spec.completionMode === 'Indexed' && spec.completions == null) errs.push(required('spec.completions', 'when completion mode is Indexed'));
  }
  if (spec.podReplacementPolicy != null && !POD_REPLACEMENT_POLICIES.includes(spec.podReplacementPolicy)) {
    errs.push(notSupported('spec.podReplacementPolicy', spec.podReplacementPolicy, POD_REPLACEMENT_POLICIES));
  }
  if (spec.selector == null) errs.push(required('spec.selector'));
  else errs.push(...validateLabelSelector(spec.selector, 'spec.selector'));
  const labels = spec.template?.metadata?.labels;
  if (spec.selector != null && !selectorMatches(spec.selector, labels)) {
    errs.push(invalid('spec.template.metadata.labels', goStringMap(labels), '`selector` does not match template `labels`'));
  }
  errs.push(...validatePodTemplateSpec(spec.template, 'spec.template'));
  const policy = spec.template?.spec?.restartPolicy;
  if (policy !== 'OnFailure' && policy !== 'Never') {
    errs.push(required('spec.template.spec.restartPolicy', 'valid values: "OnFailure", "Never"'));
  }
  if (spec.template?.spec?.activeDeadlineSeconds != null) {
    errs.push(forbidden('spec.template.spec.activeDeadlineSeconds', 'activeDeadlineSeconds in Job is not Supported'));
  }
  return errs;
}

export function validateJob(job: any): FieldError[] {
  return [...validateObjectMeta(job?.metadata, { namespaced: true, nameFn: nameIsDNSSubdomain }), ...validateJobSpec(job?.spec)];
}

export function validateJobUpdate(job: any, old: any): FieldError[] {
  const errs = [...validateObjectMetaUpdate(job?.metadata, old?.metadata), ...validateJobSpec(job?.spec)];
  const spec = job?.spec ?? {};
  const oldSpec = old?.spec ?? {};
  if (!deepEqual(spec.selector, oldSpec.selector)) errs.push(...immutable(spec.selector, oldSpec.selector, 'spec.selector', goLabelSelector(spec.selector)));
  errs.push(...immutable(spec.completions ?? null, oldSpec.completions ?? null, 'spec.completions', spec.completions ?? null));
  errs.push(...immutable(spec.completionMode ?? '', oldSpec.completionMode ?? '', 'spec.completionMode'));
  // The pod template may only change while the job is suspended (it must not run with a stale one).
  if (!deepEqual(spec.template, oldSpec.template) && oldSpec.suspend !== true) {
    // Go prints the whole template struct here; only the shape of the message can match.
    errs.push(invalid('spec.template', goRaw('core.PodTemplateSpec{...}'), 'field is immutable'));
  }
  return errs;
}
