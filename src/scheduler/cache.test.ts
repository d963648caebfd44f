import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { SchedulerCache } from './cache.js';

const node = (name: string, cpu = '4', images: string[] = []) => ({
  metadata: { name, labels: {} },
  status: { allocatable: { cpu, memory: '8Gi', pods: '110' }, images: images.map((n) => ({ names: [n], sizeBytes: 100 * 1024 * 1024 })) },
});
const pod = (name: string, cpu: string, nodeName?: string) => ({
  metadata: { name, namespace: 'default', uid: `uid-${name}` },
  spec: { nodeName, containers: [{ name: 'c', image: 'x', resources: { requests: { cpu } } }] },
});

describe('SchedulerCache', () => {
  it('counts bound pods on their node and removes them', () => {
    const c = new SchedulerCache();
    c.addNode(node('n1'));
    c.upsertPod(pod('a', '1', 'n1'));
    c.upsertPod(pod('b', '500m', 'n1'));
    const ni = c.snapshot().get('n1')!;
    assert.equal(ni.requested.milliCPU, 1500);
    assert.equal(ni.pods.length, 2);
    c.removePod(pod('a', '1', 'n1'));
    assert.equal(c.snapshot().get('n1')!.requested.milliCPU, 500);
  });

  it('assume counts at once; forget undoes; a confirmed bind replaces the assumption', () => {
    const c = new SchedulerCache();
    c.addNode(node('n1'));
    const p = pod('a', '2');
    c.assume(p, 'n1');
    assert.equal(c.isAssumed(p), true);
    assert.equal(c.snapshot().get('n1')!.requested.milliCPU, 2000);
    c.forget(p);
    assert.equal(c.snapshot().get('n1')!.requested.milliCPU, 0);
    c.assume(p, 'n1');
    c.upsertPod(pod('a', '2', 'n1'));
    assert.equal(c.isAssumed(p), false);
    assert.equal(c.snapshot().get('n1')!.pods.length, 1);
    assert.equal(c.snapshot().get('n1')!.requested.milliCPU, 2000);
  });

  it('assumed pods whose bind finished but never showed up expire', () => {
    let now = 0;
    const c = new SchedulerCache(1000, () => now);
    c.addNode(node('n1'));
    const p = pod('a', '1');
    c.assume(p, 'n1');
    now = 5000;
    assert.equal(c.cleanupExpired(), 0, 'no deadline before finishBinding');
    c.finishBinding(p);
    now = 5500;
    assert.equal(c.cleanupExpired(), 0);
    now = 7000;
    assert.equal(c.cleanupExpired(), 1);
    assert.equal(c.snapshot().get('n1')!.pods.length, 0);
  });

  it('pods bound to an unknown node wait for it; node updates keep pods; image counts', () => {
    const c = new SchedulerCache();
    c.upsertPod(pod('early', '1', 'n2'));
    c.addNode(node('n2', '4', ['nginx:1']));
    c.addNode(node('n3', '4', ['nginx:1']));
    assert.equal(c.snapshot().get('n2')!.pods.length, 1);
    assert.equal(c.snapshot().imageNodeCount('docker.io/library/nginx:1') + c.snapshot().imageNodeCount('nginx:1'), 2);
    c.updateNode(node('n2', '8', []));
    const ni = c.snapshot().get('n2')!;
    assert.equal(ni.allocatable.milliCPU, 8000);
    assert.equal(ni.pods.length, 1);
    assert.equal(c.snapshot().imageNodeCount('docker.io/library/nginx:1') + c.snapshot().imageNodeCount('nginx:1'), 1);
    c.removeNode(node('n3'));
    assert.equal(c.snapshot().nodes.length, 1);
    assert.throws(() => c.assume(pod('early', '1'), 'n2'), /already in the cache/);
  });
});
