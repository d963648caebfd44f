import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { resources, type ResourceDef } from '../api/resources.js';
import { startSkiff, type SkiffProcess } from '../testing/server-process.js';
import { ApiStatusError, isAlreadyExists, isConflict, isInvalid, isNotFound, isResourceExpired } from './api-status-error.js';
import { RestClient } from './rest-client.js';
import type { WatchEvent } from './watch-decoder.js';

const def = (group: string, plural: string): ResourceDef => resources.find((r) => r.group === group && r.plural === plural)!;
const configmaps = def('', 'configmaps');
const pods = def('', 'pods');
const namespaces = def('', 'namespaces');
const deployments = def('apps', 'deployments');

const cm = (name: string, data: Record<string, string> = {}, labels: Record<string, string> = {}) => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, labels },
  data,
});

async function rejection(p: Promise<unknown>): Promise<ApiStatusError> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof ApiStatusError, `expected ApiStatusError, got ${e}`);
    return e;
  }
  assert.fail('expected the call to fail');
}

describe('RestClient against skiff', () => {
  let s: SkiffProcess;
  let c: RestClient;
  before(async () => {
    s = await startSkiff();
    c = new RestClient({ kubeconfig: s.kubeconfig }, { component: 'test' });
  });
  after(async () => {
    c.close();
    await s.stop();
  });

  test('kubeconfig and explicit targets reach the same server', async () => {
    assert.equal(c.server, s.url);
    assert.equal(c.namespace, 'default');
    assert.equal(c.userAgent, 'skiff/test');
    const c2 = new RestClient({ server: s.url, token: s.token, caCertPem: s.caCertPem });
    const ns = await c2.get(namespaces, undefined, 'default');
    assert.equal(ns.metadata.name, 'default');
    c2.close();
  });

  test('create, get, update, updateStatus-less resource, delete', async () => {
    const created = await c.create(configmaps, 'default', cm('crud', { a: '1' }));
    assert.equal(created.metadata.name, 'crud');
    assert.equal(created.metadata.namespace, 'default');
    assert.match(created.metadata.resourceVersion!, /^\d+$/);
    assert.match(created.metadata.uid!, /^[0-9a-f-]{36}$/);

    const got = await c.get(configmaps, 'default', 'crud');
    assert.deepEqual(got.data, { a: '1' });

    got.data = { a: '2' };
    const updated = await c.update(configmaps, 'default', got);
    assert.deepEqual(updated.data, { a: '2' });
    assert.notEqual(updated.metadata.resourceVersion, created.metadata.resourceVersion);

    // Stale resourceVersion → 409 Conflict.
    const stale = { ...created, data: { a: 'stale' } };
    const conflict = await rejection(c.update(configmaps, 'default', stale));
    assert.equal(conflict.code, 409);
    assert.equal(conflict.reason, 'Conflict');
    assert.ok(isConflict(conflict));
    assert.equal(
      conflict.message,
      'Operation cannot be fulfilled on configmaps "crud": the object has been modified; please apply your changes to the latest version and try again',
    );

    const del = await c.delete(configmaps, 'default', 'crud');
    assert.ok(del && typeof del === 'object');
    const gone = await rejection(c.get(configmaps, 'default', 'crud'));
    assert.equal(gone.code, 404);
    assert.equal(gone.reason, 'NotFound');
    assert.equal(gone.message, 'configmaps "crud" not found');
    assert.deepEqual(gone.status.details, { name: 'crud', kind: 'configmaps' });
    assert.ok(isNotFound(gone));
  });

  test('error codes: AlreadyExists, NotFound with group, Invalid, delete precondition', async () => {
    await c.create(configmaps, undefined, { ...cm('dup'), metadata: { name: 'dup', namespace: 'default' } });
    const dup = await rejection(c.create(configmaps, 'default', cm('dup')));
    assert.equal(dup.code, 409);
    assert.equal(dup.reason, 'AlreadyExists');
    assert.equal(dup.message, 'configmaps "dup" already exists');
    assert.ok(isAlreadyExists(dup));
    assert.ok(!isConflict(dup));

    const nf = await rejection(c.get(deployments, 'default', 'nope'));
    assert.equal(nf.message, 'deployments.apps "nope" not found');

    const invalid = await rejection(c.create(pods, 'default', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'bad' }, spec: { containers: [{ name: 'c' }] } }));
    assert.equal(invalid.code, 422);
    assert.equal(invalid.reason, 'Invalid');
    assert.ok(isInvalid(invalid));
    assert.ok(invalid.status.details?.causes?.some((x) => x.field === 'spec.containers[0].image'), JSON.stringify(invalid.status));

    const pre = await rejection(c.delete(configmaps, 'default', 'dup', { preconditions: { uid: '00000000-0000-0000-0000-000000000000' } }));
    assert.equal(pre.code, 409);
    await c.get(configmaps, 'default', 'dup');
  });

  test('list with label/field selectors, limit and continue; listAll pages', async () => {
    for (let i = 0; i < 7; i++) await c.create(configmaps, 'default', cm(`page-${i}`, {}, { set: 'paging', idx: String(i % 2) }));
    const all = await c.list(configmaps, 'default', { labelSelector: 'set=paging' });
    assert.equal(all.items.length, 7);
    assert.match(all.metadata.resourceVersion, /^\d+$/);

    const odd = await c.list(configmaps, 'default', { labelSelector: 'set=paging,idx=1' });
    assert.deepEqual(odd.items.map((o) => o.metadata.name).sort(), ['page-1', 'page-3', 'page-5']);

    const byName = await c.list(configmaps, 'default', { fieldSelector: 'metadata.name=page-4' });
    assert.deepEqual(byName.items.map((o) => o.metadata.name), ['page-4']);

    const p1 = await c.list(configmaps, 'default', { labelSelector: 'set=paging', limit: 3 });
    assert.equal(p1.items.length, 3);
    assert.ok(p1.metadata.continue);
    const p2 = await c.list(configmaps, 'default', { labelSelector: 'set=paging', limit: 3, continue: p1.metadata.continue });
    assert.equal(p2.items.length, 3);
    const p3 = await c.list(configmaps, 'default', { labelSelector: 'set=paging', limit: 3, continue: p2.metadata.continue });
    assert.equal(p3.items.length, 1);
    assert.equal(p3.metadata.continue, undefined);
    const names = [...p1.items, ...p2.items, ...p3.items].map((o) => o.metadata.name);
    assert.equal(new Set(names).size, 7);

    const paged = await c.listAll(configmaps, 'default', { labelSelector: 'set=paging', limit: 2 });
    assert.equal(paged.items.length, 7);
    assert.equal(paged.metadata.continue, undefined);

    const bad = await rejection(c.list(pods, 'default', { fieldSelector: 'spec.bogus=1' }));
    assert.equal(bad.code, 400);
    assert.equal(bad.reason, 'BadRequest');
    assert.match(bad.message, /field label not supported: spec.bogus/);
  });

  test('patch: merge, strategic, json, apply (with fieldManager and force)', async () => {
    await c.create(configmaps, 'default', cm('patchme', { a: '1', b: '2' }));
    let o = await c.patch(configmaps, 'default', 'patchme', { data: { b: null, c: '3' } }, 'merge');
    assert.deepEqual(o.data, { a: '1', c: '3' });
    o = await c.patch(configmaps, 'default', 'patchme', { metadata: { labels: { x: 'y' } } }, 'strategic');
    assert.deepEqual(o.metadata.labels, { x: 'y' });
    o = await c.patch(configmaps, 'default', 'patchme', [{ op: 'replace', path: '/data/a', value: 'one' }], 'json');
    assert.deepEqual(o.data, { a: 'one', c: '3' });
    const badJson = await rejection(c.patch(configmaps, 'default', 'patchme', [{ op: 'test', path: '/data/a', value: 'nope' }], 'json'));
    assert.ok(badJson.code >= 400 && badJson.code < 500, String(badJson.code));

    const applied = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'applied', namespace: 'default' }, data: { k: 'v' } };
    o = await c.patch(configmaps, 'default', 'applied', applied, 'apply', { fieldManager: 'mgr-a' });
    assert.deepEqual(o.data, { k: 'v' });
    assert.ok(o.metadata.managedFields?.some((m: any) => m.manager === 'mgr-a' && m.operation === 'Apply'));
    const conflicting = { ...applied, data: { k: 'other' } };
    const conflict = await rejection(c.patch(configmaps, 'default', 'applied', conflicting, 'apply', { fieldManager: 'mgr-b' }));
    assert.equal(conflict.code, 409);
    assert.match(conflict.message, /^Apply failed with 1 conflict: conflict with "mgr-a"/);
    o = await c.patch(configmaps, 'default', 'applied', conflicting, 'apply', { fieldManager: 'mgr-b', force: true });
    assert.deepEqual(o.data, { k: 'other' });
  });

  test('dryRun create does not persist', async () => {
    const o = await c.create(configmaps, 'default', cm('dry'), { dryRun: true });
    assert.equal(o.metadata.name, 'dry');
    assert.equal((await rejection(c.get(configmaps, 'default', 'dry'))).code, 404);
  });

  test('updateStatus and bind via pods/binding', async () => {
    const pod = await c.create(pods, 'default', {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'bindme' },
      spec: { containers: [{ name: 'c', image: 'nginx' }] },
    });
    const st = await c.bind('default', 'bindme', 'node-7', { podUid: pod.metadata.uid });
    assert.equal(st.kind, 'Status');
    assert.equal(st.status, 'Success');
    const bound = await c.get(pods, 'default', 'bindme');
    assert.equal(bound.spec.nodeName, 'node-7');
    assert.equal(bound.status.conditions.find((x: any) => x.type === 'PodScheduled')?.status, 'True');
    const again = await rejection(c.bind('default', 'bindme', 'node-8'));
    assert.equal(again.code, 409);
    // (Kubernetes says `on pods/binding "bindme"`; the resource part is the server's business.)
    assert.match(again.message, /^Operation cannot be fulfilled on pods(\/binding)? "bindme": pod bindme is already assigned to node "node-7"$/);

    bound.status.phase = 'Running';
    const withStatus = await c.updateStatus(pods, 'default', bound);
    assert.equal(withStatus.status.phase, 'Running');
  });

  test('getSubresource: deployment scale', async () => {
    await c.create(deployments, 'default', {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web' },
      spec: {
        replicas: 2,
        selector: { matchLabels: { app: 'web' } },
        template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } },
      },
    });
    const scale = await c.getSubresource(deployments, 'default', 'web', 'scale');
    assert.equal(scale.kind, 'Scale');
    assert.equal(scale.spec.replicas, 2);
  });

  test('cluster-scoped resources', async () => {
    const ns = await c.create(namespaces, undefined, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'rc-ns' } });
    assert.equal(ns.metadata.namespace, undefined);
    const listed = await c.list(namespaces);
    assert.ok(listed.items.some((n) => n.metadata.name === 'rc-ns'));
  });

  test('watch: events after a resourceVersion, in order, then stop()', async () => {
    const start = await c.list(configmaps, 'default');
    const seen: WatchEvent[] = [];
    const h = c.watch(configmaps, 'default', { resourceVersion: start.metadata.resourceVersion, labelSelector: 'w=1' }, (ev) => seen.push(ev));
    await c.create(configmaps, 'default', cm('w1', { v: '1' }, { w: '1' }));
    await c.create(configmaps, 'default', cm('ignored', {}, { w: '0' }));
    await c.patch(configmaps, 'default', 'w1', { data: { v: '2' } }, 'merge');
    await c.delete(configmaps, 'default', 'w1');
    for (let i = 0; i < 100 && seen.length < 3; i++) await new Promise((r) => setTimeout(r, 20));
    h.stop();
    await h.done;
    assert.deepEqual(
      seen.map((e) => [e.type, e.object.metadata.name, e.object.data?.v]),
      [
        ['ADDED', 'w1', '1'],
        ['MODIFIED', 'w1', '2'],
        ['DELETED', 'w1', '2'],
      ],
    );
    h.stop(); // idempotent
  });

  test('watch: server-side timeout ends the stream and resolves done', async () => {
    const t0 = Date.now();
    const h = c.watch(configmaps, 'default', { timeoutSeconds: 1 }, () => {});
    await h.done;
    const took = Date.now() - t0;
    assert.ok(took >= 900 && took < 5000, `took ${took} ms`);
  });

  test('watch: bad request rejects done with ApiStatusError', async () => {
    const h = c.watch(pods, 'default', { fieldSelector: 'nope=1' }, () => assert.fail('no events expected'));
    const e = await rejection(h.done);
    assert.equal(e.code, 400);
  });

  test('wrong token → 401 Unauthorized', async () => {
    const bad = new RestClient({ server: s.url, token: 'wrong', caCertPem: s.caCertPem });
    const e = await rejection(bad.get(namespaces, undefined, 'default'));
    assert.equal(e.code, 401);
    assert.equal(e.reason, 'Unauthorized');
    bad.close();
  });
});

describe('RestClient against a local fake server', () => {
  let server: http.Server;
  let base: string;
  const seen: { method: string; url: string; headers: http.IncomingHttpHeaders; body: string; at: number }[] = [];
  let respond: (req: http.IncomingMessage, res: http.ServerResponse, body: string) => void = (_req, res) => res.end('{}');

  before(async () => {
    server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (d) => (body += d));
      req.on('end', () => {
        seen.push({ method: req.method!, url: req.url!, headers: req.headers, body, at: performance.now() });
        respond(req, res, body);
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise<void>((r) => server.close(() => r())));

  test('sends auth, user agent, accept, content types and query parameters', async () => {
    seen.length = 0;
    respond = (_req, res) => {
      res.setHeader('Content-Type', 'application/json');
      res.end('{"kind":"ConfigMap","metadata":{"name":"x"}}');
    };
    const c = new RestClient({ server: base + '/', token: 'tok' }, { component: 'scheduler' });
    await c.patch(configmaps, 'ns1', 'x', { a: 1 }, 'apply', { fieldManager: 'me', force: true });
    await c.patch(configmaps, 'ns1', 'x', { a: 1 }, 'strategic', { subresource: 'status' });
    await c.list(pods, undefined, { labelSelector: 'a=b,c!=d', limit: 5 });
    await c.delete(configmaps, 'ns1', 'x', { propagationPolicy: 'Foreground', gracePeriodSeconds: 0 });
    assert.equal(seen[0].method, 'PATCH');
    assert.equal(seen[0].url, '/api/v1/namespaces/ns1/configmaps/x?fieldManager=me&force=true');
    assert.equal(seen[0].headers['content-type'], 'application/apply-patch+yaml');
    assert.equal(seen[0].headers['authorization'], 'Bearer tok');
    assert.equal(seen[0].headers['user-agent'], 'skiff/scheduler');
    assert.equal(seen[0].headers['accept'], 'application/json');
    assert.equal(seen[1].url, '/api/v1/namespaces/ns1/configmaps/x/status');
    assert.equal(seen[1].headers['content-type'], 'application/strategic-merge-patch+json');
    assert.equal(seen[2].url, '/api/v1/pods?labelSelector=a%3Db%2Cc%21%3Dd&limit=5');
    assert.equal(seen[3].method, 'DELETE');
    assert.deepEqual(JSON.parse(seen[3].body), { kind: 'DeleteOptions', apiVersion: 'v1', propagationPolicy: 'Foreground', gracePeriodSeconds: 0 });
    c.close();
  });

  test('a non-Status error body becomes a generic Status with the code-derived reason', async () => {
    respond = (_req, res) => {
      res.statusCode = 503;
      res.end('backend down');
    };
    const c = new RestClient({ server: base });
    const e = await rejection(c.get(configmaps, 'a', 'b'));
    assert.equal(e.code, 503);
    assert.equal(e.reason, 'ServiceUnavailable');
    assert.match(e.message, /backend down/);
    respond = (_req, res) => {
      res.statusCode = 410;
      res.setHeader('Content-Type', 'application/json');
      res.end(JSON.stringify({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', reason: 'Expired', message: 'too old', code: 410 }));
    };
    const expired = await rejection(c.list(configmaps, 'a', { continue: 'x' }));
    assert.ok(isResourceExpired(expired));
    assert.equal(expired.message, 'too old');
    c.close();
  });

  test('QPS limiter spaces requests after the burst', async () => {
    respond = (_req, res) => res.end('{}');
    seen.length = 0;
    const c = new RestClient({ server: base }, { qps: 20, burst: 2 });
    const t0 = performance.now();
    await Promise.all(Array.from({ length: 5 }, () => c.get(configmaps, 'a', 'b')));
    const took = performance.now() - t0;
    // 2 free, then 3 more at 50 ms each.
    assert.ok(took >= 140 && took < 600, `took ${took.toFixed(0)} ms`);
    assert.equal(seen.length, 5);
    c.close();
  });

  test('watch: chunks split mid-event, ERROR event delivered, stream end resolves', async () => {
    respond = (_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      const text =
        JSON.stringify({ type: 'ADDED', object: { metadata: { name: 'a', resourceVersion: '5' } } }) +
        '\n' +
        JSON.stringify({ type: 'ERROR', object: { kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'Expired', code: 410, message: 'too old resource version: 1 (3)' } }) +
        '\n';
      const cut = 17;
      res.write(text.slice(0, cut));
      setTimeout(() => {
        res.write(text.slice(cut, cut + 40));
        setTimeout(() => res.end(text.slice(cut + 40)), 10);
      }, 10);
    };
    const c = new RestClient({ server: base });
    const events: WatchEvent[] = [];
    const h = c.watch(configmaps, 'ns', { resourceVersion: '1', allowWatchBookmarks: true, timeoutSeconds: 30 }, (e) => events.push(e));
    await h.done;
    assert.equal(seen.at(-1)!.url, '/api/v1/namespaces/ns/configmaps?resourceVersion=1&allowWatchBookmarks=true&timeoutSeconds=30&watch=true');
    assert.deepEqual(
      events.map((e) => e.type),
      ['ADDED', 'ERROR'],
    );
    assert.equal(events[1].object.code, 410);
    c.close();
  });

  test('watch: a connection cut mid-stream rejects done', async () => {
    respond = (req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.write('{"type":"ADDED","object":{"metadata":{"name":"a"}}}\n{"type":"MOD');
      setTimeout(() => req.socket.destroy(), 20);
    };
    const c = new RestClient({ server: base });
    const events: WatchEvent[] = [];
    const h = c.watch(configmaps, 'ns', {}, (e) => events.push(e));
    await assert.rejects(h.done);
    assert.equal(events.length, 1);
    c.close();
  });
});
