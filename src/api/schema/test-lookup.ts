// Shared by the schema tests: find a type or field by short name (failing the
// test when it is missing), and the proto numbers of a type's fields.

import assert from 'node:assert/strict';
import type { FieldDef, TypeDef } from './dsl.js';
import { metaV1Types } from './meta.js';

export function typeLookup(types: readonly TypeDef[], prefix = '') {
  const typeOf = (short: string): TypeDef => {
    const t = types.find((x) => x.name === prefix + short);
    assert.ok(t, `type ${short} missing`);
    return t;
  };
  const fieldOf = (short: string, json: string): FieldDef => {
    const f = typeOf(short).fields.find((x) => x.json === json);
    assert.ok(f, `field ${short}.${json} missing`);
    return f;
  };
  const protoMap = (short: string) => Object.fromEntries(typeOf(short).fields.filter((f) => f.proto).map((f) => [f.json, f.proto]));
  return { typeOf, fieldOf, protoMap };
}

const metaNames = new Set(metaV1Types.map((t) => t.name));
/** Refs a group may make outside itself: meta types and core/v1. */
export const isMetaOrCore = (name: string): boolean => metaNames.has(name) || name.startsWith('io.k8s.api.core.v1.');
