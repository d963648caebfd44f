// fieldValidation=Strict|Warn|Ignore: unknown and duplicate fields are an
// error, a warning header, or silently dropped; they are never stored.

import type { ResourceDef } from '../api/resources.js';
import { checkFields, strictErrorMessage } from '../api/schema/strict-decode.js';
import { pruneUnknownFields } from '../api/schema/prune.js';
import { typeByName } from '../api/schema/index.js';
import { errors } from './status.js';

export type FieldValidationMode = 'Strict' | 'Warn' | 'Ignore';

/** Returns warnings (Warn mode); throws 400 in Strict mode; type errors fail in every mode. Prunes unknown fields from obj. */
export function checkFieldValidation(def: ResourceDef, obj: any, mode: FieldValidationMode, jsonText?: string): string[] {
  const result = checkFields(obj, def.typeName, typeByName, jsonText);
  if (result.typeErrors.length) {
    throw errors.badRequest(`${def.kind} in version "${def.version}" cannot be handled as a ${def.kind}: ${result.typeErrors[0].message}`);
  }
  if (result.problems.length && mode === 'Strict') throw errors.badRequest(strictErrorMessage(def.kind, def.version, result.problems));
  if (result.unknown.length) pruneUnknownFields(obj, def.typeName, typeByName);
  return mode === 'Warn' ? result.problems : [];
}
