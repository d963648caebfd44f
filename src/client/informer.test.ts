import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { resources, type ResourceDef } from '../api/resources.js';
import { startSkiff, type SkiffProcess } from '../testing/server-process.js';
import { fieldIndexFunc } from './indexer.js';
import { InformerFactory, SharedInformer } from './informer.js';
import type { KubeObject } from './kube-object.js';
import { RestClient, type WatchOptions } from './rest-client.js';

const def = (group: string, plural: string): ResourceDef => resources.find((r) => r.group === group && r.plural === plural)!;
const configmaps = def('', 'configmaps');
const pods = def('', 'pods');

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function until(cond: () => boolean, what: string, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) assert.fail(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

/** Records handler calls as compact strings: "add a", "update b 3->4", "delete c". */
function recorder() {
  const log: string[] = [];
  return {
    log,
    handlers: {
      onAdd: (o: KubeObject) => log.push(`add ${o.metadata.name}`),
      onUpdate: (a: KubeObject, b: KubeObject) => log.push(`update ${b.metadata.name} ${a.metadata.resourceVersion}->${b.metadata.resourceVersion}`),
      onDelete: (o: KubeObject) => log.push(`delete ${o.metadata.name}`),
    },
  };
}

const cm = (name: string, labels: Record<string, string>, data: Record<string, string> = {}) => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, labels },
  data,
});

/** Wraps client.list/watch to record the calls the informer makes. */
function spy(c: RestClient) {
  const lists: unknown[] = [];
  const watches: WatchOptions[] = [];
  const list = c.list.bind(c);
  const watch = c.watch.bind(c);
  c.list = ((d: ResourceDef, ns?: string, o?: any) => {
    lists.push(o);
    return list(d, ns, o);
  }) as typeof c.list;
  c.watch = ((d: ResourceDef, ns: string | undefined, o: WatchOptions, cb: any) => {
    watches.push(o);
    return watch(d, ns, o, cb);
  }) as typeof c.watch;
  return { lists, watches };
}

describe('SharedInformer against skiff', () => {
  let s: SkiffProcess;
  let c: RestClient;
  before(async () => {
    s = await startSkiff();
    c = new RestClient({ kubeconfig: s.kubeconfig });
  });
  after(async () => {
    c.close();
    await s.stop();
  });

  test('initial paged sync, then add/update/delete handlers in order', async () => {
    for (const n of ['a', 'b', 'c', 'd', 'e']) await c.create(configmaps, 'default', cm(`sync-${n}`, { t: 'sync' }));
    await c.create(configmaps, 'default', cm('other', { t: 'other' }));
    const client = new RestClient({ kubeconfig: s.kubeconfig });
    const calls = spy(client);
    const inf = new SharedInformer(client, configmaps, { namespace: 'default', labelSelector: 't=sync', pageSize: 2 });
    const r = recorder();
    inf.addEventHandler(r.handlers);
    assert.equal(inf.hasSynced(), false);
    inf.start();
    assert.equal(await inf.waitForSync(5000), true);
    assert.equal(inf.hasSynced(), true);
    assert.deepEqual(r.log.sort(), ['add sync-a', 'add sync-b', 'add sync-c', 'add sync-d', 'add sync-e']);
    assert.equal(calls.lists.length, 3, 'five items in pages of two');
    assert.deepEqual(calls.lists[0], { labelSelector: 't=sync', fieldSelector: undefined, limit: 2, continue: undefined });
    assert.equal(inf.indexer.get('default/sync-c')?.kind, 'ConfigMap', 'kind is filled in');
    assert.equal(inf.indexer.get('default/sync-c')?.apiVersion, 'v1');
    assert.equal(inf.indexer.get('default/other'), undefined);
    assert.deepEqual(inf.lister().byNamespace('default').list().length, 5);

    await until(() => calls.watches.length === 1, 'the watch');
    const w = calls.watches[0];
    assert.equal(w.allowWatchBookmarks, true);
    assert.equal(w.resourceVersion, inf.lastSyncResourceVersion());
    assert.ok(w.timeoutSeconds! >= 300 && w.timeoutSeconds! <= 600, `timeoutSeconds ${w.timeoutSeconds}`);

    r.log.length = 0;
    const created = await c.create(configmaps, 'default', cm('sync-f', { t: 'sync' }));
    const updated = await c.patch(configmaps, 'default', 'sync-f', { data: { x: '1' } }, 'merge');
    await c.patch(configmaps, 'default', 'sync-a', { metadata: { labels: { t: 'gone' } } }, 'merge'); // leaves the selection
    await c.delete(configmaps, 'default', 'sync-b');
    await until(() => r.log.length === 4, '4 events');
    assert.deepEqual(r.log, [
      'add sync-f',
      `update sync-f ${created.metadata.resourceVersion}->${updated.metadata.resourceVersion}`,
      'delete sync-a',
      'delete sync-b',
    ]);
    assert.deepEqual(inf.indexer.listKeys().sort(), ['default/sync-c', 'default/sync-d', 'default/sync-e', 'default/sync-f']);
    assert.equal(inf.indexer.get('default/sync-f')!.data.x, '1');
    inf.stop();
    client.close();
  });

  test('re-watches from the last resourceVersion when the server ends the watch; nothing lost or doubled', async () => {
    const client = new RestClient({ kubeconfig: s.kubeconfig });
    const calls = spy(client);
    const inf = new SharedInformer(client, configmaps, { namespace: 'default', labelSelector: 't=rewatch', watchTimeoutSeconds: () => 1 });
    const r = recorder();
    inf.addEventHandler(r.handlers);
    inf.start();
    await inf.waitForSync();
    const expected: string[] = [];
    const t0 = Date.now();
    for (let i = 0; Date.now() - t0 < 3200; i++) {
      await c.create(configmaps, 'default', cm(`rw-${i}`, { t: 'rewatch' }));
      expected.push(`add rw-${i}`);
      await sleep(100);
    }
    await until(() => r.log.length >= expected.length, 'all adds');
    await sleep(100);
    assert.deepEqual(r.log, expected);
    assert.ok(calls.watches.length >= 3, `expected several watches, got ${calls.watches.length}`);
    assert.equal(calls.lists.length, 1, 'no re-list needed');
    // Each re-watch resumes where the previous one stopped (rvs are increasing, none empty).
    const rvs = calls.watches.map((w) => Number(w.resourceVersion));
    for (let i = 1; i < rvs.length; i++) assert.ok(rvs[i] >= rvs[i - 1], `rvs ${rvs}`);
    inf.stop();
    client.close();
  });

  test('resync re-delivers cached objects as updates with old === new', async () => {
    await c.create(configmaps, 'default', cm('resync-1', { t: 'resync' }));
    const inf = new SharedInformer(c, configmaps, { labelSelector: 't=resync', resyncPeriodMs: 100 });
    const updates: [KubeObject, KubeObject][] = [];
    inf.addEventHandler({ onUpdate: (a, b) => updates.push([a, b]) });
    inf.start();
    await inf.waitForSync();
    await sleep(350);
    inf.stop();
    assert.ok(updates.length >= 2 && updates.length <= 4, `got ${updates.length} resyncs`);
    for (const [a, b] of updates) {
      assert.equal(a, b);
      assert.equal(b.metadata.name, 'resync-1');
    }
    const n = updates.length;
    await sleep(250);
    assert.equal(updates.length, n, 'no resync after stop');
  });

  test('late handlers get the cache as adds; a throwing handler does not stop the others; removal works', async () => {
    await c.create(configmaps, 'default', cm('late-1', { t: 'late' }));
    const inf = new SharedInformer(c, configmaps, { labelSelector: 't=late' });
    inf.addEventHandler({ onAdd: () => { throw new Error('boom'); } });
    inf.start();
    await inf.waitForSync();
    const r = recorder();
    const remove = inf.addEventHandler(r.handlers);
    assert.deepEqual(r.log, ['add late-1']);
    await c.create(configmaps, 'default', cm('late-2', { t: 'late' }));
    await until(() => r.log.length === 2, 'late-2');
    assert.deepEqual(r.log, ['add late-1', 'add late-2']);
    remove();
    await c.create(configmaps, 'default', cm('late-3', { t: 'late' }));
    await until(() => inf.indexer.get('default/late-3') !== undefined, 'late-3 in cache');
    assert.equal(r.log.length, 2);
    inf.stop();
  });

  test('field selector scope and a spec.nodeName index', async () => {
    const pod = (name: string, node?: string) => ({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name, labels: { t: 'idx' } },
      spec: { ...(node ? { nodeName: node } : {}), containers: [{ name: 'c', image: 'nginx' }] },
    });
    await c.create(pods, 'default', pod('p1', 'n1'));
    await c.create(pods, 'default', pod('p2', 'n2'));
    await c.create(pods, 'default', pod('p3'));
    const inf = new SharedInformer(c, pods, { labelSelector: 't=idx', indexers: { 'spec.nodeName': fieldIndexFunc('spec.nodeName') } });
    const unscheduled = new SharedInformer(c, pods, { labelSelector: 't=idx', fieldSelector: 'spec.nodeName=' });
    inf.start();
    unscheduled.start();
    await Promise.all([inf.waitForSync(), unscheduled.waitForSync()]);
    assert.deepEqual(inf.indexer.byIndex('spec.nodeName', 'n1').map((p) => p.metadata.name), ['p1']);
    assert.deepEqual(unscheduled.indexer.listKeys(), ['default/p3']);
    await c.bind('default', 'p3', 'n1');
    await until(() => unscheduled.indexer.size === 0, 'p3 to leave the unscheduled informer');
    await until(() => inf.indexer.byIndex('spec.nodeName', 'n1').length === 2, 'p3 on n1');
    inf.stop();
    unscheduled.stop();
  });

  test('InformerFactory shares one informer per (resource, namespace, selectors)', async () => {
    await c.create(configmaps, 'default', cm('fac-1', { t: 'fac' }));
    const client = new RestClient({ kubeconfig: s.kubeconfig });
    const calls = spy(client);
    const f = new InformerFactory(client);
    const a = f.informerFor(configmaps, { labelSelector: 't=fac' });
    const b = f.informerFor(configmaps, { labelSelector: 't=fac' });
    const other = f.informerFor(configmaps, { labelSelector: 't=fac', namespace: 'default' });
    assert.equal(a, b);
    assert.notEqual(a, other);
    assert.equal(f.size, 2);
    assert.equal(a.isStarted(), false);
    f.start();
    assert.equal(await f.waitForCacheSync(5000), true);
    assert.equal(calls.lists.length, 2);
    assert.equal(f.lister(configmaps, { labelSelector: 't=fac' }).get('default', 'fac-1')?.metadata.name, 'fac-1');
    // Asked for after start(): started at once.
    const late = f.informerFor(pods);
    assert.equal(late.isStarted(), true);
    assert.equal(await late.waitForSync(5000), true);
    // Resync requests only shorten; extra indexers are merged in.
    f.informerFor(configmaps, { labelSelector: 't=fac', indexers: { name: (o) => [o.metadata.name!] } });
    assert.deepEqual(a.indexer.byIndex('name', 'fac-1').length, 1);
    f.stop();
    assert.equal(await a.waitForSync(), true, 'already synced stays synced');
    client.close();
  });

  test('SKIFF_WATCH_CACHE_CAPACITY: a too-old watch is re-listed (skipped when the server lacks the knob)', async (t) => {
    const small = await startSkiff({ env: { SKIFF_WATCH_CACHE_CAPACITY: '5' } });
    try {
      const sc = new RestClient({ kubeconfig: small.kubeconfig });
      const start = await sc.list(configmaps, 'default');
      for (let i = 0; i < 12; i++) await sc.create(configmaps, 'default', cm(`cap-${i}`, {}));
      let firstType = '';
      const probe = sc.watch(configmaps, 'default', { resourceVersion: start.metadata.resourceVersion }, (ev) => {
        firstType ||= ev.type;
        probe.stop();
      });
      await Promise.race([probe.done, sleep(1000)]);
      probe.stop();
      if (firstType !== 'ERROR') {
        t.skip('server keeps more than 5 events of history');
        return;
      }
      // Drive an informer into the same situation: hold its second watch back while
      // more than 5 writes happen, so it resumes from a resourceVersion the server forgot.
      await sc.create(configmaps, 'default', cm('cap-keep', { t: 'cap' }));
      await sc.create(configmaps, 'default', cm('cap-drop', { t: 'cap' }));
      const calls = spy(sc);
      let release!: () => void;
      const gate = new Promise<void>((r) => (release = r));
      const watch = sc.watch;
      let held = 0;
      sc.watch = ((d: ResourceDef, ns: string | undefined, o: WatchOptions, cb: any) => {
        if (calls.watches.length !== 2) return watch(d, ns, o, cb);
        held++;
        let inner: ReturnType<typeof watch> | undefined;
        let stopped = false;
        const done = gate.then(() => {
          if (stopped) return;
          inner = watch(d, ns, o, cb);
          return inner.done;
        });
        return { stop: () => ((stopped = true), inner?.stop()), done };
      }) as typeof sc.watch;
      const inf = new SharedInformer(sc, configmaps, { namespace: 'default', labelSelector: 't=cap', watchTimeoutSeconds: () => 1 });
      const r = recorder();
      inf.addEventHandler(r.handlers);
      inf.start();
      await inf.waitForSync();
      await until(() => held === 1, 'the second watch to be held', 4000);
      for (let i = 0; i < 8; i++) await sc.create(configmaps, 'default', cm(`cap-new-${i}`, { t: 'cap' }));
      await sc.delete(configmaps, 'default', 'cap-drop');
      release();
      await until(() => calls.lists.length === 2 && r.log.length === 11, 're-list after 410');
      assert.deepEqual(r.log.slice(0, 2).sort(), ['add cap-drop', 'add cap-keep']);
      assert.deepEqual(r.log.slice(2).sort(), [...Array.from({ length: 8 }, (_, i) => `add cap-new-${i}`), 'delete cap-drop'].sort());
      assert.equal(inf.indexer.size, 9);
      inf.stop();
      sc.close();
    } finally {
      await small.stop();
    }
  });
});

/** A scripted API server: lists and watches answer from queues the test fills. */
class FakeApi {
  server!: http.Server;
  url = '';
  requests: string[] = [];
  lists: (() => { status: number; body: unknown })[] = [];
  watches: ((res: http.ServerResponse) => void)[] = [];
  openWatches = new Set<http.ServerResponse>();

  async start(): Promise<void> {
    this.server = http.createServer((req, res) => {
      this.requests.push(req.url!);
      const isWatch = new URL(req.url!, 'http://x').searchParams.get('watch') === 'true';
      if (isWatch) {
        const next = this.watches.shift();
        if (!next) {
          // Nothing scripted: hold the watch open until the test ends.
          res.writeHead(200, { 'Content-Type': 'application/json' });
          this.openWatches.add(res);
          res.on('close', () => this.openWatches.delete(res));
          return;
        }
        next(res);
        return;
      }
      const next = this.lists.shift();
      const { status, body } = next ? next() : { status: 500, body: { kind: 'Status', code: 500, reason: 'InternalError', message: 'unscripted' } };
      res.writeHead(status, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(body));
    });
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    for (const res of this.openWatches) res.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((r) => this.server.close(() => r()));
  }
}

const item = (name: string, rv: string) => ({ metadata: { name, namespace: 'ns', resourceVersion: rv }, data: { rv } });
const list = (rv: string, items: unknown[], cont?: string) => () => ({
  status: 200,
  body: { kind: 'ConfigMapList', apiVersion: 'v1', metadata: { resourceVersion: rv, ...(cont ? { continue: cont } : {}) }, items },
});
const expiredStatus = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'too old resource version: 10 (12)', reason: 'Expired', code: 410 };

describe('SharedInformer against a scripted server', () => {
  let api: FakeApi;
  before(async () => {
    api = new FakeApi();
    await api.start();
  });
  after(() => api.stop());

  for (const how of ['ERROR event', 'HTTP 410'] as const) {
    test(`410 Expired (${how}) → re-list and synthetic add/update/delete for the difference`, async () => {
      api.requests = [];
      api.lists = [list('10', [item('a', '8'), item('b', '9'), item('same', '3')]), list('15', [item('b', '14'), item('c', '15'), item('same', '3')])];
      api.watches = [
        (res) => {
          if (how === 'HTTP 410') {
            res.writeHead(410, { 'Content-Type': 'application/json' });
            res.end(JSON.stringify(expiredStatus));
          } else {
            res.writeHead(200, { 'Content-Type': 'application/json' });
            res.end(JSON.stringify({ type: 'ERROR', object: expiredStatus }) + '\n');
          }
        },
      ];
      const client = new RestClient({ server: api.url });
      const inf = new SharedInformer(client, configmaps, { namespace: 'ns', backoffInitialMs: 10 });
      const deleted: KubeObject[] = [];
      const r = recorder();
      inf.addEventHandler(r.handlers);
      inf.addEventHandler({ onDelete: (o) => deleted.push(o) });
      inf.start();
      await until(() => inf.lastSyncResourceVersion() === '15', 're-list');
      await until(() => api.requests.length === 4, 'the watch after the re-list');
      assert.deepEqual(r.log, ['add a', 'add b', 'add same', 'delete a', 'update b 9->14', 'add c']);
      assert.equal(deleted[0].data.rv, '8', 'delete gets the last known state');
      assert.deepEqual(inf.indexer.listKeys().sort(), ['ns/b', 'ns/c', 'ns/same']);
      const paths = api.requests.map((u) => new URL(u, 'http://x'));
      assert.deepEqual(
        paths.map((u) => u.searchParams.get('watch') === 'true' ? `watch@${u.searchParams.get('resourceVersion')}` : `list limit=${u.searchParams.get('limit')}`),
        ['list limit=500', 'watch@10', 'list limit=500', 'watch@15'],
      );
      assert.equal(paths[3].searchParams.get('allowWatchBookmarks'), 'true');
      inf.stop();
      client.close();
    });
  }

  test('bookmarks advance the resourceVersion without touching handlers; continue pages are followed', async () => {
    api.requests = [];
    api.lists = [list('20', [item('a', '20')], 'tok'), list('20', [item('b', '19')])];
    api.watches = [
      (res) => {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.write(JSON.stringify({ type: 'BOOKMARK', object: { kind: 'ConfigMap', apiVersion: 'v1', metadata: { resourceVersion: '33' } } }) + '\n');
        setTimeout(() => res.end(), 150);
      },
    ];
    const client = new RestClient({ server: api.url });
    const inf = new SharedInformer(client, configmaps, { namespace: 'ns' });
    const r = recorder();
    inf.addEventHandler(r.handlers);
    inf.start();
    await until(() => api.requests.length === 4, 're-watch');
    assert.equal(new URL(api.requests[1], 'http://x').searchParams.get('continue'), 'tok');
    assert.equal(new URL(api.requests[3], 'http://x').searchParams.get('resourceVersion'), '33');
    assert.deepEqual(r.log, ['add a', 'add b']);
    assert.equal(inf.lastSyncResourceVersion(), '33');
    inf.stop();
    client.close();
  });

  test('connection errors back off exponentially, then sync; stop() ends waiting', async () => {
    api.requests = [];
    const failure = () => ({ status: 500, body: { kind: 'Status', apiVersion: 'v1', status: 'Failure', message: 'etcd down', reason: 'InternalError', code: 500 } });
    const times: number[] = [];
    const timed = (f: () => { status: number; body: unknown }) => () => {
      times.push(performance.now());
      return f();
    };
    api.lists = [timed(failure), timed(failure), timed(failure), timed(list('5', [item('x', '5')]))];
    const client = new RestClient({ server: api.url });
    const inf = new SharedInformer(client, configmaps, { namespace: 'ns', backoffInitialMs: 40, backoffMaxMs: 1000 });
    inf.start();
    assert.equal(await inf.waitForSync(5000), true);
    const gaps = times.slice(1).map((t, i) => t - times[i]);
    // Delays are 40, 80, 160 ms plus up to 50% jitter.
    assert.ok(gaps[0] >= 38 && gaps[0] < 120, `gaps ${gaps}`);
    assert.ok(gaps[1] >= 78 && gaps[1] < 200, `gaps ${gaps}`);
    assert.ok(gaps[2] >= 158 && gaps[2] < 400, `gaps ${gaps}`);
    inf.stop();

    const dead = new SharedInformer(new RestClient({ server: 'http://127.0.0.1:1' }), configmaps, { backoffInitialMs: 10 });
    dead.start();
    assert.equal(await dead.waitForSync(200), false);
    const waiting = dead.waitForSync();
    dead.stop();
    assert.equal(await waiting, false);
    client.close();
  });
});
