// Generic REST storage for one resource: the create / get / list / update /
// delete semantics Kubernetes gives every object (uid, resourceVersion,
// generation, finalizers, graceful deletion, optimistic concurrency).

import { randomUUID } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import type { ResourceDef } from '../api/resources.js';
import { fieldGetters } from '../api/resources.js';
import { matches, type Requirement } from '../api/labels.js';
import { matchFields, type FieldRequirement } from '../api/fields.js';
import type { Store } from '../storage/store.js';
import { KeyExistsError, KeyNotFoundError, RevisionConflictError } from '../storage/store.js';
import type { ResourceCache, WatchCacheSet } from './watch-cache.js';
import { ApiError, errors, type GroupResource } from './status.js';
import type { Strategy } from './strategy.js';

export interface WriteContext {
  user: string;
  fieldManager: string;
  dryRun: boolean;
  now: Date;
  /** Server-side apply already worked out metadata.managedFields for this write: keep them as they are. */
  managedFieldsSet?: boolean;
}

export interface ListOptions {
  labels?: Requirement[];
  fields?: FieldRequirement[];
  limit?: number;
  continueToken?: string;
  /** "" = consistent (latest), "0" = any, N = at least N */
  resourceVersion?: string;
}

export interface ListResult {
  items: any[];
  resourceVersion: string;
  continueToken?: string;
  remainingItemCount?: number;
}

export interface DeleteOptions {
  gracePeriodSeconds?: number;
  propagationPolicy?: string;
  preconditions?: { uid?: string; resourceVersion?: string };
  dryRun?: string[];
}

export type Preconditions = { uid?: string; resourceVersion?: string };

const NAME_CHARS = 'bcdfghjklmnpqrstvwxz2456789';

function randomSuffix(n = 5): string {
  let s = '';
  for (let i = 0; i < n; i++) s += NAME_CHARS[Math.floor(Math.random() * NAME_CHARS.length)];
  return s;
}

export function rfc3339(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Fields that only the server sets; never taken from a client's update. */
const SYSTEM_METADATA = ['uid', 'creationTimestamp', 'deletionTimestamp', 'deletionGracePeriodSeconds', 'generation', 'selfLink'] as const;

export class ResourceStorage {
  readonly gr: GroupResource;

  constructor(
    readonly def: ResourceDef,
    private readonly store: Store,
    readonly cache: ResourceCache,
    private readonly caches: WatchCacheSet,
    readonly strategy: Strategy,
    /** Looks up a namespace object (for admission of namespaced creates). */
    private readonly namespaceLookup: (name: string) => any | undefined,
  ) {
    this.gr = { group: def.group, resource: def.plural };
  }

  key(namespace: string | undefined, name: string): string {
    return this.def.namespaced ? `${this.cache.prefix}${namespace}/${name}` : `${this.cache.prefix}${name}`;
  }

  private listPrefix(namespace: string | undefined): string {
    return this.def.namespaced && namespace ? `${this.cache.prefix}${namespace}/` : this.cache.prefix;
  }

  /** Wait until the cache has caught up with the store (consistent read), or with rv. */
  async sync(resourceVersion?: string): Promise<void> {
    if (resourceVersion === '0') return;
    const want = resourceVersion ? Number(resourceVersion) : await this.store.currentRevision();
    if (!Number.isFinite(want)) throw errors.badRequest(`invalid resource version "${resourceVersion}"`);
    await this.caches.waitFor(want);
  }

  async get(namespace: string | undefined, name: string, resourceVersion?: string): Promise<any> {
    await this.sync(resourceVersion);
    const obj = this.cache.get(this.key(namespace, name));
    if (!obj) throw errors.notFound(this.gr, name);
    return obj;
  }

  peek(namespace: string | undefined, name: string): any | undefined {
    return this.cache.get(this.key(namespace, name));
  }

  matcher(opts: Pick<ListOptions, 'labels' | 'fields'>): (obj: any) => boolean {
    const getters = fieldGetters(this.def);
    const labels = opts.labels ?? [];
    const fields = opts.fields ?? [];
    return (obj) => matches(labels, obj.metadata?.labels) && matchFields(fields, getters, obj);
  }

  async list(namespace: string | undefined, opts: ListOptions = {}): Promise<ListResult> {
    let startAfter: string | undefined;
    let rv: string | undefined;
    if (opts.continueToken) {
      if (opts.resourceVersion && opts.resourceVersion !== '0') {
        throw errors.badRequest('specifying resource version is not allowed when using continue');
      }
      const tok = decodeContinue(opts.continueToken);
      startAfter = tok.start;
      rv = String(tok.rv);
    } else {
      await this.sync(opts.resourceVersion);
    }
    const match = this.matcher(opts);
    const prefix = this.listPrefix(namespace);
    const items: any[] = [];
    const limit = opts.limit && opts.limit > 0 ? opts.limit : Infinity;
    let lastKey: string | undefined;
    let more = false;
    let remaining = 0;
    for (const { key, obj } of this.cache.list(prefix, startAfter)) {
      if (!match(obj)) continue;
      if (items.length < limit) {
        items.push(obj);
        lastKey = key;
      } else {
        more = true;
        remaining++;
      }
    }
    const resourceVersion = rv ?? String(this.caches.rev);
    const res: ListResult = { items, resourceVersion };
    if (more && lastKey) {
      res.continueToken = encodeContinue(Number(resourceVersion), lastKey);
      // Kubernetes counts the rest only for unfiltered lists (with selectors the count would be a guess).
      if (!opts.labels?.length && !opts.fields?.length) res.remainingItemCount = remaining;
    }
    return res;
  }

  // ---------------------------------------------------------------- writes

  async create(namespace: string | undefined, input: any, ctx: WriteContext): Promise<any> {
    const obj = structuredClone(input);
    obj.metadata ??= {};
    const meta = obj.metadata;
    if (this.def.namespaced) {
      if (meta.namespace && namespace && meta.namespace !== namespace) {
        throw errors.badRequest('the namespace of the provided object does not match the namespace sent on the request');
      }
      meta.namespace = namespace ?? meta.namespace;
    } else {
      delete meta.namespace;
    }
    const generated = !meta.name && !!meta.generateName;
    if (generated) meta.name = meta.generateName + randomSuffix();
    for (const f of SYSTEM_METADATA) delete meta[f];
    delete meta.resourceVersion;
    meta.uid = randomUUID();
    meta.creationTimestamp = rfc3339(ctx.now);
    if (this.def.hasGeneration) meta.generation = 1;

    this.strategy.prepareForCreate(obj, ctx);
    const problems = this.strategy.validateCreate(obj);
    if (problems.length) throw errors.invalid(this.def.kind, this.def.group, meta.name ?? meta.generateName ?? '', problems);

    if (this.def.namespaced) this.admitNamespace(meta.namespace, meta.name);
    this.strategy.afterValidateCreate?.(obj, ctx);
    meta.managedFields = this.strategy.managedFieldsForCreate(obj, ctx);
    if (!meta.managedFields?.length) delete meta.managedFields;

    if (ctx.dryRun) {
      if (this.cache.get(this.key(meta.namespace, meta.name))) throw errors.alreadyExists(this.gr, meta.name);
      return obj;
    }
    for (let attempt = 0; ; attempt++) {
      try {
        const kv = await this.store.create(this.key(meta.namespace, meta.name), encode(obj));
        obj.metadata.resourceVersion = String(kv.modRevision);
        return obj;
      } catch (e) {
        if (e instanceof KeyExistsError) {
          if (generated && attempt < 8) {
            meta.name = meta.generateName + randomSuffix();
            continue;
          }
          throw errors.alreadyExists(this.gr, meta.name);
        }
        throw e;
      }
    }
  }

  private admitNamespace(namespace: string, name: string): void {
    const ns = this.namespaceLookup(namespace);
    if (!ns) {
      throw new ApiError(404, 'NotFound', `namespaces "${namespace}" not found`, { name: namespace, kind: 'namespaces' });
    }
    if (ns.metadata?.deletionTimestamp || ns.status?.phase === 'Terminating') {
      throw new ApiError(
        403,
        'Forbidden',
        `${this.gr.group ? `${this.def.plural}.${this.gr.group}` : this.def.plural} "${name}" is forbidden: unable to create new content in namespace ${namespace} because it is being terminated`,
        { name, kind: this.def.plural, group: this.gr.group || undefined, causes: [{ reason: 'NamespaceTerminating', message: `namespace ${namespace} is being terminated`, field: 'metadata.namespace' }] },
      );
    }
  }

  /**
   * Read-modify-write with retries on conflicts. `tryUpdate` gets the current
   * object (a private copy) and returns the desired one; a resourceVersion it
   * leaves in metadata is a precondition (409 when stale).
   */
  async guaranteedUpdate(
    namespace: string | undefined,
    name: string,
    ctx: WriteContext,
    tryUpdate: (current: any) => any | Promise<any>,
    opts: { subresource?: string; createIfMissing?: () => Promise<any> } = {},
  ): Promise<{ obj: any; created: boolean }> {
    const key = this.key(namespace, name);
    for (;;) {
      await this.sync();
      const current = this.cache.get(key);
      if (!current) {
        if (opts.createIfMissing) return { obj: await opts.createIfMissing(), created: true };
        throw errors.notFound(this.gr, name);
      }
      const desired = await tryUpdate(structuredClone(current));
      const wantRv = desired?.metadata?.resourceVersion;
      if (wantRv && wantRv !== current.metadata.resourceVersion) throw errors.modified(this.gr, name);
      try {
        const obj = await this.writeUpdate(current, desired, ctx, opts.subresource);
        return { obj, created: false };
      } catch (e) {
        // Like Kubernetes' GuaranteedUpdate: re-read and retry for as long as others win the race
        // (each round someone succeeds, so this ends); a caller-given resourceVersion never retries.
        if (e instanceof RevisionConflictError && !wantRv) continue;
        if (e instanceof RevisionConflictError) throw errors.modified(this.gr, name);
        if (e instanceof KeyNotFoundError) throw errors.notFound(this.gr, name);
        throw e;
      }
    }
  }

  /** PUT: replace the object (or its status); body resourceVersion is a precondition when set. */
  async update(namespace: string | undefined, name: string, input: any, ctx: WriteContext, subresource?: string): Promise<any> {
    if (input?.metadata?.name && input.metadata.name !== name) {
      throw errors.badRequest(`the name of the object (${input.metadata.name}) does not match the name on the URL (${name})`);
    }
    if (this.def.namespaced && input?.metadata?.namespace && input.metadata.namespace !== namespace) {
      throw errors.badRequest('the namespace of the provided object does not match the namespace sent on the request');
    }
    const { obj } = await this.guaranteedUpdate(namespace, name, ctx, () => structuredClone(input), { subresource });
    return obj;
  }

  /** Turn (current, desired) into the stored object, validate, and write with CAS. */
  private async writeUpdate(current: any, desired: any, ctx: WriteContext, subresource?: string): Promise<any> {
    const obj = desired;
    obj.metadata ??= {};
    const meta = obj.metadata;
    const old = current.metadata;
    meta.name = old.name;
    if (this.def.namespaced) meta.namespace = old.namespace;
    for (const f of SYSTEM_METADATA) {
      if (old[f] !== undefined) meta[f] = old[f];
      else delete meta[f];
    }
    meta.resourceVersion = old.resourceVersion;
    if (obj.apiVersion === undefined) obj.apiVersion = current.apiVersion;
    if (obj.kind === undefined) obj.kind = current.kind;

    this.strategy.prepareForUpdate(obj, current, ctx, subresource);
    if (this.def.hasGeneration && !isDeepStrictEqual(specOf(obj), specOf(current))) {
      meta.generation = (old.generation ?? 0) + 1;
    }
    const problems = this.strategy.validateUpdate(obj, current, subresource);
    if (problems.length) throw errors.invalid(this.def.kind, this.def.group, meta.name, problems);
    this.strategy.afterValidateUpdate?.(obj, current, ctx);

    meta.managedFields = this.strategy.managedFieldsForUpdate(obj, current, ctx, subresource);
    if (!meta.managedFields?.length) delete meta.managedFields;

    dropEmptyMetadata(meta);
    // A no-op write keeps the resourceVersion, as Kubernetes does.
    if (isDeepStrictEqual(withoutVolatile(obj), withoutVolatile(current))) return current;

    const rev = Number(old.resourceVersion);
    // Finalizers gone on an object being deleted: the update completes the deletion.
    if (meta.deletionTimestamp && !(meta.finalizers?.length) && this.strategy.canRemoveAfterFinalizers(obj)) {
      if (ctx.dryRun) return obj;
      const kv = await this.store.delete(this.key(meta.namespace, meta.name), rev);
      obj.metadata.resourceVersion = String(kv.modRevision);
      return obj;
    }
    if (ctx.dryRun) return obj;
    delete meta.resourceVersion;
    const kv = await this.store.update(this.key(meta.namespace, meta.name), encode(obj), rev);
    obj.metadata.resourceVersion = String(kv.modRevision);
    return obj;
  }

  /**
   * DELETE. Returns the object and whether it is gone (false when it stays
   * because of finalizers or a graceful period).
   */
  async delete(namespace: string | undefined, name: string, opts: DeleteOptions, ctx: WriteContext): Promise<{ obj: any; gone: boolean }> {
    const key = this.key(namespace, name);
    for (;;) {
      await this.sync();
      const current = this.cache.get(key);
      if (!current) throw errors.notFound(this.gr, name);
      const pre = opts.preconditions;
      if (pre?.uid && pre.uid !== current.metadata.uid) {
        throw errors.conflict(this.gr, name, `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${current.metadata.uid}`);
      }
      if (pre?.resourceVersion && pre.resourceVersion !== current.metadata.resourceVersion) {
        throw errors.conflict(
          this.gr,
          name,
          `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${current.metadata.resourceVersion}`,
        );
      }
      const rev = Number(current.metadata.resourceVersion);
      const plan = this.strategy.planDelete(structuredClone(current), opts, ctx);
      try {
        if (plan.kind === 'now') {
          if (ctx.dryRun) return { obj: current, gone: true };
          const kv = await this.store.delete(key, rev);
          const obj = structuredClone(current);
          obj.metadata.resourceVersion = String(kv.modRevision);
          return { obj, gone: true };
        }
        // Mark for deletion and keep the object.
        const obj = plan.obj;
        if (isDeepStrictEqual(obj, current)) return { obj: current, gone: false };
        if (ctx.dryRun) return { obj, gone: false };
        delete obj.metadata.resourceVersion;
        const kv = await this.store.update(key, encode(obj), rev);
        obj.metadata.resourceVersion = String(kv.modRevision);
        return { obj, gone: false };
      } catch (e) {
        // Lost a race: re-read (a vanished object then answers 404) and try again.
        if (e instanceof RevisionConflictError || e instanceof KeyNotFoundError) continue;
        throw e;
      }
    }
  }
}

/** Everything but metadata and status: a change here bumps metadata.generation. */
function specOf(obj: any): unknown {
  const { metadata: _m, status: _s, ...rest } = obj;
  return rest;
}

function withoutVolatile(obj: any): unknown {
  const { metadata, ...rest } = obj;
  const { resourceVersion: _rv, managedFields: _mf, ...m } = metadata ?? {};
  return { ...rest, metadata: m };
}

/** Go's omitempty drops empty maps and lists in metadata; so do we, so objects read back as Kubernetes shows them. */
function dropEmptyMetadata(meta: any): void {
  for (const k of ['labels', 'annotations', 'finalizers', 'ownerReferences', 'managedFields']) {
    const v = meta?.[k];
    if (v && typeof v === 'object' && Object.keys(v).length === 0) delete meta[k];
  }
}

export function encode(obj: any): Buffer {
  dropEmptyMetadata(obj.metadata);
  const { resourceVersion: _rv, ...meta } = obj.metadata ?? {};
  return Buffer.from(JSON.stringify({ ...obj, metadata: meta }));
}

export function encodeContinue(rv: number, start: string): string {
  return Buffer.from(JSON.stringify({ v: 'meta.k8s.io/v1', rv, start })).toString('base64url');
}

export function decodeContinue(token: string): { rv: number; start: string } {
  const invalid = (why: string) => errors.badRequest(`invalid continue token: continue key is not valid${why}`);
  // Raw (unpadded) URL-safe base64, as Kubernetes encodes it; report the first bad byte as Go does.
  const bad = token.search(/[^A-Za-z0-9_-]/);
  if (bad >= 0) throw invalid(`: illegal base64 data at input byte ${bad}`);
  if (token.length % 4 === 1) throw invalid(`: illegal base64 data at input byte ${token.length - 1}`);
  const text = Buffer.from(token, 'base64url').toString('utf8');
  let t: any;
  try {
    t = JSON.parse(text);
  } catch {
    const first = text.trimStart()[0];
    throw invalid(first === undefined || '{["-0123456789tfn'.includes(first) ? ': unexpected end of JSON input' : `: invalid character '${first}' looking for beginning of value`);
  }
  if (t?.v !== 'meta.k8s.io/v1') throw invalid(`: server does not recognize this encoded version ${t?.v ?? ''}`);
  if (typeof t.rv !== 'number' || t.rv === 0) throw invalid(': incorrect encoded start resourceVersion (version meta.k8s.io/v1)');
  if (typeof t.start !== 'string' || t.start === '') throw invalid(': encoded start key empty (version meta.k8s.io/v1)');
  return t;
}
