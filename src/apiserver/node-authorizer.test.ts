import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { resources } from '../api/resources.js';
import { ApiStatusError, RestClient, type KubeObject } from '../client/index.js';
import { startControlPlane, type ControlPlane } from '../cli/control-plane.js';
import { cleanupTempDirs, kubectl } from '../testing/kubectl.js';
import {
  authorizeNode,
  fieldSelectorName,
  forbiddenMessage,
  nodeIdentity,
  podReferencedNames,
  requestAttributes,
  type NodeRequest,
  type PodSource,
} from './node-authorizer.js';
import { ensureNodeToken, loadTokenFile, TOKEN_FILE_NAME } from './tokens.js';

const def = (group: string, plural: string) => resources.find((r) => r.group === group && r.plural === plural)!;
const nodesDef = def('', 'nodes');
const podsDef = def('', 'pods');
const secretsDef = def('', 'secrets');
const configmapsDef = def('', 'configmaps');
const leasesDef = def('coordination.k8s.io', 'leases');
const eventsDef = def('', 'events');
const deploymentsDef = def('apps', 'deployments');

// ---------------------------------------------------------------- units

test('nodeIdentity needs both the user prefix and the system:nodes group', () => {
  assert.equal(nodeIdentity({ name: 'system:node:n1', groups: ['system:nodes'] }), 'n1');
  assert.equal(nodeIdentity({ name: 'system:node:n1', groups: ['system:authenticated'] }), undefined);
  assert.equal(nodeIdentity({ name: 'system:admin', groups: ['system:nodes'] }), undefined);
  assert.equal(nodeIdentity({ name: 'system:node:', groups: ['system:nodes'] }), '');
});

test('fieldSelectorName finds an exact metadata.name match', () => {
  assert.equal(fieldSelectorName('metadata.name=s1'), 's1');
  assert.equal(fieldSelectorName('type=Opaque,metadata.name==s2'), 's2');
  assert.equal(fieldSelectorName('metadata.name!=s1'), undefined);
  assert.equal(fieldSelectorName('metadata.name='), undefined);
  assert.equal(fieldSelectorName(null), undefined);
});

test('requestAttributes derives the verb and name like Kubernetes RequestInfo', () => {
  const at = (method: string, p: { ns?: string; name?: string; sub?: string }, query = '') =>
    requestAttributes(method, { def: secretsDef, namespace: p.ns, name: p.name, subresource: p.sub }, new URL(`https://x/y${query}`), 'u');
  assert.deepEqual(at('GET', { ns: 'default', name: 's' }), { user: 'u', verb: 'get', group: '', resource: 'secrets', subresource: undefined, namespace: 'default', name: 's' });
  assert.equal(at('GET', { ns: 'default' }).verb, 'list');
  assert.equal(at('GET', { ns: 'default' }, '?watch=true').verb, 'watch');
  assert.equal(at('GET', { ns: 'default' }, '?watch=1&fieldSelector=metadata.name%3Ds9').name, 's9');
  assert.equal(at('POST', { ns: 'default' }).verb, 'create');
  assert.equal(at('PUT', { ns: 'default', name: 's' }).verb, 'update');
  assert.equal(at('PATCH', { ns: 'default', name: 's' }).verb, 'patch');
  assert.equal(at('DELETE', { ns: 'default', name: 's' }).verb, 'delete');
  assert.equal(at('DELETE', { ns: 'default' }).verb, 'deletecollection');
});

test('forbiddenMessage: namespaced, cluster scope and subresources', () => {
  const a = (x: Partial<NodeRequest>): NodeRequest => ({ user: 'system:node:n1', verb: 'get', group: '', resource: 'secrets', ...x });
  assert.equal(
    forbiddenMessage(a({ namespace: 'default', verb: 'create', group: 'apps', resource: 'deployments' })),
    'User "system:node:n1" cannot create resource "deployments" in API group "apps" in the namespace "default"',
  );
  assert.equal(forbiddenMessage(a({ verb: 'delete', resource: 'nodes' })), 'User "system:node:n1" cannot delete resource "nodes" in API group "" at the cluster scope');
  assert.equal(
    forbiddenMessage(a({ verb: 'create', resource: 'pods', subresource: 'exec', namespace: 'ns' })),
    'User "system:node:n1" cannot create resource "pods/exec" in API group "" in the namespace "ns"',
  );
});

const bigPod = {
  metadata: { name: 'p', namespace: 'default' },
  spec: {
    nodeName: 'n1',
    imagePullSecrets: [{ name: 'pull' }],
    volumes: [
      { name: 'a', secret: { secretName: 'vol-secret' } },
      { name: 'b', configMap: { name: 'vol-cm' } },
      { name: 'c', projected: { sources: [{ secret: { name: 'proj-secret' } }, { configMap: { name: 'proj-cm' } }, { serviceAccountToken: { path: 't' } }] } },
      { name: 'd', csi: { driver: 'x', nodePublishSecretRef: { name: 'csi-secret' } } },
      { name: 'e', emptyDir: {} },
    ],
    initContainers: [{ name: 'i', env: [{ name: 'X', valueFrom: { secretKeyRef: { name: 'init-env-secret', key: 'k' } } }] }],
    containers: [
      {
        name: 'c',
        env: [
          { name: 'Y', valueFrom: { configMapKeyRef: { name: 'env-cm', key: 'k' } } },
          { name: 'Z', value: 'plain' },
        ],
        envFrom: [{ secretRef: { name: 'envfrom-secret' } }, { configMapRef: { name: 'envfrom-cm' } }],
      },
    ],
    ephemeralContainers: [{ name: 'dbg', envFrom: [{ secretRef: { name: 'eph-secret' } }] }],
  },
};

test('podReferencedNames collects every secret and configmap reference', () => {
  assert.deepEqual(
    [...podReferencedNames(bigPod, 'secret')].sort(),
    ['csi-secret', 'envfrom-secret', 'eph-secret', 'init-env-secret', 'proj-secret', 'pull', 'vol-secret'],
  );
  assert.deepEqual([...podReferencedNames(bigPod, 'configmap')].sort(), ['env-cm', 'envfrom-cm', 'proj-cm', 'vol-cm']);
  assert.deepEqual([...podReferencedNames({}, 'secret')], []);
});

describe('authorizeNode decisions', () => {
  const pods: PodSource = {
    get: (ns, name) => [bigPod, other].find((p) => p.metadata.namespace === ns && p.metadata.name === name),
    inNamespace: (ns) => [bigPod, other].filter((p) => p.metadata.namespace === ns),
  };
  const other = { metadata: { name: 'q', namespace: 'default' }, spec: { nodeName: 'n2', serviceAccountName: 'robot', volumes: [{ name: 'x', secret: { secretName: 'theirs' } }] } };
  const req = (x: Partial<NodeRequest>): NodeRequest => ({ user: 'system:node:n1', verb: 'get', group: '', resource: 'pods', namespace: 'default', ...x });
  const verdict = (x: Partial<NodeRequest>, node = 'n1'): string => {
    const d = authorizeNode(node, req(x), pods);
    if ('allow' in d) return 'allow';
    if ('deny' in d) return d.deny.message;
    return 'body';
  };

  test('reads of general objects are allowed', () => {
    for (const [group, resource] of [['', 'pods'], ['', 'nodes'], ['', 'services'], ['', 'namespaces'], ['coordination.k8s.io', 'leases'], ['node.k8s.io', 'runtimeclasses']]) {
      for (const verb of ['get', 'list', 'watch']) assert.equal(verdict({ group, resource, verb, name: verb === 'get' ? 'x' : undefined }), 'allow', `${verb} ${resource}`);
    }
  });

  test('secrets and configmaps only through a pod on the node', () => {
    assert.equal(verdict({ resource: 'secrets', name: 'vol-secret' }), 'allow');
    assert.equal(verdict({ resource: 'secrets', name: 'pull', verb: 'watch' }), 'allow');
    assert.equal(verdict({ resource: 'configmaps', name: 'proj-cm', verb: 'list' }), 'allow');
    assert.equal(
      verdict({ resource: 'secrets', name: 'theirs' }),
      `secrets "theirs" is forbidden: User "system:node:n1" cannot get resource "secrets" in API group "" in the namespace "default": no relationship found between node 'n1' and this object`,
    );
    assert.equal(verdict({ resource: 'secrets', name: 'theirs' }, 'n2'), 'allow');
    assert.equal(
      verdict({ resource: 'secrets', verb: 'list' }),
      'secrets is forbidden: User "system:node:n1" cannot list resource "secrets" in API group "" in the namespace "default": No Object name found',
    );
    assert.equal(
      verdict({ resource: 'secrets', verb: 'update', name: 'vol-secret' }),
      'secrets "vol-secret" is forbidden: User "system:node:n1" cannot update resource "secrets" in API group "" in the namespace "default": can only read resources of this type',
    );
    assert.equal(
      verdict({ resource: 'configmaps', name: 'vol-cm', namespace: 'other' }),
      `configmaps "vol-cm" is forbidden: User "system:node:n1" cannot get resource "configmaps" in API group "" in the namespace "other": no relationship found between node 'n1' and this object`,
    );
  });

  test('nodes: own node writable, others not, no deletes', () => {
    assert.equal(verdict({ resource: 'nodes', namespace: undefined, verb: 'patch', name: 'n1' }), 'allow');
    assert.equal(verdict({ resource: 'nodes', namespace: undefined, verb: 'update', name: 'n1', subresource: 'status' }), 'allow');
    assert.equal(verdict({ resource: 'nodes', namespace: undefined, verb: 'create' }), 'body');
    assert.equal(verdict({ resource: 'nodes', namespace: undefined, verb: 'patch', name: 'n2' }), 'nodes "n2" is forbidden: node "n1" is not allowed to modify node "n2"');
    assert.equal(
      verdict({ resource: 'nodes', namespace: undefined, verb: 'patch', name: 'n2', subresource: 'status' }),
      'nodes "n2" is forbidden: node "n1" is not allowed to modify node "n2"',
    );
    assert.equal(
      verdict({ resource: 'nodes', namespace: undefined, verb: 'delete', name: 'n2' }),
      'nodes "n2" is forbidden: User "system:node:n1" cannot delete resource "nodes" in API group "" at the cluster scope',
    );
    const create = authorizeNode('n1', req({ resource: 'nodes', namespace: undefined, verb: 'create' }), pods);
    assert.ok('withObject' in create);
    assert.equal(create.withObject({ metadata: { name: 'n1' } }), undefined);
    assert.equal(create.withObject({ metadata: { name: 'n9' } })?.message, 'nodes "n9" is forbidden: node "n1" is not allowed to modify node "n9"');
  });

  test('pods: status and delete only for pods bound to the node', () => {
    assert.equal(verdict({ verb: 'patch', name: 'p', subresource: 'status' }), 'allow');
    assert.equal(verdict({ verb: 'patch', name: 'q', subresource: 'status' }), 'pods "q" is forbidden: node "n1" can only update pod status for pods with spec.nodeName set to itself');
    assert.equal(verdict({ verb: 'delete', name: 'p' }), 'allow');
    assert.equal(verdict({ verb: 'delete', name: 'q' }), 'pods "q" is forbidden: node "n1" can only delete pods with spec.nodeName set to itself');
    assert.equal(verdict({ verb: 'delete', name: 'gone' }), 'allow', 'a missing pod is left to the handler (404)');
    assert.equal(verdict({ verb: 'create', name: 'q', subresource: 'eviction' }), 'pods "q" is forbidden: node n1 can only evict pods with spec.nodeName set to itself');
    assert.equal(verdict({ verb: 'update', name: 'p' }), 'pods "p" is forbidden: User "system:node:n1" cannot update resource "pods" in API group "" in the namespace "default"');
    assert.equal(verdict({ verb: 'deletecollection' }), 'pods is forbidden: User "system:node:n1" cannot deletecollection resource "pods" in API group "" in the namespace "default"');
    assert.equal(verdict({ verb: 'create', name: 'p', subresource: 'exec' }), 'pods "p" is forbidden: User "system:node:n1" cannot create resource "pods/exec" in API group "" in the namespace "default"');
    const create = authorizeNode('n1', req({ verb: 'create' }), pods);
    assert.ok('withObject' in create);
    assert.equal(
      create.withObject({ metadata: { name: 'm' }, spec: { nodeName: 'n1' } })?.message,
      'pods "m" is forbidden: pod does not have "kubernetes.io/config.mirror" annotation, node "n1" can only create mirror pods',
    );
    assert.equal(
      create.withObject({ metadata: { name: 'm', annotations: { 'kubernetes.io/config.mirror': 'x' } }, spec: { nodeName: 'n2' } })?.message,
      'pods "m" is forbidden: node "n1" can only create pods with spec.nodeName set to itself',
    );
    assert.equal(create.withObject({ metadata: { name: 'm', annotations: { 'kubernetes.io/config.mirror': 'x' } }, spec: { nodeName: 'n1' } }), undefined);
  });

  test('leases: only its own, only in kube-node-lease', () => {
    const lease = (x: Partial<NodeRequest>) => verdict({ group: 'coordination.k8s.io', resource: 'leases', namespace: 'kube-node-lease', ...x });
    assert.equal(lease({ verb: 'update', name: 'n1' }), 'allow');
    assert.equal(lease({ verb: 'create' }), 'body');
    assert.equal(
      lease({ verb: 'update', name: 'n2' }),
      'leases.coordination.k8s.io "n2" is forbidden: User "system:node:n1" cannot update resource "leases" in API group "coordination.k8s.io" in the namespace "kube-node-lease": can only access node lease with the same name as the requesting node',
    );
    assert.equal(
      lease({ verb: 'create', namespace: 'default' }),
      'leases.coordination.k8s.io is forbidden: User "system:node:n1" cannot create resource "leases" in API group "coordination.k8s.io" in the namespace "default": can only access leases in the "kube-node-lease" system namespace',
    );
    assert.equal(
      lease({ verb: 'deletecollection' }),
      'leases.coordination.k8s.io is forbidden: User "system:node:n1" cannot deletecollection resource "leases" in API group "coordination.k8s.io" in the namespace "kube-node-lease": can only get, create, update, patch, or delete a node lease',
    );
  });

  test('events writable; other writes refused; service account tokens only for its pods', () => {
    assert.equal(verdict({ resource: 'events', verb: 'create' }), 'allow');
    assert.equal(verdict({ group: 'events.k8s.io', resource: 'events', verb: 'patch', name: 'e' }), 'allow');
    assert.equal(verdict({ resource: 'events', verb: 'delete', name: 'e' }), 'events "e" is forbidden: User "system:node:n1" cannot delete resource "events" in API group "" in the namespace "default"');
    assert.equal(verdict({ resource: 'services', verb: 'create' }), 'services is forbidden: User "system:node:n1" cannot create resource "services" in API group "" in the namespace "default"');
    assert.equal(verdict({ resource: 'serviceaccounts', verb: 'create', name: 'default', subresource: 'token' }), 'allow', 'bigPod runs as default');
    assert.equal(
      verdict({ resource: 'serviceaccounts', verb: 'create', name: 'robot', subresource: 'token' }),
      `serviceaccounts "robot" is forbidden: User "system:node:n1" cannot create resource "serviceaccounts/token" in API group "" in the namespace "default": no relationship found between node 'n1' and this object`,
    );
    assert.equal(
      verdict({ resource: 'x', verb: 'get', name: 'y' }, ''),
      'x "y" is forbidden: User "system:node:n1" cannot get resource "x" in API group "" in the namespace "default": unknown node for user "system:node:n1"',
    );
  });
});

test('ensureNodeToken adds one system:node identity and reuses it', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'skiff-node-token-'));
  try {
    const t1 = await ensureNodeToken(dir, 'n1');
    assert.match(t1, /^[0-9a-f]{64}$/);
    assert.equal(await ensureNodeToken(dir, 'n1'), t1);
    const t2 = await ensureNodeToken(dir, 'n2');
    assert.notEqual(t2, t1);
    const file = path.join(dir, TOKEN_FILE_NAME);
    assert.equal(fs.readFileSync(file, 'utf8'), `${t1},system:node:n1,node:n1,system:nodes\n${t2},system:node:n2,node:n2,system:nodes\n`);
    assert.deepEqual(loadTokenFile(file).get(t2), { user: 'system:node:n2', uid: 'node:n2', groups: ['system:nodes'] });
    assert.equal(fs.statSync(file).mode & 0o777, 0o600);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

// ---------------------------------------------------------------- against the API server

async function failure(p: Promise<unknown>): Promise<ApiStatusError> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof ApiStatusError, `expected ApiStatusError, got ${e}`);
    return e;
  }
  assert.fail('expected the request to be refused');
}

describe('node identity in a running API server', () => {
  let cp: ControlPlane;
  let admin: RestClient;
  let n1: RestClient;
  let n1Token: string;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'skiff-node-authz-'));
  const clientFor = (token: string) => new RestClient({ server: cp.url, token, caCertPem: cp.caCertPem }, { component: 'test-node' });
  const pod = (name: string, nodeName: string, secret: string, cm: string) => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name },
    spec: {
      nodeName,
      volumes: [{ name: 's', secret: { secretName: secret } }],
      containers: [{ name: 'c', image: 'busybox', envFrom: [{ configMapRef: { name: cm } }] }],
    },
  });

  before(async () => {
    n1Token = await ensureNodeToken(dataDir, 'n1');
    cp = await startControlPlane({ dataDir, port: 0, bind: '127.0.0.1', store: 'sqlite', disable: ['scheduler'] });
    admin = new RestClient({ kubeconfig: cp.kubeconfigPath }, { component: 'test' });
    n1 = clientFor(n1Token);
    for (const name of ['s1', 's2', 's3']) await admin.create(secretsDef, 'default', { apiVersion: 'v1', kind: 'Secret', metadata: { name }, data: {} });
    for (const name of ['c1', 'c2']) await admin.create(configmapsDef, 'default', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: {} });
    await admin.create(podsDef, 'default', pod('p1', 'n1', 's1', 'c1'));
    await admin.create(podsDef, 'default', pod('p2', 'n2', 's2', 'c2'));
  });

  after(async () => {
    admin?.close();
    n1?.close();
    await cp?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
    cleanupTempDirs();
  });

  test('a node creates and updates its own Node, never another one', async () => {
    const created = await n1.create<KubeObject>(nodesDef, undefined, { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1' }, status: { capacity: { cpu: '2' } } });
    assert.equal(created.metadata.name, 'n1');
    assert.equal(created.status.capacity.cpu, '2', 'the request body reached the handler intact');
    await n1.patch(nodesDef, undefined, 'n1', { metadata: { labels: { a: 'b' } } }, 'merge');
    await n1.patch(nodesDef, undefined, 'n1', { status: { capacity: { cpu: '4' } } }, 'merge', { subresource: 'status' });

    let e = await failure(n1.create(nodesDef, undefined, { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n2' } }));
    assert.equal(e.code, 403);
    assert.equal(e.message, 'nodes "n2" is forbidden: node "n1" is not allowed to modify node "n2"');
    assert.deepEqual(e.status.details, { name: 'n2', kind: 'nodes' });
    assert.equal(e.status.reason, 'Forbidden');

    await admin.create(nodesDef, undefined, { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n2' } });
    e = await failure(n1.patch(nodesDef, undefined, 'n2', { metadata: { labels: { a: 'b' } } }, 'merge'));
    assert.equal(e.message, 'nodes "n2" is forbidden: node "n1" is not allowed to modify node "n2"');
    const n2 = await n1.get<KubeObject>(nodesDef, undefined, 'n2');
    e = await failure(n1.updateStatus(nodesDef, undefined, n2));
    assert.equal(e.message, 'nodes "n2" is forbidden: node "n1" is not allowed to modify node "n2"');
    e = await failure(n1.delete(nodesDef, undefined, 'n2'));
    assert.equal(e.message, 'nodes "n2" is forbidden: User "system:node:n1" cannot delete resource "nodes" in API group "" at the cluster scope');
    // Others are unaffected.
    await admin.patch(nodesDef, undefined, 'n2', { metadata: { labels: { by: 'admin' } } }, 'merge');
  });

  test('pod status and deletion only for pods bound to the node', async () => {
    const ok = await n1.patch<KubeObject>(podsDef, 'default', 'p1', { status: { phase: 'Running' } }, 'merge', { subresource: 'status' });
    assert.equal(ok.status.phase, 'Running');
    let e = await failure(n1.patch(podsDef, 'default', 'p2', { status: { phase: 'Running' } }, 'merge', { subresource: 'status' }));
    assert.equal(e.code, 403);
    assert.equal(e.message, 'pods "p2" is forbidden: node "n1" can only update pod status for pods with spec.nodeName set to itself');
    e = await failure(n1.delete(podsDef, 'default', 'p2'));
    assert.equal(e.message, 'pods "p2" is forbidden: node "n1" can only delete pods with spec.nodeName set to itself');
    e = await failure(n1.create(podsDef, 'default', pod('p3', 'n1', 's1', 'c1')));
    assert.equal(e.message, 'pods "p3" is forbidden: pod does not have "kubernetes.io/config.mirror" annotation, node "n1" can only create mirror pods');
    const mirror = await n1.create<KubeObject>(podsDef, 'default', {
      ...pod('mirror', 'n1', 's1', 'c1'),
      metadata: { name: 'mirror', annotations: { 'kubernetes.io/config.mirror': 'abc' } },
    });
    assert.equal(mirror.spec.nodeName, 'n1');
    await n1.delete(podsDef, 'default', 'mirror', { gracePeriodSeconds: 0 });
  });

  test('secrets and configmaps: only those its pods use', async () => {
    assert.equal((await n1.get<KubeObject>(secretsDef, 'default', 's1')).metadata.name, 's1');
    assert.equal((await n1.get<KubeObject>(configmapsDef, 'default', 'c1')).metadata.name, 'c1');
    const listed = await n1.list(secretsDef, 'default', { fieldSelector: 'metadata.name=s1' });
    assert.deepEqual(listed.items.map((i) => i.metadata.name), ['s1']);
    let e = await failure(n1.get(secretsDef, 'default', 's2'));
    assert.equal(e.code, 403);
    assert.equal(
      e.message,
      `secrets "s2" is forbidden: User "system:node:n1" cannot get resource "secrets" in API group "" in the namespace "default": no relationship found between node 'n1' and this object`,
    );
    e = await failure(n1.get(secretsDef, 'default', 's3'));
    assert.match(e.message, /no relationship found between node 'n1' and this object$/);
    e = await failure(n1.get(configmapsDef, 'default', 'c2'));
    assert.equal(
      e.message,
      `configmaps "c2" is forbidden: User "system:node:n1" cannot get resource "configmaps" in API group "" in the namespace "default": no relationship found between node 'n1' and this object`,
    );
    e = await failure(n1.list(secretsDef, 'default'));
    assert.equal(e.message, 'secrets is forbidden: User "system:node:n1" cannot list resource "secrets" in API group "" in the namespace "default": No Object name found');
    // Admin reads everything.
    assert.equal((await admin.get<KubeObject>(secretsDef, 'default', 's2')).metadata.name, 's2');
  });

  test('leases and events', async () => {
    const lease = (name: string) => ({ apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name }, spec: { holderIdentity: name } });
    await n1.create(leasesDef, 'kube-node-lease', lease('n1'));
    let e = await failure(n1.create(leasesDef, 'kube-node-lease', lease('n2')));
    assert.equal(e.message, 'leases.coordination.k8s.io "n2" is forbidden: can only access node lease with the same name as the requesting node');
    e = await failure(n1.create(leasesDef, 'default', lease('n1')));
    assert.equal(
      e.message,
      'leases.coordination.k8s.io is forbidden: User "system:node:n1" cannot create resource "leases" in API group "coordination.k8s.io" in the namespace "default": can only access leases in the "kube-node-lease" system namespace',
    );
    const ev = await n1.create<KubeObject>(eventsDef, 'default', {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: 'n1.1' },
      involvedObject: { kind: 'Node', name: 'n1', uid: 'n1' },
      reason: 'Starting',
      message: 'Starting kubelet.',
      type: 'Normal',
      source: { component: 'kubelet', host: 'n1' },
    });
    assert.equal(ev.reason, 'Starting');
  });

  test('kubectl with the node token: reads work, a deployment is refused', async () => {
    const kc = { kubeconfig: cp.kubeconfigPath };
    const get = await kubectl(['--token', n1Token, 'get', 'pods', '-o', 'name'], kc);
    assert.equal(get.code, 0, get.stderr);
    assert.deepEqual(get.stdout.trim().split('\n').sort(), ['pod/p1', 'pod/p2']);
    const create = await kubectl(['--token', n1Token, 'create', 'deployment', 'web', '--image=busybox'], kc);
    assert.equal(create.code, 1);
    assert.equal(
      create.stderr.trim(),
      'error: failed to create deployment: deployments.apps is forbidden: User "system:node:n1" cannot create resource "deployments" in API group "apps" in the namespace "default"',
    );
    const secret = await kubectl(['--token', n1Token, 'get', 'secret', 's2'], kc);
    assert.equal(secret.code, 1);
    assert.equal(
      secret.stderr.trim(),
      `Error from server (Forbidden): secrets "s2" is forbidden: User "system:node:n1" cannot get resource "secrets" in API group "" in the namespace "default": no relationship found between node 'n1' and this object`,
    );
    // The admin is not restricted.
    const asAdmin = await kubectl(['create', 'deployment', 'web', '--image=busybox'], kc);
    assert.equal(asAdmin.code, 0, asAdmin.stderr);
    await admin.delete(deploymentsDef, 'default', 'web');
  });

  test('a node token added while the server runs is picked up', async () => {
    const t3 = await ensureNodeToken(dataDir, 'n3');
    const n3 = clientFor(t3);
    try {
      const deadline = Date.now() + 10_000;
      for (;;) {
        try {
          await n3.create(nodesDef, undefined, { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n3' } });
          break;
        } catch (e) {
          if (!(e instanceof ApiStatusError) || e.code !== 401 || Date.now() > deadline) throw e;
          await new Promise((r) => setTimeout(r, 200));
        }
      }
      const e = await failure(n3.patch(nodesDef, undefined, 'n1', { metadata: { labels: { x: 'y' } } }, 'merge'));
      assert.equal(e.message, 'nodes "n1" is forbidden: node "n3" is not allowed to modify node "n1"');
    } finally {
      n3.close();
    }
  });
});
