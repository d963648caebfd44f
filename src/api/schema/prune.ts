// Drops fields the schema does not know, as decoding into Kubernetes' Go types
// does: with fieldValidation=Warn|Ignore unknown fields are accepted but not stored.

import type { FieldDef, TypeDef, TypeRef } from './dsl.js';

export type TypeLookup = (name: string) => TypeDef | undefined;

/** Fields of a type with inline members flattened, by JSON name (memoised per type). */
const flatCache = new WeakMap<TypeDef, Map<string, FieldDef>>();

export function flatFields(def: TypeDef, lookup: TypeLookup): Map<string, FieldDef> {
  let m = flatCache.get(def);
  if (m) return m;
  m = new Map();
  for (const f of def.fields) {
    if (f.inline && f.type.t === 'ref') {
      const inner = lookup(f.type.name);
      if (inner) for (const [k, v] of flatFields(inner, lookup)) m.set(k, v);
    } else m.set(f.json, f);
  }
  flatCache.set(def, m);
  return m;
}

function pruneValue(v: unknown, t: TypeRef, lookup: TypeLookup): void {
  if (v === null || typeof v !== 'object') return;
  switch (t.t) {
    case 'ref': {
      const def = lookup(t.name);
      if (def && !Array.isArray(v)) pruneObject(v as Record<string, unknown>, def, lookup);
      return;
    }
    case 'array':
      if (Array.isArray(v)) for (const item of v) pruneValue(item, t.of, lookup);
      return;
    case 'map':
      if (!Array.isArray(v)) for (const item of Object.values(v)) pruneValue(item, t.of, lookup);
      return;
    default:
      return;
  }
}

function pruneObject(obj: Record<string, unknown>, def: TypeDef, lookup: TypeLookup): void {
  const fields = flatFields(def, lookup);
  for (const k of Object.keys(obj)) {
    const f = fields.get(k);
    if (!f) delete obj[k];
    else pruneValue(obj[k], f.type, lookup);
  }
}

/** Remove unknown fields in place. */
export function pruneUnknownFields(obj: unknown, typeName: string, lookup: TypeLookup): void {
  pruneValue(obj, { t: 'ref', name: typeName }, lookup);
}
