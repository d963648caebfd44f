// Maps a URL path onto a resource request:
//   /api/v1/namespaces/{ns}/pods/{name}/status  →  {def: pods, namespace, name, subresource}

import { resources, type ResourceDef } from '../api/resources.js';

export interface ResourceRoute {
  def: ResourceDef;
  namespace?: string;
  name?: string;
  subresource?: string;
}

export type RouteResult =
  | { kind: 'resource'; route: ResourceRoute }
  | { kind: 'groupVersion'; group: string; version: string }
  | { kind: 'unknown' };

/** segments: the path split on '/', without the leading empty segment. */
export function parseApiPath(pathname: string): RouteResult {
  const segs = pathname.split('/').filter((s, i) => i > 0 && s !== '').map(decodeURIComponent);
  let group: string;
  let version: string;
  let rest: string[];
  if (segs[0] === 'api' && segs.length >= 2) {
    group = '';
    version = segs[1];
    rest = segs.slice(2);
  } else if (segs[0] === 'apis' && segs.length >= 3) {
    group = segs[1];
    version = segs[2];
    rest = segs.slice(3);
  } else return { kind: 'unknown' };
  if (rest.length === 0) return { kind: 'groupVersion', group, version };

  const find = (plural: string) => resources.find((r) => r.group === group && r.version === version && r.plural === plural);

  if (rest[0] === 'namespaces' && rest.length >= 3) {
    const nsDef = find('namespaces');
    // /namespaces/{name}/status|finalize is the namespace's own subresource.
    if (rest.length === 3 && nsDef && nsDef.subresources.includes(rest[2] as never)) {
      return { kind: 'resource', route: { def: nsDef, name: rest[1], subresource: rest[2] } };
    }
    const def = find(rest[2]);
    if (!def || !def.namespaced || rest.length > 5) return { kind: 'unknown' };
    return { kind: 'resource', route: { def, namespace: rest[1], name: rest[3], subresource: rest[4] } };
  }
  const def = find(rest[0]);
  if (!def || rest.length > 3) return { kind: 'unknown' };
  if (def.namespaced && rest.length > 1) return { kind: 'unknown' };
  return { kind: 'resource', route: { def, name: rest[1], subresource: rest[2] } };
}
