// The schema registry: every type description, looked up by OpenAPI name or by
// group/version/kind. Everything schema-driven (OpenAPI, validation, patch,
// protobuf) resolves types through here.
import type { TypeDef, TypeRef } from './dsl.js';
import { appsV1Types } from './apps.js';
import { autoscalingV1Types } from './autoscaling.js';
import { batchV1Types } from './batch.js';
import { coordinationV1Types } from './coordination.js';
import { coreV1Types } from './core.js';
import { eventsV1Types } from './events.js';
import { META, metaV1Types } from './meta.js';
import { policyV1Types } from './policy.js';
import { schedulingV1Types } from './scheduling.js';

const typeList: readonly TypeDef[] = [
  ...metaV1Types,
  ...coreV1Types,
  ...appsV1Types,
  ...batchV1Types,
  ...coordinationV1Types,
  ...eventsV1Types,
  ...autoscalingV1Types,
  ...schedulingV1Types,
  ...policyV1Types,
];

export const allTypes: ReadonlyMap<string, TypeDef> = new Map(typeList.map((t) => [t.name, t]));

const gvkKey = (group: string, version: string, kind: string): string => `${group}/${version}/${kind}`;

const byGVK: ReadonlyMap<string, TypeDef> = new Map(
  typeList.filter((t) => t.gvk).map((t) => [gvkKey(t.gvk!.group, t.gvk!.version, t.gvk!.kind), t]),
);

// Kubernetes registers these meta kinds in every group version (e.g. a protobuf
// DeleteOptions may arrive as policy/v1 or apps/v1), so any group/version finds them.
const kindsInEveryGroupVersion: ReadonlyMap<string, string> = new Map([
  ['DeleteOptions', META + 'DeleteOptions'],
  ['WatchEvent', META + 'WatchEvent'],
]);

export function typeByName(name: string): TypeDef | undefined {
  return allTypes.get(name);
}

export function typeForGVK(group: string, version: string, kind: string): TypeDef | undefined {
  const exact = byGVK.get(gvkKey(group, version, kind));
  if (exact) return exact;
  const universal = kindsInEveryGroupVersion.get(kind);
  return universal ? allTypes.get(universal) : undefined;
}

/** Problems in the whole registry; [] when it is sound. */
export function checkSchema(): string[] {
  return checkTypes(typeList);
}

/**
 * Problems in a set of type descriptions: duplicate type names or GVKs,
 * references to unknown types, duplicate JSON names or proto numbers inside a
 * type, empty docs, and merge/list-map keys that name no field of the item type.
 * `extraKnown` tells which outside names count as resolvable.
 */
export function checkTypes(types: readonly TypeDef[], extraKnown: (name: string) => boolean = () => false): string[] {
  const problems: string[] = [];
  const byName = new Map<string, TypeDef>();
  const gvks = new Map<string, string>();
  for (const t of types) {
    if (byName.has(t.name)) problems.push(`${t.name}: type declared more than once`);
    byName.set(t.name, t);
    if (t.gvk) {
      const key = gvkKey(t.gvk.group, t.gvk.version, t.gvk.kind);
      const other = gvks.get(key);
      if (other && other !== t.name) problems.push(`${t.name}: GVK ${key} already used by ${other}`);
      gvks.set(key, t.name);
    }
  }
  const known = (name: string): boolean => byName.has(name) || extraKnown(name);

  for (const t of types) {
    if (!t.doc.trim()) problems.push(`${t.name}: empty doc`);
    const jsonNames = new Set<string>();
    const protoNumbers = new Map<number, string>();
    for (const f of t.fields) {
      const at = `${t.name}.${f.json}`;
      if (jsonNames.has(f.json)) problems.push(`${at}: duplicate JSON name`);
      jsonNames.add(f.json);
      if (f.proto !== 0) {
        const other = protoNumbers.get(f.proto);
        if (other !== undefined) problems.push(`${at}: proto number ${f.proto} already used by ${other}`);
        protoNumbers.set(f.proto, f.json);
      }
      if (!f.doc.trim()) problems.push(`${at}: empty doc`);
      for (const name of refNames(f.type)) {
        if (!known(name)) problems.push(`${at}: unresolved reference ${name}`);
      }
      const keys = [...new Set([...(f.mergeKey ? [f.mergeKey] : []), ...(f.listMapKeys ?? [])])];
      const itemName = f.type.t === 'array' && f.type.of.t === 'ref' ? f.type.of.name : undefined;
      const item = itemName ? byName.get(itemName) : undefined;
      if (keys.length && f.type.t !== 'array') problems.push(`${at}: merge/list-map keys on a non-list field`);
      const itemFields = item ? jsonFieldNames(item, byName) : undefined;
      for (const key of itemFields ? keys : []) {
        if (!itemFields!.has(key)) problems.push(`${at}: key "${key}" is not a field of ${item!.name}`);
      }
    }
  }
  return problems;
}

/** JSON field names of a type, with inline embedded types flattened in. */
function jsonFieldNames(t: TypeDef, byName: ReadonlyMap<string, TypeDef>, seen = new Set<string>()): Set<string> {
  const names = new Set<string>();
  if (seen.has(t.name)) return names;
  seen.add(t.name);
  for (const f of t.fields) {
    const inner = f.inline && f.type.t === 'ref' ? byName.get(f.type.name) : undefined;
    if (inner) for (const n of jsonFieldNames(inner, byName, seen)) names.add(n);
    else names.add(f.json);
  }
  return names;
}

function refNames(r: TypeRef): string[] {
  if (r.t === 'ref') return [r.name];
  if (r.t === 'array' || r.t === 'map') return refNames(r.of);
  return [];
}
