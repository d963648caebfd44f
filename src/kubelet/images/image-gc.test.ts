import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Container } from '../cri/api.js';
import { CriError } from '../cri/api.js';
import { ImageGc, statfsUsage, type FsUsage, type ImageGcOptions } from './image-gc.js';
import { FakeClock, FakeImageRuntime, FakeRecorder, fakeContext, makeImage } from './fake-image-runtime.js';

function setup() {
  const clock = new FakeClock();
  const cri = new FakeImageRuntime();
  const recorder = new FakeRecorder();
  const ctx = fakeContext({ cri, recorder, clock });
  const gc = new ImageGc({ ctx });
  return { clock, cri, recorder, ctx, gc };
}

function containerUsing(imageId: string, n = 1): Container {
  return {
    id: `c${n}`,
    pod_sandbox_id: 's1',
    metadata: { name: `c${n}` },
    image: { image: imageId },
    image_ref: imageId,
    state: 'CONTAINER_EXITED',
    created_at: '0',
    labels: {},
    annotations: {},
  };
}

const usage = (capacityBytes: number, availableBytes: number) => async (): Promise<FsUsage> => ({ capacityBytes, availableBytes });

test('below the high threshold nothing is removed', async () => {
  const { cri, gc } = setup();
  cri.images.push(makeImage('a.io/a:1', 100));
  // usage is 100 - floor(available*100/capacity): 160 of 1000 free is 84%.
  await gc.garbageCollect({ statfsPath: '/', fsUsage: usage(1000, 160) });
  assert.deepEqual(cri.removed, []);
  // 151 free counts as 85% (integer percent, as the kubelet computes it): collect.
  await gc.garbageCollect({ statfsPath: '/', fsUsage: usage(1000, 151) });
  assert.equal(cri.removed.length, 1);
});

test('above the threshold: unused images go least recently used first, until the low threshold', async () => {
  const { cri, gc, clock, ctx } = setup();
  const a = makeImage('a.io/never-used:1', 60);
  const b = makeImage('a.io/used-before:1', 50);
  const c = makeImage('a.io/in-use:1', 70);
  const pause = makeImage(ctx.pauseImage, 500);
  const pinned = makeImage('a.io/pinned:1', 80, { pinned: true });
  const spare = makeImage('a.io/spare:1', 40);
  cri.images.push(a, b, c, pause, pinned, spare);
  cri.containers = [containerUsing(b.id)];
  await gc.detectImages(); // first detection: all images count as old
  clock.advance(1000);
  cri.containers = [containerUsing(c.id, 2)];
  // capacity 1000, available 100 → 90% used; free down to 80%: 1000*20/100 - 100 = 100 bytes.
  await gc.garbageCollect({ statfsPath: '/', fsUsage: usage(1000, 100) });
  // Never-used images (a, spare) go before b, which was used; c is in use, pause and pinned are protected.
  // a (60) + spare (40) = 100 bytes: enough, so b stays.
  assert.deepEqual(cri.removed, [a.id, spare.id]);

  // Needing more, b goes too, but never c, pause or pinned.
  await assert.rejects(gc.garbageCollect({ statfsPath: '/', fsUsage: usage(1000, 0) }), /Attempted to free 200 bytes, but only found 50 bytes eligible to free\.$/);
  assert.deepEqual(cri.removed, [a.id, spare.id, b.id]);
});

test('images first seen less than minAge ago are kept; shortfall records FreeDiskSpaceFailed', async () => {
  const { cri, gc, clock, recorder } = setup();
  const old = makeImage('a.io/old:1', 30);
  cri.images.push(old);
  await gc.detectImages();
  const young = makeImage('a.io/young:1', 500);
  cri.images.push(young);
  clock.advance(1000);
  await gc.detectImages(); // young first detected now
  clock.advance(60_000);
  const opts: ImageGcOptions = { statfsPath: '/', fsUsage: usage(1000, 0), minAgeMs: 120_000 };
  await assert.rejects(gc.garbageCollect(opts), {
    message: 'Failed to garbage collect required amount of images. Attempted to free 200 bytes, but only found 30 bytes eligible to free.',
  });
  assert.deepEqual(cri.removed, [old.id]);
  assert.deepEqual(recorder.lines(), [
    'Warning FreeDiskSpaceFailed: Failed to garbage collect required amount of images. Attempted to free 200 bytes, but only found 30 bytes eligible to free.',
  ]);
  assert.equal(recorder.events[0].kind, 'Node');
  assert.equal(recorder.events[0].name, 'node-1');

  // Two minutes after it was first seen, the young image may go.
  clock.advance(60_000);
  recorder.clear();
  await gc.garbageCollect(opts);
  assert.deepEqual(cri.removed, [old.id, young.id]);
  assert.deepEqual(recorder.lines(), []);
});

test('the loop reports ImageGCFailed only for a repeated failure', async () => {
  const { cri, gc, recorder } = setup();
  cri.images.push(makeImage('a.io/x:1', 10));
  const opts: ImageGcOptions = { statfsPath: '/', fsUsage: usage(0, 0) };
  assert.equal(await gc.runOnce(opts), false);
  assert.deepEqual(recorder.lines(), ['Warning InvalidDiskCapacity: invalid capacity 0 on image filesystem']);
  assert.equal(await gc.runOnce(opts), false);
  assert.deepEqual(recorder.lines().slice(1), [
    'Warning InvalidDiskCapacity: invalid capacity 0 on image filesystem',
    'Warning ImageGCFailed: invalid capacity 0 on image filesystem',
  ]);
  assert.equal(await gc.runOnce({ statfsPath: '/', fsUsage: usage(1000, 900) }), true);
  recorder.clear();
  await gc.runOnce(opts);
  assert.deepEqual(recorder.lines(), ['Warning InvalidDiskCapacity: invalid capacity 0 on image filesystem']);
});

test('removal errors are collected into the kubelet message', async () => {
  const { cri, gc } = setup();
  const x = makeImage('a.io/x:1', 10);
  cri.images.push(x);
  cri.removeError = () => new CriError('RemoveImage', 2, 'in use by something');
  await assert.rejects(gc.garbageCollect({ statfsPath: '/', fsUsage: usage(100, 0) }), {
    message: 'wanted to free 20 bytes, but freed 0 bytes space with errors in image deletion: rpc error: code = Unknown desc = in use by something',
  });
});

test('imagesForNodeStatus: largest first, 50 at most, digests then tags, 5 names at most', async () => {
  const { cri, gc } = setup();
  for (let i = 0; i < 55; i++) cri.images.push(makeImage(`a.io/img${i}:1`, 1000 + i));
  const big = makeImage('a.io/big:1', 10_000_000, {
    repo_tags: ['a.io/big:1', 'a.io/big:2', 'a.io/big:3', 'a.io/big:4'],
    repo_digests: ['a.io/big@sha256:' + '1'.repeat(64), 'b.io/big@sha256:' + '1'.repeat(64)],
  });
  cri.images.push(big);
  const list = await gc.imagesForNodeStatus();
  assert.equal(list.length, 50);
  assert.deepEqual(list[0], {
    names: ['a.io/big@sha256:' + '1'.repeat(64), 'b.io/big@sha256:' + '1'.repeat(64), 'a.io/big:1', 'a.io/big:2', 'a.io/big:3'],
    sizeBytes: 10_000_000,
  });
  assert.deepEqual(list[1], { names: ['a.io/img54:1'], sizeBytes: 1054 });
  assert.deepEqual(list[49], { names: ['a.io/img6:1'], sizeBytes: 1006 });
});

test('equal sizes are ordered by image ID, descending', async () => {
  const { cri, gc } = setup();
  const x = makeImage('a.io/x:1', 5);
  const y = makeImage('a.io/y:1', 5);
  cri.images.push(x, y);
  assert.deepEqual((await gc.imagesForNodeStatus()).map((i) => i.names[0]), ['a.io/y:1', 'a.io/x:1']);
});

test('statfsUsage reads the real filesystem', async () => {
  const u = await statfsUsage('/');
  assert.ok(u.capacityBytes > 0);
  assert.ok(u.availableBytes >= 0 && u.availableBytes <= u.capacityBytes);
});

test('start runs a pass at once and stops cleanly', async () => {
  const { cri, gc } = setup();
  const x = makeImage('a.io/x:1', 10);
  cri.images.push(x);
  let calls = 0;
  const stop = gc.start({ statfsPath: '/', intervalMs: 10, fsUsage: async () => { calls++; return { capacityBytes: 100, availableBytes: 0 }; } });
  for (let i = 0; i < 100 && calls < 2; i++) await new Promise((r) => setTimeout(r, 5));
  stop();
  const seen = calls;
  assert.ok(seen >= 2, `ran ${seen} times`);
  assert.deepEqual(cri.removed, [x.id]);
  await new Promise((r) => setTimeout(r, 40));
  assert.ok(calls <= seen + 1, 'no passes after stop');
});
