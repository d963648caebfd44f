// metadata checks shared by every kind: name/generateName, namespace presence,
// labels, annotations, finalizers and owner references, plus update immutability.

import type { FieldError } from './field-error.js';
import { forbidden, invalid, required, tooLong } from './errors.js';
import { goStringSlice } from './go-value.js';
import { isDNS1123Label, isQualifiedName, isValidLabelValue, type NameValidator } from './names.js';

export const TOTAL_ANNOTATION_SIZE_LIMIT = 256 * 1024;

export interface ObjectMetaOptions {
  /** true: namespace required; false: namespace forbidden; undefined: not checked. */
  namespaced: boolean | undefined;
  nameFn: NameValidator;
}

const sortedKeys = (o: unknown): string[] => (o && typeof o === 'object' ? Object.keys(o).sort() : []);

export function validateLabels(labels: unknown, field: string): FieldError[] {
  const errs: FieldError[] = [];
  const map = (labels ?? {}) as Record<string, unknown>;
  for (const k of sortedKeys(map)) {
    for (const msg of isQualifiedName(k)) errs.push(invalid(field, k, msg));
    const v = String(map[k] ?? '');
    for (const msg of isValidLabelValue(v)) errs.push(invalid(field, v, msg));
  }
  return errs;
}

export function validateLabelName(name: string, field: string): FieldError[] {
  return isQualifiedName(name).map((msg) => invalid(field, name, msg));
}

export function validateAnnotations(annotations: unknown, field: string): FieldError[] {
  const errs: FieldError[] = [];
  const map = (annotations ?? {}) as Record<string, unknown>;
  let size = 0;
  for (const k of sortedKeys(map)) {
    // Annotation keys are case-insensitive qualified names.
    for (const msg of isQualifiedName(k.toLowerCase())) errs.push(invalid(field, k, msg));
    size += Buffer.byteLength(k) + Buffer.byteLength(String(map[k] ?? ''));
  }
  if (size > TOTAL_ANNOTATION_SIZE_LIMIT) errs.push(tooLong(field, TOTAL_ANNOTATION_SIZE_LIMIT));
  return errs;
}

function validateFinalizers(finalizers: unknown, field: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!Array.isArray(finalizers)) return errs;
  for (const f of finalizers) for (const msg of isQualifiedName(String(f))) errs.push(invalid(field, String(f), msg));
  if (finalizers.includes('orphan') && finalizers.includes('foregroundDeletion')) {
    errs.push(invalid(field, goStringSlice(finalizers), 'finalizer orphan and foregroundDeletion cannot be both set'));
  }
  return errs;
}

function validateOwnerReferences(refs: unknown, field: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!Array.isArray(refs)) return errs;
  for (const ref of refs) {
    const apiVersion = String(ref?.apiVersion ?? '');
    const version = apiVersion.includes('/') ? apiVersion.slice(apiVersion.indexOf('/') + 1) : apiVersion;
    if (!version) errs.push(invalid(`${field}.apiVersion`, apiVersion, 'version must not be empty'));
    if (!ref?.kind) errs.push(invalid(`${field}.kind`, String(ref?.kind ?? ''), 'kind must not be empty'));
    if (!ref?.name) errs.push(invalid(`${field}.name`, String(ref?.name ?? ''), 'name must not be empty'));
    if (!ref?.uid) errs.push(invalid(`${field}.uid`, String(ref?.uid ?? ''), 'uid must not be empty'));
  }
  return errs;
}

export function validateObjectMeta(meta: any, opts: ObjectMetaOptions, field = 'metadata'): FieldError[] {
  const errs: FieldError[] = [];
  meta ??= {};
  const generateName = typeof meta.generateName === 'string' ? meta.generateName : '';
  if (generateName) for (const msg of opts.nameFn(generateName, true)) errs.push(invalid(`${field}.generateName`, generateName, msg));
  const name = typeof meta.name === 'string' ? meta.name : '';
  if (!name) errs.push(required(`${field}.name`, 'name or generateName is required'));
  else for (const msg of opts.nameFn(name, false)) errs.push(invalid(`${field}.name`, name, msg));
  const namespace = typeof meta.namespace === 'string' ? meta.namespace : '';
  if (opts.namespaced === true) {
    if (!namespace) errs.push(required(`${field}.namespace`));
    else for (const msg of isDNS1123Label(namespace)) errs.push(invalid(`${field}.namespace`, namespace, msg));
  } else if (opts.namespaced === false && namespace) {
    errs.push(forbidden(`${field}.namespace`, 'not allowed on this type'));
  }
  if (typeof meta.generation === 'number' && meta.generation < 0) {
    errs.push(invalid(`${field}.generation`, meta.generation, 'must be greater than or equal to 0'));
  }
  errs.push(...validateLabels(meta.labels, `${field}.labels`));
  errs.push(...validateAnnotations(meta.annotations, `${field}.annotations`));
  errs.push(...validateOwnerReferences(meta.ownerReferences, `${field}.ownerReferences`));
  errs.push(...validateFinalizers(meta.finalizers, `${field}.finalizers`));
  return errs;
}

/** Kubernetes' ValidateImmutableField: the new value is reported. */
export function immutable(newValue: unknown, oldValue: unknown, field: string, render: unknown = newValue): FieldError[] {
  return deepEqual(newValue, oldValue) ? [] : [invalid(field, render, 'field is immutable')];
}

export function validateObjectMetaUpdate(meta: any, old: any, field = 'metadata'): FieldError[] {
  const errs: FieldError[] = [];
  meta ??= {};
  old ??= {};
  if (old.deletionTimestamp) {
    const before = new Set<string>(old.finalizers ?? []);
    const added = [...new Set<string>(meta.finalizers ?? [])].filter((f) => !before.has(f)).sort();
    if (added.length) {
      errs.push(
        forbidden(
          `${field}.finalizers`,
          `no new finalizers can be added if the object is being deleted, found new finalizers ${goStringSlice(added).text}`,
        ),
      );
    }
  }
  if (typeof meta.generation === 'number' && typeof old.generation === 'number' && meta.generation < old.generation) {
    errs.push(invalid(`${field}.generation`, meta.generation, 'must not be decremented'));
  }
  errs.push(...immutable(meta.name ?? '', old.name ?? '', `${field}.name`));
  errs.push(...immutable(meta.namespace ?? '', old.namespace ?? '', `${field}.namespace`));
  // An update without a uid keeps the stored one; a different uid is a change.
  if (meta.uid) errs.push(...immutable(meta.uid, old.uid ?? '', `${field}.uid`));
  errs.push(...validateLabels(meta.labels, `${field}.labels`));
  errs.push(...validateAnnotations(meta.annotations, `${field}.annotations`));
  errs.push(...validateOwnerReferences(meta.ownerReferences, `${field}.ownerReferences`));
  errs.push(...validateFinalizers(meta.finalizers, `${field}.finalizers`));
  return errs;
}

/**
 * Missing, null, "", empty list and empty map are all "unset": Go's zero values, which
 * apiequality.Semantic treats alike (numbers and booleans may be pointers, so not those).
 */
function isUnset(v: unknown): boolean {
  if (v === undefined || v === null || v === '') return true;
  if (Array.isArray(v)) return v.length === 0;
  return typeof v === 'object' && Object.keys(v as object).every((k) => (v as any)[k] === undefined);
}

/** Semantic equality of JSON values: key order ignored, empty collections equal missing ones. */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (isUnset(a) && isUnset(b)) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    return a.length === bb.length && a.every((v, i) => deepEqual(v, bb[i]));
  }
  const keys = new Set([...Object.keys(a as object), ...Object.keys(b as object)]);
  for (const k of keys) if (!deepEqual((a as any)[k], (b as any)[k])) return false;
  return true;
}
