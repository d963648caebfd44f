import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CycleRunner, fitErrorMessage, numFeasibleNodesToFind, type Profile } from './cycle.js';
import { success, unschedulable, unresolvable, type FilterPlugin, type ScorePlugin } from './framework.js';
import { makeSnapshot, nodeInfoOf, podInfoOf } from './node-info.js';

const nodes = (n: number) => Array.from({ length: n }, (_, i) => nodeInfoOf({ metadata: { name: `n${i}`, labels: { i: String(i) } }, status: { allocatable: { cpu: '4', memory: '8Gi', pods: '110' } } }));
const pod = podInfoOf({ metadata: { name: 'p', namespace: 'default' }, spec: { containers: [{ name: 'c', image: 'x' }] } });

const evenOnly: FilterPlugin = { name: 'EvenOnly', filter: (_s, _p, n) => (Number(n.node.metadata.labels.i) % 2 === 0 ? success() : unschedulable('node(s) were odd')) };
const notThree: FilterPlugin = { name: 'NotThree', filter: (_s, _p, n) => (n.name === 'n3' ? unresolvable('node(s) were three') : success()) };
const byIndex: ScorePlugin = { name: 'ByIndex', score: (_s, _p, n) => Number(n.node.metadata.labels.i) };
const flat: ScorePlugin = { name: 'Flat', score: () => 7 };

function profile(o: Partial<Profile> = {}): Profile {
  return { schedulerName: 's', preFilter: [], filter: [], preScore: [], score: [], percentageOfNodesToScore: 0, ...o };
}

describe('numFeasibleNodesToFind (Kubernetes adaptive percentage)', () => {
  it('matches Kubernetes', () => {
    assert.equal(numFeasibleNodesToFind(50, 0), 50);
    assert.equal(numFeasibleNodesToFind(99, 10), 99);
    assert.equal(numFeasibleNodesToFind(1000, 0), 420); // 50 - 1000/125 = 42%
    assert.equal(numFeasibleNodesToFind(5000, 0), 500); // 10%
    assert.equal(numFeasibleNodesToFind(6000, 0), 300); // 50-48 = 2% → min 5%
    assert.equal(numFeasibleNodesToFind(1000, 5), 100); // 50 < minimum 100
    assert.equal(numFeasibleNodesToFind(1000, 100), 1000);
  });
});

describe('CycleRunner', () => {
  it('filters, records the rejecting plugin, scores with weights and picks the best', () => {
    const r = new CycleRunner(profile({ filter: [evenOnly, notThree], score: [{ plugin: byIndex, weight: 2 }, { plugin: flat, weight: 1 }] })).run(pod, makeSnapshot(nodes(6)));
    assert.equal(r.node, 'n4');
    assert.deepEqual(r.passed, ['n0', 'n2', 'n4']);
    assert.equal(r.failed.get('n1')!.plugin, 'EvenOnly');
    assert.equal(r.failed.get('n3')!.plugin, 'EvenOnly', 'later plugins do not run after a rejection');
    assert.equal(r.scores[0].total, 4 * 2 + 7);
    assert.deepEqual(r.scores[0].plugins.map((p) => [p.plugin, p.raw, p.weighted]), [['ByIndex', 4, 8], ['Flat', 7, 7]]);
  });

  it('builds the FailedScheduling message with a sorted reason histogram', () => {
    const r = new CycleRunner(profile({ filter: [notThree, evenOnly] })).run(pod, makeSnapshot(nodes(5).filter((n) => n.name !== 'n0' && n.name !== 'n2' && n.name !== 'n4')));
    assert.equal(r.node, undefined);
    assert.equal(fitErrorMessage(r), '0/2 nodes are available: 1 node(s) were odd, 1 node(s) were three.');
  });

  it('breaks ties at random and skips scoring with one feasible node', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 40; i++) seen.add(new CycleRunner(profile({ score: [{ plugin: flat, weight: 1 }] })).run(pod, makeSnapshot(nodes(4))).node!);
    assert.ok(seen.size >= 3, `ties should spread, got ${[...seen]}`);
    const one = new CycleRunner(profile({ filter: [{ name: 'Only1', filter: (_s, _p, n) => (n.name === 'n1' ? success() : unschedulable('no')) }], score: [{ plugin: byIndex, weight: 1 }] })).run(pod, makeSnapshot(nodes(4)));
    assert.equal(one.node, 'n1');
    assert.equal(one.scores[0].plugins.length, 0);
  });

  it('evaluates only enough nodes, starting where the last cycle stopped', () => {
    const runner = new CycleRunner(profile({ percentageOfNodesToScore: 0 }));
    const snap = makeSnapshot(nodes(1000));
    const a = runner.run(pod, snap);
    assert.equal(a.evaluated, 420);
    assert.equal(a.passed[0], 'n0');
    const b = runner.run(pod, snap);
    assert.equal(b.passed[0], 'n420');
  });

  it('a PreFilter rejection fails the pod for every node; a PreFilter node set narrows the search', () => {
    const reject = { name: 'Gate', preFilter: () => ({ status: unresolvable('waiting for scheduling gates') }) };
    const r = new CycleRunner(profile({ preFilter: [reject] })).run(pod, makeSnapshot(nodes(3)));
    assert.equal(r.preFilter?.plugin, 'Gate');
    assert.equal(fitErrorMessage(r), '0/3 nodes are available: waiting for scheduling gates.');
    const only = { name: 'Only', preFilter: () => ({ status: success(), nodeNames: new Set(['n2']) }) };
    assert.equal(new CycleRunner(profile({ preFilter: [only] })).run(pod, makeSnapshot(nodes(3))).node, 'n2');
  });
});
