// ContainerEnv against a real API server: the kubernetes service variables,
// a namespace's services, configMap keys, and the InvalidEnvironmentVariableNames
// event written by a real EventRecorder.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { resources, type ResourceDef } from '../../api/resources.js';
import { EventRecorder, RestClient, type KubeObject } from '../../client/index.js';
import { startSkiff, type SkiffProcess } from '../../testing/server-process.js';
import { ContainerEnv } from './container-env.js';
import { fakeContext } from './fake-context.js';

const def = (plural: string): ResourceDef => resources.find((r) => r.group === '' && r.plural === plural)!;

describe('ContainerEnv with skiff', () => {
  let s: SkiffProcess;
  let client: RestClient;
  let recorder: EventRecorder;
  let env: ContainerEnv;
  before(async () => {
    s = await startSkiff();
    client = new RestClient({ kubeconfig: s.kubeconfig });
    recorder = new EventRecorder(client, { component: 'kubelet', host: 'node-1' });
    const { ctx } = fakeContext();
    env = new ContainerEnv({ ctx: { ...ctx, client, recorder } });
  });
  after(async () => {
    client?.close();
    await s?.stop();
  });

  test('service variables, configMap keys, invalid-name event', async () => {
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

    let ev: KubeObject | undefined;
    for (let i = 0; i < 50 && !ev; i++) {
      const list = await client.list(def('events'), 'default');
      ev = list.items.find((e) => e.reason === 'InvalidEnvironmentVariableNames');
      if (!ev) await new Promise((r) => setTimeout(r, 100));
    }
    assert.ok(ev, 'event written');
    assert.equal(ev.type, 'Warning');
    assert.equal(ev.involvedObject.name, 'envpod');
    assert.equal(ev.message, 'Keys [2x] from the EnvFrom configMap default/settings were skipped since they are considered invalid environment variable names.');
  });
});
