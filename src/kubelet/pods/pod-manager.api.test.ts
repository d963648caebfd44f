// PodManager against a real API server (runtime faked in memory): the
// informer on this node's pods, status written through pods/status, events,
// and graceful deletion finished by the kubelet's DELETE.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resources } from '../../api/resources.js';
import { EventRecorder, RestClient, isNotFound, type KubeObject } from '../../client/index.js';
import { startSkiff, type SkiffProcess } from '../../testing/server-process.js';
import { PodManager } from './pod-manager.js';
import { FakeWorld } from './test-fakes.js';

const podsDef = resources.find((r) => r.group === '' && r.plural === 'pods')!;
const eventsDef = resources.find((r) => r.group === '' && r.plural === 'events')!;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until<T>(what: string, f: () => Promise<T | undefined | false>, ms = 15_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await f();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

describe('PodManager with skiff', () => {
  let s: SkiffProcess;
  let client: RestClient;
  let recorder: EventRecorder;
  let manager: PodManager;
  let world: FakeWorld;
  let dir: string;
  before(async () => {
    s = await startSkiff();
    client = new RestClient({ kubeconfig: s.kubeconfig });
    recorder = new EventRecorder(client, { component: 'kubelet', host: 'node-1' });
    dir = mkdtempSync(join(tmpdir(), 'skiff-podmgr-'));
    world = new FakeWorld(dir);
    const ctx = { ...world.ctx, client, recorder, now: () => new Date() };
    manager = new PodManager({ ctx, images: world.images, volumes: world.volumes, env: world.env, probes: world.probes, resyncMs: 500 });
  });
  after(async () => {
    await manager?.stop();
    await recorder?.stop();
    client?.close();
    await s?.stop();
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
    await recorder.flush();
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
