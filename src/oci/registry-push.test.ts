import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { REGISTRY_BINARY, startRegistry, type TestRegistry } from '../testing/registry.js';
import { buildImage, type BuiltImage } from './image-builder.js';
import { isLoopbackHost, pushImage, RegistryClient, RegistryError } from './registry-push.js';

const haveRegistry = fs.existsSync(REGISTRY_BINARY);
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'skiff-oci-push-'));
let image: BuiltImage;
before(async () => {
  image = await buildImage({ files: [{ type: 'file', path: '/hello', content: 'hi\n' }], config: { Cmd: ['cat', '/hello'] } });
});
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('pushImage to an open registry', { skip: haveRegistry ? false : `${REGISTRY_BINARY} missing` }, () => {
  let reg: TestRegistry;
  before(async () => {
    reg = await startRegistry({ dir: path.join(tmp, 'open') });
  });
  after(() => reg.stop());

  test('uploads blobs and manifest; the manifest comes back byte-identical', async () => {
    const result = await pushImage(image, { registry: reg.url, repository: 'library/hello', tag: '1.0' });
    assert.deepEqual(result, { ref: `${reg.host}/library/hello:1.0`, digest: image.manifest.digest, uploadedBlobs: 2, existingBlobs: 0 });
    const client = new RegistryClient(reg.url);
    const got = await client.getManifest('library/hello', '1.0');
    assert.equal(got.mediaType, 'application/vnd.oci.image.manifest.v1+json');
    assert.equal(got.digest, image.manifest.digest);
    assert.deepEqual(got.data, image.manifest.data);
    const byDigest = await client.getManifest('library/hello', image.manifest.digest);
    assert.deepEqual(byDigest.data, image.manifest.data);
    const blob = await client.request('GET', `/v2/library/hello/blobs/${image.config.digest}`);
    assert.equal(blob.status, 200);
    assert.deepEqual(blob.body, image.config.data);
  });

  test('a second push finds the blobs already there', async () => {
    await pushImage(image, { registry: reg.url, repository: 'team/again', tag: 'v1' });
    const result = await pushImage(image, { registry: reg.url, repository: 'team/again', tag: 'v2' });
    assert.equal(result.uploadedBlobs, 0);
    assert.equal(result.existingBlobs, 2);
    const tags = await new RegistryClient(reg.url).request('GET', '/v2/team/again/tags/list');
    assert.deepEqual(JSON.parse(tags.body.toString()), { name: 'team/again', tags: ['v1', 'v2'] });
  });

  test('missing manifest is a RegistryError with the v2 error code', async () => {
    await assert.rejects(new RegistryClient(reg.url).getManifest('library/hello', 'nope'), (err: unknown) => {
      assert.ok(err instanceof RegistryError);
      assert.equal(err.status, 404);
      assert.equal(err.code, 'MANIFEST_UNKNOWN');
      return true;
    });
  });
});

describe('pushImage to an htpasswd registry', { skip: haveRegistry ? false : `${REGISTRY_BINARY} missing` }, () => {
  let reg: TestRegistry;
  before(async () => {
    reg = await startRegistry({ dir: path.join(tmp, 'auth'), auth: { username: 'pusher', password: 'p4ss' } });
  });
  after(() => reg.stop());

  test('without credentials: 401', async () => {
    await assert.rejects(pushImage(image, { registry: reg.url, repository: 'private/app', tag: '1' }), (err: unknown) => {
      assert.ok(err instanceof RegistryError);
      assert.equal(err.status, 401);
      assert.equal(err.code, 'UNAUTHORIZED');
      assert.match(err.message, /needs credentials/);
      return true;
    });
  });

  test('with a wrong password: 401', async () => {
    await assert.rejects(pushImage(image, { registry: reg.url, repository: 'private/app', tag: '1', username: 'pusher', password: 'nope' }), (err: unknown) => {
      assert.ok(err instanceof RegistryError);
      assert.equal(err.status, 401);
      return true;
    });
  });

  test('with the right password: pushed and retrievable only with credentials', async () => {
    const result = await pushImage(image, { registry: reg.url, repository: 'private/app', tag: '1', username: 'pusher', password: 'p4ss' });
    assert.equal(result.ref, `${reg.host}/private/app:1`);
    assert.equal(result.uploadedBlobs, 2);
    const got = await new RegistryClient(reg.url, { username: 'pusher', password: 'p4ss' }).getManifest('private/app', '1');
    assert.deepEqual(got.data, image.manifest.data);
    await assert.rejects(new RegistryClient(reg.url).getManifest('private/app', '1'), (err: unknown) => err instanceof RegistryError && err.status === 401);
  });
});

describe('pushImage argument and protocol checks', () => {
  test('loopback detection', () => {
    for (const h of ['127.0.0.1', '127.8.9.10', 'localhost', '::1', '[::1]']) assert.equal(isLoopbackHost(h), true, h);
    for (const h of ['10.0.0.1', 'example.com', '128.0.0.1', '0.0.0.0']) assert.equal(isLoopbackHost(h), false, h);
  });

  test('refuses non-loopback registries, https, bad names and half credentials', async () => {
    await assert.rejects(pushImage(image, { registry: 'http://10.1.2.3:5000', repository: 'a', tag: '1' }), /is not on loopback/);
    await assert.rejects(pushImage(image, { registry: 'https://127.0.0.1:5000', repository: 'a', tag: '1' }), /only http:\/\/ loopback/);
    await assert.rejects(pushImage(image, { registry: 'http://127.0.0.1:1', repository: 'Upper/Case', tag: '1' }), /invalid repository name "Upper\/Case"/);
    await assert.rejects(pushImage(image, { registry: 'http://127.0.0.1:1', repository: 'a', tag: '-bad' }), /invalid tag "-bad"/);
    await assert.rejects(pushImage(image, { registry: 'http://127.0.0.1:1', repository: 'a', tag: '1', username: 'u' }), /both username and password/);
  });

  test('a Bearer challenge is reported as unsupported', async () => {
    const srv = http.createServer((_req, res) => {
      res.writeHead(401, { 'WWW-Authenticate': 'Bearer realm="http://127.0.0.1/token",service="x"' });
      res.end();
    });
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
    try {
      const port = (srv.address() as { port: number }).port;
      await assert.rejects(
        pushImage(image, { registry: `http://127.0.0.1:${port}`, repository: 'a', tag: '1', username: 'u', password: 'p' }),
        /unsupported auth "Bearer realm=/,
      );
    } finally {
      srv.close();
    }
  });

  test('sends Basic credentials after a Basic challenge and follows a relative upload Location', async () => {
    const seen: string[] = [];
    const srv = http.createServer((req, res) => {
      const auth = req.headers.authorization ?? '-';
      seen.push(`${req.method} ${req.url} ${auth}`);
      req.resume();
      req.on('end', () => {
        if (auth !== 'Basic ' + Buffer.from('u:p').toString('base64')) {
          res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="r"' }).end();
        } else if (req.method === 'HEAD') {
          res.writeHead(404).end();
        } else if (req.method === 'POST') {
          res.writeHead(202, { Location: '/v2/a/blobs/uploads/uuid-1?_state=s' }).end();
        } else if (req.url!.startsWith('/v2/a/manifests/')) {
          res.writeHead(201, { 'Docker-Content-Digest': image.manifest.digest }).end();
        } else {
          res.writeHead(201).end();
        }
      });
    });
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
    try {
      const port = (srv.address() as { port: number }).port;
      const result = await pushImage(image, { registry: `http://127.0.0.1:${port}`, repository: 'a', tag: '1', username: 'u', password: 'p' });
      assert.equal(result.uploadedBlobs, 2);
      const b = 'Basic dTpw';
      const [layer, config] = [image.layers[0].digest, image.config.digest];
      assert.deepEqual(seen, [
        `HEAD /v2/a/blobs/${layer} -`,
        `HEAD /v2/a/blobs/${layer} ${b}`,
        `POST /v2/a/blobs/uploads/ ${b}`,
        `PUT /v2/a/blobs/uploads/uuid-1?_state=s&digest=${encodeURIComponent(layer)} ${b}`,
        `HEAD /v2/a/blobs/${config} ${b}`,
        `POST /v2/a/blobs/uploads/ ${b}`,
        `PUT /v2/a/blobs/uploads/uuid-1?_state=s&digest=${encodeURIComponent(config)} ${b}`,
        `PUT /v2/a/manifests/1 ${b}`,
      ]);
    } finally {
      srv.close();
    }
  });
});
