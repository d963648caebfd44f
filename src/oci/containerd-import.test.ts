// Integration: the images built here load into a real containerd 1.6, both by
// `ctr images import` of an OCI archive (the pause image) and by CRI PullImage
// from a loopback docker-registry (the test images), with and without auth.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import type { CriRuntime } from '../kubelet/cri/api.js';
import { containerdSkipReason, startTestContainerd, type TestContainerd } from '../testing/containerd-fixture.js';
import { startRegistry, type TestRegistry } from '../testing/registry.js';
import { buildTestImages, pushTestImages } from '../testing/test-images.js';
import { buildPauseImage, PAUSE_IMAGE_REF, writePauseImageArchive } from './pause-image.js';

const run = promisify(execFile);

describe('images in a throwaway containerd', { skip: containerdSkipReason({ registry: true }) }, () => {
  let ctrd: TestContainerd;
  let dir: string;
  let cri: CriRuntime;
  let open: TestRegistry;
  let secured: TestRegistry;
  const ctr = async (...args: string[]) => (await run('ctr', ['-a', ctrd.socket, '-n', 'k8s.io', ...args])).stdout;

  before(async () => {
    // No pause image: the first test imports it by hand.
    ctrd = await startTestContainerd({ prefix: 'skoci-', pause: false });
    dir = ctrd.dir;
    cri = ctrd.cri;
    [open, secured] = await Promise.all([
      startRegistry({ dir: path.join(dir, 'reg-open') }),
      startRegistry({ dir: path.join(dir, 'reg-auth'), auth: { username: 'kube', password: 'let-me-in' } }),
    ]);
  });

  after(async () => {
    await Promise.all([open?.stop(), secured?.stop()]);
    await ctrd?.stop();
  });

  test('ctr imports the pause archive under its ref; CRI sees it with uid 65534; rootfs unpacks', async () => {
    const archive = path.join(dir, 'pause.tar');
    await writePauseImageArchive(archive);
    await ctr('images', 'import', archive);
    const pause = await buildPauseImage();
    const listed = (await ctr('images', 'ls', '-q')).trim().split('\n');
    assert.ok(listed.includes(PAUSE_IMAGE_REF), listed.join(','));

    // The CRI plugin picks the import up through events; give it a moment.
    let status = await cri.imageStatus(PAUSE_IMAGE_REF);
    for (let i = 0; !status && i < 100; i++) {
      await new Promise((r) => setTimeout(r, 50));
      status = await cri.imageStatus(PAUSE_IMAGE_REF);
    }
    assert.ok(status, 'CRI does not know the pause image');
    assert.equal(status.id, pause.config.digest);
    assert.deepEqual(status.repo_tags, [PAUSE_IMAGE_REF]);
    assert.equal(status.uid?.value !== undefined ? Number(status.uid.value) : undefined, 65534);

    const mnt = path.join(dir, 'mnt');
    fs.mkdirSync(mnt);
    await ctr('images', 'mount', PAUSE_IMAGE_REF, mnt);
    try {
      assert.equal(fs.readlinkSync(path.join(mnt, 'bin/sleep')), 'busybox');
      assert.equal(fs.statSync(path.join(mnt, 'bin/busybox')).mode & 0o7777, 0o755);
      assert.equal(fs.statSync(path.join(mnt, 'tmp')).mode & 0o7777, 0o1777);
    } finally {
      await ctr('images', 'unmount', '--rm', mnt);
    }
  });

  test('CRI pulls the pushed test images from an open registry', async () => {
    const refs = await pushTestImages(open, ['busybox:1.36']);
    const { busybox } = await buildTestImages();
    const id = await cri.pullImage(refs['busybox:1.36']);
    assert.equal(id, busybox.config.digest);
    const status = await cri.imageStatus(refs['busybox:1.36']);
    assert.deepEqual(status?.repo_tags, [`${open.host}/library/busybox:1.36`]);
    assert.deepEqual(status?.repo_digests, [`${open.host}/library/busybox@${busybox.manifest.digest}`]);
  });

  test('CRI pulls from the htpasswd registry only with the right credentials', async () => {
    const refs = await pushTestImages(secured, ['nginx:1.25']);
    const ref = refs['nginx:1.25'];
    await assert.rejects(cri.pullImage(ref));
    await assert.rejects(cri.pullImage(ref, { username: 'kube', password: 'wrong' }));
    assert.equal(await cri.imageStatus(ref), undefined);
    const { nginx } = await buildTestImages();
    assert.equal(await cri.pullImage(ref, { username: 'kube', password: 'let-me-in' }), nginx.config.digest);
    assert.deepEqual((await cri.imageStatus(ref))?.repo_tags, [`${secured.host}/library/nginx:1.25`]);
  });
});
