// Backend-agnostic conformance suite for the Store contract. Every backend
// (SQLite now, etcd later) runs exactly these tests. Each test gets a fresh
// store from the factory and works under its own unique key root, so a
// backend that shares state between tests (a long-lived etcd) still passes.

import { describe, it, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import {
  CompactedError,
  KeyExistsError,
  KeyNotFoundError,
  RevisionConflictError,
  type KeyValue,
  type Store,
  type WatchEvent,
  type Watcher,
} from './store.js';

export interface StoreHandle {
  store: Store;
  /** Closes the current store and opens a new one over the same data. */
  reopen?: () => Promise<Store>;
  /**
   * Discards history at or below `revision`: afterwards compactRevision() is
   * `revision`, watching from `revision` still works and from below it fails.
   */
  compact?: (revision: number) => Promise<void>;
  /** Closes whatever store is current and removes its data. */
  cleanup: () => Promise<void>;
}

export type StoreFactory = () => Promise<StoreHandle>;

interface Ctx {
  store: Store;
  /** Unique key root for this test, e.g. "/suite/123-4". */
  root: string;
  handle: StoreHandle;
  watch(prefix: string, from: number): Collector;
  reopen(): Promise<Store>;
}

const buf = (s: string) => Buffer.from(s, 'utf8');
const text = (kv: KeyValue | undefined) => kv?.value.toString('utf8');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A KeyValue in a form deepEqual can compare (values as UTF-8 text). */
function plainKv(kv: KeyValue | undefined) {
  if (!kv) return undefined;
  return { key: kv.key, value: text(kv), createRevision: kv.createRevision, modRevision: kv.modRevision };
}

function plainEvent(e: WatchEvent) {
  return {
    type: e.type,
    revision: e.revision,
    created: e.created,
    kv: plainKv(e.kv),
    prevKv: plainKv(e.prevKv),
  };
}

async function rejection(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (error) {
    return error;
  }
  assert.fail('expected the promise to reject');
}

/** Records what one watcher receives and checks the batch invariants on the fly. */
class Collector {
  readonly calls: WatchEvent[][] = [];
  readonly problems: string[] = [];
  readonly watcher: Watcher;
  private lastRevision = -Infinity;
  private waiters: { check: () => void }[] = [];

  constructor(store: Store, readonly prefix: string, from: number) {
    this.watcher = store.watch(prefix, from, (events) => this.receive(events));
  }

  get events(): WatchEvent[] {
    return this.calls.flat();
  }

  get revisions(): number[] {
    return this.events.map((e) => e.revision);
  }

  private receive(events: WatchEvent[]): void {
    if (!Array.isArray(events) || events.length === 0) this.problems.push('callback got an empty batch');
    for (const e of events) {
      if (!(e.revision > this.lastRevision)) this.problems.push(`revision ${e.revision} after ${this.lastRevision}`);
      this.lastRevision = e.revision;
      if (!e.kv.key.startsWith(this.prefix)) this.problems.push(`key ${e.kv.key} outside prefix ${this.prefix}`);
    }
    this.calls.push([...events]);
    for (const w of [...this.waiters]) w.check();
  }

  /** Resolves once pred holds for the events received so far. */
  waitFor(pred: (events: WatchEvent[]) => boolean, what: string, timeoutMs = 5000): Promise<void> {
    return new Promise((resolve, reject) => {
      const waiter = {
        check: () => {
          if (!pred(this.events)) return;
          clearTimeout(timer);
          this.waiters = this.waiters.filter((w) => w !== waiter);
          resolve();
        },
      };
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(new Error(`timed out waiting for ${what}; got revisions [${this.revisions.join(', ')}]`));
      }, timeoutMs);
      this.waiters.push(waiter);
      waiter.check();
    });
  }

  waitForRevision(revision: number): Promise<void> {
    return this.waitFor((evs) => evs.some((e) => e.revision >= revision), `revision ${revision}`);
  }

  assertHealthy(): void {
    assert.deepEqual(this.problems, []);
  }
}

let rootSeq = 0;

export function runStoreSuite(name: string, makeStore: StoreFactory): void {
  /** Declares a test that gets a fresh store and always cleans up. */
  function storeTest(
    title: string,
    body: (ctx: Ctx, t: TestContext) => Promise<void>,
    needs: { reopen?: boolean; compact?: boolean } = {},
  ): void {
    it(title, async (t) => {
      const handle = await makeStore();
      const collectors: Collector[] = [];
      const ctx: Ctx = {
        store: handle.store,
        root: `/suite/${process.pid}-${Date.now().toString(36)}-${rootSeq++}`,
        handle,
        watch(prefix, from) {
          const c = new Collector(ctx.store, prefix, from);
          collectors.push(c);
          return c;
        },
        async reopen() {
          assert.ok(handle.reopen, 'backend cannot reopen');
          for (const c of collectors.splice(0)) c.watcher.cancel();
          ctx.store = await handle.reopen();
          return ctx.store;
        },
      };
      try {
        if (needs.reopen && !handle.reopen) return t.skip('backend has no reopen');
        if (needs.compact && !handle.compact) return t.skip('backend has no compact hook');
        await body(ctx, t);
        for (const c of collectors) c.assertHealthy();
      } finally {
        for (const c of collectors) c.watcher.cancel();
        await handle.cleanup();
      }
    });
  }

  describe(`${name}: Store contract`, () => {
    describe('create and get', () => {
      storeTest('create returns the stored value with createRevision = modRevision = a new revision', async ({ store, root }) => {
        const before = await store.currentRevision();
        const kv = await store.create(`${root}/a`, buf('{"n":1}'));
        assert.ok(Buffer.isBuffer(kv.value));
        assert.equal(kv.key, `${root}/a`);
        assert.equal(text(kv), '{"n":1}');
        assert.ok(kv.modRevision > before, `revision ${kv.modRevision} should exceed ${before}`);
        assert.equal(kv.createRevision, kv.modRevision);
        assert.equal(await store.currentRevision(), kv.modRevision);
        assert.deepEqual(plainKv(await store.get(`${root}/a`)), plainKv(kv));
      });

      storeTest('get of a missing key is undefined', async ({ store, root }) => {
        assert.equal(await store.get(`${root}/missing`), undefined);
        await store.create(`${root}/missing-not`, buf('x'));
        assert.equal(await store.get(`${root}/missing`), undefined);
        assert.equal(await store.get(`${root}/missing-no`), undefined, 'get must not prefix-match');
      });

      storeTest('values round-trip byte-exact (binary, UTF-8, empty)', async ({ store, root }) => {
        const binary = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
        const utf8 = buf('{"name":"café ☕ 😀"}');
        await store.create(`${root}/bin`, binary);
        await store.create(`${root}/utf8`, utf8);
        await store.create(`${root}/empty`, Buffer.alloc(0));
        assert.ok((await store.get(`${root}/bin`))!.value.equals(binary));
        assert.ok((await store.get(`${root}/utf8`))!.value.equals(utf8));
        const empty = await store.get(`${root}/empty`);
        assert.ok(empty && Buffer.isBuffer(empty.value));
        assert.equal(empty.value.length, 0);
      });

      storeTest('create of an existing key fails with KeyExistsError and changes nothing', async ({ store, root }) => {
        const first = await store.create(`${root}/a`, buf('one'));
        const rev = await store.currentRevision();
        const err = await rejection(store.create(`${root}/a`, buf('two')));
        assert.ok(err instanceof KeyExistsError, `got ${String(err)}`);
        assert.equal(err.key, `${root}/a`);
        assert.deepEqual(plainKv(await store.get(`${root}/a`)), plainKv(first));
        assert.equal(await store.currentRevision(), rev);
      });
    });

    describe('update', () => {
      storeTest('update without a precondition bumps modRevision and keeps createRevision', async ({ store, root }) => {
        const created = await store.create(`${root}/a`, buf('v1'));
        const updated = await store.update(`${root}/a`, buf('v2'));
        assert.equal(text(updated), 'v2');
        assert.equal(updated.createRevision, created.createRevision);
        assert.ok(updated.modRevision > created.modRevision);
        assert.deepEqual(plainKv(await store.get(`${root}/a`)), plainKv(updated));
      });

      storeTest('update with the matching expectedModRevision succeeds', async ({ store, root }) => {
        const created = await store.create(`${root}/a`, buf('v1'));
        const u1 = await store.update(`${root}/a`, buf('v2'), created.modRevision);
        const u2 = await store.update(`${root}/a`, buf('v3'), u1.modRevision);
        assert.equal(text(await store.get(`${root}/a`)), 'v3');
        assert.ok(u2.modRevision > u1.modRevision);
        assert.equal(u2.createRevision, created.createRevision);
      });

      storeTest('update with a stale expectedModRevision fails with RevisionConflictError', async ({ store, root }) => {
        const created = await store.create(`${root}/a`, buf('v1'));
        const u1 = await store.update(`${root}/a`, buf('v2'));
        const rev = await store.currentRevision();
        const err = await rejection(store.update(`${root}/a`, buf('v3'), created.modRevision));
        assert.ok(err instanceof RevisionConflictError, `got ${String(err)}`);
        assert.equal(err.key, `${root}/a`);
        assert.equal(err.expected, created.modRevision);
        assert.equal(err.actual, u1.modRevision);
        assert.deepEqual(plainKv(await store.get(`${root}/a`)), plainKv(u1));
        assert.equal(await store.currentRevision(), rev);
      });

      storeTest('update of a missing key fails with KeyNotFoundError, with or without a precondition', async ({ store, root }) => {
        await store.create(`${root}/other`, buf('x'));
        const rev = await store.currentRevision();
        const e1 = await rejection(store.update(`${root}/a`, buf('v')));
        assert.ok(e1 instanceof KeyNotFoundError, `got ${String(e1)}`);
        assert.equal(e1.key, `${root}/a`);
        const e2 = await rejection(store.update(`${root}/a`, buf('v'), rev));
        assert.ok(e2 instanceof KeyNotFoundError, `got ${String(e2)}`);
        assert.equal(await store.get(`${root}/a`), undefined);
        assert.equal(await store.currentRevision(), rev);
      });
    });

    describe('delete', () => {
      storeTest('delete returns the last value with modRevision = the delete revision', async ({ store, root }) => {
        const created = await store.create(`${root}/a`, buf('v1'));
        const updated = await store.update(`${root}/a`, buf('v2'));
        const deleted = await store.delete(`${root}/a`);
        assert.equal(deleted.key, `${root}/a`);
        assert.equal(text(deleted), 'v2');
        assert.equal(deleted.createRevision, created.createRevision);
        assert.ok(deleted.modRevision > updated.modRevision);
        assert.equal(await store.currentRevision(), deleted.modRevision);
        assert.equal(await store.get(`${root}/a`), undefined);
      });

      storeTest('delete of a missing key fails with KeyNotFoundError', async ({ store, root }) => {
        const other = await store.create(`${root}/other`, buf('x'));
        const e1 = await rejection(store.delete(`${root}/a`));
        assert.ok(e1 instanceof KeyNotFoundError, `got ${String(e1)}`);
        assert.equal(e1.key, `${root}/a`);
        const e2 = await rejection(store.delete(`${root}/a`, other.modRevision));
        assert.ok(e2 instanceof KeyNotFoundError, `got ${String(e2)}`);
        assert.equal(await store.currentRevision(), other.modRevision);
      });

      storeTest('delete twice: the second fails with KeyNotFoundError', async ({ store, root }) => {
        await store.create(`${root}/a`, buf('v1'));
        const deleted = await store.delete(`${root}/a`);
        const err = await rejection(store.delete(`${root}/a`));
        assert.ok(err instanceof KeyNotFoundError, `got ${String(err)}`);
        assert.equal(await store.currentRevision(), deleted.modRevision);
      });

      storeTest('delete with a stale expectedModRevision fails and keeps the key; the current one succeeds', async ({ store, root }) => {
        const created = await store.create(`${root}/a`, buf('v1'));
        const updated = await store.update(`${root}/a`, buf('v2'));
        const err = await rejection(store.delete(`${root}/a`, created.modRevision));
        assert.ok(err instanceof RevisionConflictError, `got ${String(err)}`);
        assert.equal(err.expected, created.modRevision);
        assert.equal(err.actual, updated.modRevision);
        assert.deepEqual(plainKv(await store.get(`${root}/a`)), plainKv(updated));
        const deleted = await store.delete(`${root}/a`, updated.modRevision);
        assert.equal(text(deleted), 'v2');
        assert.equal(await store.get(`${root}/a`), undefined);
      });

      storeTest('recreating a deleted key starts a new incarnation', async ({ store, root }) => {
        const first = await store.create(`${root}/a`, buf('v1'));
        const deleted = await store.delete(`${root}/a`);
        const again = await store.create(`${root}/a`, buf('v2'));
        assert.ok(again.createRevision > deleted.modRevision);
        assert.equal(again.createRevision, again.modRevision);
        assert.notEqual(again.createRevision, first.createRevision);
        const updated = await store.update(`${root}/a`, buf('v3'));
        assert.equal(updated.createRevision, again.createRevision);
      });
    });

    describe('revisions', () => {
      storeTest('revisions are strictly increasing and shared across keys', async ({ store, root }) => {
        const revs = [
          (await store.create(`${root}/a`, buf('1'))).modRevision,
          (await store.create(`${root}/b`, buf('1'))).modRevision,
          (await store.update(`${root}/a`, buf('2'))).modRevision,
          (await store.create(`${root}/other/c`, buf('1'))).modRevision,
          (await store.delete(`${root}/b`)).modRevision,
          (await store.update(`${root}/a`, buf('3'))).modRevision,
        ];
        for (let i = 1; i < revs.length; i++) assert.ok(revs[i] > revs[i - 1], `revisions ${revs.join(',')}`);
        assert.equal(await store.currentRevision(), revs[revs.length - 1]);
        assert.equal((await store.get(`${root}/a`))!.modRevision, revs[5]);
      });

      storeTest('failed writes do not advance the revision', async ({ store, root }) => {
        const a = await store.create(`${root}/a`, buf('1'));
        await rejection(store.create(`${root}/a`, buf('2')));
        await rejection(store.update(`${root}/nope`, buf('2')));
        await rejection(store.update(`${root}/a`, buf('2'), a.modRevision + 1000));
        await rejection(store.delete(`${root}/nope`));
        await rejection(store.delete(`${root}/a`, a.modRevision + 1000));
        assert.equal(await store.currentRevision(), a.modRevision);
        const b = await store.create(`${root}/b`, buf('1'));
        assert.ok(b.modRevision > a.modRevision);
      });

      storeTest('compactRevision is never beyond the current revision', async ({ store, root }) => {
        await store.create(`${root}/a`, buf('1'));
        const rev = await store.currentRevision();
        assert.equal(typeof store.compactRevision(), 'number');
        assert.ok(store.compactRevision() >= 0 && store.compactRevision() <= rev);
      });
    });

    describe('list', () => {
      storeTest('lists keys under the prefix ascending by key, at the current revision', async ({ store, root }) => {
        const p = `${root}/registry/pods/default/`;
        const made = new Map<string, KeyValue>();
        for (const n of ['web-3', 'web-1', 'web-10', 'web-2', 'Web-0']) {
          made.set(n, await store.create(p + n, buf(`{"name":"${n}"}`)));
        }
        const res = await store.list(p);
        assert.deepEqual(
          res.items.map((kv) => kv.key),
          ['Web-0', 'web-1', 'web-10', 'web-2', 'web-3'].map((n) => p + n),
        );
        for (const kv of res.items) assert.deepEqual(plainKv(kv), plainKv(made.get(kv.key.slice(p.length))));
        assert.equal(res.more, false);
        assert.equal(res.revision, await store.currentRevision());
      });

      storeTest('prefix matching is exact: "/default/" does not match "/default2/"', async ({ store, root }) => {
        const keys = [
          `${root}/registry/pods/default/a`,
          `${root}/registry/pods/default/b`,
          `${root}/registry/pods/default2/a`,
          `${root}/registry/pods/default-x/a`,
          `${root}/registry/pods/defaul`,
          `${root}/registry/pods/default`,
          `${root}/registry/pods/kube-system/a`,
          `${root}/registry/podsx/default/a`,
        ];
        for (const k of keys) await store.create(k, buf('{}'));
        const keysOf = async (prefix: string) => (await store.list(prefix)).items.map((kv) => kv.key);
        assert.deepEqual(await keysOf(`${root}/registry/pods/default/`), keys.slice(0, 2));
        assert.deepEqual(await keysOf(`${root}/registry/pods/default2/`), [keys[2]]);
        assert.deepEqual((await keysOf(`${root}/registry/pods/`)).length, 7);
        assert.deepEqual(await keysOf(`${root}/registry/podsx/`), [keys[7]]);
      });

      storeTest('prefixes with SQL wildcard and escape characters are matched literally', async ({ store, root }) => {
        const keys = [
          `${root}/a_b/1`,
          `${root}/aXb/1`,
          `${root}/p%/1`,
          `${root}/pzz/1`,
          `${root}/q\\/1`,
          `${root}/q\\x/1`,
          `${root}/r'"/1`,
        ];
        for (const k of keys) await store.create(k, buf('{}'));
        const keysOf = async (prefix: string) => (await store.list(prefix)).items.map((kv) => kv.key);
        assert.deepEqual(await keysOf(`${root}/a_b/`), [`${root}/a_b/1`]);
        assert.deepEqual(await keysOf(`${root}/p%/`), [`${root}/p%/1`]);
        assert.deepEqual(await keysOf(`${root}/q\\/`), [`${root}/q\\/1`]);
        assert.deepEqual(await keysOf(`${root}/r'"/`), [`${root}/r'"/1`]);
      });

      storeTest('non-ASCII prefixes and keys (including astral and U+FFFF) match exactly', async ({ store, root }) => {
        const inside = [`${root}/ü/a`, `${root}/ü/\uffff`, `${root}/ü/😀`, `${root}/ü/\u{10ffff}z`];
        const outside = [`${root}/ü0`, `${root}/üa/x`, `${root}/u/a`, `${root}/ý/a`];
        for (const k of [...outside, ...inside]) await store.create(k, buf('{}'));
        const got = (await store.list(`${root}/ü/`)).items.map((kv) => kv.key);
        assert.deepEqual(new Set(got), new Set(inside));
        assert.equal(got.length, 4);
      });

      storeTest('limit pages through all keys with more, resuming after startAfter', async ({ store, root }) => {
        const p = `${root}/items/`;
        const all = Array.from({ length: 7 }, (_, i) => `${p}k${i}`);
        for (const k of all) await store.create(k, buf(k));
        await store.create(`${root}/items0`, buf('outside'));
        const rev = await store.currentRevision();

        const page1 = await store.list(p, { limit: 3 });
        assert.deepEqual(page1.items.map((kv) => kv.key), all.slice(0, 3));
        assert.equal(page1.more, true);
        assert.equal(page1.revision, rev);
        const page2 = await store.list(p, { limit: 3, startAfter: page1.items[2].key });
        assert.deepEqual(page2.items.map((kv) => kv.key), all.slice(3, 6));
        assert.equal(page2.more, true);
        const page3 = await store.list(p, { limit: 3, startAfter: page2.items[2].key });
        assert.deepEqual(page3.items.map((kv) => kv.key), all.slice(6));
        assert.equal(page3.more, false);

        const exact = await store.list(p, { limit: 7 });
        assert.equal(exact.items.length, 7);
        assert.equal(exact.more, false, 'limit equal to the number of keys leaves nothing more');
        const exactTail = await store.list(p, { limit: 4, startAfter: all[2] });
        assert.deepEqual(exactTail.items.map((kv) => kv.key), all.slice(3));
        assert.equal(exactTail.more, false);
        const unlimited = await store.list(p, { limit: 0 });
        assert.equal(unlimited.items.length, 7);
        assert.equal(unlimited.more, false);
        const one = await store.list(p, { limit: 1 });
        assert.deepEqual(one.items.map((kv) => kv.key), [all[0]]);
        assert.equal(one.more, true);
      });

      storeTest('startAfter is exclusive and may be any string', async ({ store, root }) => {
        const p = `${root}/items/`;
        for (const n of ['a', 'c', 'e']) await store.create(p + n, buf(n));
        const keysOf = async (startAfter: string) =>
          (await store.list(p, { startAfter })).items.map((kv) => kv.key.slice(p.length));
        assert.deepEqual(await keysOf(`${p}a`), ['c', 'e']);
        assert.deepEqual(await keysOf(`${p}b`), ['c', 'e'], 'a startAfter that is not a key');
        assert.deepEqual(await keysOf(`${p}e`), []);
        assert.deepEqual(await keysOf(`${p}zzz`), []);
        assert.deepEqual(await keysOf(''), ['a', 'c', 'e'], 'a startAfter before the prefix');
        assert.deepEqual(await keysOf(`${root}/`), ['a', 'c', 'e']);
        const past = await store.list(p, { startAfter: `${root}/itemz`, limit: 2 });
        assert.deepEqual(past.items, []);
        assert.equal(past.more, false);
      });

      storeTest('an empty prefix range gives no items, more=false and the current revision', async ({ store, root }) => {
        await store.create(`${root}/a/x`, buf('1'));
        const res = await store.list(`${root}/b/`, { limit: 10 });
        assert.deepEqual(res.items, []);
        assert.equal(res.more, false);
        assert.equal(res.revision, await store.currentRevision());
      });

      storeTest('list reflects updates and deletes, and its revision moves with writes elsewhere', async ({ store, root }) => {
        const p = `${root}/l/`;
        await store.create(`${p}a`, buf('a1'));
        await store.create(`${p}b`, buf('b1'));
        const a2 = await store.update(`${p}a`, buf('a2'));
        await store.delete(`${p}b`);
        const other = await store.create(`${root}/elsewhere`, buf('x'));
        const res = await store.list(p);
        assert.deepEqual(res.items.map(plainKv), [plainKv(a2)]);
        assert.equal(res.revision, other.modRevision);
      });
    });

    describe('watch', () => {
      storeTest('from the current revision: only later events, with created, prevKv and DELETE values', async (ctx) => {
        const { store, root } = ctx;
        const p = `${root}/w/`;
        const a1 = await store.create(`${p}a`, buf('a1'));
        const from = await store.currentRevision();
        const c = ctx.watch(p, from);
        const b1 = await store.create(`${p}b`, buf('b1'));
        const a2 = await store.update(`${p}a`, buf('a2'));
        const bDel = await store.delete(`${p}b`);
        await c.waitForRevision(bDel.modRevision);
        assert.deepEqual(c.events.map(plainEvent), [
          { type: 'PUT', revision: b1.modRevision, created: true, kv: plainKv(b1), prevKv: undefined },
          { type: 'PUT', revision: a2.modRevision, created: false, kv: plainKv(a2), prevKv: plainKv(a1) },
          {
            type: 'DELETE',
            revision: bDel.modRevision,
            created: false,
            kv: { key: `${p}b`, value: 'b1', createRevision: b1.createRevision, modRevision: bDel.modRevision },
            prevKv: plainKv(b1),
          },
        ]);
      });

      storeTest('from 0: replays the whole history of the prefix, then live events', async (ctx) => {
        const { store, root } = ctx;
        const p = `${root}/w/`;
        const a1 = await store.create(`${p}a`, buf('a1'));
        await store.create(`${root}/other`, buf('x'));
        const a2 = await store.update(`${p}a`, buf('a2'));
        const aDel = await store.delete(`${p}a`);
        const c = ctx.watch(p, 0);
        await c.waitForRevision(aDel.modRevision);
        const b1 = await store.create(`${p}b`, buf('b1'));
        await c.waitForRevision(b1.modRevision);
        assert.deepEqual(c.events.map(plainEvent), [
          { type: 'PUT', revision: a1.modRevision, created: true, kv: plainKv(a1), prevKv: undefined },
          { type: 'PUT', revision: a2.modRevision, created: false, kv: plainKv(a2), prevKv: plainKv(a1) },
          {
            type: 'DELETE',
            revision: aDel.modRevision,
            created: false,
            kv: { key: `${p}a`, value: 'a2', createRevision: a1.createRevision, modRevision: aDel.modRevision },
            prevKv: plainKv(a2),
          },
          { type: 'PUT', revision: b1.modRevision, created: true, kv: plainKv(b1), prevKv: undefined },
        ]);
      });

      storeTest('from a past revision: replays only the events after it', async (ctx) => {
        const { store, root } = ctx;
        const p = `${root}/w/`;
        const r1 = await store.create(`${p}a`, buf('1'));
        const r2 = await store.update(`${p}a`, buf('2'));
        const r3 = await store.create(`${p}b`, buf('1'));
        const r4 = await store.update(`${p}a`, buf('3'));
        const c = ctx.watch(p, r2.modRevision);
        await c.waitForRevision(r4.modRevision);
        const r5 = await store.delete(`${p}b`);
        await c.waitForRevision(r5.modRevision);
        assert.deepEqual(c.revisions, [r3.modRevision, r4.modRevision, r5.modRevision]);
        assert.deepEqual(plainKv(c.events[1].prevKv), plainKv(r2));
        assert.ok(r1.modRevision < r2.modRevision);
      });

      storeTest('filters by prefix exactly, for replayed and live events', async (ctx) => {
        const { store, root } = ctx;
        const p = `${root}/registry/pods/default/`;
        const from = await store.currentRevision();
        await store.create(`${root}/registry/pods/default2/x`, buf('no'));
        const replayed = await store.create(`${p}x`, buf('yes'));
        await store.create(`${root}/registry/pods/defaul`, buf('no'));
        const c = ctx.watch(p, from);
        await store.create(`${root}/registry/pods/default-2/y`, buf('no'));
        await store.create(`${root}/registry/pods/default`, buf('no'));
        const live = await store.create(`${p}y`, buf('yes'));
        await c.waitForRevision(live.modRevision);
        assert.deepEqual(
          c.events.map((e) => e.kv.key),
          [`${p}x`, `${p}y`],
        );
        assert.deepEqual(c.revisions, [replayed.modRevision, live.modRevision]);
      });

      storeTest('replay and live events join without gaps or duplicates under concurrent writes', async (ctx) => {
        const { store, root } = ctx;
        const p = `${root}/busy/`;
        const revs: number[] = [];
        let next = 0;
        const total = 240;
        let watchFrom = -1;
        let c: Collector | undefined;
        const worker = async () => {
          while (next < total) {
            const i = next++;
            const key = `${p}k${i % 30}`;
            const kv =
              i < 30 ? await store.create(key, buf(`v${i}`)) : await store.update(key, buf(`v${i}`));
            revs.push(kv.modRevision);
            await store.create(`${root}/noise/${i}`, buf('n')); // revisions outside the prefix
            if (i === 60) watchFrom = kv.modRevision;
            if (i === 120) c = ctx.watch(p, watchFrom); // opened mid-stream, from the past
          }
        };
        await Promise.all([worker(), worker(), worker(), worker()]);
        assert.ok(c, 'watch was opened');
        const expected = revs.filter((r) => r > watchFrom).sort((x, y) => x - y);
        await c.waitForRevision(expected[expected.length - 1]);
        assert.deepEqual(c.revisions, expected);
      });

      storeTest('each callback gets a non-empty batch of events in revision order', async (ctx) => {
        const { store, root } = ctx;
        const p = `${root}/b/`;
        const c = ctx.watch(p, await store.currentRevision());
        const results = await Promise.all(Array.from({ length: 20 }, (_, i) => store.create(`${p}${i}`, buf('x'))));
        const max = Math.max(...results.map((kv) => kv.modRevision));
        await c.waitForRevision(max);
        assert.ok(c.calls.length >= 1 && c.calls.length <= 20);
        assert.equal(c.events.length, 20);
        assert.deepEqual(c.revisions, results.map((kv) => kv.modRevision).sort((x, y) => x - y));
        c.assertHealthy();
      });

      storeTest('cancel stops delivery, even before a pending replay is delivered', async (ctx) => {
        const { store, root } = ctx;
        const p = `${root}/c/`;
        await store.create(`${p}old`, buf('x'));
        const early = ctx.watch(p, 0);
        early.watcher.cancel(); // same tick: its replay must not arrive
        const c = ctx.watch(p, await store.currentRevision());
        const x = await store.create(`${p}x`, buf('x'));
        await c.waitForRevision(x.modRevision);
        c.watcher.cancel();
        c.watcher.cancel(); // idempotent
        const probe = ctx.watch(p, x.modRevision);
        const y = await store.create(`${p}y`, buf('y'));
        await probe.waitForRevision(y.modRevision);
        await sleep(30);
        assert.deepEqual(c.revisions, [x.modRevision]);
        assert.deepEqual(early.calls, []);
      });

      storeTest('watchers on different prefixes are independent', async (ctx) => {
        const { store, root } = ctx;
        const from = await store.currentRevision();
        const pods = ctx.watch(`${root}/pods/`, from);
        const svcs = ctx.watch(`${root}/services/`, from);
        const all = ctx.watch(`${root}/`, from);
        const p1 = await store.create(`${root}/pods/a`, buf('1'));
        const s1 = await store.create(`${root}/services/a`, buf('1'));
        const p2 = await store.update(`${root}/pods/a`, buf('2'));
        await all.waitForRevision(p2.modRevision);
        await pods.waitForRevision(p2.modRevision);
        await svcs.waitForRevision(s1.modRevision);
        assert.deepEqual(pods.revisions, [p1.modRevision, p2.modRevision]);
        assert.deepEqual(svcs.revisions, [s1.modRevision]);
        assert.deepEqual(all.revisions, [p1.modRevision, s1.modRevision, p2.modRevision]);
      });

      storeTest(
        'after compaction, watching from before the compact revision throws CompactedError synchronously',
        async (ctx) => {
          const { store, root, handle } = ctx;
          const p = `${root}/k/`;
          const w: KeyValue[] = [];
          for (let i = 0; i < 5; i++) w.push(await store.create(`${p}${i}`, buf(`v${i}`)));
          const target = w[2].modRevision;
          await handle.compact!(target);
          assert.equal(store.compactRevision(), target);

          let err: unknown;
          try {
            store.watch(p, target - 1, () => {});
          } catch (e) {
            err = e;
          }
          assert.ok(err instanceof CompactedError, `got ${String(err)}`);
          assert.equal(err.requested, target - 1);
          assert.equal(err.compactRevision, target);
          assert.throws(() => store.watch(p, 0, () => {}), CompactedError);

          const c = ctx.watch(p, target);
          await c.waitForRevision(w[4].modRevision);
          assert.deepEqual(c.revisions, [w[3].modRevision, w[4].modRevision]);
          // Compaction only drops history; current data is untouched.
          assert.deepEqual(plainKv(await store.get(`${p}0`)), plainKv(w[0]));
          assert.equal((await store.list(p)).items.length, 5);
        },
        { compact: true },
      );
    });

    describe('concurrency', () => {
      storeTest('concurrent creates of the same key: exactly one wins', async ({ store, root }) => {
        const key = `${root}/race`;
        const results = await Promise.allSettled(Array.from({ length: 20 }, (_, i) => store.create(key, buf(`v${i}`))));
        const won = results.filter((r): r is PromiseFulfilledResult<KeyValue> => r.status === 'fulfilled');
        const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
        assert.equal(won.length, 1);
        assert.equal(lost.length, 19);
        for (const r of lost) assert.ok(r.reason instanceof KeyExistsError, `got ${String(r.reason)}`);
        assert.deepEqual(plainKv(await store.get(key)), plainKv(won[0].value));
      });

      storeTest('concurrent compare-and-swap updates from the same revision: exactly one wins', async ({ store, root }) => {
        const key = `${root}/cas`;
        const base = await store.create(key, buf('base'));
        const results = await Promise.allSettled(
          Array.from({ length: 10 }, (_, i) => store.update(key, buf(`v${i}`), base.modRevision)),
        );
        const won = results.filter((r): r is PromiseFulfilledResult<KeyValue> => r.status === 'fulfilled');
        assert.equal(won.length, 1);
        for (const r of results) {
          if (r.status === 'fulfilled') continue;
          assert.ok(r.reason instanceof RevisionConflictError, `got ${String(r.reason)}`);
          assert.equal(r.reason.actual, won[0].value.modRevision);
        }
        assert.deepEqual(plainKv(await store.get(key)), plainKv(won[0].value));
      });

      storeTest('concurrent creates of distinct keys all succeed with distinct revisions', async ({ store, root }) => {
        const p = `${root}/many/`;
        const results = await Promise.all(
          Array.from({ length: 100 }, (_, i) => store.create(`${p}${String(i).padStart(3, '0')}`, buf(`${i}`))),
        );
        assert.equal(new Set(results.map((kv) => kv.modRevision)).size, 100);
        const listed = await store.list(p);
        assert.equal(listed.items.length, 100);
        assert.equal(listed.revision, Math.max(...results.map((kv) => kv.modRevision)));
        assert.equal(text(listed.items[42]), '42');
      });

      storeTest('a failing write does not fail the writes issued alongside it', async ({ store, root }) => {
        const existing = await store.create(`${root}/existing`, buf('e'));
        const ops = await Promise.allSettled([
          store.create(`${root}/a`, buf('a')),
          store.create(`${root}/existing`, buf('dup')),
          store.update(`${root}/missing`, buf('m')),
          store.update(`${root}/existing`, buf('stale'), existing.modRevision + 999),
          store.delete(`${root}/missing`),
          store.create(`${root}/b`, buf('b')),
          store.update(`${root}/existing`, buf('e2'), existing.modRevision),
        ]);
        assert.deepEqual(
          ops.map((r) => r.status),
          ['fulfilled', 'rejected', 'rejected', 'rejected', 'rejected', 'fulfilled', 'fulfilled'],
        );
        const reasons = ops.map((r) => (r.status === 'rejected' ? r.reason : undefined));
        assert.ok(reasons[1] instanceof KeyExistsError);
        assert.ok(reasons[2] instanceof KeyNotFoundError);
        assert.ok(reasons[3] instanceof RevisionConflictError);
        assert.ok(reasons[4] instanceof KeyNotFoundError);
        assert.equal(text(await store.get(`${root}/a`)), 'a');
        assert.equal(text(await store.get(`${root}/b`)), 'b');
        assert.equal(text(await store.get(`${root}/existing`)), 'e2');
      });
    });

    describe('reopen', () => {
      storeTest(
        'data, revisions and history survive a reopen and the revision keeps increasing',
        async (ctx) => {
          const p = `${ctx.root}/r/`;
          const a1 = await ctx.store.create(`${p}a`, buf('a1'));
          const b1 = await ctx.store.create(`${p}b`, buf('b1'));
          const a2 = await ctx.store.update(`${p}a`, buf('a2'));
          const bDel = await ctx.store.delete(`${p}b`);
          const rev = await ctx.store.currentRevision();
          assert.equal(rev, bDel.modRevision);

          const store = await ctx.reopen();
          assert.equal(await store.currentRevision(), rev);
          assert.deepEqual(plainKv(await store.get(`${p}a`)), plainKv(a2));
          assert.equal(await store.get(`${p}b`), undefined);
          const listed = await store.list(p);
          assert.deepEqual(listed.items.map(plainKv), [plainKv(a2)]);
          assert.equal(listed.revision, rev);

          const c = ctx.watch(p, a1.modRevision - 1);
          await c.waitForRevision(rev);
          assert.deepEqual(c.revisions, [a1.modRevision, b1.modRevision, a2.modRevision, bDel.modRevision]);
          assert.equal(c.events[3].type, 'DELETE');
          assert.equal(text(c.events[3].kv), 'b1');

          const c1 = await store.create(`${p}c`, buf('c1'));
          assert.ok(c1.modRevision > rev);
          await c.waitForRevision(c1.modRevision);
        },
        { reopen: true },
      );

      storeTest(
        'a revision is never reused after reopen, even when the last write was a delete',
        async (ctx) => {
          await ctx.store.create(`${ctx.root}/x`, buf('x'));
          const del = await ctx.store.delete(`${ctx.root}/x`);
          const store = await ctx.reopen();
          assert.equal(await store.currentRevision(), del.modRevision);
          const again = await store.create(`${ctx.root}/x`, buf('x2'));
          assert.ok(again.modRevision > del.modRevision);
          assert.equal(again.createRevision, again.modRevision);
        },
        { reopen: true },
      );

      storeTest(
        'the compact revision survives a reopen',
        async (ctx) => {
          const w: KeyValue[] = [];
          for (let i = 0; i < 4; i++) w.push(await ctx.store.create(`${ctx.root}/k${i}`, buf('v')));
          await ctx.handle.compact!(w[1].modRevision);
          const store = await ctx.reopen();
          assert.equal(store.compactRevision(), w[1].modRevision);
          assert.throws(() => store.watch(`${ctx.root}/`, w[0].modRevision, () => {}), CompactedError);
          const c = ctx.watch(`${ctx.root}/`, w[1].modRevision);
          await c.waitForRevision(w[3].modRevision);
          assert.deepEqual(c.revisions, [w[2].modRevision, w[3].modRevision]);
        },
        { reopen: true, compact: true },
      );
    });
  });
}
