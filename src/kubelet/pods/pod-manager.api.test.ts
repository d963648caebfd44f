// PodManager against a real API server (runtime faked in memory): the
// informer on this node's pods, status written through pods/status, events,
// and graceful deletion finished by the kubelet's DELETE.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isNotFound, type KubeObject, type RestClient } from '../../client/index.js';
import { coreDef, startApiFixture, type ApiFixture } from '../../testing/api-fixture.js';
import { until } from '../../testing/wait.js';
import { PodManager } from './pod-manager.js';
import { FakeWorld } from './test-fakes.js';

const podsDef = coreDef('pods');
const eventsDef = coreDef('events');

describe('PodManager with skiff', () => {
  let api: ApiFixture | undefined;
  let client: RestClient;
  let manager: PodManager;
  let world: FakeWorld;
  let dir: string;
  before(async () => {
    api = await startApiFixture();
    client = api.client;
    dir = mkdtempSync(join(tmpdir(), 'skiff-podmgr-'));
    world = new FakeWorld(dir);
    const ctx = { ...world.ctx, client, recorder: api.recorder, now: () => new Date() };
    manager = new PodManager({ ctx, images: world.images, volumes: world.volumes, env: world.env, probes: world.probes, resyncMs: 500 });
  });
  after(async () => {
    await manager?.stop();
    await api?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test('runs a bound pod, reports Running with events, and finishes its graceful deletion', async () => {
    // A pod of another node is ignored.
    await client.create(podsDef, 'default', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'elsewhere' }, spec: { nodeName: 'node-2', containers: [{ name: 'c', image: 'reg/c' }] } });
    const created = await client.create<KubeObject>(podsDef, 'default', {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'web' },
      spec: { nodeName: 'node-1', containers: [{ name: 'app', image: 'reg/app' }] },
    });
    await manager.start();
    const running = await until('Running', async () => {
      const p = await client.get(podsDef, 'default', 'web');
      return p.status?.phase === 'Running' && p.status.containerStatuses?.[0]?.ready === true ? p : undefined;
    });
    assert.equal(running.status.podIP, '10.1.0.2');
    assert.equal(running.status.hostIP, '192.168.50.2');
    assert.equal(running.status.qosClass, 'BestEffort');
    assert.deepEqual(
      running.status.conditions.map((c: any) => `${c.type}=${c.status}`),
      ['PodReadyToStartContainers=True', 'Initialized=True', 'Ready=True', 'ContainersReady=True', 'PodScheduled=True'],
    );
    assert.equal(manager.worker(String(created.metadata.uid)) !== undefined, true);
    await api!.recorder.flush();
    const events = (await client.list(eventsDef, 'default')).items.filter((e: any) => e.involvedObject?.name === 'web');
    const texts = events.map((e: any) => `${e.reason}|${e.involvedObject.fieldPath}|${e.message}|${e.source?.component}`).sort();
    assert.deepEqual(texts, ['Created|spec.containers{app}|Created container app|kubelet', 'Started|spec.containers{app}|Started container app|kubelet']);
    const other = await client.get(podsDef, 'default', 'elsewhere');
    assert.equal(other.status?.containerStatuses, undefined);

    await client.delete(podsDef, 'default', 'web', { gracePeriodSeconds: 5 });
    await until('pod gone', async () => {
      try {
        await client.get(podsDef, 'default', 'web');
        return false;
      } catch (e) {
        return isNotFound(e);
      }
    });
    assert.equal(world.cri.containers.size + world.cri.sandboxes.size, 0);
    assert.ok(world.cri.calls.includes('stopContainer app 5'), world.cri.calls.join('\n'));
  });
});
