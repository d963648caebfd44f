// The REST verbs on resources: get, list, watch, create, update, patch,
// delete, deletecollection, and the status / scale / binding subresources.

import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ResourceDef } from '../api/resources.js';
import { apiVersionOf, fieldGetters } from '../api/resources.js';
import { parseLabelSelector, SelectorParseError, type Requirement } from '../api/labels.js';
import { checkFieldsSupported, FieldSelectorError, parseFieldSelector, type FieldRequirement } from '../api/fields.js';
import type { DeleteOptions, ResourceStorage, WriteContext } from './registry.js';
import { errors } from './status.js';
import { readBody, decodeObject, mediaType, unrecognizedObject } from './body.js';
import { goJsonKind } from '../api/patch/json-patch.js';
import { sendJson, warningHeader } from './http-util.js';
import { negotiate, partialMetadata, toTable } from './table-output.js';
import { serveWatch } from './watch-handler.js';
import { applyPatchBody, isApplyPatch } from './patch-handler.js';
import { checkFieldValidation, type FieldValidationMode } from './field-validation.js';
import { scaleOf, applyScale } from './scale.js';
import type { ResourceRoute } from './routes.js';
import { bindPod } from './binding.js';
import { nodeProxyFor } from './node-proxy.js';

export interface RequestUser {
  name: string;
  groups: string[];
}

export interface RestContext {
  storage(def: ResourceDef): ResourceStorage;
  storageFor(group: string, plural: string): ResourceStorage;
  now(): Date;
  /** Custom presentation for resources served from another's storage (events.k8s.io). */
  view?(def: ResourceDef): ResourceView | undefined;
}

export interface ResourceView {
  present(obj: any): any;
  accept(obj: any): any;
  /** Field selector names of the view → names in storage (prefix match when the key ends in '.'). */
  fieldAliases: Record<string, string>;
}

function q(url: URL, name: string): string | undefined {
  const v = url.searchParams.get(name);
  return v === null ? undefined : v;
}

function boolParam(url: URL, name: string): boolean {
  const v = url.searchParams.get(name);
  return v === 'true' || v === '1';
}

function defaultManager(req: IncomingMessage): string {
  const ua = req.headers['user-agent'] ?? 'unknown';
  return ua.split('/')[0].slice(0, 128) || 'unknown';
}

function writeContext(req: IncomingMessage, url: URL, user: RequestUser, now: Date): WriteContext {
  const dryRun = url.searchParams.getAll('dryRun');
  for (const d of dryRun) if (d !== 'All') throw errors.badRequest(`dryRun: Unsupported value: "${d}": supported values: "All"`);
  return {
    user: user.name,
    fieldManager: q(url, 'fieldManager') ?? defaultManager(req),
    dryRun: dryRun.includes('All'),
    now,
  };
}

function fieldValidationMode(url: URL): FieldValidationMode {
  const v = q(url, 'fieldValidation');
  if (v === undefined || v === '') return 'Warn';
  if (v === 'Strict' || v === 'Warn' || v === 'Ignore') return v;
  throw errors.badRequest(`fieldValidation: Unsupported value: "${v}": supported values: "Ignore", "Strict", "Warn"`);
}

function selectors(def: ResourceDef, url: URL, view?: ResourceView): { labels: Requirement[]; fields: FieldRequirement[] } {
  const ls = q(url, 'labelSelector') ?? '';
  const fs = q(url, 'fieldSelector') ?? '';
  try {
    const labels = parseLabelSelector(ls);
    const fields = parseFieldSelector(fs);
    checkFieldsSupported(fields, fieldGetters(def));
    if (view) for (const f of fields) f.field = aliasField(f.field, view.fieldAliases);
    return { labels, fields };
  } catch (e) {
    if (e instanceof SelectorParseError || e instanceof FieldSelectorError) {
      // kubectl itself prefixes 'Unable to find "…" that match label selector …' to this.
      throw errors.badRequest(e.message);
    }
    throw e;
  }
}

function aliasField(field: string, aliases: Record<string, string>): string {
  for (const [from, to] of Object.entries(aliases)) {
    if (from.endsWith('.') ? field.startsWith(from) : field === from) return to + field.slice(from.length);
  }
  return field;
}

export async function handleResource(
  ctx: RestContext,
  req: IncomingMessage,
  res: ServerResponse,
  route: ResourceRoute,
  url: URL,
  user: RequestUser,
): Promise<void> {
  const { def, namespace, name, subresource } = route;
  const storage = ctx.storage(def);
  const method = req.method ?? 'GET';
  const view = ctx.view?.(def);
  const present = view ? view.present : (o: any) => o;

  if (subresource && !def.subresources.includes(subresource as never)) throw errors.notFoundPath();
  if (def.verbs && !(def.kind === 'Binding' && method === 'POST')) throw errors.methodNotSupported(storage.gr, method.toLowerCase());

  // ----- subresources with their own representations
  if (subresource === 'scale') return handleScale(ctx, req, res, storage, route, url, user);
  if (subresource === 'binding' || (def.kind === 'Binding' && !subresource)) {
    if (method !== 'POST') throw errors.methodNotSupported(storage.gr, method.toLowerCase());
    const body = await readBody(req);
    const { obj } = decodeObject(body, req.headers['content-type'], { kind: 'Binding', apiVersion: 'v1' });
    const podName = subresource ? name! : obj?.metadata?.name;
    const pods = ctx.storageFor('', 'pods');
    await bindPod(pods, namespace!, podName, obj, writeContext(req, url, user, ctx.now()));
    return sendJson(res, 201, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 });
  }
  if (subresource === 'log' || subresource === 'exec' || subresource === 'attach') {
    const proxy = nodeProxyFor(ctx);
    if (proxy) return proxy.handleHttp(req, res, subresource, namespace!, name!, url, user);
  }
  if (subresource === 'portforward') {
    const proxy = nodeProxyFor(ctx);
    if (proxy) return proxy.portForward.handleHttp(req, res, namespace!, name!, user);
  }
  if (subresource && ['log', 'exec', 'attach', 'portforward', 'proxy', 'eviction'].includes(subresource)) {
    throw errors.badRequest(`${subresource} is not available yet: this cluster has no node agent for pod "${name}"`);
  }

  const rendering = negotiate(req.headers.accept);

  if (method === 'GET' && name) {
    const obj = present(await storage.get(namespace, name, q(url, 'resourceVersion')));
    if (rendering.as === 'Table') {
      return sendJson(res, 200, toTable(def, [obj], { version: rendering.version, includeObject: q(url, 'includeObject'), resourceVersion: obj.metadata.resourceVersion }));
    }
    if (rendering.as === 'PartialObjectMetadata') return sendJson(res, 200, partialMetadata(obj, rendering.version));
    return sendJson(res, 200, obj);
  }

  if (method === 'GET') {
    const sel = selectors(def, url, view);
    if (boolParam(url, 'watch')) {
      const match = storage.matcher(sel);
      const ts = q(url, 'timeoutSeconds');
      serveWatch(req, res, storage, {
        namespace,
        resourceVersion: q(url, 'resourceVersion'),
        match,
        bookmarks: boolParam(url, 'allowWatchBookmarks'),
        timeoutSeconds: ts ? Number(ts) : undefined,
        rendering,
        includeObject: q(url, 'includeObject'),
        present: view?.present,
      });
      return;
    }
    const limit = q(url, 'limit');
    const result = await storage.list(namespace, {
      ...sel,
      limit: limit ? Number(limit) : undefined,
      continueToken: q(url, 'continue') || undefined,
      resourceVersion: q(url, 'resourceVersion'),
    });
    const items = view ? result.items.map(present) : result.items;
    if (rendering.as === 'Table') {
      return sendJson(
        res,
        200,
        toTable(def, items, {
          version: rendering.version,
          includeObject: q(url, 'includeObject'),
          resourceVersion: result.resourceVersion,
          continueToken: result.continueToken,
          remainingItemCount: result.remainingItemCount,
        }),
      );
    }
    const metadata: Record<string, unknown> = { resourceVersion: result.resourceVersion };
    if (result.continueToken) metadata.continue = result.continueToken;
    if (result.remainingItemCount !== undefined) metadata.remainingItemCount = result.remainingItemCount;
    if (rendering.as === 'PartialObjectMetadata') {
      return sendJson(res, 200, {
        kind: 'PartialObjectMetadataList',
        apiVersion: `meta.k8s.io/${rendering.version}`,
        metadata,
        items: items.map((o) => partialMetadata(o, rendering.version)),
      });
    }
    return sendList(res, def, metadata, items);
  }

  const wctx = writeContext(req, url, user, ctx.now());
  const expected = { kind: def.kind, apiVersion: apiVersionOf(def) };

  if (method === 'POST' && !name) {
    const body = await readBody(req);
    const decoded = decodeObject(body, req.headers['content-type'], expected);
    checkKind(def, decoded.obj, body);
    const warnings = checkFieldValidation(def, decoded.obj, fieldValidationMode(url), decoded.jsonText);
    const input = view ? view.accept(decoded.obj) : decoded.obj;
    const created = await storage.create(namespace, input, wctx);
    return sendJson(res, 201, present(created), warningHeader(warnings) as Record<string, string>);
  }

  if (method === 'PUT' && name) {
    const body = await readBody(req);
    const decoded = decodeObject(body, req.headers['content-type'], expected);
    checkKind(def, decoded.obj, body);
    const warnings = checkFieldValidation(def, decoded.obj, fieldValidationMode(url), decoded.jsonText);
    const input = view ? view.accept(decoded.obj) : decoded.obj;
    const updated = await storage.update(namespace, name, input, wctx, subresource);
    return sendJson(res, 200, present(updated), warningHeader(warnings) as Record<string, string>);
  }

  if (method === 'PATCH' && name) {
    const body = await readBody(req);
    const ct = mediaType(req.headers['content-type']);
    const mode = fieldValidationMode(url);
    const force = boolParam(url, 'force');
    if (isApplyPatch(ct) && !q(url, 'fieldManager')) {
      throw errors.badRequest('PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch');
    }
    const { obj, created, warnings } = await applyPatchBody({ storage, namespace, name, subresource, body, contentType: ct, ctx: wctx, mode, force, view });
    return sendJson(res, created ? 201 : 200, present(obj), warningHeader(warnings) as Record<string, string>);
  }

  if (method === 'DELETE' && name) {
    const opts = await deleteOptions(req, url);
    const { obj, gone } = await storage.delete(namespace, name, opts, wctx);
    // Kubernetes answers 200 even while deletion is still pending (finalizers, grace period);
    // 202 only when the object stays and the client asked orphanDependents=false.
    const accepted = !gone && (opts as { orphanDependents?: boolean }).orphanDependents === false;
    return sendJson(res, accepted ? 202 : 200, present(obj));
  }

  if (method === 'DELETE' && !name) {
    const opts = await deleteOptions(req, url);
    const sel = selectors(def, url, view);
    const listed = await storage.list(namespace, sel);
    const deleted: any[] = [];
    for (const item of listed.items) {
      try {
        const { obj } = await storage.delete(item.metadata.namespace, item.metadata.name, opts, wctx);
        deleted.push(obj);
      } catch (e) {
        if ((e as { code?: number }).code !== 404) throw e;
      }
    }
    return sendList(res, def, { resourceVersion: String(listed.resourceVersion) }, deleted.map(present));
  }

  throw errors.methodNotSupported(storage.gr, method.toLowerCase());
}

function sendList(res: ServerResponse, def: ResourceDef, metadata: Record<string, unknown>, items: any[]): void {
  const apiVersion = apiVersionOf(def);
  // Items carry their kind/apiVersion in storage; the list is assembled as text to keep big lists cheap.
  const head = JSON.stringify({ kind: `${def.kind}List`, apiVersion, metadata });
  const parts: string[] = [head.slice(0, -1), ',"items":['];
  for (let i = 0; i < items.length; i++) {
    if (i) parts.push(',');
    parts.push(JSON.stringify(items[i]));
  }
  parts.push(']}');
  const text = parts.join('');
  res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache, private', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

function checkKind(def: ResourceDef, obj: any, body: Buffer): void {
  if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) {
    const cause = `json parse error: json: cannot unmarshal ${goJsonKind(obj)} into Go value of type struct { APIVersion string "json:\\"apiVersion,omitempty\\""; Kind string "json:\\"kind,omitempty\\"" }`;
    throw errors.badRequest(unrecognizedObject(def.kind, cause, body));
  }
  const want = apiVersionOf(def);
  if (obj.apiVersion !== undefined && obj.apiVersion !== want) {
    throw errors.badRequest(`the API version in the data (${obj.apiVersion}) does not match the expected API version (${want})`);
  }
  if (obj.kind !== undefined && obj.kind !== def.kind) {
    throw errors.badRequest(`the kind in the data (${obj.kind}) does not match the expected kind (${def.kind})`);
  }
}

async function deleteOptions(req: IncomingMessage, url: URL): Promise<DeleteOptions> {
  const opts: DeleteOptions = {};
  const body = await readBody(req);
  if (body.length) {
    const ct = mediaType(req.headers['content-type']);
    // kubectl drain sends DeleteOptions as protobuf; its content is optional for us.
    if (ct !== 'application/vnd.kubernetes.protobuf') {
      const { obj } = decodeObject(body, ct || 'application/json', { kind: 'DeleteOptions', apiVersion: 'meta.k8s.io/v1' });
      if (obj && typeof obj === 'object') Object.assign(opts, obj);
    }
  }
  const gp = q(url, 'gracePeriodSeconds');
  if (gp !== undefined) opts.gracePeriodSeconds = Number(gp);
  const pp = q(url, 'propagationPolicy');
  if (pp !== undefined) opts.propagationPolicy = pp;
  if (opts.propagationPolicy && !['Orphan', 'Background', 'Foreground'].includes(opts.propagationPolicy)) {
    throw errors.badRequest(`propagationPolicy: Unsupported value: "${opts.propagationPolicy}": supported values: "Foreground", "Background", "Orphan"`);
  }
  if (opts.gracePeriodSeconds !== undefined && (!Number.isInteger(opts.gracePeriodSeconds) || Number.isNaN(opts.gracePeriodSeconds))) {
    throw errors.badRequest(`gracePeriodSeconds: Invalid value: "${gp}"`);
  }
  return opts;
}

async function handleScale(
  ctx: RestContext,
  req: IncomingMessage,
  res: ServerResponse,
  storage: ResourceStorage,
  route: ResourceRoute,
  url: URL,
  user: RequestUser,
): Promise<void> {
  const { namespace, name } = route;
  const method = req.method ?? 'GET';
  if (method === 'GET') return sendJson(res, 200, scaleOf(await storage.get(namespace, name!)));
  if (method !== 'PUT' && method !== 'PATCH') throw errors.methodNotSupported(storage.gr, method.toLowerCase());
  const wctx = writeContext(req, url, user, ctx.now());
  const body = await readBody(req);
  const ct = method === 'PUT' ? req.headers['content-type'] : mediaType(req.headers['content-type']);
  const obj = await applyScale(storage, namespace, name!, method, body, ct, wctx);
  return sendJson(res, 200, scaleOf(obj));
}
