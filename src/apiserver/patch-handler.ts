// PATCH: JSON patch, merge patch, strategic merge patch and server-side apply,
// each applied to the current object inside a conflict-retrying update.

import type { ResourceStorage, WriteContext } from './registry.js';
import { errors, ApiError } from './status.js';
import { parseYamlBody } from './body.js';
import { goJsonSyntaxError } from './go-json.js';
import { applyJsonPatch, applyMergePatch, strategicMergePatch, serverSideApply, PatchError } from '../api/patch/index.js';
import { typeByName } from '../api/schema/index.js';
import { checkFieldValidation, type FieldValidationMode } from './field-validation.js';
import { apiVersionOf } from '../api/resources.js';

const PATCH_TYPES = [
  'application/json-patch+json',
  'application/merge-patch+json',
  'application/strategic-merge-patch+json',
  'application/apply-patch+yaml',
  'application/apply-patch+cbor',
];

export function isApplyPatch(ct: string): boolean {
  return ct === 'application/apply-patch+yaml';
}

export interface PatchRequest {
  storage: ResourceStorage;
  namespace: string | undefined;
  name: string;
  subresource?: string;
  body: Buffer;
  contentType: string;
  ctx: WriteContext;
  mode: FieldValidationMode;
  force: boolean;
  view?: { present(obj: any): any; accept(obj: any): any };
}

function toApiError(e: unknown): unknown {
  if (e instanceof PatchError) return new ApiError(e.code, e.reason, e.message, e.details);
  return e;
}

export async function applyPatchBody(p: PatchRequest): Promise<{ obj: any; created: boolean; warnings: string[] }> {
  const { storage, contentType: ct } = p;
  if (!PATCH_TYPES.includes(ct) || ct === 'application/apply-patch+cbor') {
    throw new ApiError(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: ${PATCH_TYPES.slice(0, 4).join(', ')}`);
  }
  const text = p.body.toString('utf8');
  let patch: any;
  if (isApplyPatch(ct)) {
    patch = parseYamlBody(text, { kind: storage.def.kind, apiVersion: apiVersionOf(storage.def) });
    if (!patch || typeof patch !== 'object' || Array.isArray(patch)) throw errors.badRequest('error decoding YAML: body must be an object');
  } else {
    const syntax = goJsonSyntaxError(text);
    if (syntax !== undefined) {
      // Kubernetes words this per patch type: strict decoding of JSON and merge patches adds a
      // prefix, a merge patch decoded leniently only says "Invalid JSON Patch", SMP is bare.
      if (ct === 'application/strategic-merge-patch+json') throw errors.badRequest(syntax);
      if (ct === 'application/merge-patch+json' && p.mode === 'Ignore') throw errors.badRequest('Invalid JSON Patch');
      if (ct === 'application/json-patch+json' && p.mode === 'Ignore') throw errors.badRequest(syntax);
      throw errors.badRequest(`error decoding patch: ${syntax}`);
    }
    patch = JSON.parse(text);
  }
  const typeName = storage.def.typeName;
  let warnings: string[] = [];

  if (isApplyPatch(ct)) {
    const applied = p.view ? p.view.accept(patch) : patch;
    warnings = checkFieldValidation(storage.def, applied, p.mode, text.trim().startsWith('{') ? text : undefined);
    if (applied.metadata?.name && applied.metadata.name !== p.name) {
      throw errors.badRequest(`the name of the object (${applied.metadata.name}) does not match the name on the URL (${p.name})`);
    }
    const run = (live: any) => {
      try {
        return serverSideApply({ live, applied, manager: p.ctx.fieldManager, force: p.force, rootTypeName: typeName, lookup: typeByName, apiVersion: apiVersionOf(storage.def), now: p.ctx.now });
      } catch (e) {
        throw toApiError(e);
      }
    };
    // The apply computed managedFields itself; the write must not record it again as an Update.
    const applyCtx = { ...p.ctx, managedFieldsSet: true };
    const result = await storage.guaranteedUpdate(
      p.namespace,
      p.name,
      applyCtx,
      (current) => {
        const { object, managedFields } = run(current);
        object.metadata.managedFields = managedFields;
        if (object.metadata.resourceVersion === current.metadata.resourceVersion) delete object.metadata.resourceVersion;
        return object;
      },
      {
        subresource: p.subresource,
        createIfMissing: p.subresource
          ? undefined
          : async () => {
              const { object, managedFields } = run(undefined);
              object.metadata ??= {};
              object.metadata.managedFields = managedFields;
              object.metadata.name ??= p.name;
              return storage.create(p.namespace, object, applyCtx);
            },
      },
    );
    return { obj: result.obj, created: result.created, warnings };
  }

  const { obj } = await storage.guaranteedUpdate(
    p.namespace,
    p.name,
    p.ctx,
    (current) => {
      const base = p.view ? p.view.present(current) : current;
      let next: any;
      try {
        if (ct === 'application/json-patch+json') next = applyJsonPatch(base, patch);
        else if (ct === 'application/merge-patch+json') next = applyMergePatch(base, patch);
        else next = strategicMergePatch(base, patch, typeName, typeByName);
      } catch (e) {
        throw toApiError(e);
      }
      if (next === null || typeof next !== 'object' || Array.isArray(next)) throw errors.badRequest('the patch produced an invalid object: not a JSON object');
      warnings = checkFieldValidation(storage.def, next, p.mode);
      if (p.view) next = p.view.accept(next);
      next.metadata ??= {};
      if (next.metadata.resourceVersion === current.metadata.resourceVersion) delete next.metadata.resourceVersion;
      return next;
    },
    { subresource: p.subresource },
  );
  return { obj, created: false, warnings };
}
