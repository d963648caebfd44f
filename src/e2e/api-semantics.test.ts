// Kubernetes API semantics over raw HTTP: optimistic concurrency, generation,
// status/spec separation, generateName, finalizers, dry run, paging, ordering
// of resourceVersions, deletecollection, binding, scale, events.k8s.io, and
// admission of missing namespaces.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import https from 'node:https';
import { startSkiff, apiRequest, type SkiffProcess } from '../testing/server-process.js';

let s: SkiffProcess;
const NS = '/api/v1/namespaces/sem';
const APPS = '/apis/apps/v1/namespaces/sem';

before(async () => {
  s = await startSkiff();
  const r = await apiRequest(s, 'POST', '/api/v1/namespaces', { metadata: { name: 'sem' } });
  assert.equal(r.status, 201, r.text);
});
after(async () => {
  await s?.stop();
});

const merge = { 'Content-Type': 'application/merge-patch+json' };
const req = (method: string, path: string, body?: unknown, headers?: Record<string, string>) => apiRequest(s, method, path, body, headers);

async function ok(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<any> {
  const r = await req(method, path, body, headers);
  assert.ok(r.status >= 200 && r.status < 300, `${method} ${path} → ${r.status} ${r.text}`);
  return r.body;
}

function pod(name: string, labels: Record<string, string> = {}) {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, labels }, spec: { containers: [{ name: 'main', image: 'busybox:1.36' }] } };
}
function deployment(name: string, image = 'nginx:1.27') {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name },
    spec: { replicas: 1, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'main', image }] } } },
  };
}
function cm(name: string, labels: Record<string, string> = {}, data: Record<string, string> = {}) {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, labels }, data };
}

/** Collects watch events until `count` arrived (or ms passed). */
function collectWatch(path: string, count: number, ms = 5000): Promise<any[]> {
  return new Promise((resolve, reject) => {
    const events: any[] = [];
    const r = https.get(new URL(path, s.url), { ca: s.caCertPem, headers: { Authorization: `Bearer ${s.token}` } }, (res) => {
      let buf = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => {
        buf += c;
        let i: number;
        while ((i = buf.indexOf('\n')) >= 0) {
          if (buf.slice(0, i).trim()) events.push(JSON.parse(buf.slice(0, i)));
          buf = buf.slice(i + 1);
        }
        if (events.length >= count) done();
      });
    });
    const timer = setTimeout(() => done(), ms);
    const done = () => {
      clearTimeout(timer);
      r.destroy();
      resolve(events);
    };
    r.on('error', (e) => (events.length >= count ? undefined : reject(e)));
  });
}

const MODIFIED_MSG = (res: string, name: string) =>
  `Operation cannot be fulfilled on ${res} "${name}": the object has been modified; please apply your changes to the latest version and try again`;

describe('optimistic concurrency', () => {
  it('PUT with a stale resourceVersion is 409 Conflict with the Kubernetes Status', async () => {
    const created = await ok('POST', `${NS}/configmaps`, cm('occ', {}, { v: '1' }));
    await ok('PUT', `${NS}/configmaps/occ`, { ...cm('occ', {}, { v: '2' }), metadata: { name: 'occ', resourceVersion: created.metadata.resourceVersion } });
    const stale = await req('PUT', `${NS}/configmaps/occ`, { ...cm('occ', {}, { v: '3' }), metadata: { name: 'occ', resourceVersion: created.metadata.resourceVersion } });
    assert.equal(stale.status, 409);
    assert.deepEqual(stale.body, {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: MODIFIED_MSG('configmaps', 'occ'),
      reason: 'Conflict',
      details: { name: 'occ', kind: 'configmaps' },
      code: 409,
    });
    const d = await ok('POST', `${APPS}/deployments`, deployment('occ-d'));
    await ok('PATCH', `${APPS}/deployments/occ-d`, { metadata: { labels: { a: 'b' } } }, merge);
    const staleD = await req('PUT', `${APPS}/deployments/occ-d`, { ...deployment('occ-d'), metadata: { name: 'occ-d', resourceVersion: d.metadata.resourceVersion } });
    assert.equal(staleD.status, 409);
    assert.equal(staleD.body.message, MODIFIED_MSG('deployments.apps', 'occ-d'));
    assert.deepEqual(staleD.body.details, { name: 'occ-d', group: 'apps', kind: 'deployments' });
  });

  it('concurrent patches without a resourceVersion all land (the server retries its own conflicts)', async () => {
    const c = await ok('POST', `${NS}/configmaps`, cm('hot'));
    const events = collectWatch(`${NS}/configmaps?watch=true&fieldSelector=metadata.name%3Dhot&resourceVersion=${c.metadata.resourceVersion}`, 40, 10_000);
    const results = await Promise.all(Array.from({ length: 40 }, (_, i) => req('PATCH', `${NS}/configmaps/hot`, { metadata: { labels: { [`l${i}`]: 'x' } } }, merge)));
    assert.deepEqual(results.map((r) => r.status), Array(40).fill(200), results.find((r) => r.status !== 200)?.text);
    const final = await ok('GET', `${NS}/configmaps/hot`);
    assert.equal(Object.keys(final.metadata.labels).length, 40);
    const evs = await events;
    assert.equal(evs.length, 40);
    const rvs = evs.map((e) => Number(e.object.metadata.resourceVersion));
    for (let i = 1; i < rvs.length; i++) assert.ok(rvs[i] > rvs[i - 1]);
    assert.equal(String(rvs.at(-1)), final.metadata.resourceVersion);
    // Read-your-writes: each write's object is immediately readable at that version or later.
    await Promise.all(
      Array.from({ length: 20 }, async (_, i) => {
        const made = await ok('POST', `${NS}/configmaps`, cm(`ryw-${i}`));
        const got = await ok('GET', `${NS}/configmaps/ryw-${i}`);
        assert.ok(Number(got.metadata.resourceVersion) >= Number(made.metadata.resourceVersion));
      }),
    );
  });

  it('PUT without resourceVersion is unconditional', async () => {
    const r = await ok('PUT', `${NS}/configmaps/occ`, cm('occ', {}, { v: 'last' }));
    assert.deepEqual(r.data, { v: 'last' });
  });

  it('a PATCH carrying a stale resourceVersion is a conflict too', async () => {
    const r = await req('PATCH', `${NS}/configmaps/occ`, { metadata: { resourceVersion: '1' }, data: { v: 'x' } }, merge);
    assert.equal(r.status, 409);
    assert.equal(r.body.message, MODIFIED_MSG('configmaps', 'occ'));
  });

  it('a no-op update keeps the resourceVersion', async () => {
    const cur = await ok('GET', `${NS}/configmaps/occ`);
    const put = await ok('PUT', `${NS}/configmaps/occ`, cur);
    assert.equal(put.metadata.resourceVersion, cur.metadata.resourceVersion);
    const patched = await ok('PATCH', `${NS}/configmaps/occ`, { data: { v: 'last' } }, merge);
    assert.equal(patched.metadata.resourceVersion, cur.metadata.resourceVersion);
    const after = await ok('GET', `${NS}/configmaps/occ`);
    assert.equal(after.metadata.resourceVersion, cur.metadata.resourceVersion);
    assert.deepEqual(after.metadata.managedFields, cur.metadata.managedFields, 'no-op writes do not touch managedFields either');
  });
});

describe('generation and status', () => {
  it('deployment generation moves on spec changes only', async () => {
    const d = await ok('POST', `${APPS}/deployments`, deployment('gen'));
    assert.equal(d.metadata.generation, 1);
    const labelled = await ok('PATCH', `${APPS}/deployments/gen`, { metadata: { labels: { x: 'y' }, annotations: { note: 'hi' } } }, merge);
    assert.equal(labelled.metadata.generation, 1);
    const status = await ok('PATCH', `${APPS}/deployments/gen/status`, { status: { observedGeneration: 1, replicas: 1 } }, merge);
    assert.equal(status.metadata.generation, 1);
    const spec = await ok('PATCH', `${APPS}/deployments/gen`, { spec: { template: { spec: { containers: [{ name: 'main', image: 'nginx:1.28' }] } } } }, { 'Content-Type': 'application/strategic-merge-patch+json' });
    assert.equal(spec.metadata.generation, 2);
    const scaled = await ok('PATCH', `${APPS}/deployments/gen/scale`, { spec: { replicas: 4 } }, merge);
    assert.equal(scaled.spec.replicas, 4);
    assert.equal((await ok('GET', `${APPS}/deployments/gen`)).metadata.generation, 3);
  });

  it('the status subresource ignores spec changes; the main resource ignores status changes', async () => {
    const d = await ok('GET', `${APPS}/deployments/gen`);
    const viaStatus = await ok('PUT', `${APPS}/deployments/gen/status`, { ...d, spec: { ...d.spec, replicas: 9 }, status: { ...d.status, replicas: 2, readyReplicas: 1 } });
    assert.equal(viaStatus.spec.replicas, 4, 'spec unchanged through /status');
    assert.equal(viaStatus.status.replicas, 2);
    assert.equal(viaStatus.status.readyReplicas, 1);
    assert.equal(viaStatus.metadata.generation, d.metadata.generation);
    const viaMain = await ok('PUT', `${APPS}/deployments/gen`, { ...viaStatus, metadata: { ...viaStatus.metadata, resourceVersion: undefined }, status: { replicas: 7 } });
    assert.deepEqual(viaMain.status, viaStatus.status, 'status unchanged through the main resource');
    assert.equal(viaMain.metadata.resourceVersion, viaStatus.metadata.resourceVersion, 'nothing changed, so no write');
    const pd = await ok('POST', `${NS}/pods`, pod('st'));
    const phase = await ok('PUT', `${NS}/pods/st`, { ...pd, status: { phase: 'Running' } });
    assert.equal(phase.status.phase, 'Pending');
    const viaPodStatus = await ok('PATCH', `${NS}/pods/st/status`, { status: { phase: 'Running' }, spec: { nodeName: 'sneaky' } }, merge);
    assert.equal(viaPodStatus.status.phase, 'Running');
    assert.equal(viaPodStatus.spec.nodeName, undefined);
  });
});

describe('names, finalizers and dry run', () => {
  it('generateName makes a 5-character suffix', async () => {
    const names = new Set<string>();
    for (let i = 0; i < 5; i++) {
      const r = await req('POST', `${NS}/configmaps`, { metadata: { generateName: 'gen-' } });
      assert.equal(r.status, 201, r.text);
      assert.match(r.body.metadata.name, /^gen-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
      assert.equal(r.body.metadata.generateName, 'gen-');
      names.add(r.body.metadata.name);
    }
    assert.equal(names.size, 5);
  });

  it('finalizers hold a deletion until they are removed; a watch sees MODIFIED then DELETED', async () => {
    const c = await ok('POST', `${NS}/configmaps`, { ...cm('held'), metadata: { name: 'held', finalizers: ['example.com/wait'] } });
    const events = collectWatch(`${NS}/configmaps?watch=true&fieldSelector=metadata.name%3Dheld&resourceVersion=${c.metadata.resourceVersion}`, 2);
    const del = await req('DELETE', `${NS}/configmaps/held`);
    assert.equal(del.status, 200, 'Kubernetes answers 200 while finalizers are pending');
    assert.match(del.body.metadata.deletionTimestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.equal(del.body.metadata.deletionGracePeriodSeconds, 0);
    const still = await ok('GET', `${NS}/configmaps/held`);
    assert.equal(still.metadata.deletionTimestamp, del.body.metadata.deletionTimestamp);
    const done = await req('PATCH', `${NS}/configmaps/held`, { metadata: { finalizers: null } }, merge);
    assert.equal(done.status, 200, done.text);
    const gone = await req('GET', `${NS}/configmaps/held`);
    assert.equal(gone.status, 404);
    assert.equal(gone.body.message, 'configmaps "held" not found');
    const evs = await events;
    assert.deepEqual(evs.map((e) => e.type), ['MODIFIED', 'DELETED']);
    assert.ok(evs[0].object.metadata.deletionTimestamp);
    assert.ok(Number(evs[1].object.metadata.resourceVersion) > Number(evs[0].object.metadata.resourceVersion));
  });

  it('dryRun=All answers as if written but writes nothing', async () => {
    const before = await ok('GET', `${NS}/configmaps`);
    const created = await req('POST', `${NS}/configmaps?dryRun=All`, cm('dry'));
    assert.equal(created.status, 201);
    assert.equal(created.body.metadata.name, 'dry');
    assert.equal((await req('GET', `${NS}/configmaps/dry`)).status, 404);
    const put = await ok('PUT', `${NS}/configmaps/occ?dryRun=All`, cm('occ', {}, { v: 'dry' }));
    assert.deepEqual(put.data, { v: 'dry' });
    const patched = await ok('PATCH', `${NS}/configmaps/occ?dryRun=All`, { data: { v: 'dry2' } }, merge);
    assert.deepEqual(patched.data, { v: 'dry2' });
    const del = await req('DELETE', `${NS}/configmaps/occ?dryRun=All`);
    assert.equal(del.status, 200);
    assert.deepEqual((await ok('GET', `${NS}/configmaps/occ`)).data, { v: 'last' });
    const after = await ok('GET', `${NS}/configmaps`);
    assert.equal(after.metadata.resourceVersion, before.metadata.resourceVersion, 'no revision was used');
    const bad = await req('POST', `${NS}/configmaps?dryRun=Some`, cm('dry'));
    assert.equal(bad.status, 400);
    assert.equal(bad.body.message, 'dryRun: Unsupported value: "Some": supported values: "All"');
  });
});

describe('lists', () => {
  before(async () => {
    await ok('POST', '/api/v1/namespaces', { metadata: { name: 'pages' } });
    for (let i = 1; i <= 7; i++) await ok('POST', '/api/v1/namespaces/pages/configmaps', cm(`c${i}`, { parity: i % 2 ? 'odd' : 'even' }));
  });

  it('limit/continue pages in name order with remainingItemCount', async () => {
    const p1 = await ok('GET', '/api/v1/namespaces/pages/configmaps?limit=3');
    assert.deepEqual(p1.items.map((i: any) => i.metadata.name), ['c1', 'c2', 'c3']);
    assert.equal(p1.metadata.remainingItemCount, 4);
    assert.equal(typeof p1.metadata.continue, 'string');
    const p2 = await ok('GET', `/api/v1/namespaces/pages/configmaps?limit=3&continue=${encodeURIComponent(p1.metadata.continue)}`);
    assert.deepEqual(p2.items.map((i: any) => i.metadata.name), ['c4', 'c5', 'c6']);
    assert.equal(p2.metadata.remainingItemCount, 1);
    assert.equal(p2.metadata.resourceVersion, p1.metadata.resourceVersion);
    const p3 = await ok('GET', `/api/v1/namespaces/pages/configmaps?limit=3&continue=${encodeURIComponent(p2.metadata.continue)}`);
    assert.deepEqual(p3.items.map((i: any) => i.metadata.name), ['c7']);
    assert.equal(p3.metadata.continue, undefined);
    assert.equal(p3.metadata.remainingItemCount, undefined);
  });

  it('paging with a label selector walks matches only and omits remainingItemCount', async () => {
    const p1 = await ok('GET', '/api/v1/namespaces/pages/configmaps?limit=2&labelSelector=parity%3Dodd');
    assert.deepEqual(p1.items.map((i: any) => i.metadata.name), ['c1', 'c3']);
    assert.equal(p1.metadata.remainingItemCount, undefined);
    const p2 = await ok('GET', `/api/v1/namespaces/pages/configmaps?limit=2&labelSelector=parity%3Dodd&continue=${p1.metadata.continue}`);
    assert.deepEqual(p2.items.map((i: any) => i.metadata.name), ['c5', 'c7']);
    assert.equal(p2.metadata.continue, undefined);
  });

  it('a bad continue token is 400 BadRequest', async () => {
    const r = await req('GET', '/api/v1/namespaces/pages/configmaps?limit=2&continue=not%2Bvalid');
    assert.equal(r.status, 400);
    assert.equal(r.body.reason, 'BadRequest');
    assert.equal(r.body.message, 'invalid continue token: continue key is not valid: illegal base64 data at input byte 3');
  });

  it('every write gets a larger resourceVersion and the list rv covers its items', async () => {
    let last = 0;
    for (let i = 0; i < 5; i++) {
      const c = await ok('POST', '/api/v1/namespaces/pages/configmaps', cm(`rv${i}`));
      const u = await ok('PATCH', `/api/v1/namespaces/pages/configmaps/rv${i}`, { data: { i: String(i) } }, merge);
      for (const rv of [Number(c.metadata.resourceVersion), Number(u.metadata.resourceVersion)]) {
        assert.ok(rv > last, `${rv} > ${last}`);
        last = rv;
      }
    }
    const list = await ok('GET', '/api/v1/namespaces/pages/configmaps');
    assert.ok(Number(list.metadata.resourceVersion) >= last);
    for (const item of list.items) assert.ok(Number(item.metadata.resourceVersion) <= Number(list.metadata.resourceVersion));
  });

  it('DELETE on the collection with a label selector removes just the matches', async () => {
    const r = await req('DELETE', '/api/v1/namespaces/pages/configmaps?labelSelector=parity%3Deven');
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.kind, 'ConfigMapList');
    assert.equal(r.body.apiVersion, 'v1');
    assert.deepEqual(r.body.items.map((i: any) => i.metadata.name).sort(), ['c2', 'c4', 'c6']);
    const left = await ok('GET', '/api/v1/namespaces/pages/configmaps?labelSelector=parity');
    assert.deepEqual(left.items.map((i: any) => i.metadata.name), ['c1', 'c3', 'c5', 'c7']);
  });
});

describe('subresources', () => {
  it('pods/binding sets nodeName and PodScheduled; a second bind is 409', async () => {
    await ok('POST', `${NS}/pods`, pod('bind-me'));
    const binding = { apiVersion: 'v1', kind: 'Binding', metadata: { name: 'bind-me' }, target: { apiVersion: 'v1', kind: 'Node', name: 'node-1' } };
    const r = await req('POST', `${NS}/pods/bind-me/binding`, binding);
    assert.equal(r.status, 201, r.text);
    assert.equal(r.body.kind, 'Status');
    assert.equal(r.body.status, 'Success');
    const p = await ok('GET', `${NS}/pods/bind-me`);
    assert.equal(p.spec.nodeName, 'node-1');
    const cond = p.status.conditions.find((c: any) => c.type === 'PodScheduled');
    assert.equal(cond.status, 'True');
    assert.match(cond.lastTransitionTime, /Z$/);
    const again = await req('POST', `${NS}/pods/bind-me/binding`, { ...binding, target: { kind: 'Node', name: 'node-2' } });
    assert.equal(again.status, 409);
    assert.equal(again.body.reason, 'Conflict');
    assert.equal(again.body.message, 'Operation cannot be fulfilled on pods "bind-me": pod bind-me is already assigned to node "node-1"');
    // The collection form (POST .../bindings) does the same.
    await ok('POST', `${NS}/pods`, pod('bind-2'));
    const viaCollection = await req('POST', `${NS}/bindings`, { ...binding, metadata: { name: 'bind-2' } });
    assert.equal(viaCollection.status, 201, viaCollection.text);
    assert.equal((await ok('GET', `${NS}/pods/bind-2`)).spec.nodeName, 'node-1');
  });

  for (const kind of ['deployments', 'replicasets'] as const) {
    it(`${kind}/scale: GET, PUT and PATCH an autoscaling/v1 Scale`, async () => {
      const obj = { ...deployment(`sc-${kind}`), kind: kind === 'deployments' ? 'Deployment' : 'ReplicaSet' };
      const created = await ok('POST', `${APPS}/${kind}`, obj);
      const scale = await ok('GET', `${APPS}/${kind}/sc-${kind}/scale`);
      assert.deepEqual(scale, {
        kind: 'Scale',
        apiVersion: 'autoscaling/v1',
        metadata: {
          name: `sc-${kind}`,
          namespace: 'sem',
          uid: created.metadata.uid,
          resourceVersion: created.metadata.resourceVersion,
          creationTimestamp: created.metadata.creationTimestamp,
        },
        spec: { replicas: 1 },
        status: { replicas: 0, selector: `app=sc-${kind}` },
      });
      const put = await ok('PUT', `${APPS}/${kind}/sc-${kind}/scale`, { ...scale, spec: { replicas: 3 } });
      assert.equal(put.spec.replicas, 3);
      assert.ok(Number(put.metadata.resourceVersion) > Number(scale.metadata.resourceVersion));
      const stale = await req('PUT', `${APPS}/${kind}/sc-${kind}/scale`, { ...scale, spec: { replicas: 4 } });
      assert.equal(stale.status, 409);
      assert.equal(stale.body.message, MODIFIED_MSG(`${kind}.apps`, `sc-${kind}`));
      const patched = await ok('PATCH', `${APPS}/${kind}/sc-${kind}/scale`, { spec: { replicas: 5 } }, merge);
      assert.equal(patched.spec.replicas, 5);
      const live = await ok('GET', `${APPS}/${kind}/sc-${kind}`);
      assert.equal(live.spec.replicas, 5);
      assert.equal(live.metadata.generation, 3);
      const neg = await req('PATCH', `${APPS}/${kind}/sc-${kind}/scale`, { spec: { replicas: -1 } }, merge);
      assert.equal(neg.status, 422);
      assert.equal(neg.body.reason, 'Invalid');
    });
  }
});

describe('events and namespaces', () => {
  it('events.k8s.io/v1 and core/v1 Events are two views of one object', async () => {
    const ev1 = {
      apiVersion: 'events.k8s.io/v1',
      kind: 'Event',
      metadata: { name: 'e1' },
      eventTime: '2025-01-01T00:00:00.000000Z',
      reportingController: 'example.com/ctl',
      reportingInstance: 'ctl-1',
      action: 'Testing',
      reason: 'Tested',
      type: 'Normal',
      note: 'hello from events/v1',
      regarding: { kind: 'Pod', namespace: 'sem', name: 'st', apiVersion: 'v1' },
    };
    const made = await req('POST', '/apis/events.k8s.io/v1/namespaces/sem/events', ev1);
    assert.equal(made.status, 201, made.text);
    assert.equal(made.body.apiVersion, 'events.k8s.io/v1');
    const core = await ok('GET', `${NS}/events/e1`);
    assert.equal(core.apiVersion, 'v1');
    assert.equal(core.message, 'hello from events/v1');
    assert.equal(core.involvedObject.name, 'st');
    assert.equal(core.reportingComponent, 'example.com/ctl');
    assert.equal(core.metadata.uid, made.body.metadata.uid);

    const ev2 = {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: 'e2' },
      involvedObject: { kind: 'Pod', namespace: 'sem', name: 'st', apiVersion: 'v1' },
      reason: 'Pulled',
      message: 'hello from core',
      type: 'Normal',
      source: { component: 'kubelet', host: 'node-1' },
      firstTimestamp: '2025-01-01T00:00:00Z',
      lastTimestamp: '2025-01-01T00:00:00Z',
      count: 1,
    };
    await ok('POST', `${NS}/events`, ev2);
    const viaNew = await ok('GET', '/apis/events.k8s.io/v1/namespaces/sem/events/e2');
    assert.equal(viaNew.note, 'hello from core');
    assert.equal(viaNew.regarding.name, 'st');
    assert.equal(viaNew.deprecatedCount, 1);
    const list = await ok('GET', '/apis/events.k8s.io/v1/namespaces/sem/events');
    assert.equal(list.kind, 'EventList');
    assert.equal(list.apiVersion, 'events.k8s.io/v1');
    assert.deepEqual(list.items.map((i: any) => i.metadata.name), ['e1', 'e2']);
  });

  it('creating in a missing namespace is 404 namespaces "nope" not found', async () => {
    const r = await req('POST', '/api/v1/namespaces/nope/configmaps', cm('x'));
    assert.equal(r.status, 404);
    assert.deepEqual(r.body, {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'namespaces "nope" not found',
      reason: 'NotFound',
      details: { name: 'nope', kind: 'namespaces' },
      code: 404,
    });
    const d = await req('POST', '/apis/apps/v1/namespaces/nope/deployments', deployment('x'));
    assert.equal(d.status, 404);
    assert.equal(d.body.message, 'namespaces "nope" not found');
  });
});
