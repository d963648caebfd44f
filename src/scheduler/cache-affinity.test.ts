import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { SchedulerCache } from './cache.js';
import { cachedPodCount, makeSnapshot, nodeInfoOf, podInfoOf } from './node-info.js';

const node = (name: string) => ({ metadata: { name, labels: { 'kubernetes.io/hostname': name } }, status: { allocatable: { cpu: '4', memory: '8Gi', pods: '110' } } });
const pod = (name: string, nodeName: string, affinity?: object, labels: Record<string, string> = {}) => ({
  metadata: { name, namespace: 'default', uid: `uid-${name}`, labels },
  spec: { nodeName, affinity, containers: [{ name: 'c', image: 'x' }] },
});
const anti = { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { a: 'b' } }, topologyKey: 'kubernetes.io/hostname' }] } };
const preferred = { podAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 1, podAffinityTerm: { labelSelector: {}, topologyKey: 'kubernetes.io/hostname' } }] } };
const names = (xs: { name: string }[]) => xs.map((x) => x.name).sort();

describe('SchedulerCache affinity node lists', () => {
  it('tracks nodes holding pods with (anti-)affinity through bind, assume, forget, remove', () => {
    const c = new SchedulerCache();
    for (const n of ['n1', 'n2', 'n3']) c.addNode(node(n));
    c.upsertPod(pod('plain', 'n1'));
    c.upsertPod(pod('soft', 'n2', preferred));
    const assumed = pod('hard', '', anti);
    c.assume(assumed, 'n3');
    let s = c.snapshot();
    assert.deepEqual(names(s.nodesWithAffinityPods()), ['n2', 'n3']);
    assert.deepEqual(names(s.nodesWithRequiredAntiAffinityPods()), ['n3']);
    c.forget(assumed);
    c.removePod(pod('soft', 'n2', preferred));
    s = c.snapshot();
    assert.deepEqual(names(s.nodesWithAffinityPods()), []);
    assert.deepEqual(names(s.nodesWithRequiredAntiAffinityPods()), []);
    c.upsertPod(pod('hard2', 'n1', anti));
    assert.deepEqual(names(c.snapshot().nodesWithRequiredAntiAffinityPods()), ['n1']);
    c.removeNode(node('n1'));
    assert.deepEqual(names(c.snapshot().nodesWithRequiredAntiAffinityPods()), []);
  });

  it('makeSnapshot computes the same lists from its NodeInfos', () => {
    const s = makeSnapshot([nodeInfoOf(node('a'), [pod('x', 'a', anti)]), nodeInfoOf(node('b'), [pod('y', 'b', preferred)]), nodeInfoOf(node('c'))]);
    assert.deepEqual(names(s.nodesWithAffinityPods()), ['a', 'b']);
    assert.deepEqual(names(s.nodesWithRequiredAntiAffinityPods()), ['a']);
  });
});

describe('cachedPodCount', () => {
  it('memoises per key for cache-owned nodes and forgets when the node’s pods change', () => {
    const c = new SchedulerCache();
    c.addNode(node('n1'));
    c.upsertPod(pod('a', 'n1', undefined, { app: 'web' }));
    const ni = c.snapshot().get('n1')!;
    let calls = 0;
    const count = (pods: readonly { pod: any }[]) => (calls++, pods.filter((p) => p.pod.metadata.labels.app === 'web').length);
    assert.equal(cachedPodCount(ni, 'k', count), 1);
    assert.equal(cachedPodCount(ni, 'k', count), 1);
    assert.equal(calls, 1);
    assert.equal(cachedPodCount(ni, 'other', count), 1);
    assert.equal(calls, 2);
    c.upsertPod(pod('b', 'n1', undefined, { app: 'web' }));
    assert.equal(cachedPodCount(ni, 'k', count), 2);
    c.removePod(pod('a', 'n1'));
    assert.equal(cachedPodCount(ni, 'k', count), 1);
    assert.equal(calls, 4);
  });

  it('never memoises NodeInfos built outside the cache (their pods may be edited in place)', () => {
    const ni = nodeInfoOf(node('n1'));
    ni.pods.push(podInfoOf(pod('a', 'n1')));
    let calls = 0;
    const count = () => ++calls;
    cachedPodCount(ni, 'k', count);
    cachedPodCount(ni, 'k', count);
    assert.equal(calls, 2);
  });
});
