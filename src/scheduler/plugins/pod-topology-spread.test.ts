import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ERR_REASON_CONSTRAINTS_NOT_MATCH, ERR_REASON_NODE_LABEL_NOT_MATCH, newPodTopologySpread } from './pod-topology-spread.js';
import { cluster, codes, makeNode, makePod, on, runFilter, runScore } from './test-helpers.js';

const ZONE = 'topology.kubernetes.io/zone';
const HOST = 'kubernetes.io/hostname';

const constraint = (topologyKey: string, maxSkew: number, extra: Record<string, unknown> = {}) => ({
  maxSkew,
  topologyKey,
  whenUnsatisfiable: 'DoNotSchedule',
  labelSelector: { matchLabels: { foo: 'bar' } },
  ...extra,
});
const spreadPod = (name: string, constraints: unknown[], labels: Record<string, string> = { foo: 'bar' }, spec: Record<string, unknown> = {}) =>
  makePod(name, { labels, spec: { topologySpreadConstraints: constraints, ...spec } });
const foo = (name: string, node: string, extra: Parameters<typeof makePod>[1] = {}) => on(node, makePod(name, { labels: { foo: 'bar' }, ...extra }));

/** Kubernetes docs layout: zoneA = node1, node2; zoneB = node3, node4. */
const docsNodes = () => [
  makeNode('node1', { labels: { [ZONE]: 'zoneA' } }),
  makeNode('node2', { labels: { [ZONE]: 'zoneA' } }),
  makeNode('node3', { labels: { [ZONE]: 'zoneB' } }),
  makeNode('node4', { labels: { [ZONE]: 'zoneB' } }),
];

describe('PodTopologySpread filter', () => {
  const plugin = newPodTopologySpread();

  it('skips pods without DoNotSchedule constraints', () => {
    const snap = cluster(docsNodes());
    assert.equal(runFilter(plugin, makePod('p'), snap).preFilter.code, 'Skip');
    assert.equal(runFilter(plugin, spreadPod('p', [constraint(ZONE, 1, { whenUnsatisfiable: 'ScheduleAnyway' })]), snap).preFilter.code, 'Skip');
  });

  it('docs example: 3 pods in zoneA/zoneA/zoneB, maxSkew 1 → only zoneB', () => {
    const snap = cluster(docsNodes(), [foo('p1', 'node1'), foo('p2', 'node2'), foo('p3', 'node3')]);
    const run = runFilter(plugin, spreadPod('new', [constraint(ZONE, 1)]), snap);
    assert.deepEqual(run.nodes.node1, { code: 'Unschedulable', reasons: [ERR_REASON_CONSTRAINTS_NOT_MATCH] });
    assert.deepEqual(codes(run), { node1: 'Unschedulable', node2: 'Unschedulable', node3: 'Success', node4: 'Success' });
    assert.equal(ERR_REASON_CONSTRAINTS_NOT_MATCH, "node(s) didn't match pod topology spread constraints");
  });

  it('maxSkew 2 allows the fuller zone', () => {
    const snap = cluster(docsNodes(), [foo('p1', 'node1'), foo('p2', 'node2'), foo('p3', 'node3')]);
    assert.deepEqual(codes(runFilter(plugin, spreadPod('new', [constraint(ZONE, 2)]), snap)), { node1: 'Success', node2: 'Success', node3: 'Success', node4: 'Success' });
  });

  it('a node without the topology label is unresolvable', () => {
    const snap = cluster([...docsNodes(), makeNode('bare')]);
    const run = runFilter(plugin, spreadPod('new', [constraint(ZONE, 1)]), snap);
    assert.deepEqual(run.nodes.bare, { code: 'UnschedulableAndUnresolvable', reasons: [ERR_REASON_NODE_LABEL_NOT_MATCH] });
    assert.equal(ERR_REASON_NODE_LABEL_NOT_MATCH, "node(s) didn't match pod topology spread constraints (missing required label)");
  });

  it('minDomains above the number of domains makes the global minimum 0', () => {
    const snap = cluster(docsNodes(), [foo('p1', 'node1'), foo('p3', 'node3')]);
    assert.deepEqual(codes(runFilter(plugin, spreadPod('new', [constraint(ZONE, 1)]), snap)), { node1: 'Success', node2: 'Success', node3: 'Success', node4: 'Success' });
    assert.deepEqual(codes(runFilter(plugin, spreadPod('new', [constraint(ZONE, 1, { minDomains: 3 })]), snap)), {
      node1: 'Unschedulable',
      node2: 'Unschedulable',
      node3: 'Unschedulable',
      node4: 'Unschedulable',
    });
  });

  it('a pod outside its own selector does not add itself', () => {
    const snap = cluster(docsNodes(), [foo('p1', 'node1')]);
    const run = runFilter(plugin, spreadPod('new', [constraint(ZONE, 1)], { other: 'x' }), snap);
    // zoneA: 1 + 0 - 0 = 1 ≤ 1.
    assert.equal(run.nodes.node1.code, 'Success');
  });

  it('hostname spreading with two constraints: every constraint must hold', () => {
    const snap = cluster(docsNodes(), [foo('p1', 'node1'), foo('p2', 'node3')]);
    const pod = spreadPod('new', [constraint(ZONE, 1), constraint(HOST, 1)]);
    assert.deepEqual(codes(runFilter(plugin, pod, snap)), { node1: 'Unschedulable', node2: 'Success', node3: 'Unschedulable', node4: 'Success' });
  });

  it('nodeAffinityPolicy Honor (default) leaves nodes the pod cannot use out of the domains', () => {
    const nodes = [
      makeNode('a', { labels: { [ZONE]: 'zA', disk: 'ssd' } }),
      makeNode('b', { labels: { [ZONE]: 'zB', disk: 'ssd' } }),
      makeNode('c', { labels: { [ZONE]: 'zC' } }),
    ];
    const snap = cluster(nodes, [foo('p1', 'a'), foo('p2', 'b')]);
    const honor = spreadPod('new', [constraint(ZONE, 1)], { foo: 'bar' }, { nodeSelector: { disk: 'ssd' } });
    assert.deepEqual(codes(runFilter(plugin, honor, snap)), { a: 'Success', b: 'Success', c: 'Success' });
    const ignore = spreadPod('new', [constraint(ZONE, 1, { nodeAffinityPolicy: 'Ignore' })], { foo: 'bar' }, { nodeSelector: { disk: 'ssd' } });
    assert.deepEqual(codes(runFilter(plugin, ignore, snap)), { a: 'Unschedulable', b: 'Unschedulable', c: 'Success' });
  });

  it('nodeTaintsPolicy Honor leaves tainted nodes out; Ignore (default) counts them', () => {
    const nodes = [
      makeNode('a', { labels: { [ZONE]: 'zA' } }),
      makeNode('b', { labels: { [ZONE]: 'zB' } }),
      makeNode('t', { labels: { [ZONE]: 'zC' }, taints: [{ key: 'gpu', effect: 'NoSchedule' }] }),
    ];
    const snap = cluster(nodes, [foo('p1', 'a'), foo('p2', 'b')]);
    assert.deepEqual(codes(runFilter(plugin, spreadPod('new', [constraint(ZONE, 1)]), snap)), { a: 'Unschedulable', b: 'Unschedulable', t: 'Success' });
    assert.deepEqual(codes(runFilter(plugin, spreadPod('new', [constraint(ZONE, 1, { nodeTaintsPolicy: 'Honor' })]), snap)), { a: 'Success', b: 'Success', t: 'Success' });
  });

  it('matchLabelKeys narrows the selector to the pod’s own values', () => {
    const old = { labels: { foo: 'bar', 'pod-template-hash': 'old' } };
    const snap = cluster(docsNodes(), [foo('o1', 'node1', old), foo('o2', 'node2', old)]);
    const labels = { foo: 'bar', 'pod-template-hash': 'new' };
    assert.deepEqual(codes(runFilter(plugin, spreadPod('new', [constraint(ZONE, 1)], labels), snap)), { node1: 'Unschedulable', node2: 'Unschedulable', node3: 'Success', node4: 'Success' });
    const withKeys = spreadPod('new', [constraint(ZONE, 1, { matchLabelKeys: ['pod-template-hash'] })], labels);
    assert.deepEqual(codes(runFilter(plugin, withKeys, snap)), { node1: 'Success', node2: 'Success', node3: 'Success', node4: 'Success' });
  });

  it('ignores terminating pods and pods of other namespaces', () => {
    const snap = cluster(docsNodes(), [
      foo('gone', 'node1', { labels: { foo: 'bar' } }),
      foo('elsewhere', 'node2', { labels: { foo: 'bar' }, namespace: 'other' }),
    ]);
    // Control: while "gone" is alive, zoneA holds one matching pod.
    assert.deepEqual(codes(runFilter(plugin, spreadPod('new', [constraint(ZONE, 1)]), snap)), { node1: 'Unschedulable', node2: 'Unschedulable', node3: 'Success', node4: 'Success' });
    snap.get('node1')!.pods[0].pod.metadata.deletionTimestamp = '2024-01-01T00:00:00Z';
    assert.deepEqual(codes(runFilter(plugin, spreadPod('new', [constraint(ZONE, 1)]), snap)), { node1: 'Success', node2: 'Success', node3: 'Success', node4: 'Success' });
  });
});

describe('PodTopologySpread score', () => {
  const plugin = newPodTopologySpread();
  const soft = (key: string, maxSkew: number) => constraint(key, maxSkew, { whenUnsatisfiable: 'ScheduleAnyway' });

  it('hostname: fewer matching pods scores higher', () => {
    const snap = cluster([makeNode('n1'), makeNode('n2'), makeNode('n3')], [foo('a', 'n1'), foo('b', 'n1'), foo('c', 'n2')]);
    const r = runScore(plugin, spreadPod('new', [soft(HOST, 1)]), snap);
    // weight ln(3 + 2): 2 pods → 3.22 → 3, 1 pod → 1.61 → 2.
    assert.deepEqual(r.raw, { n1: 3, n2: 2, n3: 0 });
    assert.deepEqual(r.normalized, { n1: 0, n2: 33, n3: 100 });
  });

  it('zone counts are shared by the zone', () => {
    const nodes = [makeNode('a', { labels: { [ZONE]: 'z1' } }), makeNode('b', { labels: { [ZONE]: 'z1' } }), makeNode('c', { labels: { [ZONE]: 'z2' } })];
    const snap = cluster(nodes, [foo('p1', 'a'), foo('p2', 'a')]);
    const r = runScore(plugin, spreadPod('new', [soft(ZONE, 1)]), snap);
    assert.deepEqual(r.raw, { a: 3, b: 3, c: 0 });
    assert.deepEqual(r.normalized, { a: 0, b: 0, c: 100 });
  });

  it('nodes missing a topology key of explicit constraints score 0', () => {
    const nodes = [makeNode('a', { labels: { [ZONE]: 'z1' } }), makeNode('b', { labels: { [ZONE]: 'z2' } }), makeNode('bare')];
    const snap = cluster(nodes, [foo('p1', 'a')]);
    const r = runScore(plugin, spreadPod('new', [soft(ZONE, 1)]), snap);
    assert.deepEqual(r.raw, { a: 1, b: 0, bare: 0 });
    assert.deepEqual(r.normalized, { a: 0, b: 100, bare: 0 });
  });

  it('all-zero raw scores normalise to 100', () => {
    const snap = cluster([makeNode('n1'), makeNode('n2')]);
    assert.deepEqual(runScore(plugin, spreadPod('new', [soft(HOST, 1)]), snap).normalized, { n1: 100, n2: 100 });
  });

  it('system defaults apply to owned pods without constraints (hostname skew 3, zone skew 5)', () => {
    const nodes = [
      makeNode('a', { labels: { [ZONE]: 'z1' } }),
      makeNode('b', { labels: { [ZONE]: 'z1' } }),
      makeNode('c', { labels: { [ZONE]: 'z2' } }),
      makeNode('d'),
    ];
    const owner = [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-1', uid: 'rs', controller: true }];
    const mine = (name: string) => on('a', makePod(name, { labels: { app: 'web' }, ownerReferences: owner }));
    const snap = cluster(nodes, [mine('w1'), mine('w2')]);
    const pod = makePod('w3', { labels: { app: 'web' }, ownerReferences: owner });
    const r = runScore(plugin, pod, snap);
    // a: 2·ln6 + 2 + 2·ln5 + 4 = 12.80 → 13; b: 2 + 7.22 → 9; c: 2 + 4 → 6; d (no zone): 2.
    assert.deepEqual(r.raw, { a: 13, b: 9, c: 6, d: 2 });
    assert.deepEqual(r.normalized, { a: 15, b: 46, c: 69, d: 100 });
  });

  it('no spreading for pods without owner, or with List defaulting and no defaults', () => {
    const snap = cluster([makeNode('n1'), makeNode('n2')]);
    assert.equal(runScore(plugin, makePod('p', { labels: { app: 'x' } }), snap).preScore.code, 'Skip');
    const owned = makePod('p', { labels: { app: 'x' }, ownerReferences: [{ kind: 'ReplicaSet', name: 'r' }] });
    assert.equal(runScore(newPodTopologySpread({ args: { defaultingType: 'List' } }), owned, snap).preScore.code, 'Skip');
    assert.equal(runScore(plugin, owned, snap).preScore.code, 'Success');
    // DoNotSchedule filters never come from the system defaults.
    assert.equal(runFilter(plugin, owned, snap).preFilter.code, 'Skip');
  });

  it('List defaulting uses the configured default constraints', () => {
    const p = newPodTopologySpread({ args: { defaultingType: 'List', defaultConstraints: [{ maxSkew: 1, topologyKey: HOST, whenUnsatisfiable: 'DoNotSchedule' }] } });
    const owner = [{ kind: 'ReplicaSet', name: 'r' }];
    const snap = cluster([makeNode('n1'), makeNode('n2')], [on('n1', makePod('x', { labels: { app: 'x' }, ownerReferences: owner }))]);
    const run = runFilter(p, makePod('p', { labels: { app: 'x' }, ownerReferences: owner }), snap);
    assert.deepEqual(codes(run), { n1: 'Unschedulable', n2: 'Success' });
  });

  it('only filtered nodes define hostname weight; larger maxSkew flattens differences', () => {
    const snap = cluster([makeNode('n1'), makeNode('n2'), makeNode('n3')], [foo('a', 'n1'), foo('b', 'n1')]);
    const r = runScore(plugin, spreadPod('new', [soft(HOST, 5)]), snap, ['n1', 'n2']);
    // weight ln(2 + 2) = 1.386: n1 2·1.386 + 4 = 6.77 → 7; n2 4.
    assert.deepEqual(r.raw, { n1: 7, n2: 4 });
    assert.deepEqual(r.normalized, { n1: 57, n2: 100 });
  });
});
