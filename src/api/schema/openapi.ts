// OpenAPI documents derived from the schema: v3 per group version (what kubectl uses for
// explain and for its fieldValidation probe), the v3 index, and one Swagger 2.0 document.
import type { FieldDef, TypeDef, TypeRef } from './dsl.js';

export type TypeLookup = (name: string) => TypeDef | undefined;

export interface OpenApiResource {
  kind: string;
  plural: string;
  namespaced: boolean;
  /** Full schema name of the kind, e.g. io.k8s.api.core.v1.Pod */
  typeName: string;
  /** e.g. ['status', 'scale', 'log'] */
  subresources: string[];
}

export interface GroupVersion {
  group: string;
  version: string;
}

export type Json = Record<string, unknown>;

export const OPENAPI_INFO = { title: 'Kubernetes', version: 'v1.32.0' };

const META = 'io.k8s.apimachinery.pkg.apis.meta.v1.';
export const SPECIAL_SCHEMAS = {
  quantity: 'io.k8s.apimachinery.pkg.api.resource.Quantity',
  intOrString: 'io.k8s.apimachinery.pkg.util.intstr.IntOrString',
  time: META + 'Time',
  microTime: META + 'MicroTime',
  fieldsV1: META + 'FieldsV1',
  raw: 'io.k8s.apimachinery.pkg.runtime.RawExtension',
} as const;
const STATUS = META + 'Status';
const DELETE_OPTIONS = META + 'DeleteOptions';
const PATCH = META + 'Patch';
const LIST_META = META + 'ListMeta';

// ---------------------------------------------------------------------------------------------
// Public entry points

export function buildOpenApiV3(groupVersion: GroupVersion, resources: OpenApiResource[], lookup: TypeLookup): Json {
  const schemas = new SchemaSet('v3', lookup);
  const paths = buildPaths('v3', groupVersion, resources, schemas);
  return {
    openapi: '3.0.0',
    info: { ...OPENAPI_INFO },
    paths,
    components: {
      schemas: schemas.finish(),
      securitySchemes: {
        BearerToken: { type: 'apiKey', description: 'Bearer token authentication', name: 'authorization', in: 'header' },
      },
    },
    security: [{ BearerToken: [] }],
  };
}

export function buildOpenApiV3Index(entries: { path: string; hash: string }[]): Json {
  const paths: Record<string, { serverRelativeURL: string }> = {};
  for (const e of entries) paths[e.path] = { serverRelativeURL: `/openapi/v3/${e.path}?hash=${e.hash}` };
  return { paths };
}

export function buildOpenApiV2(groupVersions: (GroupVersion & { resources: OpenApiResource[] })[], lookup: TypeLookup): Json {
  const schemas = new SchemaSet('v2', lookup);
  const paths: Json = {};
  for (const gv of groupVersions) Object.assign(paths, buildPaths('v2', gv, gv.resources, schemas));
  return {
    swagger: '2.0',
    info: { ...OPENAPI_INFO },
    paths,
    definitions: schemas.finish(),
    securityDefinitions: {
      BearerToken: { type: 'apiKey', description: 'Bearer token authentication', name: 'authorization', in: 'header' },
    },
    security: [{ BearerToken: [] }],
  };
}

// ---------------------------------------------------------------------------------------------
// Schemas

type Dialect = 'v2' | 'v3';

/** Collects the named schemas a document needs, following references transitively. */
class SchemaSet {
  private readonly out = new Map<string, Json>();
  private readonly pending: string[] = [];
  private readonly extra = new Map<string, TypeDef>();

  constructor(
    readonly dialect: Dialect,
    private readonly lookup: TypeLookup,
  ) {}

  private find(name: string): TypeDef | undefined {
    return this.extra.get(name) ?? this.lookup(name);
  }

  /** Registers a type that the schema data does not define (generated List types, fallbacks). */
  define(def: TypeDef): void {
    if (!this.lookup(def.name)) this.extra.set(def.name, def);
  }

  /** A reference to a named schema (queued for output). */
  ref(name: string): Json {
    if (!this.out.has(name) && !this.pending.includes(name)) this.pending.push(name);
    return { $ref: `${this.dialect === 'v3' ? '#/components/schemas/' : '#/definitions/'}${name}` };
  }

  finish(): Record<string, Json> {
    while (this.pending.length) {
      const name = this.pending.shift()!;
      if (this.out.has(name)) continue;
      this.out.set(name, this.build(name));
    }
    const sorted: Record<string, Json> = {};
    for (const name of [...this.out.keys()].sort()) sorted[name] = this.out.get(name)!;
    return sorted;
  }

  private build(name: string): Json {
    const special = specialSchema(name, this.dialect);
    if (special) return special;
    const def = this.find(name);
    if (!def) return { description: `${shortName(name)} is not described by this server.`, type: 'object' };
    const properties: Record<string, Json> = {};
    const required: string[] = [];
    this.addFields(def, properties, required, 0);
    const schema: Json = { description: def.doc, type: 'object' };
    const sortedProps: Record<string, Json> = {};
    for (const k of Object.keys(properties).sort()) sortedProps[k] = properties[k];
    if (Object.keys(sortedProps).length) schema.properties = sortedProps;
    if (required.length) schema.required = required;
    if (def.gvk) {
      schema['x-kubernetes-group-version-kind'] = [{ group: def.gvk.group, kind: def.gvk.kind, version: def.gvk.version }];
    }
    return schema;
  }

  /** Adds def's fields; inline (embedded) types contribute their fields directly. */
  private addFields(def: TypeDef, properties: Record<string, Json>, required: string[], depth: number): void {
    for (const f of def.fields) {
      if (f.inline && f.type.t === 'ref') {
        const inner = this.find(f.type.name);
        if (inner && depth < 16) this.addFields(inner, properties, required, depth + 1);
        continue;
      }
      properties[f.json] = this.property(f);
      if (f.required && !required.includes(f.json)) required.push(f.json);
    }
  }

  private property(f: FieldDef): Json {
    const base = this.valueSchema(f.type);
    const p: Json = { ...base, description: f.doc };
    if (f.default !== undefined) p.default = f.default;
    if (f.mergeKey) p['x-kubernetes-patch-merge-key'] = f.mergeKey;
    if (f.patchStrategy) p['x-kubernetes-patch-strategy'] = f.patchStrategy;
    if (f.listType) p['x-kubernetes-list-type'] = f.listType;
    if (f.listMapKeys?.length) p['x-kubernetes-list-map-keys'] = [...f.listMapKeys];
    return p;
  }

  /** Map values: a bare reference for named types, otherwise the plain value schema. */
  private itemSchema(t: TypeRef): Json {
    if (t.t === 'ref') return this.ref(t.name);
    if (t.t in SPECIAL_SCHEMAS) return this.ref(SPECIAL_SCHEMAS[t.t as keyof typeof SPECIAL_SCHEMAS]);
    return this.valueSchema(t);
  }

  /**
   * The schema of a value. In v3 a reference that sits beside other keywords (a property's
   * description, an item) is wrapped in allOf, as Kubernetes does; v2 allows $ref siblings.
   */
  valueSchema(t: TypeRef): Json {
    const named = (name: string): Json => (this.dialect === 'v3' ? { allOf: [this.ref(name)] } : this.ref(name));
    switch (t.t) {
      case 'string':
        return t.enum?.length ? { type: 'string', enum: [...t.enum] } : { type: 'string' };
      case 'int32':
      case 'int64':
        return { type: 'integer', format: t.t };
      case 'double':
        return { type: 'number', format: 'double' };
      case 'boolean':
        return { type: 'boolean' };
      case 'bytes':
        return { type: 'string', format: 'byte' };
      case 'duration':
        return { type: 'string' };
      case 'quantity':
      case 'intOrString':
      case 'time':
      case 'microTime':
      case 'fieldsV1':
      case 'raw':
        return named(SPECIAL_SCHEMAS[t.t]);
      case 'ref':
        return named(t.name);
      case 'array':
        return { type: 'array', items: this.valueSchema(t.of) };
      case 'map':
        // kubectl explain names map values from a bare $ref (map[string]Quantity), not from allOf
        return { type: 'object', additionalProperties: this.itemSchema(t.of) };
    }
  }
}

/**
 * Fixed schemas of apimachinery's special types (descriptions in our own words). In v3 the
 * two-typed ones are oneOf schemas without a top-level type, which is also what makes kubectl
 * explain print them by name (<IntOrString>, <map[string]Quantity>).
 */
function specialSchema(name: string, dialect: Dialect): Json | undefined {
  switch (name) {
    case SPECIAL_SCHEMAS.quantity:
      return {
        description:
          'A fixed-point number with an optional unit suffix, written as a string: binary suffixes (Ki, Mi, Gi, Ti, Pi, Ei), decimal suffixes (m, k, M, G, T, P, E) or an exponent (1e3). Examples: "250m", "1.5Gi", "2".',
        ...(dialect === 'v3' ? { oneOf: [{ type: 'string' }, { type: 'number' }] } : { type: 'string' }),
      };
    case SPECIAL_SCHEMAS.intOrString:
      return {
        description: 'Either a whole number or a string (for example a port number or a named port, or a percentage such as "25%").',
        format: 'int-or-string',
        ...(dialect === 'v3' ? { oneOf: [{ type: 'integer' }, { type: 'string' }] } : { type: 'string' }),
      };
    case SPECIAL_SCHEMAS.time:
      return {
        description: 'A point in time in RFC 3339 form, serialised with whole seconds in UTC.',
        format: 'date-time',
        type: 'string',
      };
    case SPECIAL_SCHEMAS.microTime:
      return {
        description: 'A point in time in RFC 3339 form with microsecond precision.',
        format: 'date-time',
        type: 'string',
      };
    case SPECIAL_SCHEMAS.fieldsV1:
      return {
        description: 'The set of fields a manager owns, as a JSON tree of field keys (f:name, k:{...}, v:..., i:...).',
        type: 'object',
      };
    case SPECIAL_SCHEMAS.raw:
      return { description: 'An embedded object of any kind, kept as raw JSON.', type: 'object' };
    default:
      return undefined;
  }
}

// ---------------------------------------------------------------------------------------------
// Fallback types for the objects the operations talk about, used when the schema data lacks them.

function fallbackTypes(): TypeDef[] {
  const s = (doc: string): FieldDef => ({ json: '', type: { t: 'string' }, doc, proto: 0 });
  const named = (json: string, f: FieldDef): FieldDef => ({ ...f, json });
  return [
    {
      name: LIST_META,
      doc: 'Metadata of a list response: the resourceVersion it was read at and, when paginated, how to continue.',
      fields: [
        named('continue', s('Opaque token to pass as the continue parameter to fetch the next page; empty on the last page.')),
        {
          json: 'remainingItemCount',
          type: { t: 'int64' },
          doc: 'How many items remain after this page, when the server can tell cheaply.',
          proto: 4,
        },
        named('resourceVersion', s('Version of the collection this list was read at; usable to start a watch.')),
        named('selfLink', s('Deprecated and always empty.')),
      ],
    },
    {
      name: STATUS,
      doc: 'The result of an operation that does not return an object, or the description of a failure.',
      fields: [
        named('apiVersion', s('Always v1.')),
        { json: 'code', type: { t: 'int32' }, doc: 'HTTP status code of the response.', proto: 6 },
        { json: 'details', type: { t: 'raw' }, doc: 'Extra data about the failure: name, group, kind, causes.', proto: 5 },
        named('kind', s('Always Status.')),
        named('message', s('Human readable description of the outcome.')),
        { json: 'metadata', type: { t: 'ref', name: LIST_META }, doc: 'Standard list metadata.', proto: 1 },
        named('reason', s('Machine readable reason for a failure, such as NotFound or AlreadyExists.')),
        named('status', s('Success or Failure.')),
      ],
    },
    {
      name: DELETE_OPTIONS,
      doc: 'Options for a delete request.',
      fields: [
        named('apiVersion', s('The API version of this object.')),
        { json: 'dryRun', type: { t: 'array', of: { t: 'string' } }, doc: 'When set to [All], nothing is persisted.', proto: 5 },
        { json: 'gracePeriodSeconds', type: { t: 'int64' }, doc: 'Seconds to wait before the object is removed.', proto: 1 },
        named('kind', s('The kind of this object.')),
        { json: 'orphanDependents', type: { t: 'boolean' }, doc: 'Deprecated: use propagationPolicy.', proto: 3 },
        named('propagationPolicy', s('How dependents are garbage collected: Orphan, Background or Foreground.')),
      ],
    },
    { name: PATCH, doc: 'The body of a PATCH request; its form depends on the patch content type.', fields: [] },
  ];
}

function listTypeFor(res: OpenApiResource, gv: GroupVersion): TypeDef {
  return {
    name: `${res.typeName}List`,
    doc: `${res.kind}List is a list of ${res.kind} objects.`,
    gvk: { group: gv.group, version: gv.version, kind: `${res.kind}List` },
    fields: [
      {
        json: 'apiVersion',
        type: { t: 'string' },
        doc: 'APIVersion defines the versioned schema of this representation of an object.',
        proto: 0,
      },
      {
        json: 'items',
        type: { t: 'array', of: { t: 'ref', name: res.typeName } },
        doc: `List of ${res.plural}.`,
        proto: 2,
        required: true,
      },
      { json: 'kind', type: { t: 'string' }, doc: 'Kind is a string value naming the REST resource this object represents.', proto: 0 },
      {
        json: 'metadata',
        type: { t: 'ref', name: LIST_META },
        doc: 'Standard list metadata.',
        proto: 1,
      },
    ],
  };
}

// ---------------------------------------------------------------------------------------------
// Paths and operations

type Action = 'get' | 'list' | 'post' | 'put' | 'patch' | 'delete' | 'deletecollection' | 'connect';

interface Param {
  name: string;
  type: 'string' | 'integer' | 'boolean';
  description: string;
}

const P = {
  pretty: { name: 'pretty', type: 'string', description: "When 'true', the response is indented for reading." },
  dryRun: {
    name: 'dryRun',
    type: 'string',
    description: 'When present, the request is fully processed but nothing is stored. The only accepted value is All.',
  },
  fieldManager: {
    name: 'fieldManager',
    type: 'string',
    description: 'Name of the actor making this change, recorded for field ownership tracking. At most 128 printable characters.',
  },
  fieldValidation: {
    name: 'fieldValidation',
    type: 'string',
    description:
      'What to do with unknown or duplicated fields in the body: Ignore drops them silently, Warn accepts the request and returns one warning per field, Strict rejects the request.',
  },
  force: {
    name: 'force',
    type: 'boolean',
    description: 'Apply patches only: take over fields that other managers own instead of failing with a conflict. Must be unset for other patch types.',
  },
  gracePeriodSeconds: {
    name: 'gracePeriodSeconds',
    type: 'integer',
    description: 'Seconds to wait before the object is removed; 0 means immediately. Defaults to the per-kind value.',
  },
  ignoreStoreReadError: {
    name: 'ignoreStoreReadErrorWithClusterBreakingPotential',
    type: 'boolean',
    description: 'Delete even when the stored object cannot be read or decoded. Dangerous: skips finalizers and checks.',
  },
  orphanDependents: {
    name: 'orphanDependents',
    type: 'boolean',
    description: 'Deprecated, use propagationPolicy. Whether dependents are orphaned.',
  },
  propagationPolicy: {
    name: 'propagationPolicy',
    type: 'string',
    description: 'How dependents are garbage collected: Orphan, Background or Foreground.',
  },
  allowWatchBookmarks: { name: 'allowWatchBookmarks', type: 'boolean', description: 'Ask for BOOKMARK events in a watch.' },
  continue: { name: 'continue', type: 'string', description: 'Token from a previous page to fetch the next page of a list.' },
  fieldSelector: { name: 'fieldSelector', type: 'string', description: 'Restrict the result by field values, e.g. metadata.name=web.' },
  labelSelector: { name: 'labelSelector', type: 'string', description: 'Restrict the result by labels, e.g. app=web,tier!=db.' },
  limit: { name: 'limit', type: 'integer', description: 'Largest number of items to return; more can be fetched with continue.' },
  resourceVersion: { name: 'resourceVersion', type: 'string', description: 'Which version of the data the request may be served from.' },
  resourceVersionMatch: {
    name: 'resourceVersionMatch',
    type: 'string',
    description: 'How resourceVersion is applied to a list: Exact or NotOlderThan.',
  },
  sendInitialEvents: {
    name: 'sendInitialEvents',
    type: 'boolean',
    description: 'For watches: start with synthetic ADDED events for the current state.',
  },
  timeoutSeconds: { name: 'timeoutSeconds', type: 'integer', description: 'Upper bound on the duration of a list or watch call.' },
  watch: { name: 'watch', type: 'boolean', description: 'Stream add, update and delete notifications instead of returning a list.' },
  container: { name: 'container', type: 'string', description: 'The container to use; may be omitted when the pod has one container.' },
  command: { name: 'command', type: 'string', description: 'Command to run; repeat the parameter for each argument.' },
  stdin: { name: 'stdin', type: 'boolean', description: 'Attach standard input.' },
  stdout: { name: 'stdout', type: 'boolean', description: 'Attach standard output.' },
  stderr: { name: 'stderr', type: 'boolean', description: 'Attach standard error.' },
  tty: { name: 'tty', type: 'boolean', description: 'Allocate a terminal.' },
  follow: { name: 'follow', type: 'boolean', description: 'Keep streaming the log as it grows.' },
  previous: { name: 'previous', type: 'boolean', description: 'Return the log of the previous, terminated container instance.' },
  sinceSeconds: { name: 'sinceSeconds', type: 'integer', description: 'Only return lines newer than this many seconds.' },
  tailLines: { name: 'tailLines', type: 'integer', description: 'Only return this many lines from the end of the log.' },
  timestamps: { name: 'timestamps', type: 'boolean', description: 'Prefix every line with its RFC 3339 timestamp.' },
  ports: { name: 'ports', type: 'integer', description: 'Pod ports to forward to.' },
} satisfies Record<string, Param>;

const LIST_PARAMS: Param[] = [
  P.allowWatchBookmarks,
  P.continue,
  P.fieldSelector,
  P.labelSelector,
  P.limit,
  P.resourceVersion,
  P.resourceVersionMatch,
  P.sendInitialEvents,
  P.timeoutSeconds,
  P.watch,
];
const WRITE_PARAMS: Param[] = [P.dryRun, P.fieldManager, P.fieldValidation];
const PATCH_PARAMS: Param[] = [P.dryRun, P.fieldManager, P.fieldValidation, P.force];
const DELETE_PARAMS: Param[] = [P.dryRun, P.gracePeriodSeconds, P.ignoreStoreReadError, P.orphanDependents, P.propagationPolicy];

const JSON_TYPES = ['application/json', 'application/yaml', 'application/vnd.kubernetes.protobuf'];
const LIST_TYPES = [...JSON_TYPES, 'application/json;stream=watch', 'application/vnd.kubernetes.protobuf;stream=watch'];
const PATCH_TYPES = [
  'application/apply-patch+yaml',
  'application/json-patch+json',
  'application/merge-patch+json',
  'application/strategic-merge-patch+json',
];

/** "CoreV1", "AppsV1", "RbacAuthorizationV1": the group-version part of Kubernetes operation ids. */
export function operationGroupVersion(gv: GroupVersion): string {
  const group = gv.group ? gv.group.replace(/\.k8s\.io$/, '') : 'core';
  const words = group.split(/[.-]/).filter(Boolean);
  return words.map(capitalize).join('') + capitalize(gv.version);
}

/** "core_v1", "apps_v1", "rbacAuthorization_v1": the tag Kubernetes puts on operations. */
function operationTag(gv: GroupVersion): string {
  const group = gv.group ? gv.group.replace(/\.k8s\.io$/, '') : 'core';
  const words = group.split(/[.-]/).filter(Boolean);
  return `${words[0]}${words.slice(1).map(capitalize).join('')}_${gv.version}`;
}

function capitalize(s: string): string {
  return s ? s[0].toUpperCase() + s.slice(1) : s;
}

function shortName(name: string): string {
  return name.slice(name.lastIndexOf('.') + 1);
}

interface SubresourceShape {
  actions: Action[];
  /** Type of request/response bodies; undefined = the kind itself; 'string' = plain text. */
  type?: string;
  params?: Param[];
}

function subresourceShape(sub: string): SubresourceShape {
  switch (sub) {
    case 'scale':
      return { actions: ['get', 'put', 'patch'], type: 'io.k8s.api.autoscaling.v1.Scale' };
    case 'log':
      return {
        actions: ['get'],
        type: 'string',
        params: [P.container, P.follow, P.previous, P.sinceSeconds, P.tailLines, P.timestamps],
      };
    case 'exec':
      return { actions: ['connect'], type: 'string', params: [P.command, P.container, P.stdin, P.stdout, P.stderr, P.tty] };
    case 'attach':
      return { actions: ['connect'], type: 'string', params: [P.container, P.stdin, P.stdout, P.stderr, P.tty] };
    case 'portforward':
      return { actions: ['connect'], type: 'string', params: [P.ports] };
    case 'proxy':
      return { actions: ['connect'], type: 'string' };
    case 'binding':
      return { actions: ['post'], type: 'io.k8s.api.core.v1.Binding' };
    case 'eviction':
      return { actions: ['post'], type: 'io.k8s.api.policy.v1.Eviction' };
    case 'token':
      return { actions: ['post'], type: 'io.k8s.api.authentication.v1.TokenRequest' };
    case 'finalize':
      return { actions: ['put'] };
    default:
      return { actions: ['get', 'put', 'patch'] };
  }
}

function buildPaths(dialect: Dialect, gv: GroupVersion, resources: OpenApiResource[], schemas: SchemaSet): Json {
  for (const t of fallbackTypes()) schemas.define(t);
  const prefix = gv.group ? `/apis/${gv.group}/${gv.version}` : `/api/${gv.version}`;
  const gvName = operationGroupVersion(gv);
  const tag = operationTag(gv);
  const paths: Json = {};
  const builder = new OperationBuilder(dialect, schemas, tag);

  for (const res of resources) {
    const listType = `${res.typeName}List`;
    schemas.define(listTypeFor(res, gv));
    const gvk = { group: gv.group, version: gv.version, kind: res.kind };
    const scope = res.namespaced ? 'Namespaced' : '';
    const collection = res.namespaced ? `${prefix}/namespaces/{namespace}/${res.plural}` : `${prefix}/${res.plural}`;
    const item = `${collection}/{name}`;
    const what = res.kind;
    const nsParam = res.namespaced ? [pathParam(dialect, 'namespace', 'object name and auth scope, such as for teams and projects')] : [];
    const nameParam = pathParam(dialect, 'name', `name of the ${what}`);
    const pretty = queryParam(dialect, P.pretty);

    paths[collection] = {
      get: builder.op('list', `list${gvName}${scope}${what}`, `list or watch objects of kind ${what}`, gvk, LIST_PARAMS, {
        response: listType,
        responseTypes: LIST_TYPES,
      }),
      post: builder.op('post', `create${gvName}${scope}${what}`, `create a ${what}`, gvk, WRITE_PARAMS, {
        body: res.typeName,
        response: res.typeName,
        codes: ['200', '201', '202'],
      }),
      delete: builder.op('deletecollection', `deletecollection${gvName}${scope}${what}`, `delete collection of ${what}`, gvk, [...DELETE_PARAMS, ...LIST_PARAMS], {
        body: DELETE_OPTIONS,
        response: STATUS,
      }),
      parameters: [...nsParam, pretty],
    };
    paths[item] = {
      get: builder.op('get', `read${gvName}${scope}${what}`, `read the specified ${what}`, gvk, [], { response: res.typeName }),
      put: builder.op('put', `replace${gvName}${scope}${what}`, `replace the specified ${what}`, gvk, WRITE_PARAMS, {
        body: res.typeName,
        response: res.typeName,
        codes: ['200', '201'],
      }),
      delete: builder.op('delete', `delete${gvName}${scope}${what}`, `delete a ${what}`, gvk, DELETE_PARAMS, {
        body: DELETE_OPTIONS,
        response: STATUS,
        codes: ['200', '202'],
      }),
      patch: builder.op('patch', `patch${gvName}${scope}${what}`, `partially update the specified ${what}`, gvk, PATCH_PARAMS, {
        body: PATCH,
        bodyTypes: PATCH_TYPES,
        response: res.typeName,
        codes: ['200', '201'],
      }),
      parameters: [nameParam, ...nsParam, pretty],
    };
    if (res.namespaced) {
      paths[`${prefix}/${res.plural}`] = {
        get: builder.op('list', `list${gvName}${what}ForAllNamespaces`, `list or watch objects of kind ${what}`, gvk, LIST_PARAMS, {
          response: listType,
          responseTypes: LIST_TYPES,
        }),
        parameters: [pretty],
      };
    }

    for (const sub of res.subresources) {
      const shape = subresourceShape(sub);
      const subName = capitalize(sub);
      const type = shape.type ?? res.typeName;
      const isText = type === 'string';
      const entry: Json = {};
      const params = shape.params ?? [];
      for (const action of shape.actions) {
        if (action === 'connect') {
          for (const method of ['get', 'post'] as const) {
            entry[method] = builder.op('connect', `connect${gvName}${capitalize(method)}${scope}${what}${subName}`, `connect ${method.toUpperCase()} requests to ${sub} of ${what}`, gvk, params, {
              response: 'string',
            });
          }
        } else if (action === 'get') {
          entry.get = builder.op('get', `read${gvName}${scope}${what}${subName}`, `read ${sub} of the specified ${what}`, gvk, params, {
            response: isText ? 'string' : type,
          });
        } else if (action === 'put') {
          entry.put = builder.op('put', `replace${gvName}${scope}${what}${subName}`, `replace ${sub} of the specified ${what}`, gvk, WRITE_PARAMS, {
            body: type,
            response: type,
            codes: ['200', '201'],
          });
        } else if (action === 'patch') {
          entry.patch = builder.op('patch', `patch${gvName}${scope}${what}${subName}`, `partially update ${sub} of the specified ${what}`, gvk, PATCH_PARAMS, {
            body: PATCH,
            bodyTypes: PATCH_TYPES,
            response: type,
            codes: ['200', '201'],
          });
        } else if (action === 'post') {
          entry.post = builder.op('post', `create${gvName}${scope}${what}${subName}`, `create ${sub} of a ${what}`, gvk, WRITE_PARAMS, {
            body: type,
            response: type,
            codes: ['200', '201', '202'],
          });
        }
      }
      entry.parameters = [pathParam(dialect, 'name', `name of the ${sub}`), ...nsParam, ...(isText ? [] : [pretty])];
      paths[`${item}/${sub}`] = entry;
    }
  }
  return paths;
}

function pathParam(dialect: Dialect, name: string, description: string): Json {
  return dialect === 'v3'
    ? { name, in: 'path', description, required: true, schema: { type: 'string', uniqueItems: true } }
    : { uniqueItems: true, type: 'string', description, name, in: 'path', required: true };
}

function queryParam(dialect: Dialect, p: Param): Json {
  return dialect === 'v3'
    ? { name: p.name, in: 'query', description: p.description, schema: { type: p.type, uniqueItems: true } }
    : { uniqueItems: true, type: p.type, description: p.description, name: p.name, in: 'query' };
}

interface OpShape {
  body?: string;
  bodyTypes?: string[];
  /** Schema name, or 'string' for plain text. */
  response: string;
  responseTypes?: string[];
  codes?: string[];
}

class OperationBuilder {
  constructor(
    private readonly dialect: Dialect,
    private readonly schemas: SchemaSet,
    private readonly tag: string,
  ) {}

  private schemaFor(name: string): Json {
    return name === 'string' ? { type: 'string' } : this.schemas.ref(name);
  }

  op(action: Action, operationId: string, description: string, gvk: { group: string; version: string; kind: string }, params: Param[], shape: OpShape): Json {
    const codes = shape.codes ?? ['200'];
    const responseTypes = shape.response === 'string' ? ['*/*'] : (shape.responseTypes ?? JSON_TYPES);
    const body = shape.body ? this.schemaFor(shape.body) : undefined;
    const responseSchema = this.schemaFor(shape.response);
    const statusText: Record<string, string> = { '200': 'OK', '201': 'Created', '202': 'Accepted' };
    const op: Json = { tags: [this.tag], description, operationId };
    if (this.dialect === 'v3') {
      if (params.length) op.parameters = params.map((p) => queryParam('v3', p));
      if (body) {
        const content: Json = {};
        for (const t of shape.bodyTypes ?? ['*/*']) content[t] = { schema: body };
        op.requestBody = { content, required: action !== 'delete' && action !== 'deletecollection' };
      }
      const responses: Json = {};
      for (const code of codes) {
        const content: Json = {};
        for (const t of responseTypes) content[t] = { schema: responseSchema };
        responses[code] = { description: statusText[code], content };
      }
      responses['401'] = { description: 'Unauthorized' };
      op.responses = responses;
    } else {
      op.consumes = shape.bodyTypes ?? ['*/*'];
      op.produces = responseTypes;
      op.schemes = ['https'];
      const ps: Json[] = [];
      if (body) ps.push({ name: 'body', in: 'body', required: action !== 'delete' && action !== 'deletecollection', schema: body });
      for (const p of params) ps.push(queryParam('v2', p));
      if (ps.length) op.parameters = ps;
      const responses: Json = {};
      for (const code of codes) responses[code] = { description: statusText[code], schema: responseSchema };
      responses['401'] = { description: 'Unauthorized' };
      op.responses = responses;
    }
    op['x-kubernetes-action'] = action;
    op['x-kubernetes-group-version-kind'] = { group: gvk.group, kind: gvk.kind, version: gvk.version };
    return op;
  }
}
