// Against a real containerd and a real htpasswd registry: a pull without a
// secret fails with the registry's 401, the same pull with a dockerconfigjson
// secret works, IfNotPresent then finds the image, node status lists it, and
// GC removes it when the disk is "full".

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import type { KubeObject } from '../../client/index.js';
import type { CriRuntime } from '../cri/api.js';
import { PAUSE_IMAGE_REF } from '../../oci/pause-image.js';
import { containerdSkipReason, startTestContainerd, type TestContainerd } from '../../testing/containerd-fixture.js';
import { startRegistry, type TestRegistry } from '../../testing/registry.js';
import { pushTestImages } from '../../testing/test-images.js';
import type { KubeletContext } from '../contracts.js';
import { ImageManager } from './image-manager.js';
import { FakeClock, FakeRecorder, FakeSecretsClient } from './fake-image-runtime.js';

const skip = containerdSkipReason({ registry: true });

const AUTH = { username: 'alice', password: 'wonder-land' };

let ctrd: TestContainerd | undefined;
let dir = '';
let registry: TestRegistry | undefined;
let cri: CriRuntime | undefined;
let imageRef = '';

before(async () => {
  if (skip) return;
  ctrd = await startTestContainerd({ prefix: 'skimg-', pause: false });
  cri = ctrd.cri;
  dir = ctrd.dir;
  registry = await startRegistry({ dir: path.join(dir, 'registry'), auth: AUTH });
  imageRef = (await pushTestImages(registry, ['busybox:1.36']))['busybox:1.36'];
});

after(async () => {
  await registry?.stop();
  await ctrd?.stop();
});

function context(recorder: FakeRecorder, client: FakeSecretsClient, clock: FakeClock): KubeletContext {
  return {
    nodeName: 'img-node',
    nodeIP: '127.0.0.1',
    client: client as any,
    cri: cri!,
    recorder: recorder as any,
    paths: { dataDir: dir, podsDir: path.join(dir, 'pods'), podLogsDir: path.join(dir, 'logs') },
    clusterDNS: [],
    clusterDomain: 'cluster.local',
    pauseImage: PAUSE_IMAGE_REF,
    now: clock.now,
  };
}

const pod = (uid: string, secrets: string[]): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'app', namespace: 'default', uid },
  spec: { containers: [{ name: 'c', image: imageRef, imagePullPolicy: 'IfNotPresent' }], imagePullSecrets: secrets.map((name) => ({ name })) },
});

test('pulls from an htpasswd registry: 401 without a secret, success with a dockerconfigjson secret', { skip }, async () => {
  const recorder = new FakeRecorder();
  const client = new FakeSecretsClient();
  const clock = new FakeClock();
  const mgr = new ImageManager({ ctx: context(recorder, client, clock), now: () => new Date() });
  const container = pod('u1', []).spec.containers[0];

  const denied = await mgr.ensureImage(pod('u1', []), container);
  assert.equal(denied.ok, false);
  assert.equal((denied as any).reason, 'ErrImagePull');
  const msg: string = (denied as any).message;
  assert.ok(msg.startsWith(`rpc error: code = Unknown desc = failed to pull and unpack image "${imageRef}": `), msg);
  assert.match(msg, /401 Unauthorized/);
  assert.deepEqual(recorder.lines(), [
    `Normal Pulling: Pulling image "${imageRef}"`,
    `Warning Failed: Failed to pull image "${imageRef}": ${msg}`,
    'Warning Failed: Error: ErrImagePull',
  ]);

  client.secrets.set('default/regcred', {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 'regcred', namespace: 'default' },
    type: 'kubernetes.io/dockerconfigjson',
    data: {
      '.dockerconfigjson': Buffer.from(JSON.stringify({ auths: { [registry!.url]: { auth: Buffer.from(`${AUTH.username}:${AUTH.password}`).toString('base64') } } })).toString('base64'),
    },
  });
  recorder.clear();
  const ok = await mgr.ensureImage(pod('u2', ['regcred']), container);
  assert.equal(ok.ok, true, JSON.stringify(ok));
  assert.match((ok as any).imageRef, /^sha256:[0-9a-f]{64}$/);
  assert.equal(recorder.lines()[0], `Normal Pulling: Pulling image "${imageRef}"`);
  assert.match(
    recorder.lines()[1],
    new RegExp(`^Normal Pulled: Successfully pulled image "${imageRef.replace(/[.]/g, '\\.')}" in \\d+(\\.\\d+)?m?s \\(\\d+(\\.\\d+)?m?s including waiting\\)\\. Image size: [1-9]\\d* bytes\\.$`),
  );
  assert.equal(recorder.lines().length, 2);

  recorder.clear();
  const again = await mgr.ensureImage(pod('u3', []), container);
  assert.deepEqual(again, ok);
  assert.deepEqual(recorder.lines(), [`Normal Pulled: Container image "${imageRef}" already present on machine`]);

  const nodeImages = await mgr.imagesForNodeStatus();
  const mine = nodeImages.find((i) => i.names.includes(imageRef));
  assert.ok(mine, JSON.stringify(nodeImages));
  assert.ok(mine.sizeBytes > 0);
  assert.ok(mine.names.some((n) => n.includes('@sha256:')), 'repo digest listed');

  // A "full" disk: the unused image goes.
  await mgr.gc.garbageCollect({ statfsPath: dir, fsUsage: async () => ({ capacityBytes: 1e12, availableBytes: 0 }), minAgeMs: 0 }).catch(() => undefined);
  assert.equal(await cri!.imageStatus(imageRef), undefined);
});
