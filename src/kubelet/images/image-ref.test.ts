import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  ImageReferenceError,
  applyDefaultImageTag,
  normalizeImage,
  parseImageReference,
  registryHost,
} from './image-ref.js';

const sha = 'sha256:' + 'a'.repeat(64);

test('normalizeImage qualifies short names like containerd', () => {
  const cases: [string, string][] = [
    ['nginx', 'docker.io/library/nginx:latest'],
    ['nginx:1.27', 'docker.io/library/nginx:1.27'],
    ['foo/bar', 'docker.io/foo/bar:latest'],
    ['foo/bar/baz:v1', 'docker.io/foo/bar/baz:v1'],
    ['docker.io/nginx', 'docker.io/library/nginx:latest'],
    ['index.docker.io/foo/bar:2', 'docker.io/foo/bar:2'],
    ['127.0.0.1:5000/x:1', '127.0.0.1:5000/x:1'],
    ['localhost/pause:1.0', 'localhost/pause:1.0'],
    ['localhost:5000/a/b', 'localhost:5000/a/b:latest'],
    ['registry.k8s.io/pause:3.9', 'registry.k8s.io/pause:3.9'],
    [`nginx@${sha}`, `docker.io/library/nginx@${sha}`],
    [`nginx:1.2@${sha}`, `docker.io/library/nginx:1.2@${sha}`],
    ['Registry.Example.com/app', 'Registry.Example.com/app:latest'],
    ['[::1]:5000/app:v2', '[::1]:5000/app:v2'],
    ['a__b/c-d.e_f', 'docker.io/a__b/c-d.e_f:latest'],
  ];
  for (const [input, want] of cases) assert.equal(normalizeImage(input), want, input);
});

test('parseImageReference splits domain, path, tag and digest', () => {
  assert.deepEqual(parseImageReference('127.0.0.1:5000/team/app:1.0'), {
    domain: '127.0.0.1:5000',
    path: 'team/app',
    name: '127.0.0.1:5000/team/app',
    tag: '1.0',
  });
  assert.deepEqual(parseImageReference(`busybox@${sha}`), {
    domain: 'docker.io',
    path: 'library/busybox',
    name: 'docker.io/library/busybox',
    digest: sha,
  });
  assert.equal(registryHost('nginx'), 'docker.io');
  assert.equal(registryHost('quay.io/coreos/etcd'), 'quay.io');
  assert.equal(registryHost('myhost:5000/x'), 'myhost:5000');
});

test('parse errors carry distribution/reference texts', () => {
  const cases: [string, string][] = [
    ['', 'invalid reference format'],
    ['nginx:', 'invalid reference format'],
    ['-nginx', 'invalid reference format'],
    ['nginx:a b', 'invalid reference format'],
    ['Nginx', 'invalid reference format: repository name (library/Nginx) must be lowercase'],
    ['foo/Bar:1', 'invalid reference format: repository name (foo/Bar) must be lowercase'],
    ['example.com/Foo', 'invalid reference format: repository name (Foo) must be lowercase'],
    ['a'.repeat(64), `invalid repository name (${'a'.repeat(64)}), cannot specify 64-byte hexadecimal strings`],
    ['nginx@sha256:' + 'a'.repeat(31), 'invalid reference format'],
    ['nginx@sha256:' + 'a'.repeat(63), 'invalid checksum digest length'],
    ['nginx@sha256:' + 'a'.repeat(65), 'invalid checksum digest length'],
    ['nginx@md5:' + 'a'.repeat(32), 'unsupported digest algorithm'],
    ['nginx@sha256:' + 'A'.repeat(64), 'invalid checksum digest format'],
    ['nginx:' + 'x'.repeat(129), 'invalid reference format'],
    ['example.com/' + 'a'.repeat(250), 'repository name must not be more than 255 characters'],
  ];
  for (const [input, want] of cases) {
    assert.throws(() => parseImageReference(input), (e: unknown) => e instanceof ImageReferenceError && e.message === want, input);
  }
});

test('applyDefaultImageTag appends :latest without qualifying, as the kubelet does', () => {
  assert.equal(applyDefaultImageTag('nginx'), 'nginx:latest');
  assert.equal(applyDefaultImageTag('nginx:latest'), 'nginx:latest');
  assert.equal(applyDefaultImageTag('foo/latest'), 'foo/latest:latest');
  assert.equal(applyDefaultImageTag('127.0.0.1:5000/x'), '127.0.0.1:5000/x:latest');
  assert.equal(applyDefaultImageTag('127.0.0.1:5000/x:1'), '127.0.0.1:5000/x:1');
  assert.equal(applyDefaultImageTag(`nginx@${sha}`), `nginx@${sha}`);
});

test('applyDefaultImageTag fails with the InvalidImageName message', () => {
  assert.throws(
    () => applyDefaultImageTag('Bad:Image'),
    { message: 'Failed to apply default image tag "Bad:Image": couldn\'t parse image name "Bad:Image": invalid reference format: repository name (library/Bad) must be lowercase' },
  );
  assert.throws(
    () => applyDefaultImageTag('nginx::1'),
    { message: 'Failed to apply default image tag "nginx::1": couldn\'t parse image name "nginx::1": invalid reference format' },
  );
});
