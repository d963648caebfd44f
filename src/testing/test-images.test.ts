import { readOciIndex } from '../oci/archive-reader.js';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { INDEX_HTML } from '../oci/busybox-rootfs.js';
import { RegistryClient } from '../oci/registry-push.js';
import { REGISTRY_BINARY, startRegistry, type TestRegistry } from './registry.js';
import { buildTestImage, buildTestImages, parseTestImageName, pushTestImages, testImageRef, writeImageArchive } from './test-images.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'skiff-test-images-'));
const registries: TestRegistry[] = [];
after(async () => {
  await Promise.all(registries.map((r) => r.stop()));
  fs.rmSync(tmp, { recursive: true, force: true });
});

function runtimeConfig(image: { config: { data: Buffer } }): Record<string, unknown> {
  return JSON.parse(image.config.data.toString()).config;
}

describe('names and refs', () => {
  test('parseTestImageName follows Docker Hub naming', () => {
    assert.deepEqual(parseTestImageName('nginx:1.25'), { repository: 'library/nginx', tag: '1.25', basename: 'nginx' });
    assert.deepEqual(parseTestImageName('busybox'), { repository: 'library/busybox', tag: 'latest', basename: 'busybox' });
    assert.deepEqual(parseTestImageName('team/web/nginx:v2'), { repository: 'team/web/nginx', tag: 'v2', basename: 'nginx' });
    assert.throws(() => parseTestImageName('nginx:'), /invalid image name "nginx:"/);
  });

  test('testImageRef is the fully qualified pull reference', () => {
    assert.equal(testImageRef('127.0.0.1:5000', 'nginx:1.25'), '127.0.0.1:5000/library/nginx:1.25');
    assert.equal(testImageRef('127.0.0.1:5000', 'tomcat:9'), '127.0.0.1:5000/library/tomcat:9');
  });
});

describe('buildTestImages', () => {
  test('one shared layer, a default command per name', async () => {
    const imgs = await buildTestImages();
    assert.equal(imgs.general, imgs.busybox);
    assert.equal(imgs.nginx.layers[0].digest, imgs.busybox.layers[0].digest);
    assert.equal(imgs.tomcat.layers[0].digest, imgs.busybox.layers[0].digest);
    const path_ = 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
    assert.deepEqual(runtimeConfig(imgs.busybox), { Env: [path_], Cmd: ['sh'] });
    assert.deepEqual(runtimeConfig(imgs.nginx), { ExposedPorts: { '80/tcp': {} }, Env: [path_], Cmd: ['sh', '-c', "trap 'kill $pid; exit 0' TERM; httpd -f -p 80 -h /www & pid=$!; wait $pid"] });
    assert.deepEqual(runtimeConfig(imgs.tomcat), { ExposedPorts: { '8080/tcp': {} }, Env: [path_], Cmd: ['sh', '-c', "trap 'kill $pid; exit 0' TERM; httpd -f -p 8080 -h /www & pid=$!; wait $pid"] });
    assert.equal(await buildTestImage('nginx:1.25'), imgs.nginx); // cached
    assert.equal(await buildTestImage('something/else:3'), imgs.busybox); // unknown names get busybox
  });

  test('the nginx image serves /www with httpd (chroot into the unpacked layer)', async (t) => {
    if (process.getuid?.() !== 0) return t.skip('chroot needs root');
    const { nginx } = await buildTestImages();
    const root = path.join(tmp, 'nginx-root');
    fs.mkdirSync(root);
    fs.writeFileSync(path.join(tmp, 'nginx.tgz'), nginx.layers[0].data);
    execFileSync('tar', ['-xzf', path.join(tmp, 'nginx.tgz'), '-C', root]);
    const port = await new Promise<number>((resolve) => {
      const s = net.createServer().listen(0, '127.0.0.1', () => {
        const p = (s.address() as net.AddressInfo).port;
        s.close(() => resolve(p));
      });
    });
    // Same command as the image's Cmd, but on a free loopback port instead of :80.
    const proc = spawn('chroot', [root, '/bin/httpd', '-f', '-p', `127.0.0.1:${port}`, '-h', '/www'], { stdio: 'ignore' });
    try {
      let body = '';
      for (let i = 0; i < 100 && body === ''; i++) {
        body = await new Promise<string>((resolve) => {
          http
            .get({ host: '127.0.0.1', port, path: '/', agent: false }, (res) => {
              let b = '';
              res.on('data', (d) => (b += d));
              res.on('end', () => resolve(b));
            })
            .on('error', () => setTimeout(() => resolve(''), 20));
        });
      }
      assert.equal(body, INDEX_HTML);
    } finally {
      proc.kill('SIGKILL');
    }
  });

  test('writeImageArchive names the image with the given ref', async () => {
    const file = path.join(tmp, 'nginx.tar');
    await writeImageArchive(file, 'nginx:1.25', 'localhost/skiff/nginx:1.25');
    const index = await readOciIndex(file);
    assert.equal(index.manifests.length, 1);
    assert.equal(index.manifests[0].digest, (await buildTestImages()).nginx.manifest.digest);
    assert.equal(index.manifests[0].annotations['org.opencontainers.image.ref.name'], 'localhost/skiff/nginx:1.25');
  });
});

describe('pushTestImages', { skip: fs.existsSync(REGISTRY_BINARY) ? false : `${REGISTRY_BINARY} missing` }, () => {
  test('pushes the default names to an open registry', async () => {
    const reg = await startRegistry({ dir: path.join(tmp, 'open') });
    registries.push(reg);
    const refs = await pushTestImages(reg);
    assert.deepEqual(refs, {
      'busybox:1.36': `${reg.host}/library/busybox:1.36`,
      'nginx:1.25': `${reg.host}/library/nginx:1.25`,
      'tomcat:9': `${reg.host}/library/tomcat:9`,
    });
    const imgs = await buildTestImages();
    const client = new RegistryClient(reg.url);
    assert.equal((await client.getManifest('library/nginx', '1.25')).digest, imgs.nginx.manifest.digest);
    assert.equal((await client.getManifest('library/tomcat', '9')).digest, imgs.tomcat.manifest.digest);
    assert.equal((await client.getManifest('library/busybox', '1.36')).digest, imgs.busybox.manifest.digest);
    await reg.stop();
  });

  test('uses the registry auth by default, or explicit creds', async () => {
    const reg = await startRegistry({ dir: path.join(tmp, 'auth'), auth: { username: 'ci', password: 'pw' } });
    registries.push(reg);
    assert.deepEqual(await pushTestImages(reg, ['nginx:1.25']), { 'nginx:1.25': `${reg.host}/library/nginx:1.25` });
    await assert.rejects(pushTestImages({ url: reg.url }, ['busybox:1.36'], { username: 'ci', password: 'bad' }), /HTTP 401/);
    assert.deepEqual(await pushTestImages({ url: reg.url }, ['private/tool:2'], { username: 'ci', password: 'pw' }), {
      'private/tool:2': `${reg.host}/private/tool:2`,
    });
    await reg.stop();
  });
});
