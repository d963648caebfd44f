import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  DockerKeyring,
  dockerConfigFromSecret,
  isDefaultRegistryMatch,
  keyringKey,
  toCriAuth,
  urlsMatch,
  type DockerConfig,
} from './keyring.js';

const b64 = (s: string) => Buffer.from(s).toString('base64');
const authOf = (u: string, p: string) => b64(`${u}:${p}`);

function ringWith(config: Record<string, unknown>): DockerKeyring {
  const ring = new DockerKeyring();
  const secret = { type: 'kubernetes.io/dockercfg', data: { '.dockercfg': b64(JSON.stringify(config)) } };
  ring.add(dockerConfigFromSecret(secret)!);
  return ring;
}

test('urlsMatch: host globs, ports and path prefixes', () => {
  const cases: [string, string, boolean][] = [
    ['*.kubernetes.io', 'prefix.kubernetes.io', true],
    ['prefix.*.io', 'prefix.kubernetes.io', true],
    ['prefix.kubernetes.*', 'prefix.kubernetes.io', true],
    ['*-good.kubernetes.io', 'prefix-good.kubernetes.io', true],
    ['*.kubernetes.io/blah', 'prefix.kubernetes.io/blah', true],
    ['prefix.*.io/foo', 'prefix.kubernetes.io/foo/bar', true],
    ['*.kubernetes.io:1111/blah', 'prefix.kubernetes.io:1111/blah', true],
    ['prefix.*.io:1111/foo', 'prefix.kubernetes.io:1111/foo/bar', true],
    ['*.kubernetes.io', 'kubernetes.io', false],
    ['*.*.kubernetes.io', 'prefix.kubernetes.io', false],
    ['*.*.kubernetes.io', 'kubernetes.io', false],
    ['kubernetes.io', 'kubernetes.com', false],
    ['k*.io', 'quay.io', false],
    ['*.kubernetes.io:1234/blah', 'prefix.kubernetes.io:1111/blah', false],
    ['prefix.*.io/foo', 'prefix.kubernetes.io:1111/foo/bar', false],
    ['127.0.0.1:5002', '127.0.0.1:5002/team/app', true],
    ['127.0.0.1:5002', '127.0.0.1:5001/team/app', false],
    ['127.0.0.1', '127.0.0.1:5002/team/app', false],
    // '?' starts a URL query, as in Go's url.Parse, so it is no glob here.
    ['reg?.example.com', 'reg1.example.com/x', false],
    ['reg[0-2].example.com', 'reg1.example.com/x', true],
    ['reg[^0-2].example.com', 'reg1.example.com/x', false],
    ['reg[0-2].example.com', 'reg3.example.com/x', false],
  ];
  for (const [glob, target, want] of cases) assert.equal(urlsMatch(glob, target), want, `${glob} vs ${target}`);
});

test('keyring finds credentials for globbed keys (Kubernetes TestDockerKeyringForGlob)', () => {
  const cases: [string, string][] = [
    ['https://hello.kubernetes.io', 'hello.kubernetes.io'],
    ['https://*.docker.io', 'prefix.docker.io'],
    ['https://prefix.*.io', 'prefix.docker.io'],
    ['https://prefix.docker.*', 'prefix.docker.io'],
    ['https://*.docker.io/path', 'prefix.docker.io/path'],
    ['https://prefix.*.io/path', 'prefix.docker.io/path/subpath'],
    ['https://prefix.docker.*/path', 'prefix.docker.io/path'],
    ['https://*.docker.io:8888', 'prefix.docker.io:8888'],
    ['https://prefix.*.io:8888', 'prefix.docker.io:8888'],
    ['https://prefix.docker.*:8888', 'prefix.docker.io:8888'],
    ['https://*.docker.io/path:1111', 'prefix.docker.io/path:1111'],
    ['https://*.docker.io/v1/', 'prefix.docker.io/path:1111'],
    ['https://*.docker.io/v2/', 'prefix.docker.io/path:1111'],
    ['https://prefix.docker.*/path:1111', 'prefix.docker.io/path:1111'],
    ['prefix.docker.io:1111', 'prefix.docker.io:1111/path'],
    ['*.docker.io:1111', 'prefix.docker.io:1111/path'],
  ];
  for (const [key, target] of cases) {
    const ring = ringWith({ [key]: { email: 'foo@bar.baz', auth: authOf('foo', 'bar') } });
    const creds = ring.lookup(`${target}/foo/bar`);
    assert.equal(creds.length, 1, `${key} should match ${target}`);
    assert.deepEqual(creds[0], { username: 'foo', password: 'bar', email: 'foo@bar.baz' });
  }
});

test('keyring misses (Kubernetes TestKeyringMiss)', () => {
  const cases: [string, string][] = [
    ['https://hello.kubernetes.io', 'world.mesos.org/foo/bar'],
    ['https://*.docker.com', 'prefix.docker.io'],
    ['https://suffix.*.io', 'prefix.docker.io'],
    ['https://prefix.docker.c*', 'prefix.docker.io'],
    ['https://prefix.*.io/path:1111', 'prefix.docker.io/path/subpath:1111'],
    ['suffix.*.io', 'prefix.docker.io'],
  ];
  for (const [key, target] of cases) {
    const ring = ringWith({ [key]: { auth: authOf('foo', 'bar') } });
    assert.deepEqual(ring.lookup(`${target}/foo/bar`), [], `${key} must not match ${target}`);
  }
});

test('Docker Hub credentials apply to Docker Hub images only', () => {
  const ring = ringWith({ 'https://index.docker.io/v1/': { auth: authOf('hub', 'pw') } });
  assert.equal(keyringKey('https://index.docker.io/v1/'), 'index.docker.io');
  assert.deepEqual(ring.lookup('world.mesos.org/foo/bar'), []);
  assert.deepEqual(ring.lookup('google/docker-registry'), [{ username: 'hub', password: 'pw' }]);
  assert.deepEqual(ring.lookup('jenkins'), [{ username: 'hub', password: 'pw' }]);
  assert.deepEqual(ring.lookup('docker.io/library/nginx'), [{ username: 'hub', password: 'pw' }]);
  assert.deepEqual(ring.lookup('index.docker.io/v1//google/docker-registry'), [{ username: 'hub', password: 'pw' }]);
});

test('isDefaultRegistryMatch (Kubernetes cases)', () => {
  const cases: [string, boolean][] = [
    ['foo/bar', true],
    ['docker.io/foo/bar', true],
    ['index.docker.io/foo/bar', true],
    ['foo', true],
    ['', false],
    ['registry.tld/foo/bar', false],
    ['registry:5000/foo/bar', false],
    ['myhostdocker.io/foo/bar', false],
  ];
  for (const [image, want] of cases) assert.equal(isDefaultRegistryMatch(image), want, image);
});

test('more specific paths come first, and every matching credential is a candidate', () => {
  const ring = new DockerKeyring();
  ring.add({ 'quay.io': { username: 'host', password: '1' }, 'quay.io/coreos': { username: 'ns', password: '2' } } as DockerConfig);
  ring.add({ 'https://quay.io': { username: 'host2', password: '3' } });
  assert.deepEqual(
    ring.lookup('quay.io/coreos/etcd').map((c) => c.username),
    ['ns', 'host', 'host2'],
  );
  assert.deepEqual(ring.lookup('quay.io/other/etcd').map((c) => c.username), ['host', 'host2']);
});

test('dockerConfigFromSecret reads both secret types; auth overrides username/password', () => {
  const json = {
    type: 'kubernetes.io/dockerconfigjson',
    data: { '.dockerconfigjson': b64(JSON.stringify({ auths: { '127.0.0.1:5002': { username: 'x', password: 'y', auth: authOf('u', 'p:with:colons') } } })) },
  };
  assert.deepEqual(dockerConfigFromSecret(json), { '127.0.0.1:5002': { username: 'u', password: 'p:with:colons' } });
  const cfg = { type: 'kubernetes.io/dockercfg', data: { '.dockercfg': b64(JSON.stringify({ 'reg.example.com': { username: 'a', password: 'b', email: 'e@x' } })) } };
  assert.deepEqual(dockerConfigFromSecret(cfg), { 'reg.example.com': { username: 'a', password: 'b', email: 'e@x' } });
  // Wrong type or key: not a pull secret.
  assert.equal(dockerConfigFromSecret({ type: 'Opaque', data: { '.dockerconfigjson': json.data['.dockerconfigjson'] } }), undefined);
  assert.equal(dockerConfigFromSecret({ type: 'kubernetes.io/dockerconfigjson', data: {} }), undefined);
  assert.throws(() => dockerConfigFromSecret({ type: 'kubernetes.io/dockercfg', data: { '.dockercfg': b64('{not json') } }));
  assert.throws(
    () => dockerConfigFromSecret({ type: 'kubernetes.io/dockercfg', data: { '.dockercfg': b64(JSON.stringify({ h: { auth: b64('nocolon') } })) } }),
    { message: 'unable to parse auth field, must be formatted as base64(username:password)' },
  );
});

test('toCriAuth leaves server_address empty', () => {
  assert.deepEqual(toCriAuth({ username: 'u', password: 'p', email: 'e' }), { username: 'u', password: 'p' });
});
