import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { readOciIndex } from './archive-reader.js';
import { buildPauseImage, PAUSE_IMAGE_REF, PAUSE_USER, writePauseImageArchive } from './pause-image.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'skiff-oci-pause-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

const indexOf = readOciIndex;

test('pause ref is fully qualified under localhost', () => {
  assert.equal(PAUSE_IMAGE_REF, 'localhost/skiff/pause:3.9');
  assert.equal(PAUSE_USER, '65534:65534');
});

test('pause image runs /bin/sleep infinity as 65534:65534 and is built once', async () => {
  const img = await buildPauseImage();
  assert.equal(await buildPauseImage(), img);
  const config = JSON.parse(img.config.data.toString());
  assert.deepEqual(config.config, { User: '65534:65534', Env: ['PATH=/bin'], Entrypoint: ['/bin/sleep'], Cmd: ['infinity'], WorkingDir: '/' });
  assert.equal(config.os, 'linux');
  assert.equal(img.layers.length, 1);
  // busybox (~2 MB static) compresses to about 1 MB; the layer holds nothing else of size.
  assert.ok(img.layers[0].size > 500_000 && img.layers[0].size < 1_500_000, String(img.layers[0].size));
});

test('writePauseImageArchive uses PAUSE_IMAGE_REF unless told otherwise', async () => {
  const img = await buildPauseImage();
  const a = path.join(tmp, 'default.tar');
  const b = path.join(tmp, 'custom.tar');
  await writePauseImageArchive(a);
  await writePauseImageArchive(b, 'localhost/other/pause:1');
  const ia = await indexOf(a);
  const ib = await indexOf(b);
  assert.deepEqual(ia.manifests.map((m) => [m.digest, m.annotations['org.opencontainers.image.ref.name']]), [[img.manifest.digest, PAUSE_IMAGE_REF]]);
  assert.deepEqual(ib.manifests.map((m) => [m.digest, m.annotations['io.containerd.image.name']]), [[img.manifest.digest, 'localhost/other/pause:1']]);
});
