import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { SchedulerCache } from './cache.js';
import { CycleRunner } from './cycle.js';
import { Preemptor } from './preemption.js';
import { podInfoOf } from './node-info.js';
import { defaultSchedulerConfig } from './config.js';
import { instantiatePlugins } from './plugins/registry.js';
import type { RestClient, EventRecorder } from '../client/index.js';

const node = (name: string) => ({ metadata: { name, labels: {} }, status: { allocatable: { cpu: '4', memory: '32Gi', pods: '110' } } });
const pod = (name: string, cpu: string, priority: number, nodeName?: string) => ({
  metadata: { name, namespace: 'default', uid: `uid-${name}` },
  spec: { nodeName, priority, containers: [{ name: 'c', image: 'x', resources: { requests: { cpu, memory: '500Mi' } } }] },
});

function profile() {
  const p = defaultSchedulerConfig().profiles[0];
  const pl = instantiatePlugins(p, p.args);
  return { schedulerName: p.schedulerName, preFilter: pl.preFilter, filter: pl.filter, preScore: pl.preScore, score: pl.score, percentageOfNodesToScore: 0 };
}

describe('Preemptor.select', () => {
  it('picks the node whose victims have the lowest priority and reprieves what still fits', () => {
    const cache = new SchedulerCache();
    cache.addNode(node('n1'));
    cache.addNode(node('n2'));
    // n1: four 900m pods at priority 1; n2: four 900m pods at priority 0.
    for (let i = 0; i < 4; i++) cache.upsertPod(pod(`a${i}`, '900m', 1, 'n1'));
    for (let i = 0; i < 4; i++) cache.upsertPod(pod(`b${i}`, '900m', 0, 'n2'));
    const high = pod('high', '3000m', 10);
    const prof = profile();
    const result = new CycleRunner(prof).run(podInfoOf(high), cache.snapshot());
    assert.equal(result.node, undefined);
    const preemptor = new Preemptor(null as unknown as RestClient, cache, null as unknown as EventRecorder);
    const { candidate } = preemptor.select(high, result, prof);
    assert.equal(candidate!.node, 'n2');
    // 3000m needs three of the four 900m pods gone; the first one tried (highest priority, then list order) stays.
    assert.deepEqual(candidate!.victims.map((v) => v.metadata.name), ['b1', 'b2', 'b3']);
    assert.equal(candidate!.highest, 0);
  });

  it('explains when no lower-priority pods can make room', () => {
    const cache = new SchedulerCache();
    cache.addNode(node('n1'));
    for (let i = 0; i < 4; i++) cache.upsertPod(pod(`a${i}`, '900m', 20, 'n1'));
    const high = pod('high', '3000m', 10);
    const prof = profile();
    const result = new CycleRunner(prof).run(podInfoOf(high), cache.snapshot());
    const { candidate, message } = new Preemptor(null as unknown as RestClient, cache, null as unknown as EventRecorder).select(high, result, prof);
    assert.equal(candidate, undefined);
    assert.equal(message, '0/1 nodes are available: 1 No preemption victims found for incoming pod.');
  });
});
