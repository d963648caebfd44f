// Strategic merge patch as kube-apiserver applies it (apimachinery's
// strategicpatch in "apply" mode: parallel deletion lists are honoured and
// nulls for absent keys are dropped). Patch metadata (strategy, merge key)
// comes from the schema DSL instead of Go struct tags.

import type { FieldDef, TypeDef, TypeRef } from '../schema/dsl.js';
import { PatchError } from './json-patch.js';

export type TypeLookup = (name: string) => TypeDef | undefined;

type JsonMap = Record<string, unknown>;

const DIRECTIVE = '$patch';
const RETAIN_KEYS = '$retainKeys';
const SET_ELEMENT_ORDER = '$setElementOrder';
const DELETE_FROM_PRIMITIVE_LIST = '$deleteFromPrimitiveList';

// ---- errors -------------------------------------------------------------

/** An error from the merge library; `kind` says how the API server reports it. */
class SmpFailure extends Error {
  constructor(
    readonly kind: 'badRequest' | 'invalid' | 'internal',
    message: string,
  ) {
    super(message);
  }
}

const errBadPrimitiveList = () => new SmpFailure('badRequest', 'invalid patch format of primitive list');
const errBadRetainKeys = () => new SmpFailure('badRequest', 'invalid patch format of retainKeys');
const errBadSetElementOrder = () => new SmpFailure('badRequest', 'invalid patch format of setElementOrder list');
const errNoListOfLists = () => new SmpFailure('invalid', 'lists of lists are not supported');
const errNoMergeKey = (m: JsonMap, key: string) =>
  new SmpFailure('internal', `map: ${goFormat(m)} does not contain declared merge key: ${key}`);
const errBadPatchType = (t: unknown, m: JsonMap) =>
  new SmpFailure('internal', `unknown patch type: ${goFormat(t)} in map: ${goFormat(m)}`);
const errBadArgType = (expected: string, actual: unknown) =>
  new SmpFailure('internal', `expected a ${expected}, but received a ${goTypeName(actual)}`);

function toPatchError(e: SmpFailure): PatchError {
  if (e.kind === 'badRequest') return new PatchError(400, 'BadRequest', e.message);
  if (e.kind === 'invalid') {
    // Reported through NewGenericServerResponse, which replaces the text.
    return new PatchError(422, 'Invalid', 'the server rejected our request due to an error in our request', {});
  }
  return new PatchError(500, '', e.message);
}

/** Go's name for the dynamic type of a decoded JSON value. */
function goTypeName(v: unknown): string {
  if (v === null || v === undefined) return '%!s(<nil>)';
  if (Array.isArray(v)) return '[]interface {}';
  if (typeof v === 'object') return 'map[string]interface {}';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int64' : 'float64';
  if (typeof v === 'boolean') return 'bool';
  return 'string';
}

/** Formats a decoded JSON value the way Go's %v does (maps sorted by key). */
export function goFormat(v: unknown): string {
  if (v === null || v === undefined) return '<nil>';
  if (Array.isArray(v)) return `[${v.map(goFormat).join(' ')}]`;
  if (typeof v === 'object') {
    const m = v as JsonMap;
    return `map[${Object.keys(m)
      .sort()
      .map((k) => `${k}:${goFormat(m[k])}`)
      .join(' ')}]`;
  }
  return String(v);
}

// ---- schema -------------------------------------------------------------

/** Finds a field by JSON name, looking through inlined (embedded) structs. */
export function findField(def: TypeDef, name: string, lookup: TypeLookup): FieldDef | undefined {
  for (const f of def.fields) {
    if (f.inline && f.type.t === 'ref') {
      const inner = lookup(f.type.name);
      const found = inner && findField(inner, name, lookup);
      if (found) return found;
    } else if (f.json === name) {
      return f;
    }
  }
  return undefined;
}

interface PatchMeta {
  /** Type of the child value, undefined when unknown (free-form JSON). */
  type: TypeRef | undefined;
  strategy: string;
  mergeKey: string;
}

function splitStrategy(s: string | undefined): string {
  const parts = s ? s.split(',') : [];
  const rest = parts.filter((p) => p !== 'retainKeys');
  if (rest.length > 1) throw new SmpFailure('internal', `unexpected patch strategy: [${parts.join(' ')}]`);
  return rest[0] ?? '';
}

/** Patch metadata for key `key` inside a map whose own type is `parent`. */
function childMeta(parent: TypeRef | undefined, key: string, lookup: TypeLookup): PatchMeta {
  if (parent?.t === 'ref') {
    const def = lookup(parent.name);
    const f = def && findField(def, key, lookup);
    if (f) return { type: f.type, strategy: splitStrategy(f.patchStrategy), mergeKey: f.mergeKey ?? '' };
    return { type: undefined, strategy: '', mergeKey: '' };
  }
  if (parent?.t === 'map') return { type: parent.of, strategy: '', mergeKey: '' };
  return { type: undefined, strategy: '', mergeKey: '' };
}

function elementType(list: TypeRef | undefined): TypeRef | undefined {
  return list?.t === 'array' ? list.of : undefined;
}

// ---- value helpers ------------------------------------------------------

function isMap(v: unknown): v is JsonMap {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

type Kind = 'map' | 'slice' | 'string' | 'number' | 'bool' | 'nil';

function kindOf(v: unknown): Kind {
  if (v === null || v === undefined) return 'nil';
  if (Array.isArray(v)) return 'slice';
  if (typeof v === 'object') return 'map';
  if (typeof v === 'boolean') return 'bool';
  return typeof v === 'number' ? 'number' : 'string';
}

/** The common element kind of the given lists; mixed kinds and lists of lists are errors. */
function sliceElementKind(...lists: unknown[][]): Kind {
  let prev: Kind | undefined;
  for (const list of lists) {
    for (const v of list) {
      const k = kindOf(v);
      if (prev === undefined) {
        prev = k;
        if (k === 'slice') throw errNoListOfLists();
      } else if (prev !== k) {
        throw new SmpFailure('internal', `list element types are not identical: ${goFormat(lists)}`);
      }
    }
  }
  if (prev === undefined) throw new SmpFailure('internal', 'no elements in any of the given slices');
  return prev;
}

/** Drops nulls everywhere inside a value taken from the patch. */
function discardNulls(v: unknown): void {
  if (Array.isArray(v)) v.forEach(discardNulls);
  else if (isMap(v)) {
    for (const [k, x] of Object.entries(v)) {
      if (x === null) delete v[k];
      else discardNulls(x);
    }
  }
}

/** Removes directive maps from a patch value; `keep` false means the value itself was a directive. */
function removeDirectives(v: unknown): { value: unknown; keep: boolean } {
  if (isMap(v)) {
    if (DIRECTIVE in v) return { value: undefined, keep: false };
    for (const k of Object.keys(v)) {
      const r = removeDirectives(v[k]);
      if (r.keep) v[k] = r.value;
      else delete v[k];
    }
    return { value: v, keep: true };
  }
  if (Array.isArray(v)) {
    const out: unknown[] = [];
    for (const item of v) {
      const r = removeDirectives(item);
      if (r.keep) out.push(r.value);
    }
    return { value: out, keep: true };
  }
  return { value: v, keep: true };
}

/** Takes a patch value for a key the original lacks (or holds with another type). */
function takePatchValue(original: JsonMap, key: string, patchV: unknown): void {
  discardNulls(patchV);
  const r = removeDirectives(patchV);
  if (r.keep) original[key] = r.value;
  else delete original[key];
}

function isDirectiveKey(k: string): boolean {
  return (
    k === DIRECTIVE ||
    k === RETAIN_KEYS ||
    k.startsWith(`${SET_ELEMENT_ORDER}/`) ||
    k.startsWith(`${DELETE_FROM_PRIMITIVE_LIST}/`)
  );
}

/**
 * Strips directive keys that survived inside replaced values. Kubernetes loses
 * them when it decodes the result into a typed object; we do it explicitly.
 */
function stripLeftoverDirectives(v: unknown): void {
  if (Array.isArray(v)) v.forEach(stripLeftoverDirectives);
  else if (isMap(v)) {
    for (const k of Object.keys(v)) {
      if (isDirectiveKey(k)) delete v[k];
      else stripLeftoverDirectives(v[k]);
    }
  }
}

// ---- the merge ----------------------------------------------------------

class Merger {
  constructor(private readonly lookup: TypeLookup) {}

  mergeMap(original: JsonMap | undefined, patch: JsonMap, type: TypeRef | undefined): JsonMap {
    if (DIRECTIVE in patch) return this.mapDirective(patch[DIRECTIVE], patch);
    const out = original ?? {};
    this.applyRetainKeys(out, patch);
    this.applySetElementOrders(out, patch, type);

    for (const rawKey of Object.keys(patch)) {
      let key = rawKey;
      const patchV = patch[rawKey];
      let isDeleteList = false;
      if (rawKey.startsWith(DELETE_FROM_PRIMITIVE_LIST)) {
        key = extractKey(rawKey, DELETE_FROM_PRIMITIVE_LIST);
        isDeleteList = true;
      }
      if (patchV === null) {
        delete out[key];
        continue;
      }
      if (!(key in out) || kindOf(out[key]) !== kindOf(patchV)) {
        if (!isDeleteList) takePatchValue(out, key, patchV);
        continue;
      }
      const meta = childMeta(type, key, this.lookup);
      const current = out[key];
      if (isMap(current)) {
        out[key] = meta.strategy === 'replace' ? patchV : this.mergeMap(current, patchV as JsonMap, meta.type);
      } else if (Array.isArray(current)) {
        out[key] = this.mergeSliceHandler(current, patchV as unknown[], meta, isDeleteList);
      } else {
        const r = removeDirectives(patchV);
        if (r.keep) out[key] = r.value;
        else delete out[key];
      }
    }
    return out;
  }

  private mapDirective(directive: unknown, patch: JsonMap): JsonMap {
    if (directive === 'replace') {
      delete patch[DIRECTIVE];
      return patch;
    }
    // `$patch: delete` leaves an empty map in place, as Kubernetes does.
    if (directive === 'delete') return {};
    throw errBadPatchType(directive, patch);
  }

  /** `$retainKeys`: drop every key of the original not named in the list. */
  private applyRetainKeys(original: JsonMap, patch: JsonMap): void {
    if (!(RETAIN_KEYS in patch)) return;
    const list = patch[RETAIN_KEYS];
    delete patch[RETAIN_KEYS];
    if (!Array.isArray(list)) throw errBadRetainKeys();
    const keep = new Set(list);
    for (const [k, v] of Object.entries(patch)) {
      if (v === null || k.startsWith(DELETE_FROM_PRIMITIVE_LIST) || k.startsWith(SET_ELEMENT_ORDER)) continue;
      if (!keep.has(k)) throw errBadRetainKeys();
    }
    for (const k of Object.keys(original)) if (!keep.has(k)) delete original[k];
  }

  /** `$setElementOrder/<list>`: merge that list now and order it by the given list. */
  private applySetElementOrders(original: JsonMap, patch: JsonMap, type: TypeRef | undefined): void {
    for (const key of Object.keys(patch)) {
      if (!key.startsWith(SET_ELEMENT_ORDER)) continue;
      const order = patch[key];
      delete patch[key];
      if (!Array.isArray(order)) throw errBadArgType('[]interface {}', order);
      const listKey = extractKey(key, SET_ELEMENT_ORDER);
      const foundOriginal = listKey in original;
      const foundPatch = listKey in patch;
      let originalList: unknown[] = [];
      let patchList: unknown[] = [];
      if (foundOriginal) {
        if (!Array.isArray(original[listKey])) throw errBadArgType('[]interface {}', original[listKey]);
        originalList = original[listKey] as unknown[];
      }
      if (foundPatch) {
        if (!Array.isArray(patch[listKey])) throw errBadArgType('[]interface {}', patch[listKey]);
        patchList = patch[listKey] as unknown[];
      }
      const meta = childMeta(type, listKey, this.lookup);
      validatePatchWithSetOrderList(patchList, order, meta.mergeKey);

      let merged: unknown[];
      if (foundOriginal && !foundPatch) merged = originalList;
      else if (!foundOriginal && foundPatch) merged = removeDirectives(patchList).value as unknown[];
      else if (foundOriginal && foundPatch) merged = this.mergeSliceHandler(originalList, patchList, meta, false);
      else continue;

      const kind = sliceElementKind(originalList, patchList);
      const [patchItems, serverOnly] = meta.mergeKey
        ? partitionMapsByPresence(merged, order, meta.mergeKey)
        : partitionPrimitivesByPresence(merged, order);
      original[listKey] = normalizeElementOrder(patchItems, serverOnly, order, originalList, meta.mergeKey, kind);
      delete patch[listKey];
    }
  }

  private mergeSliceHandler(original: unknown[], patch: unknown[], meta: PatchMeta, isDeleteList: boolean): unknown[] {
    if (meta.strategy !== 'merge') return patch;
    return this.mergeSlice(original, patch, elementType(meta.type), meta.mergeKey, isDeleteList);
  }

  private mergeSlice(original: unknown[], patch: unknown[], elem: TypeRef | undefined, mergeKey: string, isDeleteList: boolean): unknown[] {
    if (original.length === 0 && patch.length === 0) return original;
    const kind = sliceElementKind(original, patch);
    let merged: unknown[];
    let serverOrder = original;
    let patchOrder = patch;
    if (kind !== 'map') {
      if (isDeleteList) return deleteFromSlice(original, patch);
      merged = dedupeScalars([...original, ...patch]);
    } else {
      if (!mergeKey) throw new SmpFailure('internal', 'cannot merge lists without merge key for type struct');
      const special = mergeSliceWithSpecialElements(original, patch, mergeKey);
      serverOrder = special.original;
      patchOrder = special.patch;
      merged = this.mergeSliceWithoutSpecialElements([...special.original], special.patch, mergeKey, elem);
    }
    const [patchItems, serverOnly] = mergeKey
      ? partitionMapsByPresence(merged, patchOrder, mergeKey)
      : partitionPrimitivesByPresence(merged, patchOrder);
    return normalizeElementOrder(patchItems, serverOnly, patchOrder, serverOrder, mergeKey, kind);
  }

  private mergeSliceWithoutSpecialElements(original: unknown[], patch: unknown[], mergeKey: string, elem: TypeRef | undefined): unknown[] {
    for (const v of patch) {
      const item = v as JsonMap;
      if (!(mergeKey in item)) throw errNoMergeKey(item, mergeKey);
      const idx = findByKey(original, mergeKey, item[mergeKey]);
      if (idx >= 0) original[idx] = this.mergeMap(original[idx] as JsonMap, item, elem);
      else {
        discardNulls(item);
        original.push(removeDirectives(item).value);
      }
    }
    return original;
  }
}

function extractKey(s: string, prefix: string): string {
  const slash = s.indexOf('/');
  if (slash < 0 || s.slice(0, slash) !== prefix) {
    if (prefix === DELETE_FROM_PRIMITIVE_LIST) throw errBadPrimitiveList();
    throw errBadSetElementOrder();
  }
  return s.slice(slash + 1);
}

function findByKey(list: unknown[], key: string, value: unknown): number {
  for (let i = 0; i < list.length; i++) {
    const m = list[i];
    if (!isMap(m)) throw new SmpFailure('internal', `value for key ${i} is not a map.`);
    if (key in m && m[key] === value) return i;
  }
  return -1;
}

/** Applies `$patch` elements inside a merging list: delete by key, or replace the whole list. */
function mergeSliceWithSpecialElements(original: unknown[], patch: unknown[], mergeKey: string): { original: unknown[]; patch: unknown[] } {
  const plain: unknown[] = [];
  let replace = false;
  let out = original;
  for (const v of patch) {
    const item = v as JsonMap;
    if (!(DIRECTIVE in item)) {
      plain.push(v);
      continue;
    }
    const directive = item[DIRECTIVE];
    if (directive === 'delete') {
      if (!(mergeKey in item)) throw errNoMergeKey(item, mergeKey);
      out = out.filter((o) => !(isMap(o) && mergeKey in o && o[mergeKey] === item[mergeKey]));
    } else if (directive === 'replace') {
      replace = true;
    } else if (directive === 'merge') {
      throw new SmpFailure('internal', 'merging lists cannot yet be specified in the patch');
    } else {
      throw errBadPatchType(directive, item);
    }
  }
  return replace ? { original: plain, patch: [] } : { original: out, patch: plain };
}

function deleteFromSlice(current: unknown[], toDelete: unknown[]): unknown[] {
  const gone = new Set(toDelete);
  return current.filter((v) => !gone.has(v));
}

function dedupeScalars(list: unknown[]): unknown[] {
  return [...new Set(list)];
}

function partitionPrimitivesByPresence(list: unknown[], by: unknown[]): [unknown[], unknown[]] {
  const present = new Set(by);
  return [list.filter((v) => present.has(v)), list.filter((v) => !present.has(v))];
}

function partitionMapsByPresence(list: unknown[], by: unknown[], mergeKey: string): [unknown[], unknown[]] {
  const inPatch: unknown[] = [];
  const serverOnly: unknown[] = [];
  for (const v of list) {
    if (!isMap(v)) throw errBadArgType('map[string]interface {}', v);
    if (!(mergeKey in v)) throw errNoMergeKey(v, mergeKey);
    if (findByKey(by, mergeKey, v[mergeKey]) >= 0) inPatch.push(v);
    else serverOnly.push(v);
  }
  return [inPatch, serverOnly];
}

/** Patch items must appear in the same relative order as in `$setElementOrder` (deletions ignored). */
function validatePatchWithSetOrderList(patchList: unknown[], order: unknown[], mergeKey: string): void {
  if (order.length === 0 || patchList.length === 0) return;
  const nonDelete = mergeKey ? patchList.filter((v) => !(isMap(v) && v[DIRECTIVE] === 'delete')) : patchList;
  let p = 0;
  let s = 0;
  while (p < nonDelete.length && s < order.length) {
    if (isMap(nonDelete[p]) && DIRECTIVE in (nonDelete[p] as JsonMap)) {
      p++;
      continue;
    }
    if (mergeKeyValueEqual(nonDelete[p], order[s], mergeKey)) p++;
    s++;
  }
  if (p < nonDelete.length && s >= order.length) {
    throw new SmpFailure(
      'internal',
      `the order in patch list:\n${goFormat(patchList)}\n doesn't match ${SET_ELEMENT_ORDER} list:\n${goFormat(order)}`,
    );
  }
}

function mergeKeyValueEqual(left: unknown, right: unknown, mergeKey: string): boolean {
  if (!mergeKey) return left === right;
  if (!isMap(left)) throw errBadArgType('map[string]interface {}', left);
  if (!isMap(right)) throw errBadArgType('map[string]interface {}', right);
  if (!(mergeKey in left)) throw errNoMergeKey(left, mergeKey);
  if (!(mergeKey in right)) throw errNoMergeKey(right, mergeKey);
  return left[mergeKey] === right[mergeKey];
}

function indexIn(list: unknown[], v: unknown, mergeKey: string, kind: Kind): number {
  const key = (x: unknown) => (kind === 'map' ? (isMap(x) ? x[mergeKey] : undefined) : x);
  const want = key(v);
  return list.findIndex((x) => key(x) === want);
}

/** Go's stable insertion sort with strategicpatch's "unknown sorts first" comparator. */
function normalizeSliceOrder(toSort: unknown[], order: unknown[], mergeKey: string, kind: Kind): unknown[] {
  let items = [...toSort];
  let toDelete: unknown[] = [];
  if (kind === 'map') {
    for (const v of [...items, ...order]) {
      if (!isMap(v)) throw errBadArgType('map[string]interface {}', v);
      if (!(mergeKey in v)) throw errNoMergeKey(v, mergeKey);
    }
    toDelete = items.filter((v) => (v as JsonMap)[DIRECTIVE] === 'delete');
    items = items.filter((v) => (v as JsonMap)[DIRECTIVE] !== 'delete');
  }
  const less = (a: unknown, b: unknown): boolean => {
    const ia = indexIn(order, a, mergeKey, kind);
    const ib = indexIn(order, b, mergeKey, kind);
    return ia >= 0 && ib >= 0 ? ia < ib : true;
  };
  for (let i = 1; i < items.length; i++) {
    for (let j = i; j > 0 && less(items[j], items[j - 1]); j--) {
      [items[j], items[j - 1]] = [items[j - 1], items[j]];
    }
  }
  return [...items, ...toDelete];
}

/** Interleaves server-only items into the patch items, following the live order where both are known. */
function normalizeElementOrder(
  patchItems: unknown[],
  serverOnly: unknown[],
  patchOrder: unknown[],
  serverOrder: unknown[],
  mergeKey: string,
  kind: Kind,
): unknown[] {
  const right = normalizeSliceOrder(patchItems, patchOrder, mergeKey, kind);
  const left = normalizeSliceOrder(serverOnly, serverOrder, mergeKey, kind);
  const out: unknown[] = [];
  let i = 0;
  let j = 0;
  while (i < left.length || j < right.length) {
    if (i >= left.length) out.push(right[j++]);
    else if (j >= right.length) out.push(left[i++]);
    else {
      const li = indexIn(serverOrder, left[i], mergeKey, kind);
      const ri = indexIn(serverOrder, right[j], mergeKey, kind);
      if (li >= 0 && ri >= 0 && li < ri) out.push(left[i++]);
      else out.push(right[j++]);
    }
  }
  return out;
}

/**
 * Applies a strategic merge patch to `original` (not modified) and returns the
 * result. `rootTypeName` names the object's TypeDef; fields the schema does not
 * know merge like JSON merge patch. Throws PatchError with Kubernetes' codes.
 */
export function strategicMergePatch(original: unknown, patch: unknown, rootTypeName: string, lookup: TypeLookup): any {
  if (patch === null || patch === undefined) return structuredClone(original);
  if (!isMap(patch)) {
    const kind = Array.isArray(patch) ? 'array' : typeof patch === 'boolean' ? 'bool' : typeof patch;
    throw new PatchError(400, 'BadRequest', `json: cannot unmarshal ${kind} into Go value of type map[string]interface {}`);
  }
  const base = isMap(original) ? structuredClone(original) : {};
  try {
    const out = new Merger(lookup).mergeMap(base, structuredClone(patch), { t: 'ref', name: rootTypeName });
    stripLeftoverDirectives(out);
    return out;
  } catch (e) {
    if (e instanceof SmpFailure) throw toPatchError(e);
    throw e;
  }
}
