import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../client/index.js';
import { CriError } from '../cri/api.js';
import { ImageManager } from './image-manager.js';
import {
  FakeClock,
  FakeImageRuntime,
  FakeRecorder,
  FakeSecretsClient,
  fakeContext,
  makeImage,
  unknownPullError,
} from './fake-image-runtime.js';

function pod(containers: any[], extra: Record<string, unknown> = {}, uid = 'uid-1'): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'web', namespace: 'ns1', uid, resourceVersion: '7' },
    spec: { containers, ...extra },
  };
}

function setup() {
  const clock = new FakeClock();
  const cri = new FakeImageRuntime();
  const recorder = new FakeRecorder();
  const client = new FakeSecretsClient();
  const ctx = fakeContext({ cri, recorder, client, clock });
  const mgr = new ImageManager({ ctx });
  return { clock, cri, recorder, client, ctx, mgr };
}

const app = (image: string, imagePullPolicy?: string) => ({ name: 'app', image, ...(imagePullPolicy ? { imagePullPolicy } : {}) });

test('IfNotPresent with the image present: Pulled "already present", no pull', async () => {
  const { cri, recorder, mgr } = setup();
  const img = makeImage('127.0.0.1:5000/x:1', 5);
  cri.images.push(img);
  const c = app('127.0.0.1:5000/x:1', 'IfNotPresent');
  const r = await mgr.ensureImage(pod([c]), c);
  assert.deepEqual(r, { ok: true, imageRef: img.id });
  assert.deepEqual(recorder.lines(), ['Normal Pulled: Container image "127.0.0.1:5000/x:1" already present on machine']);
  assert.equal(recorder.events[0].fieldPath, 'spec.containers{app}');
  assert.equal(recorder.events[0].kind, 'Pod');
  assert.equal(cri.pulls.length, 0);
});

test('Never with the image absent: ErrImageNeverPull', async () => {
  const { cri, recorder, mgr } = setup();
  const c = app('127.0.0.1:5000/x:1', 'Never');
  const r = await mgr.ensureImage(pod([c]), c);
  assert.deepEqual(r, { ok: false, reason: 'ErrImageNeverPull', message: 'Container image "127.0.0.1:5000/x:1" is not present with pull policy of Never' });
  assert.deepEqual(recorder.lines(), [
    'Warning ErrImageNeverPull: Container image "127.0.0.1:5000/x:1" is not present with pull policy of Never',
    'Warning Failed: Error: ErrImageNeverPull',
  ]);
  assert.equal(cri.pulls.length, 0);
});

test('Never with the image present is fine', async () => {
  const { cri, recorder, mgr } = setup();
  const img = makeImage('127.0.0.1:5000/x:1', 5);
  cri.images.push(img);
  const c = app('127.0.0.1:5000/x:1', 'Never');
  assert.deepEqual(await mgr.ensureImage(pod([c]), c), { ok: true, imageRef: img.id });
  assert.deepEqual(recorder.lines(), ['Normal Pulled: Container image "127.0.0.1:5000/x:1" already present on machine']);
});

test('Always pulls even when present; Pulled carries durations and size', async () => {
  const { cri, recorder, mgr, clock } = setup();
  cri.images.push(makeImage('127.0.0.1:5000/x:latest', 5));
  cri.onPull = (call) => {
    clock.advance(1234);
    return makeImage(call.image, 1123456);
  };
  const c = app('127.0.0.1:5000/x', 'Always');
  const r = await mgr.ensureImage(pod([c]), c);
  assert.equal(r.ok, true);
  assert.deepEqual(cri.pulls, [{ image: '127.0.0.1:5000/x:latest' }]);
  assert.deepEqual(recorder.lines(), [
    'Normal Pulling: Pulling image "127.0.0.1:5000/x"',
    'Normal Pulled: Successfully pulled image "127.0.0.1:5000/x" in 1.234s (1.234s including waiting). Image size: 1123456 bytes.',
  ]);
  assert.equal(r.ok && r.imageRef, cri.images.at(-1)!.id, 'the pulled image, not the one present before');
});

test('IfNotPresent with the image absent pulls; sub-second durations print as ms', async () => {
  const { cri, recorder, mgr, clock } = setup();
  cri.onPull = (call) => {
    clock.advance(87);
    return makeImage(call.image, 42);
  };
  const c = app('busybox:1.36', 'IfNotPresent');
  await mgr.ensureImage(pod([c]), c);
  assert.deepEqual(cri.pulls, [{ image: 'busybox:1.36' }]);
  assert.equal(recorder.lines()[1], 'Normal Pulled: Successfully pulled image "busybox:1.36" in 87ms (87ms including waiting). Image size: 42 bytes.');
});

test('a failed pull: Failed with the runtime error, then Error: ErrImagePull', async () => {
  const { cri, recorder, mgr } = setup();
  cri.onPull = (call) => {
    throw unknownPullError(call.image, 'unexpected status code 401 Unauthorized');
  };
  const c = app('127.0.0.1:5002/secret/app:1', 'IfNotPresent');
  const r = await mgr.ensureImage(pod([c]), c);
  const err = 'rpc error: code = Unknown desc = failed to pull and unpack image "127.0.0.1:5002/secret/app:1": unexpected status code 401 Unauthorized';
  assert.deepEqual(r, { ok: false, reason: 'ErrImagePull', message: err });
  assert.deepEqual(recorder.lines(), [
    'Normal Pulling: Pulling image "127.0.0.1:5002/secret/app:1"',
    `Warning Failed: Failed to pull image "127.0.0.1:5002/secret/app:1": ${err}`,
    'Warning Failed: Error: ErrImagePull',
  ]);
  assert.ok(recorder.events.every((e) => e.fieldPath === 'spec.containers{app}'));
});

test('back-off: 10 s doubling to 300 s per pod and image, forgotten after 2×max', async () => {
  const { cri, recorder, mgr, clock } = setup();
  cri.onPull = (call) => {
    throw new CriError('PullImage', 5, `failed to resolve ${call.image}: not found`);
  };
  const c = app('127.0.0.1:5000/missing:1', 'IfNotPresent');
  const p = pod([c]);
  await mgr.ensureImage(p, c); // failure #1 → 10 s
  assert.equal(cri.pulls.length, 1);

  recorder.clear();
  const r = await mgr.ensureImage(p, c);
  assert.deepEqual(r, { ok: false, reason: 'ImagePullBackOff', message: 'Back-off pulling image "127.0.0.1:5000/missing:1"' });
  assert.deepEqual(recorder.lines(), [
    'Normal BackOff: Back-off pulling image "127.0.0.1:5000/missing:1"',
    'Warning Failed: Error: ImagePullBackOff',
  ]);
  assert.equal(cri.pulls.length, 1);

  // Another pod with the same image has its own back-off.
  const other = pod([c], {}, 'uid-2');
  assert.equal((await mgr.ensureImage(other, c)).ok, false);
  assert.equal(cri.pulls.length, 2);

  const waits: number[] = [];
  let expected = 10_000;
  for (let i = 0; i < 7; i++) {
    clock.advance(expected - 1);
    assert.equal((await mgr.ensureImage(p, c) as any).reason, 'ImagePullBackOff', `still backing off at ${expected - 1} ms`);
    clock.advance(1);
    const before: number = cri.pulls.length;
    const res = await mgr.ensureImage(p, c);
    assert.equal((res as any).reason, 'ErrImagePull');
    assert.equal(cri.pulls.length, before + 1);
    waits.push(expected);
    expected = Math.min(expected * 2, 300_000);
  }
  assert.deepEqual(waits, [10_000, 20_000, 40_000, 80_000, 160_000, 300_000, 300_000]);
  assert.equal(mgr.backoff.get(`uid-1_127.0.0.1:5000/missing:1`), 300_000);

  // Untouched for more than 2×300 s: the next failure starts at 10 s again.
  clock.advance(600_001);
  await mgr.ensureImage(p, c);
  assert.equal(mgr.backoff.get(`uid-1_127.0.0.1:5000/missing:1`), 10_000);
});

test('a success does not reset the back-off (only expiry does), as in the kubelet', async () => {
  const { cri, mgr, clock } = setup();
  let fail = true;
  cri.onPull = (call) => {
    if (fail) throw unknownPullError(call.image, 'boom');
    return makeImage(call.image, 1);
  };
  const c = app('127.0.0.1:5000/flaky:1', 'Always');
  const p = pod([c]);
  await mgr.ensureImage(p, c);
  clock.advance(10_000);
  fail = false;
  assert.equal((await mgr.ensureImage(p, c)).ok, true);
  fail = true;
  clock.advance(1000);
  await mgr.ensureImage(p, c);
  assert.equal(mgr.backoff.get('uid-1_127.0.0.1:5000/flaky:1'), 20_000);
});

test('invalid image name: InspectFailed and Error: InvalidImageName, no runtime calls', async () => {
  const { cri, recorder, mgr } = setup();
  const c = app('Nginx:1', 'IfNotPresent');
  const r = await mgr.ensureImage(pod([c]), c);
  const msg = 'Failed to apply default image tag "Nginx:1": couldn\'t parse image name "Nginx:1": invalid reference format: repository name (library/Nginx) must be lowercase';
  assert.deepEqual(r, { ok: false, reason: 'InvalidImageName', message: msg });
  assert.deepEqual(recorder.lines(), [`Warning InspectFailed: ${msg}`, 'Warning Failed: Error: InvalidImageName']);
  assert.equal(cri.pulls.length, 0);
});

test('image status failure: ImageInspectError', async () => {
  const { cri, recorder, mgr } = setup();
  cri.statusError = new CriError('ImageStatus', 14, 'connection refused');
  const c = app('x.io/a:1', 'IfNotPresent');
  const r = await mgr.ensureImage(pod([c]), c);
  assert.deepEqual(r, { ok: false, reason: 'ImageInspectError', message: 'Failed to inspect image "": rpc error: code = Unavailable desc = connection refused' });
  assert.deepEqual(recorder.lines(), [
    'Warning InspectFailed: Failed to inspect image "": rpc error: code = Unavailable desc = connection refused',
    'Warning Failed: Error: ImageInspectError',
  ]);
});

test('init container events point at spec.initContainers', async () => {
  const { cri, recorder, mgr } = setup();
  cri.images.push(makeImage('a.io/init:1', 1));
  const init = { name: 'setup', image: 'a.io/init:1', imagePullPolicy: 'IfNotPresent' };
  await mgr.ensureImage(pod([app('a.io/x:1')], { initContainers: [init] }), init);
  assert.equal(recorder.events[0].fieldPath, 'spec.initContainers{setup}');
});

const b64 = (s: string) => Buffer.from(s).toString('base64');
function dockerConfigJsonSecret(name: string, auths: Record<string, unknown>): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name, namespace: 'ns1' },
    type: 'kubernetes.io/dockerconfigjson',
    data: { '.dockerconfigjson': b64(JSON.stringify({ auths })) },
  };
}

test('pull secrets: missing ones are reported, matching credentials go to the runtime', async () => {
  const { cri, recorder, client, mgr } = setup();
  client.secrets.set('ns1/regcred', dockerConfigJsonSecret('regcred', { 'http://127.0.0.1:5002': { username: 'alice', password: 's3cret' } }));
  client.secrets.set('ns1/other', dockerConfigJsonSecret('other', { 'quay.io': { username: 'q', password: 'q' } }));
  const c = app('127.0.0.1:5002/team/app:1', 'IfNotPresent');
  const p = pod([c], { imagePullSecrets: [{ name: 'gone' }, { name: '' }, { name: 'regcred' }, { name: 'other' }, { name: 'gone2' }] });
  const r = await mgr.ensureImage(p, c);
  assert.equal(r.ok, true);
  assert.deepEqual(client.gets, ['ns1/gone', 'ns1/regcred', 'ns1/other', 'ns1/gone2']);
  assert.deepEqual(cri.pulls, [{ image: '127.0.0.1:5002/team/app:1', auth: { username: 'alice', password: 's3cret' } }]);
  assert.deepEqual(recorder.lines().slice(0, 2), [
    'Warning FailedToRetrieveImagePullSecret: Unable to retrieve some image pull secrets (gone, gone2); attempting to pull the image may not succeed.',
    'Normal Pulling: Pulling image "127.0.0.1:5002/team/app:1"',
  ]);
  // The secrets warning is about the pod, not the container.
  assert.equal(recorder.events[0].fieldPath, undefined);
  assert.equal(recorder.events[0].name, 'web');
});

test('pull secrets: each candidate is tried until one works; all failing aggregates the errors', async () => {
  const { cri, recorder, client, mgr } = setup();
  client.secrets.set('ns1/a', dockerConfigJsonSecret('a', { '127.0.0.1:5002/team': { auth: b64('first:1') } }));
  client.secrets.set('ns1/b', dockerConfigJsonSecret('b', { '127.0.0.1:5002': { auth: b64('second:2') } }));
  const accept = new Set(['second']);
  cri.onPull = (call) => {
    if (!accept.has(call.auth?.username ?? '')) throw unknownPullError(call.image, `401 Unauthorized for ${call.auth?.username}`);
    return makeImage(call.image, 10);
  };
  const c = app('127.0.0.1:5002/team/app:1', 'Always');
  const p = pod([c], { imagePullSecrets: [{ name: 'b' }, { name: 'a' }] });
  assert.equal((await mgr.ensureImage(p, c)).ok, true);
  assert.deepEqual(cri.pulls.map((x) => x.auth?.username), ['first', 'second']);

  accept.clear();
  cri.pulls = [];
  recorder.clear();
  const p2 = pod([c], { imagePullSecrets: [{ name: 'b' }, { name: 'a' }] }, 'uid-9');
  const r = await mgr.ensureImage(p2, c);
  const e1 = 'rpc error: code = Unknown desc = failed to pull and unpack image "127.0.0.1:5002/team/app:1": 401 Unauthorized for first';
  const e2 = 'rpc error: code = Unknown desc = failed to pull and unpack image "127.0.0.1:5002/team/app:1": 401 Unauthorized for second';
  assert.deepEqual(r, { ok: false, reason: 'ErrImagePull', message: `[${e1}, ${e2}]` });
  assert.equal(recorder.lines()[1], `Warning Failed: Failed to pull image "127.0.0.1:5002/team/app:1": [${e1}, ${e2}]`);
});

test('no matching credential: pulled without auth', async () => {
  const { cri, client, mgr } = setup();
  client.secrets.set('ns1/q', dockerConfigJsonSecret('q', { 'quay.io': { username: 'q', password: 'q' } }));
  const c = app('127.0.0.1:5000/x:1', 'IfNotPresent');
  await mgr.ensureImage(pod([c], { imagePullSecrets: [{ name: 'q' }] }), c);
  assert.deepEqual(cri.pulls, [{ image: '127.0.0.1:5000/x:1' }]);
});

test('a malformed pull secret fails the pull', async () => {
  const { cri, client, mgr } = setup();
  client.secrets.set('ns1/bad', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'bad', namespace: 'ns1' }, type: 'kubernetes.io/dockerconfigjson', data: { '.dockerconfigjson': b64('{oops') } });
  const c = app('127.0.0.1:5000/x:1', 'IfNotPresent');
  const r = await mgr.ensureImage(pod([c], { imagePullSecrets: [{ name: 'bad' }] }), c);
  assert.equal(r.ok, false);
  assert.equal((r as any).reason, 'ErrImagePull');
  assert.match((r as any).message, /^failed to parse image pull secret ns1\/bad: /);
  assert.equal(cri.pulls.length, 0);
});

test('pulls are serialised; waiting time shows in "including waiting"', async () => {
  const { cri, recorder, mgr, clock } = setup();
  const gates: (() => void)[] = [];
  const waiting = (): number => gates.length;
  cri.pullGate = () => new Promise<void>((r) => gates.push(r));
  cri.onPull = (call) => {
    clock.advance(500);
    return makeImage(call.image, 1);
  };
  const a = app('a.io/one:1', 'IfNotPresent');
  const b = { name: 'b', image: 'a.io/two:1', imagePullPolicy: 'IfNotPresent' };
  const p = pod([a, b]);
  const ra = mgr.ensureImage(p, a);
  const rb = mgr.ensureImage(p, b);
  for (let i = 0; i < 50 && waiting() === 0; i++) await new Promise((r) => setImmediate(r));
  assert.equal(waiting(), 1, 'only the first pull runs');
  gates.shift()!();
  for (let i = 0; i < 50 && waiting() === 0; i++) await new Promise((r) => setImmediate(r));
  assert.equal(waiting(), 1, 'second pull starts after the first');
  gates.shift()!();
  await Promise.all([ra, rb]);
  assert.equal(cri.maxActive, 1);
  const pulled = recorder.lines().filter((l) => l.startsWith('Normal Pulled'));
  assert.deepEqual(pulled, [
    'Normal Pulled: Successfully pulled image "a.io/one:1" in 500ms (500ms including waiting). Image size: 1 bytes.',
    'Normal Pulled: Successfully pulled image "a.io/two:1" in 500ms (1s including waiting). Image size: 1 bytes.',
  ]);
});

test('a missing pull policy is defaulted like the API server', async () => {
  const { cri, mgr } = setup();
  cri.images.push(makeImage('a.io/x:latest', 1), makeImage('a.io/y:2', 1));
  const latest = app('a.io/x');
  await mgr.ensureImage(pod([latest]), latest);
  assert.equal(cri.pulls.length, 1, 'no tag → Always');
  const tagged = app('a.io/y:2');
  await mgr.ensureImage(pod([tagged]), tagged);
  assert.equal(cri.pulls.length, 1, 'tag → IfNotPresent');
});
