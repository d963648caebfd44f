import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ContainerConfigError } from '../contracts.js';
import { ContainerEnv } from './container-env.js';
import { FakeApi, fakeContext } from './fake-context.js';

const b64 = (s: string) => Buffer.from(s).toString('base64');

function setup() {
  const api = new FakeApi();
  api.put('services', { metadata: { name: 'kubernetes', namespace: 'default' }, spec: { clusterIP: '10.96.0.1', ports: [{ name: 'https', port: 443, protocol: 'TCP' }] } });
  api.put('services', { metadata: { name: 'db', namespace: 'shop' }, spec: { clusterIP: '10.96.0.20', ports: [{ port: 5432 }] } });
  api.put('services', { metadata: { name: 'headless', namespace: 'shop' }, spec: { clusterIP: 'None', ports: [{ port: 80 }] } });
  api.put('services', { metadata: { name: 'other', namespace: 'elsewhere' }, spec: { clusterIP: '10.96.0.30', ports: [{ port: 80 }] } });
  api.put('configmaps', { metadata: { name: 'cfg', namespace: 'shop' }, data: { MODE: 'fast', LEVEL: '3', '1bad': 'x', 'a.b': 'dotted' } });
  api.put('secrets', { metadata: { name: 'creds', namespace: 'shop' }, data: { PASSWORD: b64('s3cret'), token: b64('t0k') } });
  api.put('nodes', { metadata: { name: 'node-1' }, status: { allocatable: { cpu: '4', memory: '8Gi', 'ephemeral-storage': '50Gi' } } });
  const { ctx, events } = fakeContext({ api });
  return { api, ctx, events, env: new ContainerEnv({ ctx }) };
}

const pod = (spec: any = {}) => ({
  metadata: { name: 'web', namespace: 'shop', uid: 'uid-1', labels: { app: 'web' } },
  spec: { nodeName: 'node-1', serviceAccountName: 'default', containers: [], ...spec },
});

const asObject = (kvs: { key: string; value: string }[]) => Object.fromEntries(kvs.map((kv) => [kv.key, kv.value]));

test('envFrom first, env overrides, prefixes, secrets decoded, then service variables', async () => {
  const { env } = setup();
  const c = {
    name: 'app',
    envFrom: [{ configMapRef: { name: 'cfg' } }, { secretRef: { name: 'creds' }, prefix: 'S_' }],
    env: [{ name: 'MODE', value: 'slow' }, { name: 'PLAIN', value: 'p' }],
  };
  const out = await env.envFor(pod(), c, '10.1.0.5');
  assert.deepEqual(out.slice(0, 6), [
    { key: 'MODE', value: 'slow' },
    { key: 'LEVEL', value: '3' },
    { key: 'a.b', value: 'dotted' },
    { key: 'S_PASSWORD', value: 's3cret' },
    { key: 'S_token', value: 't0k' },
    { key: 'PLAIN', value: 'p' },
  ]);
  const all = asObject(out);
  assert.equal(all.DB_SERVICE_HOST, '10.96.0.20');
  assert.equal(all.DB_SERVICE_PORT, '5432');
  assert.equal(all.DB_PORT_5432_TCP, 'tcp://10.96.0.20:5432');
  assert.equal(all.KUBERNETES_SERVICE_HOST, '10.96.0.1');
  assert.equal(all.KUBERNETES_SERVICE_PORT_HTTPS, '443');
  assert.equal(all.OTHER_SERVICE_HOST, undefined);
  assert.equal(all.HEADLESS_SERVICE_HOST, undefined);
  assert.equal(out.length, 6 + 8 + 7);
});

test('invalid envFrom keys are skipped with one InvalidEnvironmentVariableNames event per source', async () => {
  const { env, events } = setup();
  const out = asObject(await env.envFor(pod(), { name: 'app', envFrom: [{ configMapRef: { name: 'cfg' } }] }, ''));
  assert.equal(out['1bad'], undefined);
  assert.deepEqual(events, [
    {
      object: 'shop/web',
      type: 'Warning',
      reason: 'InvalidEnvironmentVariableNames',
      message: 'Keys [1bad] from the EnvFrom configMap shop/cfg were skipped since they are considered invalid environment variable names.',
    },
  ]);
});

test('a prefix can make a key valid', async () => {
  const { env, events } = setup();
  const out = asObject(await env.envFor(pod(), { name: 'app', envFrom: [{ configMapRef: { name: 'cfg' }, prefix: 'P_' }] }, ''));
  assert.equal(out.P_1bad, 'x');
  assert.equal(events.length, 0);
});

test('$(VAR) expands against earlier variables and service variables only', async () => {
  const { env } = setup();
  const c = {
    name: 'app',
    envFrom: [{ configMapRef: { name: 'cfg' } }],
    env: [
      { name: 'URL', value: 'http://$(DB_SERVICE_HOST):$(DB_SERVICE_PORT)/$(MODE)' },
      { name: 'LATER_REF', value: '$(AFTER)' },
      { name: 'AFTER', value: 'a' },
      { name: 'ESCAPED', value: '$$(MODE)' },
      { name: 'SELF', value: '$(URL)!' },
    ],
  };
  const out = asObject(await env.envFor(pod(), c, ''));
  assert.equal(out.URL, 'http://10.96.0.20:5432/fast');
  assert.equal(out.LATER_REF, '$(AFTER)');
  assert.equal(out.ESCAPED, '$(MODE)');
  assert.equal(out.SELF, 'http://10.96.0.20:5432/fast!');
});

test('valueFrom: configMapKeyRef, secretKeyRef, fieldRef, resourceFieldRef', async () => {
  const { env } = setup();
  const c = {
    name: 'app',
    resources: { limits: { memory: '64Mi' } },
    env: [
      { name: 'M', valueFrom: { configMapKeyRef: { name: 'cfg', key: 'MODE' } } },
      { name: 'P', valueFrom: { secretKeyRef: { name: 'creds', key: 'PASSWORD' } } },
      { name: 'NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
      { name: 'NS', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
      { name: 'UID', valueFrom: { fieldRef: { fieldPath: 'metadata.uid' } } },
      { name: 'APP', valueFrom: { fieldRef: { fieldPath: "metadata.labels['app']" } } },
      { name: 'NODE', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } },
      { name: 'SA', valueFrom: { fieldRef: { fieldPath: 'spec.serviceAccountName' } } },
      { name: 'HOST_IP', valueFrom: { fieldRef: { fieldPath: 'status.hostIP' } } },
      { name: 'POD_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
      { name: 'POD_IPS', valueFrom: { fieldRef: { fieldPath: 'status.podIPs' } } },
      { name: 'MEM_MI', valueFrom: { resourceFieldRef: { resource: 'limits.memory', divisor: '1Mi' } } },
      { name: 'CPU', valueFrom: { resourceFieldRef: { resource: 'limits.cpu' } } },
      { name: 'EMPTY', value: '' },
    ],
  };
  const out = asObject(await env.envFor(pod(), c, '10.1.0.5'));
  assert.deepEqual(
    { M: out.M, P: out.P, NAME: out.NAME, NS: out.NS, UID: out.UID, APP: out.APP, NODE: out.NODE, SA: out.SA },
    { M: 'fast', P: 's3cret', NAME: 'web', NS: 'shop', UID: 'uid-1', APP: 'web', NODE: 'node-1', SA: 'default' },
  );
  assert.deepEqual(
    { HOST_IP: out.HOST_IP, POD_IP: out.POD_IP, POD_IPS: out.POD_IPS, MEM_MI: out.MEM_MI, CPU: out.CPU, EMPTY: out.EMPTY },
    { HOST_IP: '192.168.1.10', POD_IP: '10.1.0.5', POD_IPS: '10.1.0.5', MEM_MI: '64', CPU: '4', EMPTY: '' },
  );
});

test('errors carry the kubelet texts as ContainerConfigError', async () => {
  const { env } = setup();
  const cases: [any, string][] = [
    [{ configMapKeyRef: { name: 'nope', key: 'K' } }, 'configmap "nope" not found'],
    [{ configMapKeyRef: { name: 'cfg', key: 'FOO' } }, "couldn't find key FOO in ConfigMap shop/cfg"],
    [{ secretKeyRef: { name: 'nope', key: 'k' } }, 'secret "nope" not found'],
    [{ secretKeyRef: { name: 'creds', key: 'k' } }, "couldn't find key k in Secret shop/creds"],
    [{ fieldRef: { fieldPath: 'spec.bogus' } }, 'field label not supported: spec.bogus'],
    [{ resourceFieldRef: { resource: 'limits.gpu' } }, 'unsupported container resource : limits.gpu'],
  ];
  for (const [valueFrom, message] of cases) {
    await assert.rejects(env.envFor(pod(), { name: 'app', env: [{ name: 'X', valueFrom }] }, ''), (e: unknown) => {
      assert.ok(e instanceof ContainerConfigError, `${message}: ${e}`);
      assert.equal((e as Error).message, message);
      return true;
    });
  }
  await assert.rejects(env.envFor(pod(), { name: 'app', envFrom: [{ secretRef: { name: 'gone' } }] }, ''), {
    name: 'ContainerConfigError',
    message: 'secret "gone" not found',
  });
});

test('optional references that are missing leave the variable out', async () => {
  const { env } = setup();
  const c = {
    name: 'app',
    envFrom: [{ configMapRef: { name: 'nope', optional: true } }],
    env: [
      { name: 'A', valueFrom: { configMapKeyRef: { name: 'nope', key: 'K', optional: true } } },
      { name: 'B', valueFrom: { configMapKeyRef: { name: 'cfg', key: 'NOKEY', optional: true } } },
      { name: 'C', valueFrom: { secretKeyRef: { name: 'creds', key: 'nokey', optional: true } } },
      { name: 'D', value: 'd' },
    ],
  };
  const out = asObject(await env.envFor(pod({ enableServiceLinks: false }), c, ''));
  assert.deepEqual(Object.keys(out).filter((k) => !k.startsWith('KUBERNETES_')), ['D']);
});

test('enableServiceLinks: false keeps only the kubernetes service variables', async () => {
  const { env } = setup();
  const out = asObject(await env.envFor(pod({ enableServiceLinks: false }), { name: 'app' }, ''));
  assert.deepEqual(Object.keys(out).sort(), [
    'KUBERNETES_PORT',
    'KUBERNETES_PORT_443_TCP',
    'KUBERNETES_PORT_443_TCP_ADDR',
    'KUBERNETES_PORT_443_TCP_PORT',
    'KUBERNETES_PORT_443_TCP_PROTO',
    'KUBERNETES_SERVICE_HOST',
    'KUBERNETES_SERVICE_PORT',
    'KUBERNETES_SERVICE_PORT_HTTPS',
  ]);
});

test('a variable named like a service variable replaces it', async () => {
  const { env } = setup();
  const out = await env.envFor(pod(), { name: 'app', env: [{ name: 'DB_SERVICE_HOST', value: 'db.local' }] }, '');
  assert.deepEqual(out.filter((kv) => kv.key === 'DB_SERVICE_HOST'), [{ key: 'DB_SERVICE_HOST', value: 'db.local' }]);
});

test('a failed service list is a ContainerConfigError', async () => {
  const { env, api } = setup();
  api.failLists = true;
  await assert.rejects(env.envFor(pod(), { name: 'app' }, ''), {
    name: 'ContainerConfigError',
    message: 'failed to list services when setting up env vars',
  });
});
