// The official JavaScript client (@kubernetes/client-node v2) against the real
// server: typed CRUD, patch content types, scale, Watch and an informer that
// outlives server-side watch timeouts and a 410 Expired re-list.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import zlib from 'node:zlib';
import workerThreads from 'node:worker_threads';
import type * as K8s from '@kubernetes/client-node';
import { startSkiff, type SkiffProcess } from '../testing/server-process.js';

// client-node 2.x ships undici 8, which expects Node >= 22.19. On Node 20 stand in for the three
// newer built-ins it touches: two are never exercised here (no zstd bodies, no structured cloning)
// and Promise.withResolvers is the standard ES2024 helper.
const builtins = [zlib, workerThreads] as unknown as Record<string, unknown>[];
builtins[0].createZstdDecompress ??= () => {
  throw new Error('zstd decompression needs Node >= 22.15');
};
builtins[1].markAsUncloneable ??= () => {};
const promiseCtor = Promise as unknown as { withResolvers?: () => unknown };
promiseCtor.withResolvers ??= () => {
  let resolve!: (v: unknown) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
};
const k8s: typeof K8s = await import('@kubernetes/client-node');

let s: SkiffProcess;
let kc: K8s.KubeConfig;
let core: K8s.CoreV1Api;
let apps: K8s.AppsV1Api;
const CAPACITY = 20;

before(async () => {
  // Watches without timeoutSeconds end after 2-4s, and pods keep a short history: both make the informer work.
  s = await startSkiff({ env: { SKIFF_MIN_REQUEST_TIMEOUT_SECONDS: '2', SKIFF_WATCH_CACHE_CAPACITY: String(CAPACITY) } });
  kc = new k8s.KubeConfig();
  kc.loadFromFile(s.kubeconfig);
  core = kc.makeApiClient(k8s.CoreV1Api);
  apps = kc.makeApiClient(k8s.AppsV1Api);
  for (const name of ['cn', 'watched', 'inf', 'noise']) await core.createNamespace({ body: { metadata: { name } } });
});
after(async () => {
  await s?.stop();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(what: string, pred: () => boolean, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

function pod(name: string, labels: Record<string, string> = {}): K8s.V1Pod {
  return { metadata: { name, labels }, spec: { containers: [{ name: 'main', image: 'busybox:1.36' }] } };
}

function statusOf(e: unknown): { code: number; body: any } {
  assert.ok(e instanceof k8s.ApiException, `expected ApiException, got ${e}`);
  const body = typeof e.body === 'string' ? JSON.parse(e.body) : e.body;
  return { code: e.code, body };
}

describe('CoreV1Api', () => {
  it('creates, reads and lists pods', async () => {
    const created = await core.createNamespacedPod({ namespace: 'cn', body: pod('one', { app: 'web' }) });
    assert.equal(created.metadata?.name, 'one');
    assert.equal(created.metadata?.namespace, 'cn');
    assert.ok(created.metadata?.uid);
    assert.ok(created.metadata?.creationTimestamp instanceof Date, 'the client parsed the RFC 3339 timestamp');
    assert.equal(created.status?.phase, 'Pending');
    assert.equal(created.spec?.containers[0].image, 'busybox:1.36');

    const read = await core.readNamespacedPod({ namespace: 'cn', name: 'one' });
    assert.equal(read.metadata?.uid, created.metadata?.uid);
    assert.equal(read.metadata?.resourceVersion, created.metadata?.resourceVersion);

    await core.createNamespacedPod({ namespace: 'cn', body: pod('two', { app: 'db' }) });
    const list = await core.listNamespacedPod({ namespace: 'cn' });
    assert.equal(list.kind, 'PodList');
    assert.deepEqual(list.items.map((p) => p.metadata?.name), ['one', 'two']);
    assert.ok(Number(list.metadata?.resourceVersion) >= Number(read.metadata?.resourceVersion));
    const selected = await core.listNamespacedPod({ namespace: 'cn', labelSelector: 'app=db' });
    assert.deepEqual(selected.items.map((p) => p.metadata?.name), ['two']);
    const paged = await core.listNamespacedPod({ namespace: 'cn', limit: 1 });
    assert.equal(paged.items.length, 1);
    assert.equal(paged.metadata?.remainingItemCount, 1);
    const rest = await core.listNamespacedPod({ namespace: 'cn', limit: 1, _continue: paged.metadata?._continue });
    assert.deepEqual(rest.items.map((p) => p.metadata?.name), ['two']);
  });

  it('surfaces Kubernetes Status errors as ApiException', async () => {
    await assert.rejects(core.readNamespacedPod({ namespace: 'cn', name: 'nope' }), (e) => {
      const { code, body } = statusOf(e);
      assert.equal(code, 404);
      assert.equal(body.reason, 'NotFound');
      assert.equal(body.message, 'pods "nope" not found');
      return true;
    });
    await assert.rejects(core.createNamespacedPod({ namespace: 'cn', body: pod('one') }), (e) => {
      const { code, body } = statusOf(e);
      assert.equal(code, 409);
      assert.equal(body.message, 'pods "one" already exists');
      return true;
    });
  });

  it('patches with JSON patch (default), merge patch and strategic merge patch', async () => {
    const json = await core.patchNamespacedPod({ namespace: 'cn', name: 'one', body: [{ op: 'add', path: '/metadata/labels/tier', value: 'front' }] });
    assert.deepEqual(json.metadata?.labels, { app: 'web', tier: 'front' });

    const merged = await core.patchNamespacedPod(
      { namespace: 'cn', name: 'one', body: { metadata: { labels: { tier: null, merged: 'yes' } } } },
      k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
    );
    assert.deepEqual(merged.metadata?.labels, { app: 'web', merged: 'yes' });

    // Strategic merge keys containers by name: the image changes, the container list is not replaced.
    const strategic = await core.patchNamespacedPod(
      { namespace: 'cn', name: 'one', body: { spec: { containers: [{ name: 'main', image: 'busybox:1.37' }] }, metadata: { annotations: { a: 'b' } } } },
      k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.StrategicMergePatch),
    );
    assert.equal(strategic.spec?.containers.length, 1);
    assert.equal(strategic.spec?.containers[0].image, 'busybox:1.37');
    assert.equal(strategic.spec?.containers[0].imagePullPolicy, 'IfNotPresent');
    assert.deepEqual(strategic.metadata?.annotations, { a: 'b' });
    assert.ok(Number(strategic.metadata?.resourceVersion) > Number(merged.metadata?.resourceVersion));
  });

  it('deletes a pod and then it is gone', async () => {
    const deleted = await core.deleteNamespacedPod({ namespace: 'cn', name: 'two' });
    assert.equal(deleted.metadata?.name, 'two');
    await assert.rejects(core.readNamespacedPod({ namespace: 'cn', name: 'two' }), (e) => statusOf(e).code === 404);
    const list = await core.listNamespacedPod({ namespace: 'cn' });
    assert.deepEqual(list.items.map((p) => p.metadata?.name), ['one']);
  });
});

describe('AppsV1Api', () => {
  it('creates a deployment and scales it with replace and patch', async () => {
    const d = await apps.createNamespacedDeployment({
      namespace: 'cn',
      body: {
        metadata: { name: 'web' },
        spec: { replicas: 1, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] } } },
      },
    });
    assert.equal(d.metadata?.generation, 1);
    assert.equal(d.spec?.strategy?.type, 'RollingUpdate');

    const scale = await apps.readNamespacedDeploymentScale({ namespace: 'cn', name: 'web' });
    assert.equal(scale.spec?.replicas, 1);
    assert.equal(scale.status?.selector, 'app=web');

    const replaced = await apps.replaceNamespacedDeploymentScale({
      namespace: 'cn',
      name: 'web',
      body: { apiVersion: 'autoscaling/v1', kind: 'Scale', metadata: { name: 'web', namespace: 'cn' }, spec: { replicas: 3 } },
    });
    assert.equal(replaced.kind, 'Scale');
    assert.equal(replaced.spec?.replicas, 3);

    const patched = await apps.patchNamespacedDeploymentScale(
      { namespace: 'cn', name: 'web', body: { spec: { replicas: 5 } } },
      k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
    );
    assert.equal(patched.spec?.replicas, 5);
    const live = await apps.readNamespacedDeployment({ namespace: 'cn', name: 'web' });
    assert.equal(live.spec?.replicas, 5);
    assert.equal(live.metadata?.generation, 3);
  });
});

describe('Watch', () => {
  it('delivers ADDED, MODIFIED and DELETED in order with the right objects', async () => {
    const rv = (await core.listNamespacedPod({ namespace: 'watched' })).metadata?.resourceVersion;
    const events: { type: string; obj: any }[] = [];
    let doneErr: unknown = 'not done';
    const watch = new k8s.Watch(kc);
    const ctl = await watch.watch(
      '/api/v1/namespaces/watched/pods',
      { resourceVersion: rv, allowWatchBookmarks: true },
      (type, obj) => events.push({ type, obj }),
      (err) => (doneErr = err),
    );
    const created = await core.createNamespacedPod({ namespace: 'watched', body: pod('w') });
    const patched = await core.patchNamespacedPod(
      { namespace: 'watched', name: 'w', body: { metadata: { labels: { step: '2' } } } },
      k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
    );
    await core.deleteNamespacedPod({ namespace: 'watched', name: 'w' });
    await until('three watch events', () => events.filter((e) => e.type !== 'BOOKMARK').length >= 3);
    const real = events.filter((e) => e.type !== 'BOOKMARK');
    assert.deepEqual(real.map((e) => e.type), ['ADDED', 'MODIFIED', 'DELETED']);
    assert.equal(real[0].obj.metadata.uid, created.metadata?.uid);
    assert.equal(real[0].obj.kind, 'Pod');
    assert.equal(real[1].obj.metadata.labels.step, '2');
    assert.equal(real[1].obj.metadata.resourceVersion, patched.metadata?.resourceVersion);
    assert.ok(Number(real[2].obj.metadata.resourceVersion) > Number(patched.metadata?.resourceVersion));
    ctl.abort();
    await until('done callback', () => doneErr !== 'not done');
  });
});

describe('informer', () => {
  it('follows adds, updates and deletes across server-closed watches and a 410 re-list', async () => {
    let lists = 0;
    let connects = 0;
    const seen: string[] = [];
    const errors: unknown[] = [];
    const informer = k8s.makeInformer(kc, '/api/v1/namespaces/inf/pods', () => {
      lists++;
      return core.listNamespacedPod({ namespace: 'inf' });
    });
    informer.on('add', (p) => seen.push(`add ${p.metadata?.name}`));
    informer.on('update', (p) => seen.push(`update ${p.metadata?.name}`));
    informer.on('delete', (p) => seen.push(`delete ${p.metadata?.name}`));
    informer.on('connect', () => connects++);
    informer.on('error', (e) => errors.push(e));
    await core.createNamespacedPod({ namespace: 'inf', body: pod('pre') });
    await informer.start();
    try {
      await until('initial list', () => seen.includes('add pre'));
      assert.equal(lists, 1);

      await core.createNamespacedPod({ namespace: 'inf', body: pod('i1') });
      await core.patchNamespacedPod(
        { namespace: 'inf', name: 'i1', body: { metadata: { labels: { v: '2' } } } },
        k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
      );
      await core.deleteNamespacedPod({ namespace: 'inf', name: 'i1' });
      await until('i1 lifecycle', () => seen.includes('delete i1'));
      assert.deepEqual(seen, ['add pre', 'add i1', 'update i1', 'delete i1']);

      // The server ends each watch after 2-4s; the informer re-watches from its last resourceVersion.
      const before = connects;
      await until('a server-side close and re-watch', () => connects > before, 15_000);
      await core.createNamespacedPod({ namespace: 'inf', body: pod('i2') });
      await until('i2 after re-watch', () => seen.includes('add i2'));
      assert.equal(lists, 1, 'a plain re-watch does not re-list');

      // Pod writes elsewhere push the informer's resourceVersion out of the history: its next watch gets 410 and it re-lists.
      for (let i = 0; i < CAPACITY + 5; i++) await core.createNamespacedPod({ namespace: 'noise', body: pod(`n${i}`) });
      await until('a 410 re-list', () => lists >= 2, 20_000);
      await core.createNamespacedPod({ namespace: 'inf', body: pod('i3') });
      await until('i3 after re-list', () => seen.includes('add i3'));
      assert.deepEqual(
        informer.list('inf').map((p) => p.metadata?.name).sort(),
        ['i2', 'i3', 'pre'],
      );
      assert.equal(informer.get('i2', 'inf')?.metadata?.namespace, 'inf');
      assert.deepEqual(seen, ['add pre', 'add i1', 'update i1', 'delete i1', 'add i2', 'add i3'], 'the re-list adds nothing twice');
      assert.deepEqual(errors, []);
    } finally {
      await informer.stop();
    }
  });
});
