// Node identity in the API server: Kubernetes' Node authorizer plus the
// NodeRestriction admission plugin, simplified. A user "system:node:<n>" in
// group "system:nodes" may read general objects, but secrets and configmaps
// only when a pod bound to <n> uses them; it may write only its own Node,
// its own Lease, events, and the status / deletion of pods bound to it.
// Every other user is left alone.

import type { IncomingMessage } from 'node:http';
import { Readable } from 'node:stream';
import type { ResourceRoute } from './routes.js';
import type { RequestUser, RestContext } from './rest.js';
import { errors, type ApiError } from './status.js';
import { decodeObject, readBody } from './body.js';
import { apiVersionOf } from '../api/resources.js';

export const NODES_GROUP = 'system:nodes';
export const NODE_USER_PREFIX = 'system:node:';
export const NODE_LEASE_NAMESPACE = 'kube-node-lease';
export const MIRROR_POD_ANNOTATION = 'kubernetes.io/config.mirror';

/** The node a user speaks for: undefined when not a node; '' when a node of unknown name. */
export function nodeIdentity(user: Pick<RequestUser, 'name' | 'groups'>): string | undefined {
  if (!user.name.startsWith(NODE_USER_PREFIX) || !user.groups.includes(NODES_GROUP)) return undefined;
  return user.name.slice(NODE_USER_PREFIX.length);
}

/** The authorization attributes of a resource request (Kubernetes' RequestInfo). */
export interface NodeRequest {
  user: string;
  verb: string;
  group: string;
  resource: string;
  subresource?: string;
  namespace?: string;
  name?: string;
}

/** The object name a list/watch is limited to by a metadata.name field selector. */
export function fieldSelectorName(selector: string | null | undefined): string | undefined {
  for (const term of (selector ?? '').split(',')) {
    const m = term.trim().match(/^metadata\.name(==?)(.*)$/);
    if (m && m[2] !== '') return m[2];
  }
  return undefined;
}

export function requestAttributes(method: string, route: ResourceRoute, url: URL, user: string): NodeRequest {
  const { def, namespace, subresource } = route;
  let name = route.name;
  let verb: string;
  switch (method) {
    case 'GET':
    case 'HEAD': {
      const watch = url.searchParams.get('watch');
      verb = name ? 'get' : watch === 'true' || watch === '1' ? 'watch' : 'list';
      if (!name) name = fieldSelectorName(url.searchParams.get('fieldSelector'));
      break;
    }
    case 'POST':
      verb = 'create';
      break;
    case 'PUT':
      verb = 'update';
      break;
    case 'PATCH':
      verb = 'patch';
      break;
    case 'DELETE':
      verb = name ? 'delete' : 'deletecollection';
      break;
    default:
      verb = method.toLowerCase();
  }
  return { user, verb, group: def.group, resource: def.plural, subresource, namespace, name };
}

/** The RBAC-style denial text, e.g. `User "system:node:n1" cannot create resource "deployments" in API group "apps" in the namespace "default"`. */
export function forbiddenMessage(a: NodeRequest): string {
  const resource = a.subresource ? `${a.resource}/${a.subresource}` : a.resource;
  const where = a.namespace ? `in the namespace "${a.namespace}"` : 'at the cluster scope';
  return `User "${a.user}" cannot ${a.verb} resource "${resource}" in API group "${a.group}" ${where}`;
}

function denied(a: NodeRequest, reason: string, name = a.name ?? ''): ApiError {
  return errors.forbidden({ group: a.group, resource: a.resource }, name, reason ? `${forbiddenMessage(a)}: ${reason}` : forbiddenMessage(a));
}

/** A NodeRestriction admission refusal: `nodes "n2" is forbidden: node "n1" is not allowed to modify node "n2"`. */
function refused(a: NodeRequest, why: string, name = a.name ?? ''): ApiError {
  return errors.forbidden({ group: a.group, resource: a.resource }, name, why);
}

// ---------------------------------------------------------------- pod references

type RefKind = 'secret' | 'configmap';

function allContainers(spec: any): any[] {
  return [...(spec?.initContainers ?? []), ...(spec?.containers ?? []), ...(spec?.ephemeralContainers ?? [])];
}

/** Every secret or configmap name a pod uses: volumes (incl. projected), env, envFrom, imagePullSecrets. */
export function podReferencedNames(pod: any, kind: RefKind): Set<string> {
  const names = new Set<string>();
  const add = (n: unknown) => {
    if (typeof n === 'string' && n !== '') names.add(n);
  };
  const spec = pod?.spec ?? {};
  for (const v of spec.volumes ?? []) {
    if (kind === 'secret') {
      add(v?.secret?.secretName);
      for (const k of ['azureFile', 'cephfs', 'cinder', 'flexVolume', 'iscsi', 'rbd', 'scaleIO', 'storageos', 'csi']) {
        add(v?.[k]?.secretRef?.name);
        add(v?.[k]?.nodePublishSecretRef?.name);
      }
      add(v?.azureFile?.secretName);
    } else {
      add(v?.configMap?.name);
    }
    for (const src of v?.projected?.sources ?? []) add(kind === 'secret' ? src?.secret?.name : src?.configMap?.name);
  }
  for (const c of allContainers(spec)) {
    for (const e of c?.env ?? []) add(kind === 'secret' ? e?.valueFrom?.secretKeyRef?.name : e?.valueFrom?.configMapKeyRef?.name);
    for (const e of c?.envFrom ?? []) add(kind === 'secret' ? e?.secretRef?.name : e?.configMapRef?.name);
  }
  if (kind === 'secret') for (const s of spec.imagePullSecrets ?? []) add(s?.name);
  return names;
}

/** Where the authorizer finds pods (the API server's pod cache). */
export interface PodSource {
  get(namespace: string, name: string): any | undefined;
  inNamespace(namespace: string): Iterable<any>;
}

function podsOnNode(pods: PodSource, namespace: string, node: string): any[] {
  return [...pods.inNamespace(namespace)].filter((p) => p?.spec?.nodeName === node);
}

// ---------------------------------------------------------------- decisions

/** allow; deny now; or decide once the request body (the object to create) is known. */
export type NodeDecision = { allow: true } | { deny: ApiError } | { withObject: (obj: any) => ApiError | undefined };

const ALLOW: NodeDecision = { allow: true };
const READS = new Set(['get', 'list', 'watch']);

/** Verbs the kubelet's static rules grant on a resource (outside the specially handled ones). */
const STATIC_WRITES: Record<string, string[]> = {
  '/events': ['create', 'update', 'patch'],
  'events.k8s.io/events': ['create', 'update', 'patch'],
  'authentication.k8s.io/tokenreviews': ['create'],
  'authorization.k8s.io/subjectaccessreviews': ['create'],
  'authorization.k8s.io/localsubjectaccessreviews': ['create'],
  'certificates.k8s.io/certificatesigningrequests': ['create'],
};

export function authorizeNode(node: string, a: NodeRequest, pods: PodSource): NodeDecision {
  if (node === '') return { deny: denied(a, `unknown node for user "${a.user}"`) };
  const gr = `${a.group}/${a.resource}`;
  switch (gr) {
    case '/secrets':
    case '/configmaps':
      return readReferenced(node, a, pods, a.resource === 'secrets' ? 'secret' : 'configmap');
    case '/serviceaccounts':
      return createToken(node, a, pods);
    case 'coordination.k8s.io/leases':
      return nodeScoped(node, a, 'lease', NODE_LEASE_NAMESPACE);
    case 'storage.k8s.io/csinodes':
      return nodeScoped(node, a, 'CSINode');
    case '/nodes':
      return nodes(node, a);
    case '/pods':
      return podRequest(node, a, pods);
  }
  if (!a.subresource && READS.has(a.verb)) return ALLOW;
  if (!a.subresource && STATIC_WRITES[gr]?.includes(a.verb)) return ALLOW;
  return { deny: denied(a, '') };
}

function readReferenced(node: string, a: NodeRequest, pods: PodSource, kind: RefKind): NodeDecision {
  if (!READS.has(a.verb)) return { deny: denied(a, 'can only read resources of this type') };
  if (a.subresource) return { deny: denied(a, 'cannot read subresource') };
  if (!a.namespace) return { deny: denied(a, 'can only read namespaced object of this type') };
  if (!a.name) return { deny: denied(a, 'No Object name found') };
  const used = podsOnNode(pods, a.namespace, node).some((p) => podReferencedNames(p, kind).has(a.name!));
  return used ? ALLOW : { deny: denied(a, `no relationship found between node '${node}' and this object`) };
}

function createToken(node: string, a: NodeRequest, pods: PodSource): NodeDecision {
  if (!a.subresource && READS.has(a.verb)) return ALLOW;
  if (a.verb !== 'create' || !a.name) return { deny: denied(a, 'can only create tokens for individual service accounts') };
  if (a.subresource !== 'token') return { deny: denied(a, 'can only create token subresource of serviceaccount') };
  const used = podsOnNode(pods, a.namespace ?? '', node).some((p) => (p?.spec?.serviceAccountName || p?.spec?.serviceAccount || 'default') === a.name);
  return used ? ALLOW : { deny: denied(a, `no relationship found between node '${node}' and this object`) };
}

/** Leases and CSINodes: one object per node, named after it. */
function nodeScoped(node: string, a: NodeRequest, what: 'lease' | 'CSINode', namespace?: string): NodeDecision {
  if (!a.subresource && READS.has(a.verb)) return ALLOW;
  if (!['get', 'create', 'update', 'patch', 'delete'].includes(a.verb)) {
    return { deny: denied(a, what === 'lease' ? 'can only get, create, update, patch, or delete a node lease' : 'can only get, create, update, patch, or delete a CSINode') };
  }
  if (a.subresource) return { deny: denied(a, `cannot authorize ${what} subresources`) };
  if (namespace !== undefined && a.namespace !== namespace) {
    return { deny: denied(a, `can only access leases in the "${namespace}" system namespace`) };
  }
  const sameName = what === 'lease' ? 'can only access node lease with the same name as the requesting node' : 'can only access CSINode with the same name as the requesting node';
  if (a.verb === 'create') {
    // The name is in the body: NodeRestriction checks it there.
    return { withObject: (obj) => (obj?.metadata?.name === node ? undefined : refused(a, sameName, obj?.metadata?.name ?? '')) };
  }
  return a.name === node ? ALLOW : { deny: denied(a, sameName) };
}

function nodes(node: string, a: NodeRequest): NodeDecision {
  const notAllowed = (name: string) => refused(a, `node "${node}" is not allowed to modify node "${name}"`, name);
  if (!a.subresource) {
    if (READS.has(a.verb)) return ALLOW;
    if (a.verb === 'create') return { withObject: (obj) => (obj?.metadata?.name === node ? undefined : notAllowed(obj?.metadata?.name ?? '')) };
    if (a.verb === 'update' || a.verb === 'patch') return a.name === node ? ALLOW : { deny: notAllowed(a.name ?? '') };
  } else if (a.subresource === 'status' && (a.verb === 'update' || a.verb === 'patch')) {
    return a.name === node ? ALLOW : { deny: notAllowed(a.name ?? '') };
  }
  return { deny: denied(a, '') };
}

function podRequest(node: string, a: NodeRequest, pods: PodSource): NodeDecision {
  const stored = () => (a.namespace && a.name ? pods.get(a.namespace, a.name) : undefined);
  if (!a.subresource) {
    if (READS.has(a.verb)) return ALLOW;
    if (a.verb === 'create') {
      return {
        withObject: (obj) => {
          const name = obj?.metadata?.name ?? '';
          if (!Object.prototype.hasOwnProperty.call(obj?.metadata?.annotations ?? {}, MIRROR_POD_ANNOTATION)) {
            return refused(a, `pod does not have "${MIRROR_POD_ANNOTATION}" annotation, node "${node}" can only create mirror pods`, name);
          }
          if (obj?.spec?.nodeName !== node) return refused(a, `node "${node}" can only create pods with spec.nodeName set to itself`, name);
          return undefined;
        },
      };
    }
    if (a.verb === 'delete') {
      const pod = stored();
      // A missing pod is the handler's 404.
      if (pod && pod.spec?.nodeName !== node) return { deny: refused(a, `node "${node}" can only delete pods with spec.nodeName set to itself`) };
      return ALLOW;
    }
  } else if (a.subresource === 'status' && (a.verb === 'update' || a.verb === 'patch')) {
    const pod = stored();
    if (pod && pod.spec?.nodeName !== node) return { deny: refused(a, `node "${node}" can only update pod status for pods with spec.nodeName set to itself`) };
    return ALLOW;
  } else if (a.subresource === 'eviction' && a.verb === 'create') {
    const pod = stored();
    if (pod && pod.spec?.nodeName !== node) return { deny: refused(a, `node ${node} can only evict pods with spec.nodeName set to itself`) };
    return ALLOW;
  }
  return { deny: denied(a, '') };
}

// ---------------------------------------------------------------- the hook

/** The API server's pod cache as a PodSource. */
export function podSourceOf(ctx: Pick<RestContext, 'storageFor'>): PodSource {
  const storage = ctx.storageFor('', 'pods');
  return {
    get: (ns, name) => storage.peek(ns, name),
    *inNamespace(ns) {
      for (const p of storage.cache.values()) if (p?.metadata?.namespace === ns) yield p;
    },
  };
}

/** A request whose body was already read, readable once more by the handler. */
function replay(req: IncomingMessage, body: Buffer): IncomingMessage {
  const r = Readable.from(body.length ? [body] : []) as unknown as IncomingMessage;
  Object.assign(r, { headers: req.headers, method: req.method, url: req.url, httpVersion: req.httpVersion, socket: req.socket });
  return r;
}

/**
 * Call after routing, before handling. Throws 403 when a node may not make
 * this request; otherwise returns the request to hand on (a replay of it
 * when the body had to be read to decide).
 */
export async function authorizeNodeRequest(
  ctx: Pick<RestContext, 'storageFor'>,
  req: IncomingMessage,
  route: ResourceRoute,
  url: URL,
  user: RequestUser,
): Promise<IncomingMessage> {
  const node = nodeIdentity(user);
  if (node === undefined) return req;
  const attrs = requestAttributes(req.method ?? 'GET', route, url, user.name);
  const decision = authorizeNode(node, attrs, podSourceOf(ctx));
  if ('deny' in decision) throw decision.deny;
  if ('allow' in decision) return req;
  const body = await readBody(req);
  let obj: any;
  try {
    obj = decodeObject(body, req.headers['content-type'], { kind: route.def.kind, apiVersion: apiVersionOf(route.def) }).obj;
  } catch {
    // Undecodable: the handler reports it the usual way.
    return replay(req, body);
  }
  const refusal = decision.withObject(obj);
  if (refusal) throw refusal;
  return replay(req, body);
}
