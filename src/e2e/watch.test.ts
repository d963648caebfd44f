// Watch over raw HTTP against the real server: resume from a resourceVersion,
// initial ADDED events, selector transitions, scopes, bookmarks, timeouts,
// 410 Expired, Table events and many concurrent watchers.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import https from 'node:https';
import { startSkiff, apiRequest, type SkiffProcess } from '../testing/server-process.js';

let s: SkiffProcess;
const CAPACITY = 40;

before(async () => {
  s = await startSkiff({ env: { SKIFF_BOOKMARK_INTERVAL_MS: '300', SKIFF_WATCH_CACHE_CAPACITY: String(CAPACITY) } });
  for (const ns of ['w1', 'w2', 'w3', 'w4', 'w5', 'w6', 'w7', 'w8']) {
    const r = await apiRequest(s, 'POST', '/api/v1/namespaces', { metadata: { name: ns } });
    assert.equal(r.status, 201, r.text);
  }
});
after(async () => {
  await s?.stop();
});

interface WatchStream {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** Every event received so far. */
  events: any[];
  /** The next n events (after those already taken), waiting up to ms. */
  next(n: number, ms?: number): Promise<any[]>;
  /** Resolves when the server ends the response. */
  ended: Promise<void>;
  isEnded(): boolean;
  close(): void;
}

function openWatch(path: string, headers: Record<string, string> = {}): Promise<WatchStream> {
  return new Promise((resolve, reject) => {
    const req = https.request(new URL(path, s.url), { method: 'GET', ca: s.caCertPem, headers: { Authorization: `Bearer ${s.token}`, ...headers } }, (res) => {
      const events: any[] = [];
      let buf = '';
      let taken = 0;
      let ended = false;
      const waiters = new Set<() => void>();
      const wake = () => {
        for (const w of [...waiters]) w();
      };
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buf += chunk;
        let i: number;
        while ((i = buf.indexOf('\n')) >= 0) {
          const line = buf.slice(0, i);
          buf = buf.slice(i + 1);
          if (line.trim()) events.push(JSON.parse(line));
        }
        wake();
      });
      const endedP = new Promise<void>((r) =>
        res.on('close', () => {
          ended = true;
          wake();
          r();
        }),
      );
      resolve({
        status: res.statusCode ?? 0,
        headers: res.headers,
        events,
        ended: endedP,
        isEnded: () => ended,
        close: () => req.destroy(),
        next(n, ms = 5000) {
          return new Promise((ok, fail) => {
            const check = () => {
              if (events.length - taken >= n) {
                cleanup();
                const out = events.slice(taken, taken + n);
                taken += n;
                ok(out);
              } else if (ended) {
                cleanup();
                fail(new Error(`watch ended after ${events.length - taken} of ${n} events: ${JSON.stringify(events.slice(taken))}`));
              }
            };
            const timer = setTimeout(() => {
              cleanup();
              fail(new Error(`timed out waiting for ${n} events; got ${JSON.stringify(events.slice(taken).map((e) => [e.type, e.object?.metadata?.name]))}`));
            }, ms);
            const cleanup = () => {
              clearTimeout(timer);
              waiters.delete(check);
            };
            waiters.add(check);
            check();
          });
        },
      });
    });
    req.on('error', reject);
    req.end();
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function pod(name: string, labels: Record<string, string> = {}) {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, labels }, spec: { containers: [{ name: 'main', image: 'busybox:1.36' }] } };
}

async function ok(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<any> {
  const r = await apiRequest(s, method, path, body, headers);
  assert.ok(r.status >= 200 && r.status < 300, `${method} ${path} → ${r.status} ${r.text}`);
  return r.body;
}

const merge = { 'Content-Type': 'application/merge-patch+json' };
const summary = (evs: any[]) => evs.map((e) => `${e.type} ${e.object.metadata.name}`);

async function listRv(path: string): Promise<string> {
  return (await ok('GET', path)).metadata.resourceVersion;
}

describe('watch', () => {
  it('from a resourceVersion returns only later events, in order', async () => {
    await ok('POST', '/api/v1/namespaces/w1/pods', pod('a'));
    await ok('POST', '/api/v1/namespaces/w1/pods', pod('b'));
    const rv = await listRv('/api/v1/namespaces/w1/pods');
    const modified = await ok('PATCH', '/api/v1/namespaces/w1/pods/a', { metadata: { labels: { x: '1' } } }, merge);
    const deleted = await ok('DELETE', '/api/v1/namespaces/w1/pods/b');
    const added = await ok('POST', '/api/v1/namespaces/w1/pods', pod('c'));
    const w = await openWatch(`/api/v1/namespaces/w1/pods?watch=true&resourceVersion=${rv}`);
    assert.equal(w.status, 200);
    assert.equal(w.headers['content-type'], 'application/json');
    const evs = await w.next(3);
    assert.deepEqual(summary(evs), ['MODIFIED a', 'DELETED b', 'ADDED c']);
    assert.equal(evs[0].object.metadata.resourceVersion, modified.metadata.resourceVersion);
    assert.equal(evs[0].object.metadata.labels.x, '1');
    assert.equal(evs[0].object.kind, 'Pod');
    assert.equal(evs[0].object.apiVersion, 'v1');
    assert.equal(evs[2].object.metadata.resourceVersion, added.metadata.resourceVersion);
    const rvs = evs.map((e) => Number(e.object.metadata.resourceVersion));
    assert.ok(rvs[0] > Number(rv) && rvs[0] < rvs[1] && rvs[1] < rvs[2], `increasing: ${rvs}`);
    // The DELETED event carries the deletion's revision, not the object's last write.
    assert.equal(evs[1].object.metadata.resourceVersion, deleted.metadata.resourceVersion);
    assert.ok(Number(deleted.metadata.resourceVersion) > Number(modified.metadata.resourceVersion));
    // Then live events follow.
    await ok('DELETE', '/api/v1/namespaces/w1/pods/c');
    assert.deepEqual(summary(await w.next(1)), ['DELETED c']);
    w.close();
  });

  it('without resourceVersion, or with "0", starts with ADDED for every existing object', async () => {
    await ok('POST', '/api/v1/namespaces/w2/pods', pod('p2'));
    await ok('POST', '/api/v1/namespaces/w2/pods', pod('p1'));
    for (const q of ['', '&resourceVersion=0']) {
      const w = await openWatch(`/api/v1/namespaces/w2/pods?watch=true${q}`);
      const evs = await w.next(2);
      assert.deepEqual(summary(evs).sort(), ['ADDED p1', 'ADDED p2']);
      await sleep(100);
      assert.equal(w.events.length, 2, 'nothing else before a change');
      await ok('PATCH', '/api/v1/namespaces/w2/pods/p1', { metadata: { labels: { q: q ? 'zero' : 'none' } } }, merge);
      assert.deepEqual(summary(await w.next(1)), ['MODIFIED p1']);
      w.close();
    }
  });

  it('label selector: leaving the selection is DELETED (previous state, new rv), entering it is ADDED', async () => {
    const rv = await listRv('/api/v1/namespaces/w3/pods');
    const w = await openWatch(`/api/v1/namespaces/w3/pods?watch=true&labelSelector=app%3Dweb&resourceVersion=${rv}`);
    await ok('POST', '/api/v1/namespaces/w3/pods', pod('other', { app: 'db' }));
    await ok('POST', '/api/v1/namespaces/w3/pods', pod('x', { app: 'web' }));
    const left = await ok('PATCH', '/api/v1/namespaces/w3/pods/x', { metadata: { labels: { app: 'db' } } }, merge);
    await ok('PATCH', '/api/v1/namespaces/w3/pods/x', { metadata: { labels: { tier: '1' } } }, merge);
    const back = await ok('PATCH', '/api/v1/namespaces/w3/pods/x', { metadata: { labels: { app: 'web' } } }, merge);
    await ok('PATCH', '/api/v1/namespaces/w3/pods/x', { metadata: { labels: { tier: '2' } } }, merge);
    await ok('DELETE', '/api/v1/namespaces/w3/pods/x');
    const evs = await w.next(5);
    assert.deepEqual(summary(evs), ['ADDED x', 'DELETED x', 'ADDED x', 'MODIFIED x', 'DELETED x']);
    assert.equal(evs[1].object.metadata.labels.app, 'web', 'the object as it last matched');
    assert.equal(evs[1].object.metadata.resourceVersion, left.metadata.resourceVersion);
    assert.deepEqual(evs[2].object.metadata.labels, { app: 'web', tier: '1' });
    assert.equal(evs[2].object.metadata.resourceVersion, back.metadata.resourceVersion);
    await sleep(100);
    assert.equal(w.events.length, 5, 'the non-matching pod never shows');
    w.close();
  });

  it('field selectors: metadata.name and spec.nodeName (binding leaves the unscheduled set)', async () => {
    await ok('POST', '/api/v1/namespaces/w4/pods', pod('n1'));
    await ok('POST', '/api/v1/namespaces/w4/pods', pod('n2'));
    const byName = await openWatch('/api/v1/namespaces/w4/pods?watch=true&fieldSelector=metadata.name%3Dn2');
    assert.deepEqual(summary(await byName.next(1)), ['ADDED n2']);
    const unscheduled = await openWatch('/api/v1/namespaces/w4/pods?watch=true&fieldSelector=spec.nodeName%3D');
    assert.deepEqual(summary(await unscheduled.next(2)).sort(), ['ADDED n1', 'ADDED n2']);
    const scheduled = await openWatch('/api/v1/namespaces/w4/pods?watch=true&fieldSelector=spec.nodeName%3Dnode-a');
    await ok('POST', '/api/v1/namespaces/w4/pods/n1/binding', { apiVersion: 'v1', kind: 'Binding', metadata: { name: 'n1' }, target: { kind: 'Node', name: 'node-a' } });
    const bound = await ok('GET', '/api/v1/namespaces/w4/pods/n1');
    const [gone] = await unscheduled.next(1);
    assert.equal(gone.type, 'DELETED');
    assert.equal(gone.object.metadata.name, 'n1');
    assert.equal(gone.object.spec.nodeName, undefined, 'the last unscheduled state');
    assert.equal(gone.object.metadata.resourceVersion, bound.metadata.resourceVersion);
    const [arrived] = await scheduled.next(1);
    assert.equal(arrived.type, 'ADDED');
    assert.equal(arrived.object.spec.nodeName, 'node-a');
    await ok('PATCH', '/api/v1/namespaces/w4/pods/n2', { metadata: { labels: { seen: 'yes' } } }, merge);
    assert.deepEqual(summary(await byName.next(1)), ['MODIFIED n2']);
    await sleep(100);
    assert.equal(byName.events.length, 2, 'n1 never appears on the metadata.name=n2 watch');
    for (const w of [byName, unscheduled, scheduled]) w.close();
  });

  it('a namespaced watch sees its namespace only; the cluster-wide one sees all', async () => {
    const rv = await listRv('/api/v1/pods');
    const scoped = await openWatch(`/api/v1/namespaces/w5/pods?watch=true&resourceVersion=${rv}`);
    const all = await openWatch(`/api/v1/pods?watch=true&resourceVersion=${rv}`);
    await ok('POST', '/api/v1/namespaces/w6/pods', pod('elsewhere'));
    await ok('POST', '/api/v1/namespaces/w5/pods', pod('here'));
    assert.deepEqual(summary(await all.next(2)), ['ADDED elsewhere', 'ADDED here']);
    assert.deepEqual(summary(await scoped.next(1)), ['ADDED here']);
    assert.equal(scoped.events.length, 1);
    assert.equal(all.events[0].object.metadata.namespace, 'w6');
    scoped.close();
    all.close();
  });

  it('allowWatchBookmarks=true brings BOOKMARK events with the current resourceVersion; otherwise none', async () => {
    const rv = await listRv('/api/v1/namespaces/w6/pods');
    const plain = await openWatch(`/api/v1/namespaces/w6/pods?watch=true&resourceVersion=${rv}`);
    const w = await openWatch(`/api/v1/namespaces/w6/pods?watch=true&allowWatchBookmarks=true&resourceVersion=${rv}`);
    const [b] = await w.next(1, 3000);
    assert.equal(b.type, 'BOOKMARK');
    assert.equal(b.object.kind, 'Pod');
    assert.equal(b.object.apiVersion, 'v1');
    assert.ok(Number(b.object.metadata.resourceVersion) >= Number(rv));
    const made = await ok('POST', '/api/v1/namespaces/w7/pods', pod('elsewhere-2'));
    // A later bookmark moves past writes to other namespaces, which this watch never sees as events.
    for (;;) {
      const [e] = await w.next(1, 3000);
      assert.equal(e.type, 'BOOKMARK');
      if (Number(e.object.metadata.resourceVersion) >= Number(made.metadata.resourceVersion)) break;
    }
    assert.equal(plain.events.length, 0, 'no bookmarks unless asked');
    plain.close();
    w.close();
  });

  it('timeoutSeconds=1 ends the stream', async () => {
    const started = Date.now();
    const w = await openWatch('/api/v1/namespaces/w6/pods?watch=true&timeoutSeconds=1');
    await w.ended;
    const took = Date.now() - started;
    assert.ok(took >= 900 && took < 3000, `closed after ${took}ms`);
  });

  it('a resourceVersion older than the watch history gets ERROR 410 Expired, then the stream ends', async () => {
    const first = await ok('POST', '/api/v1/namespaces/w7/configmaps', { metadata: { name: 'churn' }, data: { n: '0' } });
    for (let i = 1; i <= CAPACITY + 5; i++) await ok('PUT', '/api/v1/namespaces/w7/configmaps/churn', { metadata: { name: 'churn' }, data: { n: String(i) } });
    const w = await openWatch(`/api/v1/namespaces/w7/configmaps?watch=true&resourceVersion=${first.metadata.resourceVersion}`);
    assert.equal(w.status, 200);
    const [e] = await w.next(1);
    await w.ended;
    assert.equal(e.type, 'ERROR');
    const st = e.object;
    assert.deepEqual(Object.keys(st).sort(), ['apiVersion', 'code', 'kind', 'message', 'metadata', 'reason', 'status']);
    assert.equal(st.kind, 'Status');
    assert.equal(st.apiVersion, 'v1');
    assert.equal(st.status, 'Failure');
    assert.equal(st.reason, 'Expired');
    assert.equal(st.code, 410);
    const m = /^too old resource version: (\d+) \((\d+)\)$/.exec(st.message);
    assert.ok(m, st.message);
    assert.equal(m[1], first.metadata.resourceVersion);
    assert.ok(Number(m[2]) > Number(m[1]));
    assert.equal(w.events.length, 1);
    // Resuming from the oldest revision the message names works.
    const again = await openWatch(`/api/v1/namespaces/w7/configmaps?watch=true&resourceVersion=${m[2]}`);
    const [next] = await again.next(1);
    assert.equal(next.type, 'MODIFIED');
    again.close();
  });

  it('Table watches send one-row Tables, with columnDefinitions only on the first event', async () => {
    const rv = await listRv('/api/v1/namespaces/w8/pods');
    const w = await openWatch(`/api/v1/namespaces/w8/pods?watch=true&resourceVersion=${rv}`, {
      Accept: 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json',
    });
    const made = await ok('POST', '/api/v1/namespaces/w8/pods', pod('t1'));
    await ok('PATCH', '/api/v1/namespaces/w8/pods/t1', { metadata: { labels: { a: 'b' } } }, merge);
    await ok('DELETE', '/api/v1/namespaces/w8/pods/t1');
    const evs = await w.next(3);
    assert.deepEqual(evs.map((e) => e.type), ['ADDED', 'MODIFIED', 'DELETED']);
    for (const e of evs) {
      assert.equal(e.object.kind, 'Table');
      assert.equal(e.object.apiVersion, 'meta.k8s.io/v1');
      assert.equal(e.object.rows.length, 1);
      assert.equal(e.object.rows[0].cells[0], 't1');
      assert.equal(e.object.rows[0].object.kind, 'PartialObjectMetadata');
      assert.equal(e.object.rows[0].object.metadata.name, 't1');
    }
    assert.deepEqual(
      evs[0].object.columnDefinitions.map((c: any) => c.name),
      ['Name', 'Ready', 'Status', 'Restarts', 'Age', 'IP', 'Node', 'Nominated Node', 'Readiness Gates'],
    );
    assert.equal(evs[1].object.columnDefinitions, null);
    assert.equal(evs[2].object.columnDefinitions, null);
    assert.equal(evs[0].object.metadata.resourceVersion, made.metadata.resourceVersion);
    w.close();
  });

  it('100 concurrent watchers all receive every event, in the same order', async () => {
    await ok('POST', '/api/v1/namespaces', { metadata: { name: 'many' } });
    const rv = await listRv('/api/v1/namespaces/many/configmaps');
    const watchers = await Promise.all(Array.from({ length: 100 }, () => openWatch(`/api/v1/namespaces/many/configmaps?watch=true&resourceVersion=${rv}`)));
    const expected: string[] = [];
    await Promise.all(
      Array.from({ length: 5 }, async (_, i) => {
        await ok('POST', '/api/v1/namespaces/many/configmaps', { metadata: { name: `c${i}` } });
        await ok('PATCH', `/api/v1/namespaces/many/configmaps/c${i}`, { data: { k: 'v' } }, merge);
        await ok('DELETE', `/api/v1/namespaces/many/configmaps/c${i}`);
      }),
    );
    for (let i = 0; i < 5; i++) expected.push(`ADDED c${i}`, `MODIFIED c${i}`, `DELETED c${i}`);
    const results = await Promise.all(watchers.map((w) => w.next(15, 10_000)));
    const reference = results[0].map((e) => `${e.type} ${e.object.metadata.name} ${e.object.metadata.resourceVersion}`);
    assert.deepEqual(summary(results[0]).sort(), expected.sort());
    const rvs = results[0].map((e) => Number(e.object.metadata.resourceVersion));
    for (let i = 1; i < rvs.length; i++) assert.ok(rvs[i] > rvs[i - 1], 'increasing resourceVersions');
    for (const r of results) assert.deepEqual(r.map((e) => `${e.type} ${e.object.metadata.name} ${e.object.metadata.resourceVersion}`), reference);
    for (const w of watchers) w.close();
  });
});
