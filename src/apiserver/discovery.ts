// Discovery documents (/api, /apis, /api/v1, /apis/<g>/<v>), legacy and
// aggregated (apidiscovery.k8s.io/v2): the response Content-Type tells kubectl which.

import { resources, verbsOf, type ResourceDef } from '../api/resources.js';

export const AGGREGATED_V2 = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList';
export const AGGREGATED_V2BETA1 = 'application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList';

export interface GroupVersion {
  group: string;
  version: string;
}

/** Extra group versions served outside the resource table (e.g. skiff.dev). */
export interface ExtraResource {
  group: string;
  version: string;
  plural: string;
  singular: string;
  kind: string;
  namespaced: boolean;
  verbs: string[];
}

const subresourceKinds: Record<string, { group: string; version: string; kind: string; verbs: string[] } | null> = {
  status: null,
  scale: { group: 'autoscaling', version: 'v1', kind: 'Scale', verbs: ['get', 'patch', 'update'] },
  binding: { group: '', version: 'v1', kind: 'Binding', verbs: ['create'] },
  log: { group: '', version: 'v1', kind: 'Pod', verbs: ['get'] },
  exec: { group: '', version: 'v1', kind: 'PodExecOptions', verbs: ['create', 'get'] },
  attach: { group: '', version: 'v1', kind: 'PodAttachOptions', verbs: ['create', 'get'] },
  portforward: { group: '', version: 'v1', kind: 'PodPortForwardOptions', verbs: ['create', 'get'] },
  eviction: { group: 'policy', version: 'v1', kind: 'Eviction', verbs: ['create'] },
  finalize: null,
  proxy: { group: '', version: 'v1', kind: '', verbs: ['create', 'delete', 'get', 'patch', 'update'] },
};

function subresourceInfo(r: ResourceDef, sub: string): { group: string; version: string; kind: string; verbs: string[] } {
  const info = subresourceKinds[sub];
  if (info) return sub === 'proxy' ? { ...info, kind: `${r.kind}ProxyOptions` } : info;
  return { group: r.group, version: r.version, kind: r.kind, verbs: sub === 'finalize' ? ['update'] : ['get', 'patch', 'update'] };
}

export function groupVersions(extra: ExtraResource[] = []): GroupVersion[] {
  const seen = new Map<string, GroupVersion>();
  for (const r of [...resources, ...extra]) {
    const k = `${r.group}/${r.version}`;
    if (!seen.has(k)) seen.set(k, { group: r.group, version: r.version });
  }
  return [...seen.values()];
}

function resourcesOf(gv: GroupVersion): ResourceDef[] {
  return resources.filter((r) => r.group === gv.group && r.version === gv.version);
}

export function legacyApiVersions(serverAddress: string): unknown {
  return {
    kind: 'APIVersions',
    versions: ['v1'],
    serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }],
  };
}

export function legacyGroupList(extra: ExtraResource[] = []): unknown {
  return {
    kind: 'APIGroupList',
    apiVersion: 'v1',
    groups: groupVersions(extra)
      .filter((gv) => gv.group !== '')
      .map((gv) => {
        const v = { groupVersion: `${gv.group}/${gv.version}`, version: gv.version };
        return { name: gv.group, versions: [v], preferredVersion: v };
      }),
  };
}

export function resourceList(gv: GroupVersion, extra: ExtraResource[] = []): unknown | undefined {
  const list = resourcesOf(gv);
  const more = extra.filter((e) => e.group === gv.group && e.version === gv.version);
  if (!list.length && !more.length) return undefined;
  const out: unknown[] = [];
  for (const r of list) {
    const entry: Record<string, unknown> = {
      name: r.plural,
      singularName: r.singular,
      namespaced: r.namespaced,
      kind: r.kind,
      verbs: verbsOf(r),
    };
    if (r.shortNames.length) entry.shortNames = r.shortNames;
    if (r.categories.length) entry.categories = r.categories;
    out.push(entry);
    for (const sub of r.subresources) {
      const info = subresourceInfo(r, sub);
      const e: Record<string, unknown> = { name: `${r.plural}/${sub}`, singularName: '', namespaced: r.namespaced, kind: info.kind, verbs: info.verbs };
      if (info.group !== r.group || info.version !== r.version) {
        if (info.group) e.group = info.group;
        e.version = info.version;
      }
      out.push(e);
    }
  }
  for (const e of more) out.push({ name: e.plural, singularName: e.singular, namespaced: e.namespaced, kind: e.kind, verbs: e.verbs });
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: gv.group ? `${gv.group}/${gv.version}` : gv.version, resources: out };
}

function aggregatedGroup(gv: GroupVersion, extra: ExtraResource[]): unknown {
  const res = resourcesOf(gv).map((r) => {
    const entry: Record<string, unknown> = {
      resource: r.plural,
      responseKind: { group: r.group, version: r.version, kind: r.kind },
      scope: r.namespaced ? 'Namespaced' : 'Cluster',
      singularResource: r.singular,
      verbs: verbsOf(r),
    };
    if (r.shortNames.length) entry.shortNames = r.shortNames;
    if (r.categories.length) entry.categories = r.categories;
    if (r.subresources.length) {
      entry.subresources = r.subresources.map((sub) => {
        const info = subresourceInfo(r, sub);
        return { subresource: sub, responseKind: { group: info.group, version: info.version, kind: info.kind }, verbs: info.verbs };
      });
    }
    return entry;
  });
  for (const e of extra.filter((x) => x.group === gv.group && x.version === gv.version)) {
    res.push({
      resource: e.plural,
      responseKind: { group: e.group, version: e.version, kind: e.kind },
      scope: e.namespaced ? 'Namespaced' : 'Cluster',
      singularResource: e.singular,
      verbs: e.verbs,
    });
  }
  const metadata: Record<string, unknown> = { creationTimestamp: null };
  if (gv.group) metadata.name = gv.group;
  return { metadata, versions: [{ version: gv.version, resources: res, freshness: 'Current' }] };
}

/** Aggregated discovery for /api (core) or /apis (groups). */
export function aggregatedList(core: boolean, extra: ExtraResource[] = [], apiVersion = 'apidiscovery.k8s.io/v2'): unknown {
  return {
    kind: 'APIGroupDiscoveryList',
    apiVersion,
    metadata: {},
    items: groupVersions(extra)
      .filter((gv) => (gv.group === '') === core)
      .map((gv) => aggregatedGroup(gv, extra)),
  };
}

/** Which discovery form the Accept header asks for. */
export function wantsAggregated(accept: string | undefined): 'v2' | 'v2beta1' | null {
  if (!accept) return null;
  for (const part of accept.split(',')) {
    const p = part.replace(/\s+/g, '');
    if (p.includes('g=apidiscovery.k8s.io') && p.includes('as=APIGroupDiscoveryList')) {
      if (p.includes('v=v2beta1')) return 'v2beta1';
      if (p.includes('v=v2')) return 'v2';
    }
  }
  return null;
}
