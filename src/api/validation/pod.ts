// Pod create and update validation, including the narrow set of spec fields a
// running pod may change.

import type { FieldError } from './field-error.js';
import { forbidden, invalid, required } from './errors.js';
import { validateImageWhitespace } from './container.js';
import { inclusiveRangeError, nameIsDNSSubdomain } from './names.js';
import { deepEqual, validateObjectMeta, validateObjectMetaUpdate } from './object-meta.js';
import { validatePodSpec } from './pod-spec.js';
import { validateTolerations } from './tolerations.js';

const MAX_INT32 = 2147483647;

export const POD_UPDATE_FORBIDDEN =
  'pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,' +
  '`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)';

function validatePodMetadataAndSpec(pod: any): FieldError[] {
  const errs = validateObjectMeta(pod?.metadata, { namespaced: true, nameFn: nameIsDNSSubdomain });
  const spec = pod?.spec ?? {};
  errs.push(...validatePodSpec(spec, 'spec'));
  if (!spec.serviceAccountName) {
    (spec.volumes ?? []).forEach((vol: any, vi: number) => {
      (vol?.projected?.sources ?? []).forEach((src: any, si: number) => {
        if (src?.serviceAccountToken != null) {
          errs.push(forbidden(`spec.volumes[${vi}].projected.sources[${si}].serviceAccountToken`, 'must not be specified when serviceAccountName is not set'));
        }
      });
    });
  }
  errs.push(...validateImageWhitespace(spec.containers, 'spec.containers'));
  errs.push(...validateImageWhitespace(spec.initContainers, 'spec.initContainers'));
  return errs;
}

export function validatePod(pod: any): FieldError[] {
  const errs = validatePodMetadataAndSpec(pod);
  if (Array.isArray(pod?.spec?.ephemeralContainers) && pod.spec.ephemeralContainers.length > 0) {
    errs.push(forbidden('spec.ephemeralContainers', 'cannot be set on create'));
  }
  if (pod?.spec?.nodeName && Array.isArray(pod.spec.schedulingGates) && pod.spec.schedulingGates.length > 0) {
    errs.push(forbidden('spec.nodeName', 'cannot be set until all schedulingGates have been cleared'));
  }
  return errs;
}

/** Image edits are allowed, but the container lists must keep their length. */
function validateContainerUpdates(next: any[], prev: any[], field: string): { errs: FieldError[]; stop: boolean } {
  if (next.length !== prev.length) return { errs: [forbidden(field, 'pod updates may not add or remove containers')], stop: true };
  const errs: FieldError[] = [];
  next.forEach((c, i) => {
    if (!c?.image) errs.push(required(`${field}[${i}].image`));
  });
  return { errs, stop: false };
}

/** Existing tolerations stay (only their tolerationSeconds may change); new ones may be added. */
function validateOnlyAddedTolerations(next: any[], prev: any[], field: string): FieldError[] {
  for (const old of prev) {
    const found = next.some((t) => deepEqual({ ...old, tolerationSeconds: t?.tolerationSeconds }, t));
    if (!found) return [forbidden(field, 'existing toleration can not be modified except its tolerationSeconds')];
  }
  return validateTolerations(next, field);
}

const goFieldName = (k: string) => k.charAt(0).toUpperCase() + k.slice(1);

/** A compact stand-in for the cmp.Diff Kubernetes appends: one -/+ pair per changed field. */
export function podSpecDiff(oldSpec: any, newSpec: any): string {
  const keys = [...new Set([...Object.keys(oldSpec ?? {}), ...Object.keys(newSpec ?? {})])];
  const lines = ['  core.PodSpec{'];
  let same = 0;
  for (const k of keys) {
    const a = oldSpec?.[k];
    const b = newSpec?.[k];
    if (deepEqual(a, b)) {
      same++;
      continue;
    }
    if (a !== undefined) lines.push(`- \t${goFieldName(k)}: ${JSON.stringify(a)},`);
    if (b !== undefined) lines.push(`+ \t${goFieldName(k)}: ${JSON.stringify(b)},`);
  }
  if (same > 0) lines.push(`  \t... // ${same} identical fields`);
  lines.push('  }');
  return lines.join('\n') + '\n';
}

export function validatePodUpdate(pod: any, old: any): FieldError[] {
  const errs = validateObjectMetaUpdate(pod?.metadata, old?.metadata);
  errs.push(...validatePodMetadataAndSpec(pod));
  const spec = pod?.spec ?? {};
  const oldSpec = old?.spec ?? {};
  for (const list of ['containers', 'initContainers'] as const) {
    const r = validateContainerUpdates(spec[list] ?? [], oldSpec[list] ?? [], `spec.${list}`);
    errs.push(...r.errs);
    if (r.stop) return errs;
  }
  const deadline = spec.activeDeadlineSeconds;
  if (deadline != null) {
    if (deadline < 0 || deadline > MAX_INT32) {
      errs.push(invalid('spec.activeDeadlineSeconds', deadline, inclusiveRangeError(0, MAX_INT32)));
      return errs;
    }
    if (oldSpec.activeDeadlineSeconds != null && oldSpec.activeDeadlineSeconds < deadline) {
      errs.push(invalid('spec.activeDeadlineSeconds', deadline, 'must be less than or equal to previous value'));
      return errs;
    }
  } else if (oldSpec.activeDeadlineSeconds != null) {
    errs.push(invalid('spec.activeDeadlineSeconds', null, 'must not update from a positive integer to nil value'));
  }
  errs.push(...validateOnlyAddedTolerations(spec.tolerations ?? [], oldSpec.tolerations ?? [], 'spec.tolerations'));
  const newGates: any[] = spec.schedulingGates ?? [];
  const oldGateNames = new Set((oldSpec.schedulingGates ?? []).map((g: any) => g?.name));
  for (const g of newGates) {
    if (!oldGateNames.has(g?.name)) errs.push(forbidden('spec.schedulingGates', `only deletion is allowed, but found new scheduling gate '${g?.name}'`));
  }
  if (deepEqual(spec, oldSpec)) return errs;

  // Put back every field that may legally change, then anything left is forbidden.
  const munged = structuredClone(spec);
  for (const list of ['containers', 'initContainers'] as const) {
    (munged[list] ?? []).forEach((c: any, i: number) => {
      if (c && oldSpec[list]?.[i]) c.image = oldSpec[list][i].image;
    });
  }
  munged.activeDeadlineSeconds = oldSpec.activeDeadlineSeconds;
  munged.tolerations = oldSpec.tolerations;
  munged.schedulingGates = oldSpec.schedulingGates;
  if (typeof oldSpec.terminationGracePeriodSeconds === 'number' && oldSpec.terminationGracePeriodSeconds < 0 && spec.terminationGracePeriodSeconds === 1) {
    munged.terminationGracePeriodSeconds = oldSpec.terminationGracePeriodSeconds;
  }
  if (!deepEqual(munged, oldSpec)) errs.push(forbidden('spec', `${POD_UPDATE_FORBIDDEN}\n${podSpecDiff(oldSpec, munged)}`));
  return errs;
}
