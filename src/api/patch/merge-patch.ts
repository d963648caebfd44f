// RFC 7386 JSON merge patch with kube-apiserver's decoding rules: the body must
// decode into a JSON object (a bare null is accepted by the decoder but then
// rejected by the merge library as "Invalid JSON Patch").

import { PatchError, goJsonKind } from './json-patch.js';

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Merges `patch` into `target` (neither is modified): null deletes, objects merge, the rest replaces. */
export function mergePatchValue(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return structuredClone(patch);
  const out: Record<string, unknown> = isObject(target) ? structuredClone(target) : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatchValue(out[k], v);
  }
  return out;
}

/** Applies a merge patch body to `target`; throws PatchError 400 for bodies Kubernetes refuses. */
export function applyMergePatch(target: unknown, patch: unknown): any {
  if (patch === null) throw new PatchError(400, 'BadRequest', 'Invalid JSON Patch');
  if (!isObject(patch)) {
    throw new PatchError(
      400,
      'BadRequest',
      `error decoding patch: json: cannot unmarshal ${goJsonKind(patch)} into Go value of type map[string]interface {}`,
    );
  }
  return mergePatchValue(target, patch);
}
