// The watch cache over a real SqliteStore: list order / prefix / paging,
// history replay, 410-style TooOldError, waitFor, and cache = store under load.

import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteStore } from '../storage/sqlite-store.js';
import type { KeyValue, WatchEvent } from '../storage/store.js';
import { decodeKv, ResourceCache, TooOldError, WatchCacheSet, type CacheEvent } from './watch-cache.js';

const dirs: string[] = [];
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function openStore(): SqliteStore {
  const dir = mkdtempSync(join(tmpdir(), 'skiff-wc-'));
  dirs.push(dir);
  return SqliteStore.open(join(dir, 'state.db'), { compactionIntervalMs: 3_600_000 });
}

const json = (o: unknown) => Buffer.from(JSON.stringify(o));
const obj = (name: string, extra: Record<string, unknown> = {}) => ({ kind: 'ConfigMap', metadata: { name }, ...extra });

function kv(key: string, rev: number, value: unknown = obj(key.split('/').pop()!)): KeyValue {
  return { key, value: json(value), createRevision: rev, modRevision: rev };
}
function put(key: string, rev: number, value?: unknown): WatchEvent {
  return { type: 'PUT', kv: kv(key, rev, value), created: false, revision: rev };
}
function del(key: string, rev: number): WatchEvent {
  return { type: 'DELETE', kv: kv(key, rev), created: false, revision: rev };
}

const P = '/registry/configmaps/';
const keysOf = (items: { key: string }[]) => items.map((i) => i.key);
const rvs = (evs: CacheEvent[]) => evs.map((e) => e.rv);

describe('decodeKv', () => {
  it('sets metadata.resourceVersion from modRevision, creating metadata if missing', () => {
    assert.deepEqual(decodeKv(kv('/k', 42, { a: 1 })), { a: 1, metadata: { resourceVersion: '42' } });
    assert.equal(decodeKv(kv('/k', 7)).metadata.resourceVersion, '7');
  });
});

describe('ResourceCache.list', () => {
  const c = new ResourceCache(P, 100);
  for (const [k, r] of [
    ['default/web', 5],
    ['default/api', 3],
    ['default2/x', 4],
    ['kube-system/dns', 2],
    ['default/zeta', 6],
  ] as const) c.load(kv(P + k, r));

  it('returns every key ascending, whatever the load order', () => {
    assert.deepEqual(keysOf(c.list()), [P + 'default/api', P + 'default/web', P + 'default/zeta', P + 'default2/x', P + 'kube-system/dns']);
    assert.equal(c.size, 5);
  });

  it('restricts to a prefix without leaking a sibling namespace that shares its start', () => {
    assert.deepEqual(keysOf(c.list(P + 'default/')), [P + 'default/api', P + 'default/web', P + 'default/zeta']);
    assert.deepEqual(keysOf(c.list(P + 'nope/')), []);
  });

  it('startAfter is exclusive, may name a missing key, and is ignored when before the prefix', () => {
    assert.deepEqual(keysOf(c.list(P + 'default/', P + 'default/api')), [P + 'default/web', P + 'default/zeta']);
    assert.deepEqual(keysOf(c.list(P + 'default/', P + 'default/b')), [P + 'default/web', P + 'default/zeta']);
    assert.deepEqual(keysOf(c.list(P + 'default/', P + 'default/zeta')), []);
    assert.deepEqual(keysOf(c.list(P + 'default2/', P + 'default/zeta')), [P + 'default2/x']);
  });

  it('re-sorts after adds and deletes', () => {
    const d = new ResourceCache(P, 100);
    d.load(kv(P + 'b', 1));
    assert.deepEqual(keysOf(d.list()), [P + 'b']);
    d.apply(put(P + 'a', 2));
    d.apply(put(P + 'c', 3));
    d.apply(del(P + 'b', 4));
    assert.deepEqual(keysOf(d.list()), [P + 'a', P + 'c']);
    assert.equal(d.get(P + 'b'), undefined);
    assert.equal(d.get(P + 'c').metadata.resourceVersion, '3');
  });
});

describe('ResourceCache.apply', () => {
  it('types events ADDED / MODIFIED / DELETED and keeps the previous state', () => {
    const c = new ResourceCache(P, 100);
    c.setStart(1);
    const a = c.apply(put(P + 'x', 2, obj('x', { data: { v: '1' } })));
    const m = c.apply(put(P + 'x', 3, obj('x', { data: { v: '2' } })));
    const d = c.apply(del(P + 'x', 4));
    assert.equal(a.type, 'ADDED');
    assert.equal(a.prev, undefined);
    assert.equal(m.type, 'MODIFIED');
    assert.equal(m.prev.data.v, '1');
    assert.equal(m.obj.data.v, '2');
    assert.equal(d.type, 'DELETED');
    assert.equal(d.obj.metadata.resourceVersion, '4', 'a DELETED object carries the delete revision');
    assert.equal(d.prev.metadata.resourceVersion, '3');
    assert.equal(c.size, 0);
  });
});

describe('ResourceCache.watch', () => {
  function filled(capacity: number, from: number, to: number): ResourceCache {
    const c = new ResourceCache(P, capacity);
    c.setStart(from - 1);
    for (let r = from; r <= to; r++) c.apply(put(P + `k${r % 3}`, r));
    return c;
  }

  it('replays only events after the given revision, then live ones, in order', () => {
    const c = filled(100, 10, 14);
    const got: number[][] = [];
    const stop = c.watch(12, (evs) => got.push(rvs(evs)));
    assert.deepEqual(got, [[13, 14]]);
    const live = [c.apply(put(P + 'k9', 15)), c.apply(put(P + 'k9', 16))];
    c.notify(live);
    assert.deepEqual(got, [[13, 14], [15, 16]]);
    stop();
    c.notify([c.apply(put(P + 'k9', 17))]);
    assert.equal(got.length, 2, 'no delivery after unsubscribe');
  });

  it('a watch from the newest revision, or from the start revision, replays accordingly', () => {
    const c = filled(100, 10, 14);
    let calls = 0;
    c.watch(14, () => calls++);
    assert.equal(calls, 0);
    const all: number[] = [];
    c.watch(9, (evs) => all.push(...rvs(evs)));
    assert.deepEqual(all, [10, 11, 12, 13, 14]);
  });

  it('throws TooOldError below one before the oldest kept event, with Kubernetes numbers', () => {
    const c = filled(3, 10, 14); // keeps 12, 13, 14
    assert.equal(c.oldestRv, 11);
    assert.throws(
      () => c.watch(10, () => {}),
      (e: unknown) => e instanceof TooOldError && e.message === 'too old resource version: 10 (11)' && e.requested === 10 && e.oldest === 11,
    );
    const got: number[] = [];
    c.watch(11, (evs) => got.push(...rvs(evs)));
    assert.deepEqual(got, [12, 13, 14]);
  });

  it('before anything is dropped, the start revision is the oldest resumable one', () => {
    const c = filled(100, 10, 12);
    assert.equal(c.oldestRv, 9);
    assert.throws(() => c.watch(8, () => {}), TooOldError);
  });

  it('keeps replay exact while the bounded history wraps many times', () => {
    const c = filled(4, 1, 1000);
    assert.equal(c.oldestRv, 996);
    const got: number[] = [];
    c.watch(998, (evs) => got.push(...rvs(evs)));
    assert.deepEqual(got, [999, 1000]);
    assert.throws(() => c.watch(995, () => {}), TooOldError);
  });
});

describe('WatchCacheSet over SqliteStore', () => {
  it('loads existing keys into the caches, routing nested prefixes to the longest', async () => {
    const store = openStore();
    await store.create('/registry/a/one', json(obj('one')));
    await store.create('/registry/a/b/two', json(obj('two')));
    await store.create('/registry/other/three', json(obj('three')));
    const set = new WatchCacheSet(store);
    const a = set.add('/registry/a/');
    const ab = set.add('/registry/a/b/');
    await set.start();
    assert.deepEqual(keysOf(a.list()), ['/registry/a/one']);
    assert.deepEqual(keysOf(ab.list()), ['/registry/a/b/two']);
    assert.equal(set.rev, await store.currentRevision());
    assert.equal(a.get('/registry/a/one').metadata.resourceVersion, '1');
    set.stop();
    await store.close();
  });

  it('loads more keys than one start-up page holds', async () => {
    const store = openStore();
    const n = 5003;
    await Promise.all(Array.from({ length: n }, (_, i) => store.create(`/registry/p/${String(i).padStart(5, '0')}`, json(obj(`n${i}`)))));
    const set = new WatchCacheSet(store);
    const c = set.add('/registry/p/');
    await set.start();
    assert.equal(c.size, n);
    assert.equal(c.list().at(-1)!.key, '/registry/p/05002');
    set.stop();
    await store.close();
  });

  it('waitFor resolves only once the cache has the write; stop releases waiters', async () => {
    const store = openStore();
    const set = new WatchCacheSet(store);
    const c = set.add('/registry/x/');
    await set.start();
    await set.waitFor(0);
    const written = await store.create('/registry/x/a', json(obj('a')));
    await set.waitFor(written.modRevision);
    assert.equal(c.get('/registry/x/a').metadata.resourceVersion, String(written.modRevision));
    assert.ok(c.rev >= written.modRevision);

    let released = false;
    const pending = set.waitFor(written.modRevision + 100).then(() => (released = true));
    await new Promise((r) => setTimeout(r, 20));
    assert.equal(released, false);
    set.stop();
    await pending;
    assert.equal(released, true);
    await store.close();
  });

  it('advances every cache revision and tells onBatch listeners, even for writes to other resources', async () => {
    const store = openStore();
    const set = new WatchCacheSet(store);
    const x = set.add('/registry/x/');
    const y = set.add('/registry/y/');
    await set.start();
    const seen: string[] = [];
    set.onBatch.add((evs) => seen.push(...evs.map((e) => `${e.event.type} ${e.event.key}`)));
    const w = await store.create('/registry/y/q', json(obj('q')));
    await set.waitFor(w.modRevision);
    assert.equal(x.rev, w.modRevision, 'bookmarks of an idle resource still move forward');
    assert.equal(y.rev, w.modRevision);
    assert.deepEqual(seen, ['ADDED /registry/y/q']);
    set.stop();
    await store.close();
  });

  it('under concurrent load the cache equals the store and a watcher sees every event once, in order', async () => {
    const store = openStore();
    const set = new WatchCacheSet(store);
    const c = set.add('/registry/load/');
    await set.start();
    const start = c.rev;
    const events: CacheEvent[] = [];
    c.watch(start, (evs) => events.push(...evs));

    const keys = Array.from({ length: 40 }, (_, i) => `/registry/load/k${i}`);
    await Promise.all(keys.map((k) => store.create(k, json(obj(k, { data: { n: '0' } })))));
    // Concurrent read-modify-write chains per key, plus deletes of every fourth key.
    await Promise.all(
      keys.map(async (k, i) => {
        for (let n = 1; n <= 5; n++) {
          const cur = (await store.get(k))!;
          await store.update(k, json(obj(k, { data: { n: String(n) } })), cur.modRevision);
        }
        if (i % 4 === 0) await store.delete(k);
      }),
    );
    const rev = await store.currentRevision();
    await set.waitFor(rev);

    const listed = await store.list('/registry/load/');
    assert.deepEqual(
      c.list().map(({ key, obj: o }) => [key, o.metadata.resourceVersion, o.data.n]),
      listed.items.map((i) => [i.key, String(i.modRevision), JSON.parse(i.value.toString()).data.n]),
    );
    assert.equal(c.size, 30);
    assert.equal(events.length, 40 + 40 * 5 + 10);
    for (let i = 1; i < events.length; i++) assert.ok(events[i].rv > events[i - 1].rv, `event ${i} out of order`);
    assert.equal(events.at(-1)!.rv, rev);
    assert.deepEqual(
      [...new Set(events.map((e) => e.type))].sort(),
      ['ADDED', 'DELETED', 'MODIFIED'],
    );
    set.stop();
    await store.close();
  });
});
