// ResourceStorage over a real SqliteStore and watch cache: create / get /
// update / delete semantics, optimistic concurrency and conflict retries,
// generateName, finalizers, dry runs and list paging.

import { after, before, describe, it, mock } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteStore } from '../storage/sqlite-store.js';
import { resources, storagePrefix, type ResourceDef } from '../api/resources.js';
import { WatchCacheSet } from './watch-cache.js';
import { decodeContinue, encodeContinue, ResourceStorage, type WriteContext } from './registry.js';
import { DefaultStrategy, WorkloadStrategy } from './strategy.js';
import { ApiError } from './status.js';
import { parseLabelSelector } from '../api/labels.js';

const def = (plural: string): ResourceDef => resources.find((r) => r.plural === plural)!;
const ctx = (o: Partial<WriteContext> = {}): WriteContext => ({ user: 'admin', fieldManager: 'test', dryRun: false, now: new Date('2025-01-02T03:04:05Z'), ...o });

let dir: string;
let store: SqliteStore;
let caches: WatchCacheSet;
let cms: ResourceStorage;
let deploys: ResourceStorage;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'skiff-registry-'));
  store = SqliteStore.open(join(dir, 'state.db'), { compactionIntervalMs: 3_600_000 });
  caches = new WatchCacheSet(store);
  const namespaces = new Set(['default', 'other']);
  const lookup = (ns: string) => (namespaces.has(ns) ? { metadata: { name: ns } } : undefined);
  const cmDef = def('configmaps');
  const dDef = def('deployments');
  cms = new ResourceStorage(cmDef, store, caches.add(storagePrefix(cmDef)), caches, new DefaultStrategy(cmDef), lookup);
  deploys = new ResourceStorage(dDef, store, caches.add(storagePrefix(dDef)), caches, new WorkloadStrategy(dDef), lookup);
  await caches.start();
});
after(async () => {
  caches.stop();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

function apiError(code: number, reason: string, message: string) {
  return (e: unknown) => {
    assert.ok(e instanceof ApiError, `expected ApiError, got ${e}`);
    assert.equal(e.code, code);
    assert.equal(e.reason, reason);
    assert.equal(e.message, message);
    return true;
  };
}

const cm = (name: string, data: Record<string, string> = {}, labels?: Record<string, string>) => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, ...(labels ? { labels } : {}) },
  data,
});

const deployment = (name: string, image = 'nginx:1.27') => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name },
  spec: {
    replicas: 1,
    selector: { matchLabels: { app: name } },
    template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'main', image }] } },
  },
});

describe('create and get', () => {
  it('fills server metadata and reads back what was stored', async () => {
    const before = await store.currentRevision();
    const created = await cms.create('default', cm('a', { k: 'v' }), ctx());
    assert.match(created.metadata.uid, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.equal(created.metadata.creationTimestamp, '2025-01-02T03:04:05Z');
    assert.equal(created.metadata.namespace, 'default');
    assert.equal(created.metadata.resourceVersion, String(before + 1));
    const got = await cms.get('default', 'a');
    assert.equal(got.metadata.uid, created.metadata.uid);
    assert.equal(got.metadata.resourceVersion, created.metadata.resourceVersion);
    assert.deepEqual(got.data, { k: 'v' });
  });

  it('ignores client-set uid, resourceVersion and generation', async () => {
    const created = await deploys.create('default', { ...deployment('gen'), metadata: { name: 'gen', uid: 'mine', resourceVersion: '999', generation: 7 } }, ctx());
    assert.notEqual(created.metadata.uid, 'mine');
    assert.equal(created.metadata.generation, 1);
    assert.notEqual(created.metadata.resourceVersion, '999');
  });

  it('rejects duplicates, missing namespaces and a namespace mismatch', async () => {
    await assert.rejects(cms.create('default', cm('a'), ctx()), apiError(409, 'AlreadyExists', 'configmaps "a" already exists'));
    await assert.rejects(cms.create('nope', cm('x'), ctx()), apiError(404, 'NotFound', 'namespaces "nope" not found'));
    await assert.rejects(
      cms.create('default', { ...cm('x'), metadata: { name: 'x', namespace: 'other' } }, ctx()),
      apiError(400, 'BadRequest', 'the namespace of the provided object does not match the namespace sent on the request'),
    );
    await assert.rejects(cms.get('default', 'missing'), apiError(404, 'NotFound', 'configmaps "missing" not found'));
    await assert.rejects(deploys.get('default', 'missing'), apiError(404, 'NotFound', 'deployments.apps "missing" not found'));
  });

  it('generateName appends 5 characters from the Kubernetes alphabet', async () => {
    const created = await cms.create('default', { kind: 'ConfigMap', metadata: { generateName: 'gen-' } }, ctx());
    assert.match(created.metadata.name, /^gen-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    assert.equal(created.metadata.generateName, 'gen-');
  });

  it('generateName retries with a new suffix when the first one is taken', async () => {
    await cms.create('default', cm('dup-bbbbb'), ctx());
    let calls = 0;
    // The first five draws spell "bbbbb" (taken); later draws land elsewhere in the alphabet.
    const random = mock.method(Math, 'random', () => (calls++ < 5 ? 0 : 0.5));
    try {
      const created = await cms.create('default', { kind: 'ConfigMap', metadata: { generateName: 'dup-' } }, ctx());
      assert.equal(created.metadata.name, 'dup-rrrrr');
      assert.equal(calls, 10);
    } finally {
      random.mock.restore();
    }
  });

  it('dry run validates but writes nothing', async () => {
    const rev = await store.currentRevision();
    const out = await cms.create('default', cm('dry'), ctx({ dryRun: true }));
    assert.equal(out.metadata.name, 'dry');
    assert.equal(out.metadata.resourceVersion, undefined);
    assert.equal(await store.currentRevision(), rev);
    await assert.rejects(cms.get('default', 'dry'), apiError(404, 'NotFound', 'configmaps "dry" not found'));
    await assert.rejects(cms.create('default', cm('a'), ctx({ dryRun: true })), apiError(409, 'AlreadyExists', 'configmaps "a" already exists'));
  });
});

describe('update', () => {
  it('a stale resourceVersion is a 409 Conflict; none means unconditional', async () => {
    const c = await cms.create('default', cm('occ', { v: '1' }), ctx());
    const u1 = await cms.update('default', 'occ', { ...cm('occ', { v: '2' }), metadata: { name: 'occ', resourceVersion: c.metadata.resourceVersion } }, ctx());
    assert.ok(Number(u1.metadata.resourceVersion) > Number(c.metadata.resourceVersion));
    await assert.rejects(
      cms.update('default', 'occ', { ...cm('occ', { v: '3' }), metadata: { name: 'occ', resourceVersion: c.metadata.resourceVersion } }, ctx()),
      apiError(409, 'Conflict', 'Operation cannot be fulfilled on configmaps "occ": the object has been modified; please apply your changes to the latest version and try again'),
    );
    const u2 = await cms.update('default', 'occ', cm('occ', { v: '4' }), ctx());
    assert.deepEqual(u2.data, { v: '4' });
    assert.equal(u2.metadata.uid, c.metadata.uid, 'uid survives a full replace');
    assert.equal(u2.metadata.creationTimestamp, c.metadata.creationTimestamp);
  });

  it('a no-op update keeps the resourceVersion and writes nothing', async () => {
    const c = await cms.create('default', cm('noop', { v: '1' }), ctx());
    const rev = await store.currentRevision();
    const u = await cms.update('default', 'noop', cm('noop', { v: '1' }), ctx());
    assert.equal(u.metadata.resourceVersion, c.metadata.resourceVersion);
    assert.equal(await store.currentRevision(), rev);
  });

  it('rejects a name that differs from the URL', async () => {
    await assert.rejects(
      cms.update('default', 'occ', cm('other'), ctx()),
      apiError(400, 'BadRequest', 'the name of the object (other) does not match the name on the URL (occ)'),
    );
  });

  it('bumps generation on spec changes only', async () => {
    const d = await deploys.create('default', deployment('web'), ctx());
    assert.equal(d.metadata.generation, 1);
    const labelled = await deploys.update('default', 'web', { ...deployment('web'), metadata: { name: 'web', labels: { x: 'y' } } }, ctx());
    assert.equal(labelled.metadata.generation, 1);
    assert.notEqual(labelled.metadata.resourceVersion, d.metadata.resourceVersion);
    const status = await deploys.update('default', 'web', { ...labelled, status: { replicas: 1, observedGeneration: 1 } }, ctx(), 'status');
    assert.equal(status.metadata.generation, 1);
    assert.deepEqual(status.status, { replicas: 1, observedGeneration: 1 });
    const spec = await deploys.update('default', 'web', { ...deployment('web', 'nginx:1.28'), metadata: { name: 'web', labels: { x: 'y' } } }, ctx());
    assert.equal(spec.metadata.generation, 2);
    assert.deepEqual(spec.status, { replicas: 1, observedGeneration: 1 }, 'a main-resource write keeps status');
  });

  it('guaranteedUpdate re-reads and retries on conflicts until every writer succeeds', async () => {
    await cms.create('default', cm('counter', { n: '0' }), ctx());
    let tries = 0;
    const writers = 30;
    await Promise.all(
      Array.from({ length: writers }, () =>
        cms.guaranteedUpdate('default', 'counter', ctx(), (cur) => {
          tries++;
          cur.data.n = String(Number(cur.data.n) + 1);
          delete cur.metadata.resourceVersion; // a kept resourceVersion would be a precondition
          return cur;
        }),
      ),
    );
    const final = await cms.get('default', 'counter');
    assert.equal(final.data.n, String(writers), 'no increment is lost');
    assert.ok(tries > writers, `conflicts must have caused retries (tries=${tries})`);
  });

  it('guaranteedUpdate with a precondition resourceVersion does not retry', async () => {
    const c = await cms.create('default', cm('pre', { n: '0' }), ctx());
    await cms.update('default', 'pre', cm('pre', { n: '1' }), ctx());
    let tries = 0;
    await assert.rejects(
      cms.guaranteedUpdate('default', 'pre', ctx(), (cur) => {
        tries++;
        return { ...cur, metadata: { ...cur.metadata, resourceVersion: c.metadata.resourceVersion } };
      }),
      apiError(409, 'Conflict', 'Operation cannot be fulfilled on configmaps "pre": the object has been modified; please apply your changes to the latest version and try again'),
    );
    assert.equal(tries, 1);
  });

  it('guaranteedUpdate on a missing object is NotFound unless it may create', async () => {
    await assert.rejects(cms.guaranteedUpdate('default', 'ghost', ctx(), (c) => c), apiError(404, 'NotFound', 'configmaps "ghost" not found'));
    const { obj, created } = await cms.guaranteedUpdate('default', 'ghost', ctx(), (c) => c, {
      createIfMissing: () => cms.create('default', cm('ghost'), ctx()),
    });
    assert.equal(created, true);
    assert.equal(obj.metadata.name, 'ghost');
  });
});

describe('delete', () => {
  it('removes at once without finalizers and returns the delete revision', async () => {
    const c = await cms.create('default', cm('gone'), ctx());
    const { obj, gone } = await cms.delete('default', 'gone', {}, ctx());
    assert.equal(gone, true);
    assert.ok(Number(obj.metadata.resourceVersion) > Number(c.metadata.resourceVersion));
    assert.equal(await store.get('/registry/configmaps/default/gone'), undefined);
    await assert.rejects(cms.delete('default', 'gone', {}, ctx()), apiError(404, 'NotFound', 'configmaps "gone" not found'));
  });

  it('with finalizers marks deletionTimestamp; removing the last finalizer deletes', async () => {
    const c = await cms.create('default', { ...cm('fin'), metadata: { name: 'fin', finalizers: ['example.com/hold'] } }, ctx());
    const { obj, gone } = await cms.delete('default', 'fin', {}, ctx());
    assert.equal(gone, false);
    assert.equal(obj.metadata.deletionTimestamp, '2025-01-02T03:04:05Z');
    assert.equal(obj.metadata.deletionGracePeriodSeconds, 0);
    const still = await cms.get('default', 'fin');
    assert.equal(still.metadata.deletionTimestamp, '2025-01-02T03:04:05Z');
    // A second delete changes nothing.
    const again = await cms.delete('default', 'fin', {}, ctx());
    assert.equal(again.obj.metadata.resourceVersion, still.metadata.resourceVersion);
    // A client cannot clear deletionTimestamp.
    const cleared = await cms.update('default', 'fin', { ...cm('fin', { a: 'b' }), metadata: { name: 'fin', finalizers: ['example.com/hold'] } }, ctx());
    assert.equal(cleared.metadata.deletionTimestamp, '2025-01-02T03:04:05Z');
    const done = await cms.update('default', 'fin', { ...cm('fin', { a: 'b' }), metadata: { name: 'fin', finalizers: [] } }, ctx());
    assert.ok(Number(done.metadata.resourceVersion) > Number(c.metadata.resourceVersion));
    await assert.rejects(cms.get('default', 'fin'), apiError(404, 'NotFound', 'configmaps "fin" not found'));
  });

  it('checks uid and resourceVersion preconditions', async () => {
    const c = await cms.create('default', cm('precond'), ctx());
    await assert.rejects(
      cms.delete('default', 'precond', { preconditions: { uid: 'x' } }, ctx()),
      apiError(409, 'Conflict', `Operation cannot be fulfilled on configmaps "precond": Precondition failed: UID in precondition: x, UID in object meta: ${c.metadata.uid}`),
    );
    await assert.rejects(
      cms.delete('default', 'precond', { preconditions: { resourceVersion: '1' } }, ctx()),
      apiError(409, 'Conflict', `Operation cannot be fulfilled on configmaps "precond": Precondition failed: ResourceVersion in precondition: 1, ResourceVersion in object meta: ${c.metadata.resourceVersion}`),
    );
    const { gone } = await cms.delete('default', 'precond', { preconditions: { uid: c.metadata.uid, resourceVersion: c.metadata.resourceVersion } }, ctx());
    assert.equal(gone, true);
  });

  it('dry run leaves the object in place', async () => {
    await cms.create('default', cm('keep'), ctx());
    const rev = await store.currentRevision();
    const { gone } = await cms.delete('default', 'keep', {}, ctx({ dryRun: true }));
    assert.equal(gone, true);
    assert.equal(await store.currentRevision(), rev);
    assert.equal((await cms.get('default', 'keep')).metadata.name, 'keep');
  });
});

describe('list', () => {
  before(async () => {
    for (let i = 1; i <= 5; i++) await cms.create('other', cm(`p${i}`, {}, { tier: i % 2 ? 'odd' : 'even' }), ctx());
  });

  it('pages with limit/continue and counts the rest when unfiltered', async () => {
    const p1 = await cms.list('other', { limit: 2 });
    assert.deepEqual(p1.items.map((i) => i.metadata.name), ['p1', 'p2']);
    assert.equal(p1.remainingItemCount, 3);
    const p2 = await cms.list('other', { limit: 2, continueToken: p1.continueToken });
    assert.deepEqual(p2.items.map((i) => i.metadata.name), ['p3', 'p4']);
    assert.equal(p2.remainingItemCount, 1);
    assert.equal(p2.resourceVersion, p1.resourceVersion, 'later pages keep the first page\'s resourceVersion');
    const p3 = await cms.list('other', { limit: 2, continueToken: p2.continueToken });
    assert.deepEqual(p3.items.map((i) => i.metadata.name), ['p5']);
    assert.equal(p3.continueToken, undefined);
    assert.equal(p3.remainingItemCount, undefined);
  });

  it('with a label selector pages over matches only and gives no remainingItemCount', async () => {
    const labels = parseLabelSelector('tier=odd');
    const p1 = await cms.list('other', { limit: 2, labels });
    assert.deepEqual(p1.items.map((i) => i.metadata.name), ['p1', 'p3']);
    assert.ok(p1.continueToken);
    assert.equal(p1.remainingItemCount, undefined);
    const p2 = await cms.list('other', { limit: 2, labels, continueToken: p1.continueToken });
    assert.deepEqual(p2.items.map((i) => i.metadata.name), ['p5']);
    assert.equal(p2.continueToken, undefined);
  });

  it('the list resourceVersion is at least every item\'s', async () => {
    const all = await cms.list(undefined);
    const max = Math.max(...all.items.map((i) => Number(i.metadata.resourceVersion)));
    assert.ok(Number(all.resourceVersion) >= max);
    assert.equal(Number(all.resourceVersion), await store.currentRevision());
  });

  it('rejects malformed continue tokens as Kubernetes does', async () => {
    await assert.rejects(cms.list('other', { continueToken: 'abc$' }), apiError(400, 'BadRequest', 'invalid continue token: continue key is not valid: illegal base64 data at input byte 3'));
    await assert.rejects(cms.list('other', { continueToken: 'abcde' }), apiError(400, 'BadRequest', 'invalid continue token: continue key is not valid: illegal base64 data at input byte 4'));
    const notJson = Buffer.from('hello').toString('base64url');
    await assert.rejects(cms.list('other', { continueToken: notJson }), apiError(400, 'BadRequest', "invalid continue token: continue key is not valid: invalid character 'h' looking for beginning of value"));
    const badVersion = Buffer.from(JSON.stringify({ v: 'x', rv: 1, start: 'a' })).toString('base64url');
    await assert.rejects(cms.list('other', { continueToken: badVersion }), apiError(400, 'BadRequest', 'invalid continue token: continue key is not valid: server does not recognize this encoded version x'));
    const zeroRv = Buffer.from(JSON.stringify({ v: 'meta.k8s.io/v1', rv: 0, start: 'a' })).toString('base64url');
    await assert.rejects(cms.list('other', { continueToken: zeroRv }), apiError(400, 'BadRequest', 'invalid continue token: continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)'));
    const tok = encodeContinue(5, '/registry/configmaps/other/p1');
    await assert.rejects(cms.list('other', { continueToken: tok, resourceVersion: '5' }), apiError(400, 'BadRequest', 'specifying resource version is not allowed when using continue'));
    assert.deepEqual(decodeContinue(tok), { v: 'meta.k8s.io/v1', rv: 5, start: '/registry/configmaps/other/p1' });
  });
});
