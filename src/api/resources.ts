// Every resource the API serves, declared once: discovery, routing, OpenAPI
// paths, field selectors and the client all read this table.

import { type FieldGetter, metadataFields } from './fields.js';

export type Subresource = 'status' | 'scale' | 'binding' | 'log' | 'exec' | 'attach' | 'portforward' | 'eviction' | 'finalize' | 'proxy';

export interface ResourceDef {
  group: string;
  version: string;
  kind: string;
  plural: string;
  singular: string;
  namespaced: boolean;
  shortNames: string[];
  categories: string[];
  /** Schema type name in src/api/schema. */
  typeName: string;
  subresources: Subresource[];
  /** Field selectors beyond metadata.name / metadata.namespace. */
  fieldSelectors: Record<string, FieldGetter>;
  /** metadata.generation is maintained (bumped on spec change). */
  hasGeneration: boolean;
  /** Only a subset of verbs (e.g. bindings are create-only). Default: all. */
  verbs?: string[];
}

const allVerbs = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

export function verbsOf(r: ResourceDef): string[] {
  return r.verbs ?? allVerbs;
}

export function apiVersionOf(r: { group: string; version: string }): string {
  return r.group ? `${r.group}/${r.version}` : r.version;
}

/** Path prefix of the group version: /api/v1 or /apis/apps/v1 */
export function groupVersionPath(r: { group: string; version: string }): string {
  return r.group ? `/apis/${r.group}/${r.version}` : `/api/${r.version}`;
}

/** Collection path: /api/v1/namespaces/ns/pods, or cluster-wide when ns is undefined. */
export function collectionPath(r: ResourceDef, namespace?: string): string {
  const base = groupVersionPath(r);
  return r.namespaced && namespace !== undefined ? `${base}/namespaces/${encodeURIComponent(namespace)}/${r.plural}` : `${base}/${r.plural}`;
}

export function itemPath(r: ResourceDef, namespace: string | undefined, name: string, sub?: string): string {
  return `${collectionPath(r, namespace)}/${encodeURIComponent(name)}${sub ? `/${sub}` : ''}`;
}

const s = (f: (o: any) => unknown): FieldGetter => (o) => {
  const v = f(o);
  return v === undefined || v === null ? '' : String(v);
};

const core = (kind: string, plural: string, o: Partial<ResourceDef> = {}): ResourceDef => ({
  group: '',
  version: 'v1',
  kind,
  plural,
  singular: kind.toLowerCase(),
  namespaced: true,
  shortNames: [],
  categories: [],
  typeName: `io.k8s.api.core.v1.${kind}`,
  subresources: [],
  fieldSelectors: {},
  hasGeneration: false,
  ...o,
});

const grouped = (group: string, version: string, pkg: string, kind: string, plural: string, o: Partial<ResourceDef> = {}): ResourceDef => ({
  ...core(kind, plural, o),
  group,
  version,
  typeName: `io.k8s.api.${pkg}.${version}.${kind}`,
  ...o,
});

const eventFields: Record<string, FieldGetter> = {
  'involvedObject.kind': s((o) => o.involvedObject?.kind),
  'involvedObject.namespace': s((o) => o.involvedObject?.namespace),
  'involvedObject.name': s((o) => o.involvedObject?.name),
  'involvedObject.uid': s((o) => o.involvedObject?.uid),
  'involvedObject.apiVersion': s((o) => o.involvedObject?.apiVersion),
  'involvedObject.resourceVersion': s((o) => o.involvedObject?.resourceVersion),
  'involvedObject.fieldPath': s((o) => o.involvedObject?.fieldPath),
  reason: s((o) => o.reason),
  reportingComponent: s((o) => o.reportingComponent),
  source: s((o) => o.source?.component),
  type: s((o) => o.type),
};

export const resources: ResourceDef[] = [
  core('Namespace', 'namespaces', {
    namespaced: false,
    shortNames: ['ns'],
    subresources: ['status', 'finalize'],
    fieldSelectors: { 'status.phase': s((o) => o.status?.phase) },
  }),
  core('Node', 'nodes', {
    namespaced: false,
    shortNames: ['no'],
    subresources: ['status', 'proxy'],
    fieldSelectors: { 'spec.unschedulable': s((o) => (o.spec?.unschedulable ? 'true' : 'false')) },
  }),
  core('Pod', 'pods', {
    shortNames: ['po'],
    categories: ['all'],
    subresources: ['status', 'binding', 'log', 'exec', 'attach', 'portforward', 'eviction'],
    fieldSelectors: {
      'spec.nodeName': s((o) => o.spec?.nodeName),
      'spec.restartPolicy': s((o) => o.spec?.restartPolicy),
      'spec.schedulerName': s((o) => o.spec?.schedulerName),
      'spec.serviceAccountName': s((o) => o.spec?.serviceAccountName),
      'spec.hostNetwork': s((o) => (o.spec?.hostNetwork ? 'true' : 'false')),
      'status.phase': s((o) => o.status?.phase),
      'status.podIP': s((o) => o.status?.podIP),
      'status.nominatedNodeName': s((o) => o.status?.nominatedNodeName),
    },
  }),
  core('Binding', 'bindings', { verbs: ['create'] }),
  core('Secret', 'secrets', { fieldSelectors: { type: s((o) => o.type) } }),
  core('ConfigMap', 'configmaps', { shortNames: ['cm'] }),
  core('Service', 'services', { shortNames: ['svc'], categories: ['all'], subresources: ['status', 'proxy'] }),
  core('Endpoints', 'endpoints', { singular: 'endpoints', shortNames: ['ep'] }),
  core('Event', 'events', { shortNames: ['ev'], fieldSelectors: eventFields }),
  core('ServiceAccount', 'serviceaccounts', { shortNames: ['sa'] }),
  grouped('apps', 'v1', 'apps', 'Deployment', 'deployments', {
    shortNames: ['deploy'],
    categories: ['all'],
    subresources: ['status', 'scale'],
    hasGeneration: true,
  }),
  grouped('apps', 'v1', 'apps', 'ReplicaSet', 'replicasets', {
    shortNames: ['rs'],
    categories: ['all'],
    subresources: ['status', 'scale'],
    hasGeneration: true,
    fieldSelectors: { 'status.replicas': s((o) => o.status?.replicas ?? 0) },
  }),
  grouped('batch', 'v1', 'batch', 'Job', 'jobs', {
    categories: ['all'],
    subresources: ['status'],
    hasGeneration: true,
    fieldSelectors: { 'status.successful': s((o) => o.status?.succeeded ?? 0) },
  }),
  grouped('coordination.k8s.io', 'v1', 'coordination', 'Lease', 'leases'),
  grouped('events.k8s.io', 'v1', 'events', 'Event', 'events', {
    shortNames: ['ev'],
    fieldSelectors: {
      'regarding.kind': s((o) => o.regarding?.kind),
      'regarding.namespace': s((o) => o.regarding?.namespace),
      'regarding.name': s((o) => o.regarding?.name),
      'regarding.uid': s((o) => o.regarding?.uid),
      'regarding.apiVersion': s((o) => o.regarding?.apiVersion),
      reason: s((o) => o.reason),
      reportingController: s((o) => o.reportingController),
      type: s((o) => o.type),
    },
  }),
  grouped('scheduling.k8s.io', 'v1', 'scheduling', 'PriorityClass', 'priorityclasses', {
    namespaced: false,
    shortNames: ['pc'],
    hasGeneration: false,
  }),
];

/** All field selectors a resource answers to. */
export function fieldGetters(r: ResourceDef): Record<string, FieldGetter> {
  return { ...metadataFields, ...r.fieldSelectors };
}

export function findResource(group: string, version: string, plural: string): ResourceDef | undefined {
  return resources.find((r) => r.group === group && r.version === version && r.plural === plural);
}

export function findResourceByKind(apiVersion: string, kind: string): ResourceDef | undefined {
  return resources.find((r) => apiVersionOf(r) === apiVersion && r.kind === kind);
}

/** The storage key: /registry/<group/>resource/<ns>/<name>. events.k8s.io shares core events' storage. */
export function storagePrefix(r: ResourceDef): string {
  const group = r.group === 'events.k8s.io' ? '' : r.group;
  return `/registry/${group ? group + '/' : ''}${r.plural}/`;
}
