// Server-side apply and managedFields tracking, after Kubernetes' field manager
// (structured-merge-diff): an apply merges the configuration into the live
// object, takes ownership of exactly the fields it sets, removes fields it set
// last time and nobody owns any more, and refuses to change fields other
// managers own unless forced. Every other write records the fields it changed
// under an "Update" entry for its manager.

import { deepEqual, PatchError } from './json-patch.js';
import {
  compareObjects,
  FieldSet,
  fieldSetOf,
  fromFieldsV1,
  isMap,
  pathToString,
  Schema,
  toFieldsV1,
  type FieldPath,
  type Slot,
} from './managed-fields.js';
import type { TypeLookup } from './strategic-merge.js';

export interface ManagedFieldsEntry {
  manager: string;
  operation: 'Apply' | 'Update';
  apiVersion: string;
  time?: string;
  fieldsType: 'FieldsV1';
  fieldsV1: Record<string, unknown>;
  subresource?: string;
}

interface Manager {
  manager: string;
  operation: 'Apply' | 'Update';
  apiVersion: string;
  time?: string;
  subresource?: string;
  set: FieldSet;
}

/** Manager name Kubernetes uses for fields that existed before the first apply. */
export const BEFORE_FIRST_APPLY = 'before-first-apply';

export function rfc3339Seconds(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Appliers keep one entry across API versions; updaters get one per version (and subresource). */
function identity(m: Pick<Manager, 'manager' | 'operation' | 'apiVersion' | 'subresource'>): string {
  const e: Record<string, string> = { manager: m.manager, operation: m.operation };
  if (m.operation === 'Update') e.apiVersion = m.apiVersion;
  if (m.subresource) e.subresource = m.subresource;
  return JSON.stringify(e);
}

function decodeManagers(entries: unknown): Manager[] {
  if (!Array.isArray(entries)) return [];
  const out: Manager[] = [];
  for (const e of entries) {
    if (!isMap(e) || typeof e.manager !== 'string') continue;
    out.push({
      manager: e.manager,
      operation: e.operation === 'Apply' ? 'Apply' : 'Update',
      apiVersion: typeof e.apiVersion === 'string' ? e.apiVersion : '',
      time: typeof e.time === 'string' ? e.time : undefined,
      subresource: typeof e.subresource === 'string' && e.subresource ? e.subresource : undefined,
      set: fromFieldsV1(e.fieldsV1),
    });
  }
  return out;
}

const seconds = (t: string | undefined) => (t ? Math.floor(Date.parse(t) / 1000) || 0 : 0);

/** Encodes in Kubernetes' order: Apply before Update, then by time, manager, apiVersion, subresource. */
function encodeManagers(managers: Manager[]): ManagedFieldsEntry[] {
  const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return managers
    .filter((m) => !m.set.isEmpty())
    .sort(
      (p, q) =>
        cmp(p.operation, q.operation) ||
        seconds(p.time) - seconds(q.time) ||
        cmp(p.manager, q.manager) ||
        cmp(p.apiVersion, q.apiVersion) ||
        cmp(p.subresource ?? '', q.subresource ?? ''),
    )
    .map((m) => {
      const e: ManagedFieldsEntry = { manager: m.manager, operation: m.operation, apiVersion: m.apiVersion } as ManagedFieldsEntry;
      if (m.time) e.time = m.time;
      e.fieldsType = 'FieldsV1';
      e.fieldsV1 = toFieldsV1(m.set);
      if (m.subresource) e.subresource = m.subresource;
      return e;
    });
}

// Metadata the server owns; never attributed to a manager.
const STRIPPED: FieldPath[] = [
  ['f:apiVersion'],
  ['f:kind'],
  ['f:metadata', 'f:name'],
  ['f:metadata', 'f:namespace'],
  ['f:metadata', 'f:creationTimestamp'],
  ['f:metadata', 'f:selfLink'],
  ['f:metadata', 'f:uid'],
  ['f:metadata', 'f:clusterName'],
  ['f:metadata', 'f:generation'],
  ['f:metadata', 'f:managedFields'],
  ['f:metadata', 'f:resourceVersion'],
];

/** Restricts a set to what a write through `subresource` may own: status only there, never status elsewhere. */
function scoped(set: FieldSet, subresource: string | undefined): FieldSet {
  const s = set.difference(new FieldSet([['f:metadata']])).withoutSubtrees(STRIPPED);
  return subresource === 'status' ? s.onlySubtrees([['f:status']]) : s.withoutSubtrees([['f:status']]);
}

// ---- applying a configuration ---------------------------------------------

function stripNulls(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(stripNulls);
  if (isMap(v)) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) if (x !== null) out[k] = stripNulls(x);
    return out;
  }
  return v;
}

/** Merges an apply configuration into a live value: maps and keyed lists merge, everything else is replaced. */
function mergeApplied(lhs: unknown, rhs: unknown, slot: Slot, schema: Schema): unknown {
  if (rhs === undefined) return lhs;
  const shape = schema.shape(slot);
  if (shape.kind === 'list') {
    if (!Array.isArray(lhs) || !Array.isArray(rhs)) return structuredClone(rhs);
    return mergeList(lhs, rhs, shape, schema);
  }
  if (shape.kind === 'leaf' || !isMap(lhs) || !isMap(rhs)) return structuredClone(rhs);
  const out: Record<string, unknown> = { ...lhs };
  for (const [k, v] of Object.entries(rhs)) out[k] = mergeApplied(lhs[k], v, schema.child(shape, k), schema);
  return out;
}

/**
 * Merges keyed (or set) lists the way structured-merge-diff does: items of the
 * configuration keep their relative order, live-only items stay where they were.
 */
function mergeList(lhs: unknown[], rhs: unknown[], shape: Extract<ReturnType<Schema['shape']>, { kind: 'list' }>, schema: Schema): unknown[] {
  const lpe = lhs.map((x) => schema.itemElement(shape, x));
  const rpe = rhs.map((x) => schema.itemElement(shape, x));
  const lhsBy = new Map(lpe.map((pe, i) => [pe, lhs[i]] as const));
  const rhsSet = new Set(rpe);
  const shared = rpe.filter((pe) => lhsBy.has(pe));
  let nextShared = shared.shift();
  const done = new Set<string>();
  const out: unknown[] = [];
  const item = (pe: string, r: unknown) =>
    shape.rel === 'associative' ? mergeApplied(lhsBy.get(pe), r, { ref: shape.of }, schema) : structuredClone(r);
  let l = 0;
  let r = 0;
  while (l < lhs.length || r < rhs.length) {
    if (l < lhs.length && r < rhs.length) {
      if (lpe[l] === rpe[r]) {
        out.push(item(rpe[r], rhs[r]));
        done.add(rpe[r]);
        l++;
        r++;
        nextShared = shared.shift();
        continue;
      }
      if (rhsSet.has(lpe[l]) && nextShared !== undefined && nextShared !== lpe[l]) {
        l++; // a shared item, but not the one due now
        continue;
      }
    }
    if (l < lhs.length) {
      if (!rhsSet.has(lpe[l])) {
        out.push(structuredClone(lhs[l]));
        l++;
        continue;
      }
      if (done.has(lpe[l])) {
        l++;
        continue;
      }
    }
    if (r < rhs.length) {
      done.add(rpe[r]);
      out.push(item(rpe[r], rhs[r]));
      if (nextShared === rpe[r]) nextShared = shared.shift();
      r++;
    }
  }
  return out;
}

/**
 * Removes fields the applier set last time but no longer sets, unless someone
 * (including the applier's new configuration) still owns them or something below.
 * Key fields of surviving list items are kept so the item stays addressable.
 */
function prune(obj: unknown, candidates: FieldSet, owned: FieldSet, root: Slot, schema: Schema): void {
  if (candidates.isEmpty()) return;
  const walk = (v: unknown, slot: Slot, path: string[], keyFields: string[]): void => {
    const shape = schema.shape(slot);
    if (shape.kind === 'list' && Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) {
        const p = [...path, schema.itemElement(shape, v[i])];
        if (candidates.has(p) && !owned.hasAtOrBelow(p)) v.splice(i, 1);
        else if (shape.rel === 'associative') walk(v[i], { ref: shape.of }, p, shape.keys);
      }
      return;
    }
    if ((shape.kind === 'struct' || shape.kind === 'map' || shape.kind === 'untyped') && isMap(v)) {
      for (const k of Object.keys(v)) {
        if (keyFields.includes(k)) continue;
        const p = [...path, `f:${k}`];
        if (candidates.has(p) && !owned.hasAtOrBelow(p)) delete v[k];
        else walk(v[k], schema.child(shape, k), p, []);
      }
    }
  };
  walk(obj, root, [], []);
}

function printManager(m: Manager): string {
  let s = JSON.stringify(m.manager);
  if (m.subresource) s += ` with subresource ${JSON.stringify(m.subresource)}`;
  if (m.operation === 'Update') s += ` using ${m.apiVersion}`;
  return s;
}

function conflictError(conflicts: { manager: Manager; path: FieldPath }[]): PatchError {
  const causes = conflicts.map((c) => ({
    reason: 'FieldManagerConflict',
    message: `conflict with ${printManager(c.manager)}`,
    field: pathToString(c.path),
  }));
  let message: string;
  if (conflicts.length === 1) {
    message = `Apply failed with 1 conflict: conflict with ${printManager(conflicts[0].manager)}: ${pathToString(conflicts[0].path)}`;
  } else {
    const lines: string[] = [];
    let current: string | undefined;
    for (const c of conflicts) {
      const id = identity(c.manager);
      if (id !== current) {
        lines.push(`conflicts with ${printManager(c.manager)}:`);
        current = id;
      }
      lines.push(`- ${pathToString(c.path)}`);
    }
    message = `Apply failed with ${conflicts.length} conflicts: ${lines.join('\n')}`;
  }
  return new PatchError(409, 'Conflict', message, { causes });
}

export interface ServerSideApplyInput {
  /** The stored object, or undefined when the apply creates it. */
  live: any;
  /** The configuration from the request body (already decoded). */
  applied: any;
  manager: string;
  force: boolean;
  rootTypeName: string;
  lookup: TypeLookup;
  /** e.g. "v1" or "apps/v1" */
  apiVersion: string;
  now: Date;
  subresource?: string;
}

export interface ServerSideApplyResult {
  object: any;
  managedFields: ManagedFieldsEntry[];
}

/** Applies a configuration; throws PatchError 409 Conflict when other managers own fields it would change. */
export function serverSideApply(input: ServerSideApplyInput): ServerSideApplyResult {
  const { live, manager, force, apiVersion, subresource } = input;
  const schema = new Schema(input.lookup);
  const root: Slot = { ref: { t: 'ref', name: input.rootTypeName } };
  const time = rfc3339Seconds(input.now);
  const liveObj: Record<string, any> | undefined = isMap(live) ? live : undefined;

  const managers = decodeManagers(liveObj?.metadata?.managedFields);
  if (liveObj && managers.length === 0) {
    // An object nobody tracked yet: its current fields belong to a placeholder manager.
    const set = scoped(fieldSetOf(withoutManagedFields(liveObj), root, schema), subresource);
    if (!set.isEmpty()) managers.push({ manager: BEFORE_FIRST_APPLY, operation: 'Update', apiVersion, time, set });
  }

  const config = stripNulls(structuredClone(input.applied));
  const configSet = scoped(fieldSetOf(config, root, schema), subresource);
  const merged = mergeApplied(liveObj ?? {}, config, root, schema) as Record<string, any>;

  const applierId = identity({ manager, operation: 'Apply', apiVersion, subresource });
  const previous = managers.find((m) => identity(m) === applierId);
  const applier: Manager = { manager, operation: 'Apply', apiVersion, time: previous?.time, subresource, set: configSet };
  if (previous) managers.splice(managers.indexOf(previous), 1, applier);
  else managers.push(applier);

  if (previous) {
    const owned = managers.reduce((acc, m) => acc.union(m.set), new FieldSet());
    prune(merged, previous.set.difference(configSet), owned, root, schema);
  }

  const cmp = compareObjects(withoutManagedFields(liveObj ?? {}), withoutManagedFields(merged), root, schema);
  const changed = scoped(cmp.added.union(cmp.modified), subresource);
  const removed = scoped(cmp.removed, subresource);

  const conflicts: { manager: Manager; path: FieldPath }[] = [];
  const others = managers.filter((m) => m !== applier);
  for (const m of [...others].sort((a, b) => (identity(a) < identity(b) ? -1 : 1))) {
    for (const p of m.set.intersection(changed).sorted()) conflicts.push({ manager: m, path: p });
  }
  if (conflicts.length && !force) throw conflictError(conflicts);
  for (const m of others) m.set = m.set.difference(changed).difference(removed);

  const objectChanged = !deepEqual(withoutManagedFields(liveObj ?? {}), withoutManagedFields(merged));
  if (objectChanged || !applier.time) applier.time = time;

  const managedFields = encodeManagers(managers);
  merged.metadata = isMap(merged.metadata) ? merged.metadata : {};
  if (managedFields.length) merged.metadata.managedFields = managedFields;
  else delete merged.metadata.managedFields;
  return { object: merged, managedFields };
}

function withoutManagedFields(obj: Record<string, any>): Record<string, any> {
  if (!isMap(obj.metadata) || !('managedFields' in obj.metadata)) return obj;
  const { managedFields: _ignored, ...metadata } = obj.metadata;
  return { ...obj, metadata };
}

// ---- recording ordinary writes --------------------------------------------

export interface RecordUpdateInput {
  /** The stored object before the write; undefined for a create. */
  old: any;
  /** The object about to be stored. */
  new: any;
  manager: string;
  apiVersion: string;
  now: Date;
  rootTypeName: string;
  lookup: TypeLookup;
  subresource?: string;
}

/** True for `[{}]`-style lists: the documented way for a client to wipe managedFields. */
function isReset(entries: unknown): boolean {
  return Array.isArray(entries) && entries.length > 0 && entries.every((e) => isMap(e) && Object.keys(e).length === 0);
}

/**
 * The managedFields to store after a non-apply write (create, update, JSON/merge/
 * strategic patch) by `manager`: fields it changed move to its "Update" entry and
 * away from everyone else. The request's own managedFields win over the stored
 * ones when they differ (clients may edit them), except through a subresource.
 */
export function recordUpdate(input: RecordUpdateInput): ManagedFieldsEntry[] {
  const { manager, apiVersion, subresource } = input;
  const schema = new Schema(input.lookup);
  const root: Slot = { ref: { t: 'ref', name: input.rootTypeName } };
  const time = rfc3339Seconds(input.now);
  const oldEntries = input.old?.metadata?.managedFields;
  const newEntries = input.new?.metadata?.managedFields;

  let managers: Manager[];
  if (subresource) managers = decodeManagers(oldEntries);
  else if (isReset(newEntries)) managers = [];
  else {
    const fromRequest = decodeManagers(newEntries);
    const requestChangedThem = fromRequest.length > 0 && !deepEqual(newEntries, oldEntries);
    // serverSideApply already did the bookkeeping for this very write.
    if (requestChangedThem && fromRequest.some((m) => m.operation === 'Apply' && m.manager === manager && m.time === time)) {
      return encodeManagers(fromRequest);
    }
    managers = fromRequest.length > 0 ? fromRequest : decodeManagers(oldEntries);
  }

  const cmp = compareObjects(withoutManagedFields(input.old ?? {}), withoutManagedFields(input.new ?? {}), root, schema);
  const changed = scoped(cmp.added.union(cmp.modified), subresource);
  const removed = scoped(cmp.removed, subresource);
  for (const m of managers) m.set = m.set.difference(changed).difference(removed);

  if (!changed.isEmpty()) {
    const id = identity({ manager, operation: 'Update', apiVersion, subresource });
    const self = managers.find((m) => identity(m) === id);
    if (self) {
      self.set = self.set.union(changed);
      self.time = time;
    } else {
      managers.push({ manager, operation: 'Update', apiVersion, time, subresource, set: changed });
    }
  }
  return encodeManagers(managers);
}
