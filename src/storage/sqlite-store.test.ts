import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { SqliteStore, prefixEnd, type SqliteStoreOptions } from './sqlite-store.js';
import { runStoreSuite } from './store-suite.js';
import { CompactedError, KeyExistsError, type WatchEvent } from './store.js';

const buf = (s: string) => Buffer.from(s, 'utf8');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function tempDbPath(): { path: string; dir: string } {
  const dir = mkdtempSync(join(tmpdir(), 'skiff-sqlite-'));
  return { dir, path: join(dir, 'store.db') };
}

/** Opens a store on a fresh temp file; `done` closes it and removes the dir. */
function freshStore(opts?: SqliteStoreOptions) {
  const { dir, path } = tempDbPath();
  const store = SqliteStore.open(path, opts);
  return {
    store,
    path,
    done: async () => {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function waitUntil(pred: () => boolean, what: string, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!pred()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(5);
  }
}

runStoreSuite('SqliteStore', async () => {
  const { dir, path } = tempDbPath();
  let store = SqliteStore.open(path);
  return {
    store,
    reopen: async () => {
      await store.close();
      store = SqliteStore.open(path);
      return store;
    },
    compact: async (revision) => store.compact(revision),
    cleanup: async () => {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});

describe('prefixEnd', () => {
  it('increments the last UTF-8 byte of the prefix', () => {
    assert.deepEqual([...prefixEnd('/a/')], [...Buffer.from('/a0')]);
    assert.deepEqual([...prefixEnd('é')], [0xc3, 0xaa]);
    assert.deepEqual([...prefixEnd('\u{10ffff}')], [0xf4, 0x8f, 0xbf, 0xc0]);
  });

  it('gives 0xFF for the empty prefix, above every UTF-8 key', () => {
    assert.deepEqual([...prefixEnd('')], [0xff]);
  });
});

describe('SqliteStore specifics', () => {
  it('writes issued in the same tick share one commit: consecutive revisions, one watch callback', async () => {
    const { store, done } = freshStore();
    try {
      await store.create('/x/seed', buf('s'));
      const from = await store.currentRevision();
      const calls: WatchEvent[][] = [];
      const w = store.watch('/x/', from, (evs) => calls.push(evs));
      const results = await Promise.allSettled([
        store.create('/x/a', buf('a')),
        store.create('/x/seed', buf('dup')),
        store.create('/x/b', buf('b')),
        store.create('/y/c', buf('c')),
        store.create('/x/d', buf('d')),
      ]);
      assert.deepEqual(
        results.map((r) => (r.status === 'fulfilled' ? r.value.modRevision : 'rejected')),
        [from + 1, 'rejected', from + 2, from + 3, from + 4],
      );
      assert.ok((results[1] as PromiseRejectedResult).reason instanceof KeyExistsError);
      await waitUntil(() => calls.length > 0, 'the batch');
      await sleep(10);
      assert.equal(calls.length, 1);
      assert.deepEqual(
        calls[0].map((e) => [e.kv.key, e.revision]),
        [
          ['/x/a', from + 1],
          ['/x/b', from + 2],
          ['/x/d', from + 4],
        ],
      );
      w.cancel();
    } finally {
      await done();
    }
  });

  it('applies the ops of one batch in submission order', async () => {
    const { store, done } = freshStore();
    try {
      const [created, updated, deleted, recreated, dup] = await Promise.allSettled([
        store.create('/k', buf('v1')),
        store.update('/k', buf('v2')),
        store.delete('/k'),
        store.create('/k', buf('v3')),
        store.create('/k', buf('v4')),
      ]);
      assert.equal(created.status, 'fulfilled');
      assert.equal(updated.status, 'fulfilled');
      assert.equal(deleted.status, 'fulfilled');
      assert.equal(recreated.status, 'fulfilled');
      assert.equal(dup.status, 'rejected');
      if (deleted.status === 'fulfilled') {
        assert.equal(deleted.value.value.toString(), 'v2');
        assert.equal(deleted.value.modRevision, 3);
        assert.equal(deleted.value.createRevision, 1);
      }
      if (recreated.status === 'fulfilled') assert.equal(recreated.value.createRevision, 4);
      assert.equal((await store.get('/k'))?.value.toString(), 'v3');
    } finally {
      await done();
    }
  });

  it('starts at revision 0 and counts one revision per successful write', async () => {
    const { store, done } = freshStore();
    try {
      assert.equal(await store.currentRevision(), 0);
      assert.equal(store.compactRevision(), 0);
      assert.equal((await store.create('/a', buf('1'))).modRevision, 1);
      await assert.rejects(store.create('/a', buf('1')), KeyExistsError);
      assert.equal((await store.update('/a', buf('2'))).modRevision, 2);
      assert.equal((await store.delete('/a')).modRevision, 3);
      assert.equal(await store.currentRevision(), 3);
    } finally {
      await done();
    }
  });

  it('periodic compaction trims the history to the configured window', async () => {
    const { store, path, done } = freshStore({ compactionWindow: 3, compactionIntervalMs: 5 });
    try {
      for (let i = 0; i < 10; i++) await store.create(`/w/${i}`, buf(`${i}`));
      await waitUntil(() => store.compactRevision() === 7, 'compaction to revision 7');
      assert.throws(() => store.watch('/w/', 6, () => {}), (e: unknown) => {
        return e instanceof CompactedError && e.requested === 6 && e.compactRevision === 7;
      });
      const got: number[] = [];
      const w = store.watch('/w/', 7, (evs) => got.push(...evs.map((e) => e.revision)));
      await waitUntil(() => got.length === 3, 'replay of 3 events');
      assert.deepEqual(got, [8, 9, 10]);
      w.cancel();
      assert.equal((await store.list('/w/')).items.length, 10);
      await store.close();
      const db = new Database(path, { readonly: true });
      try {
        const rows = db.prepare('SELECT rev FROM log ORDER BY rev').all() as { rev: number }[];
        assert.deepEqual(rows.map((r) => r.rev), [8, 9, 10]);
      } finally {
        db.close();
      }
    } finally {
      await done();
    }
  });

  it('close commits writes that are still queued, then rejects new calls', async () => {
    const { dir, path } = tempDbPath();
    try {
      const store = SqliteStore.open(path);
      const pending = store.create('/queued', buf('q'));
      await store.close();
      const kv = await pending;
      assert.equal(kv.modRevision, 1);
      await assert.rejects(store.create('/after', buf('x')), /store is closed/);
      await assert.rejects(store.get('/queued'), /store is closed/);
      await store.close(); // second close is a no-op

      const again = SqliteStore.open(path);
      assert.equal((await again.get('/queued'))?.value.toString(), 'q');
      await again.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('uses WAL journal mode and refuses a second open of the same file', async () => {
    const { store, path, done } = freshStore();
    try {
      await store.create('/a', buf('1'));
      assert.throws(() => SqliteStore.open(path), /locked/);
      await store.close();
      const db = new Database(path, { readonly: true });
      try {
        assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
      } finally {
        db.close();
      }
    } finally {
      await done();
    }
  });

  it('a throwing watch callback does not break commits or other watchers', async () => {
    const { store, done } = freshStore();
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.message);
    process.on('warning', onWarning);
    try {
      store.watch('/', 0, () => {
        throw new Error('consumer bug');
      });
      const seen: number[] = [];
      store.watch('/', 0, (evs) => seen.push(...evs.map((e) => e.revision)));
      assert.equal((await store.create('/a', buf('1'))).modRevision, 1);
      assert.equal((await store.create('/b', buf('1'))).modRevision, 2);
      await waitUntil(() => seen.length === 2 && warnings.length >= 2, 'events and warnings');
      assert.deepEqual(seen, [1, 2]);
      assert.match(warnings[0], /watch callback threw: Error: consumer bug/);
    } finally {
      process.off('warning', onWarning);
      await done();
    }
  });

  it('rejects a negative or non-integer watch revision', async () => {
    const { store, done } = freshStore();
    try {
      for (const bad of [-1, 1.5, Number.NaN]) {
        assert.throws(() => store.watch('/', bad, () => {}), RangeError);
      }
    } finally {
      await done();
    }
  });

  it('watching from a revision ahead of the store delivers only events after it', async () => {
    const { store, done } = freshStore();
    try {
      const got: number[] = [];
      store.watch('/', 2, (evs) => got.push(...evs.map((e) => e.revision)));
      for (let i = 0; i < 4; i++) await store.create(`/k${i}`, buf('v'));
      await waitUntil(() => got.length === 2, 'two events');
      assert.deepEqual(got, [3, 4]);
    } finally {
      await done();
    }
  });
});
