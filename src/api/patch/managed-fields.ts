// Field ownership bookkeeping for server-side apply: sets of field paths, their
// FieldsV1 encoding ("f:", "k:", "v:", "i:" keys with "." marking an owned
// node that also has owned children), and the two walks the field manager needs:
// the fields an applied configuration sets, and what changed between two objects.

import type { FieldDef, TypeDef, TypeRef } from '../schema/dsl.js';
import { deepEqual } from './json-patch.js';
import { findField, type TypeLookup } from './strategic-merge.js';

// ---- paths and sets -----------------------------------------------------

/** One step of a field path, already in its FieldsV1 form, e.g. `f:spec` or `k:{"name":"main"}`. */
export type PathElement = string;
export type FieldPath = readonly PathElement[];

const keyOf = (p: FieldPath): string => JSON.stringify(p);

/** An immutable-by-convention set of field paths. */
export class FieldSet {
  private readonly paths = new Map<string, FieldPath>();

  constructor(paths: Iterable<FieldPath> = []) {
    for (const p of paths) this.insert(p);
  }

  insert(p: FieldPath): void {
    this.paths.set(keyOf(p), [...p]);
  }

  has(p: FieldPath): boolean {
    return this.paths.has(keyOf(p));
  }

  get size(): number {
    return this.paths.size;
  }

  isEmpty(): boolean {
    return this.paths.size === 0;
  }

  list(): FieldPath[] {
    return [...this.paths.values()];
  }

  union(other: FieldSet): FieldSet {
    return new FieldSet([...this.list(), ...other.list()]);
  }

  difference(other: FieldSet): FieldSet {
    return new FieldSet(this.list().filter((p) => !other.has(p)));
  }

  intersection(other: FieldSet): FieldSet {
    return new FieldSet(this.list().filter((p) => other.has(p)));
  }

  /** Drops every path equal to or below one of `prefixes`. */
  withoutSubtrees(prefixes: FieldPath[]): FieldSet {
    return new FieldSet(this.list().filter((p) => !prefixes.some((pre) => isPrefix(pre, p))));
  }

  /** Keeps only paths equal to or below one of `prefixes`. */
  onlySubtrees(prefixes: FieldPath[]): FieldSet {
    return new FieldSet(this.list().filter((p) => prefixes.some((pre) => isPrefix(pre, p))));
  }

  /** True when some member is `p` or lies below it. */
  hasAtOrBelow(p: FieldPath): boolean {
    return this.list().some((m) => isPrefix(p, m));
  }

  /** Members in FieldsV1 order, so conflict lists are stable. */
  sorted(): FieldPath[] {
    return this.list().sort(comparePaths);
  }
}

export function isPrefix(prefix: FieldPath, p: FieldPath): boolean {
  return prefix.length <= p.length && prefix.every((e, i) => e === p[i]);
}

const PE_RANK: Record<string, number> = { f: 0, k: 1, v: 2, i: 3 };

/** Field names first (by name), then keys, values and indexes, as structured-merge-diff orders them. */
export function compareElements(a: PathElement, b: PathElement): number {
  const ra = PE_RANK[a[0]] ?? 9;
  const rb = PE_RANK[b[0]] ?? 9;
  if (ra !== rb) return ra - rb;
  if (a[0] === 'i') return Number(a.slice(2)) - Number(b.slice(2));
  return a < b ? -1 : a > b ? 1 : 0;
}

export function comparePaths(a: FieldPath, b: FieldPath): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const c = compareElements(a[i], b[i]);
    if (c !== 0) return c;
  }
  return a.length - b.length;
}

// ---- FieldsV1 -----------------------------------------------------------

interface TrieNode {
  member: boolean;
  children: Map<PathElement, TrieNode>;
}

const newNode = (): TrieNode => ({ member: false, children: new Map() });

/** Encodes a set as a FieldsV1 object. */
export function toFieldsV1(set: FieldSet): Record<string, unknown> {
  const root = newNode();
  for (const p of set.list()) {
    let n = root;
    for (const pe of p) {
      let c = n.children.get(pe);
      if (!c) n.children.set(pe, (c = newNode()));
      n = c;
    }
    n.member = true;
  }
  const emit = (n: TrieNode, includeSelf: boolean): Record<string, unknown> => {
    const out: Record<string, unknown> = {};
    if (includeSelf && n.children.size > 0) out['.'] = {};
    for (const pe of [...n.children.keys()].sort(compareElements)) {
      const c = n.children.get(pe)!;
      out[pe] = emit(c, c.member);
    }
    return out;
  };
  return emit(root, false);
}

/** Decodes a FieldsV1 object; unknown shapes are ignored rather than fatal. */
export function fromFieldsV1(v: unknown): FieldSet {
  const set = new FieldSet();
  const walk = (node: unknown, path: PathElement[]): void => {
    if (typeof node !== 'object' || node === null || Array.isArray(node)) return;
    const entries = Object.entries(node as Record<string, unknown>);
    if (path.length > 0 && entries.length === 0) set.insert(path);
    for (const [k, child] of entries) {
      if (k === '.') set.insert(path);
      else walk(child, [...path, k]);
    }
  };
  walk(v, []);
  return set;
}

/** A path as Kubernetes prints it in conflict messages: `.spec.containers[name="main"].image`. */
export function pathToString(p: FieldPath): string {
  return p
    .map((pe) => {
      const body = pe.slice(2);
      switch (pe[0]) {
        case 'f':
          return `.${body}`;
        case 'k': {
          const key = JSON.parse(body) as Record<string, unknown>;
          return `[${Object.entries(key)
            .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
            .join(',')}]`;
        }
        case 'v':
          return `[=${body}]`;
        default:
          return `[${body}]`;
      }
    })
    .join('');
}

// ---- schema shapes ------------------------------------------------------

/** Structs Kubernetes marks as atomic (x-kubernetes-map-type / structType atomic): owned as one leaf. */
const ATOMIC_STRUCTS = new Set(
  [
    'io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelector',
    'io.k8s.api.core.v1.ConfigMapKeySelector',
    'io.k8s.api.core.v1.SecretKeySelector',
    'io.k8s.api.core.v1.ObjectFieldSelector',
    'io.k8s.api.core.v1.ResourceFieldSelector',
    'io.k8s.api.core.v1.NodeSelector',
    'io.k8s.api.core.v1.NodeSelectorTerm',
    'io.k8s.api.core.v1.TopologySelectorTerm',
    'io.k8s.api.core.v1.LocalObjectReference',
    'io.k8s.api.core.v1.TypedLocalObjectReference',
    'io.k8s.api.core.v1.ObjectReference',
  ],
);

export type Shape =
  | { kind: 'struct'; def: TypeDef }
  | { kind: 'map'; of: TypeRef }
  | { kind: 'list'; rel: 'set' | 'associative'; keys: string[]; of: TypeRef }
  | { kind: 'leaf' } // scalars and atomic values: owned as a whole
  | { kind: 'untyped' }; // free-form JSON: maps are granular, lists atomic

/** Where a value sits in the schema: its type and the field that declared it (if any). */
export interface Slot {
  ref: TypeRef | undefined;
  field?: FieldDef;
}

export class Schema {
  constructor(readonly lookup: TypeLookup) {}

  shape(slot: Slot): Shape {
    const ref = slot.ref;
    if (!ref) return { kind: 'untyped' };
    switch (ref.t) {
      case 'ref': {
        const def = this.lookup(ref.name);
        if (!def) return { kind: 'untyped' };
        return ATOMIC_STRUCTS.has(def.name) ? { kind: 'leaf' } : { kind: 'struct', def };
      }
      case 'map':
        return { kind: 'map', of: ref.of };
      case 'array':
        return this.listShape(ref.of, slot.field);
      case 'raw':
      case 'fieldsV1':
        return { kind: 'untyped' };
      default:
        return { kind: 'leaf' };
    }
  }

  private listShape(of: TypeRef, f: FieldDef | undefined): Shape {
    const strategy = f?.patchStrategy?.split(',') ?? [];
    let rel: 'atomic' | 'set' | 'associative' = 'atomic';
    let keys: string[] = [];
    if (f?.listType === 'map') {
      rel = 'associative';
      keys = f.listMapKeys ?? (f.mergeKey ? [f.mergeKey] : []);
    } else if (f?.listType === 'set') {
      rel = 'set';
    } else if (!f?.listType && strategy.includes('merge')) {
      rel = f?.mergeKey ? 'associative' : 'set';
      keys = f?.mergeKey ? [f.mergeKey] : [];
    }
    if (rel === 'atomic' || (rel === 'associative' && keys.length === 0)) return { kind: 'leaf' };
    return { kind: 'list', rel, keys, of };
  }

  /** The slot of key `key` inside a map value of the given shape. */
  child(shape: Shape, key: string): Slot {
    if (shape.kind === 'struct') {
      const f = findField(shape.def, key, this.lookup);
      return f ? { ref: f.type, field: f } : { ref: undefined };
    }
    if (shape.kind === 'map') return { ref: shape.of };
    return { ref: undefined };
  }

  /** Whether `key` is a declared field of a struct (map entries and unknown keys are not). */
  isDeclared(shape: Shape, key: string): boolean {
    return shape.kind === 'struct' && findField(shape.def, key, this.lookup) !== undefined;
  }

  /** The path element that identifies a list item. */
  itemElement(shape: Extract<Shape, { kind: 'list' }>, item: unknown): PathElement {
    if (shape.rel === 'set') return `v:${JSON.stringify(item)}`;
    const key: Record<string, unknown> = {};
    const elemDef = shape.of.t === 'ref' ? this.lookup(shape.of.name) : undefined;
    for (const k of [...shape.keys].sort()) {
      let v = isMap(item) ? item[k] : undefined;
      // A key field left out falls back to its schema default (e.g. port protocol TCP).
      if (v === undefined && elemDef) v = findField(elemDef, k, this.lookup)?.default;
      if (v !== undefined) key[k] = v;
    }
    return `k:${JSON.stringify(key)}`;
  }
}

export function isMap(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const isEmptyMap = (v: unknown) => isMap(v) && Object.keys(v).length === 0;

// ---- the fields an applied configuration sets ---------------------------

/** Every field path `value` sets, following structured-merge-diff's rules for an apply configuration. */
export function fieldSetOf(value: unknown, root: Slot, schema: Schema): FieldSet {
  const set = new FieldSet();
  const walk = (v: unknown, slot: Slot, path: PathElement[]): void => {
    const shape = schema.shape(slot);
    if (shape.kind === 'leaf' || (shape.kind === 'untyped' && !isMap(v))) {
      if (path.length > 0) set.insert(path);
      return;
    }
    if (shape.kind === 'list') {
      if (!Array.isArray(v)) {
        if (path.length > 0) set.insert(path);
        return;
      }
      for (const item of v) {
        const itemPath = [...path, schema.itemElement(shape, item)];
        set.insert(itemPath);
        if (shape.rel === 'associative') walk(item, { ref: shape.of }, itemPath);
      }
      return;
    }
    if (!isMap(v)) {
      if (path.length > 0) set.insert(path);
      return;
    }
    for (const [k, child] of Object.entries(v)) {
      const childPath = [...path, `f:${k}`];
      walk(child, schema.child(shape, k), childPath);
      if (child === null || isEmptyMap(child) || !schema.isDeclared(shape, k)) set.insert(childPath);
    }
  };
  walk(value, root, []);
  return set;
}

// ---- what changed between two objects -----------------------------------

export interface Comparison {
  added: FieldSet;
  modified: FieldSet;
  removed: FieldSet;
}

/**
 * Compares two versions of an object. A typed Kubernetes object always carries
 * its non-pointer structs (and lists without omitempty) even when empty, so a
 * missing one is treated as present-but-empty when its parent exists: creating
 * `spec.strategy.type` does not make the creator own `spec.strategy` itself.
 */
export function compareObjects(oldObj: unknown, newObj: unknown, root: Slot, schema: Schema): Comparison {
  const c: Comparison = { added: new FieldSet(), modified: new FieldSet(), removed: new FieldSet() };

  const leaf = (a: unknown, b: unknown, path: PathElement[]) => {
    if (path.length === 0) return;
    if (a === undefined && b === undefined) return;
    if (a === undefined) c.added.insert(path);
    else if (b === undefined) c.removed.insert(path);
    else if (!deepEqual(a, b)) c.modified.insert(path);
  };

  const alwaysPresent = (slot: Slot): boolean => {
    const f = slot.field;
    if (!f) return false;
    if (f.type.t === 'ref') return !f.pointer;
    return !!f.required && (f.type.t === 'array' || f.type.t === 'map');
  };

  // A map or list that did not exist at all (not even as null) is owned as a node too.
  const nodeAppears = (a: unknown, b: unknown, path: PathElement[]) => {
    if (path.length === 0) return;
    if (a === undefined && b !== undefined) c.added.insert(path);
    if (a !== undefined && b === undefined) c.removed.insert(path);
  };

  const walk = (a: unknown, b: unknown, slot: Slot, path: PathElement[], aParent: boolean, bParent: boolean): void => {
    const shape = schema.shape(slot);
    // Virtual presence of always-serialised fields.
    if (alwaysPresent(slot)) {
      const empty = slot.field!.type.t === 'array' ? null : {};
      if (a === undefined && aParent) a = empty;
      if (b === undefined && bParent) b = empty;
    }

    if (shape.kind === 'leaf' || (shape.kind === 'untyped' && !isMap(a) && !isMap(b))) {
      leaf(a, b, path);
      return;
    }
    if (shape.kind === 'list') {
      const al = Array.isArray(a) ? a : [];
      const bl = Array.isArray(b) ? b : [];
      if (al.length === 0 && bl.length === 0) {
        // Empty and null lists are plain values.
        leaf(a === null ? undefined : a, b === null ? undefined : b, path);
        return;
      }
      nodeAppears(a, b, path);
      const aItems = new Map(al.map((x) => [schema.itemElement(shape, x), x] as const));
      const bItems = new Map(bl.map((x) => [schema.itemElement(shape, x), x] as const));
      for (const [pe, x] of bItems) {
        const itemPath = [...path, pe];
        if (!aItems.has(pe)) c.added.insert(itemPath);
        if (shape.rel === 'associative') walk(aItems.get(pe), x, { ref: shape.of }, itemPath, aItems.has(pe), true);
      }
      for (const [pe, x] of aItems) {
        if (bItems.has(pe)) continue;
        const itemPath = [...path, pe];
        c.removed.insert(itemPath);
        if (shape.rel === 'associative') walk(x, undefined, { ref: shape.of }, itemPath, true, false);
      }
      return;
    }
    // struct, map or free-form map
    const am = isMap(a) ? a : undefined;
    const bm = isMap(b) ? b : undefined;
    if ((!am || isEmptyMap(am)) && (!bm || isEmptyMap(bm))) {
      leaf(am ?? (a === null ? undefined : a), bm ?? (b === null ? undefined : b), path);
      return;
    }
    nodeAppears(a, b, path);
    const keys = new Set([...Object.keys(am ?? {}), ...Object.keys(bm ?? {})]);
    if (shape.kind === 'struct') {
      // Always-present children must be visited even when neither side spells them out.
      for (const f of shape.def.fields) if (!f.inline && alwaysPresent({ ref: f.type, field: f })) keys.add(f.json);
    }
    for (const k of keys) {
      walk(am?.[k], bm?.[k], schema.child(shape, k), [...path, `f:${k}`], !!am, !!bm);
    }
  };

  // The root object always exists (a create compares against the empty object).
  walk(isMap(oldObj) ? oldObj : {}, isMap(newObj) ? newObj : {}, root, [], true, true);
  return c;
}
