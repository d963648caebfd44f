// ContainerEnv against a real API server: the kubernetes service variables,
// a namespace's services, configMap keys, and the InvalidEnvironmentVariableNames
// event written by a real EventRecorder.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { KubeObject } from '../../client/index.js';
import { coreDef as def, startApiFixture, type ApiFixture } from '../../testing/api-fixture.js';
import { until } from '../../testing/wait.js';
import { ContainerEnv } from './container-env.js';
import { fakeContext } from './fake-context.js';

describe('ContainerEnv with skiff', () => {
  let api: ApiFixture | undefined;
  let env: ContainerEnv;
  before(async () => {
    api = await startApiFixture();
    const { ctx } = fakeContext();
    env = new ContainerEnv({ ctx: { ...ctx, client: api.client, recorder: api.recorder } });
  });
  after(async () => {
    await api?.stop();
  });

  test('service variables, configMap keys, invalid-name event', async () => {
    const client = api!.client;
    const kubernetes = await client.get(def('services'), 'default', 'kubernetes');
    await client.create(def('services'), 'default', { metadata: { name: 'web-api' }, spec: { ports: [{ name: 'http', port: 8080 }] } });
    const webApi = await client.get(def('services'), 'default', 'web-api');
    await client.create(def('configmaps'), 'default', { metadata: { name: 'settings' }, data: { LOG: 'debug', '2x': 'bad' } });
    const pod: KubeObject = await client.create(def('pods'), 'default', {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'envpod' },
      spec: { containers: [{ name: 'c', image: 'busybox' }] },
    });
    const c = {
      name: 'c',
      envFrom: [{ configMapRef: { name: 'settings' } }],
      env: [{ name: 'API', value: 'http://$(WEB_API_SERVICE_HOST):$(WEB_API_SERVICE_PORT_HTTP)' }],
    };
    const out = Object.fromEntries((await env.envFor(pod, c, '10.1.0.5')).map((kv) => [kv.key, kv.value]));
    assert.equal(out.LOG, 'debug');
    assert.equal(out['2x'], undefined);
    assert.equal(out.API, `http://${webApi.spec.clusterIP}:8080`);
    assert.equal(out.KUBERNETES_SERVICE_HOST, kubernetes.spec.clusterIP);
    assert.equal(out.KUBERNETES_SERVICE_PORT, String(kubernetes.spec.ports[0].port));
    assert.equal(out.WEB_API_PORT_8080_TCP_ADDR, webApi.spec.clusterIP);

    const ev = await until('the InvalidEnvironmentVariableNames event', async () =>
      (await client.list(def('events'), 'default')).items.find((e) => e.reason === 'InvalidEnvironmentVariableNames'), 5000);
    assert.equal(ev.type, 'Warning');
    assert.equal(ev.involvedObject.name, 'envpod');
    assert.equal(ev.message, 'Keys [2x] from the EnvFrom configMap default/settings were skipped since they are considered invalid environment variable names.');
  });
});
