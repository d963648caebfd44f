import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CycleState } from '../framework.js';
import { addPod, podInfoOf } from '../node-info.js';
import { ERR_REASON_AFFINITY, ERR_REASON_ANTI_AFFINITY, ERR_REASON_EXISTING_ANTI_AFFINITY, newInterPodAffinity } from './inter-pod-affinity.js';
import { cluster, codes, makeNode, makePod, on, runFilter, runScore } from './test-helpers.js';

const HOST = 'kubernetes.io/hostname';
const ZONE = 'topology.kubernetes.io/zone';

type Term = { labelSelector?: unknown; topologyKey: string; namespaces?: string[]; namespaceSelector?: unknown };
const term = (labels: Record<string, string>, topologyKey: string, extra: Partial<Term> = {}): Term => ({ labelSelector: { matchLabels: labels }, topologyKey, ...extra });
const requiredAffinity = (...terms: Term[]) => ({ podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: terms } });
const requiredAnti = (...terms: Term[]) => ({ podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: terms } });
const preferredAffinity = (weight: number, t: Term) => ({ podAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight, podAffinityTerm: t }] } });
const preferredAnti = (weight: number, t: Term) => ({ podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight, podAffinityTerm: t }] } });

const zoned = () => [
  makeNode('a', { labels: { [ZONE]: 'z1' } }),
  makeNode('b', { labels: { [ZONE]: 'z1' } }),
  makeNode('c', { labels: { [ZONE]: 'z2' } }),
  makeNode('d'),
];

describe('InterPodAffinity filter', () => {
  const plugin = newInterPodAffinity();

  it('skips when neither the pod nor existing pods have required terms', () => {
    const snap = cluster(zoned(), [on('a', makePod('db', { labels: { app: 'db' } }))]);
    assert.equal(runFilter(plugin, makePod('p'), snap).preFilter.code, 'Skip');
  });

  it('required affinity: only nodes in the topology of a matching pod', () => {
    const snap = cluster(zoned(), [on('a', makePod('db', { labels: { app: 'db' } }))]);
    const run = runFilter(plugin, makePod('p', { spec: { affinity: requiredAffinity(term({ app: 'db' }, ZONE)) } }), snap);
    assert.deepEqual(run.nodes.a, { code: 'Success', reasons: [] });
    assert.deepEqual(run.nodes.b, { code: 'Success', reasons: [] });
    assert.deepEqual(run.nodes.c, { code: 'UnschedulableAndUnresolvable', reasons: [ERR_REASON_AFFINITY] });
    assert.deepEqual(run.nodes.d, { code: 'UnschedulableAndUnresolvable', reasons: [ERR_REASON_AFFINITY] });
    assert.equal(ERR_REASON_AFFINITY, "node(s) didn't match pod affinity rules");
  });

  it('the first pod of a self-affine group may go to any node with the topology key', () => {
    const snap = cluster(zoned());
    const pod = makePod('web-0', { labels: { app: 'web' }, spec: { affinity: requiredAffinity(term({ app: 'web' }, ZONE)) } });
    assert.deepEqual(codes(runFilter(plugin, pod, snap)), { a: 'Success', b: 'Success', c: 'Success', d: 'UnschedulableAndUnresolvable' });
  });

  it('no self-match exception when the pod does not match its own terms', () => {
    const snap = cluster(zoned());
    const pod = makePod('p', { labels: { app: 'web' }, spec: { affinity: requiredAffinity(term({ app: 'db' }, ZONE)) } });
    assert.deepEqual(codes(runFilter(plugin, pod, snap)), {
      a: 'UnschedulableAndUnresolvable',
      b: 'UnschedulableAndUnresolvable',
      c: 'UnschedulableAndUnresolvable',
      d: 'UnschedulableAndUnresolvable',
    });
  });

  it('no self-match exception once any pod matches elsewhere', () => {
    const snap = cluster(zoned(), [on('c', makePod('web-0', { labels: { app: 'web' } }))]);
    const pod = makePod('web-1', { labels: { app: 'web' }, spec: { affinity: requiredAffinity(term({ app: 'web' }, ZONE)) } });
    assert.deepEqual(codes(runFilter(plugin, pod, snap)), { a: 'UnschedulableAndUnresolvable', b: 'UnschedulableAndUnresolvable', c: 'Success', d: 'UnschedulableAndUnresolvable' });
  });

  it('an existing pod must match all affinity terms to count', () => {
    const snap = cluster(zoned(), [on('a', makePod('x', { labels: { app: 'db' } })), on('c', makePod('y', { labels: { app: 'db', tier: 'gold' } }))]);
    const pod = makePod('p', { spec: { affinity: requiredAffinity(term({ app: 'db' }, ZONE), term({ tier: 'gold' }, HOST)) } });
    assert.deepEqual(codes(runFilter(plugin, pod, snap)), { a: 'UnschedulableAndUnresolvable', b: 'UnschedulableAndUnresolvable', c: 'Success', d: 'UnschedulableAndUnresolvable' });
  });

  it('anti-affinity spreads 3 replicas of a Deployment over 3 nodes, the 4th stays pending', () => {
    const snap = cluster([makeNode('n1'), makeNode('n2'), makeNode('n3')]);
    const replica = (i: number) =>
      makePod(`web-${i}`, { labels: { app: 'web' }, ownerReferences: [{ kind: 'ReplicaSet', name: 'web-1234' }], spec: { affinity: requiredAnti(term({ app: 'web' }, HOST)) } });
    const placed: string[] = [];
    for (let i = 0; i < 3; i++) {
      const pod = replica(i);
      const feasible = Object.entries(runFilter(plugin, pod, snap).nodes)
        .filter(([, s]) => s.code === 'Success')
        .map(([n]) => n);
      assert.equal(feasible.length, 3 - i);
      const node = feasible[0];
      placed.push(node);
      addPod(snap.get(node)!, podInfoOf(on(node, pod)));
    }
    assert.deepEqual(placed, ['n1', 'n2', 'n3']);
    const run = runFilter(plugin, replica(3), snap);
    assert.deepEqual(run.nodes.n1, { code: 'Unschedulable', reasons: [ERR_REASON_ANTI_AFFINITY] });
    assert.deepEqual(codes(run), { n1: 'Unschedulable', n2: 'Unschedulable', n3: 'Unschedulable' });
  });

  it("existing pods' required anti-affinity keeps matching pods out of their topology", () => {
    const guard = makePod('guard', { spec: { affinity: requiredAnti(term({ app: 'web' }, ZONE)) } });
    const snap = cluster(zoned(), [on('a', guard)]);
    const run = runFilter(plugin, makePod('p', { labels: { app: 'web' } }), snap);
    assert.deepEqual(run.nodes.b, { code: 'Unschedulable', reasons: [ERR_REASON_EXISTING_ANTI_AFFINITY] });
    assert.deepEqual(codes(run), { a: 'Unschedulable', b: 'Unschedulable', c: 'Success', d: 'Success' });
    // A pod that does not match the guard's selector is unaffected.
    assert.equal(runFilter(plugin, makePod('q', { labels: { app: 'db' } }), snap).preFilter.code, 'Skip');
  });

  it('terms only look at their namespaces (default: the pod’s own)', () => {
    const snap = cluster(zoned(), [on('a', makePod('db', { namespace: 'data', labels: { app: 'db' } }))]);
    const own = makePod('p', { spec: { affinity: requiredAffinity(term({ app: 'db' }, ZONE)) } });
    assert.equal(runFilter(plugin, own, snap).nodes.a.code, 'UnschedulableAndUnresolvable');
    const named = makePod('p', { spec: { affinity: requiredAffinity(term({ app: 'db' }, ZONE, { namespaces: ['data'] })) } });
    assert.deepEqual(codes(runFilter(plugin, named, snap)), { a: 'Success', b: 'Success', c: 'UnschedulableAndUnresolvable', d: 'UnschedulableAndUnresolvable' });
  });

  it('namespaceSelector selects namespaces by label; {} selects all', () => {
    const namespaces: { metadata: { name: string; labels: Record<string, string> } }[] = [
      { metadata: { name: 'data', labels: { team: 'storage' } } },
      { metadata: { name: 'default', labels: {} } },
    ];
    const snap = cluster(zoned(), [on('c', makePod('db', { namespace: 'data', labels: { app: 'db' } }))], namespaces);
    const bySelector = makePod('p', { spec: { affinity: requiredAffinity(term({ app: 'db' }, ZONE, { namespaceSelector: { matchLabels: { team: 'storage' } } })) } });
    assert.deepEqual(codes(runFilter(plugin, bySelector, snap)), { a: 'UnschedulableAndUnresolvable', b: 'UnschedulableAndUnresolvable', c: 'Success', d: 'UnschedulableAndUnresolvable' });
    const wrongTeam = makePod('p', { spec: { affinity: requiredAffinity(term({ app: 'db' }, ZONE, { namespaceSelector: { matchLabels: { team: 'web' } } })) } });
    assert.equal(runFilter(plugin, wrongTeam, snap).nodes.c.code, 'UnschedulableAndUnresolvable');
    const all = makePod('p', { spec: { affinity: requiredAffinity(term({ app: 'db' }, ZONE, { namespaceSelector: {} })) } });
    assert.equal(runFilter(plugin, all, snap).nodes.c.code, 'Success');
  });

  it("an existing pod's namespaceSelector is checked against the incoming pod's namespace labels", () => {
    const namespaces = [{ metadata: { name: 'prod', labels: { env: 'prod' } } }, { metadata: { name: 'dev', labels: { env: 'dev' } } }];
    const guard = makePod('guard', { namespace: 'prod', spec: { affinity: requiredAnti(term({ app: 'web' }, HOST, { namespaceSelector: { matchLabels: { env: 'prod' } } })) } });
    const snap = cluster([makeNode('n1'), makeNode('n2')], [on('n1', guard)], namespaces);
    assert.deepEqual(codes(runFilter(plugin, makePod('p', { namespace: 'prod', labels: { app: 'web' } }), snap)), { n1: 'Unschedulable', n2: 'Success' });
    assert.equal(runFilter(plugin, makePod('p', { namespace: 'dev', labels: { app: 'web' } }), snap).preFilter.code, 'Skip');
  });

  it('a null labelSelector matches no pod', () => {
    const snap = cluster(zoned(), [on('a', makePod('x', { labels: { app: 'db' } }))]);
    const pod = makePod('p', { spec: { affinity: requiredAnti({ topologyKey: ZONE }) } });
    assert.deepEqual(codes(runFilter(plugin, pod, snap)), { a: 'Success', b: 'Success', c: 'Success', d: 'Success' });
  });

  it('an invalid selector operator makes the pod unresolvable', () => {
    const pod = makePod('p', { spec: { affinity: requiredAffinity({ labelSelector: { matchExpressions: [{ key: 'a', operator: 'Gt', values: ['1'] }] }, topologyKey: ZONE }) } });
    const run = runFilter(plugin, pod, cluster(zoned()));
    assert.equal(run.preFilter.code, 'UnschedulableAndUnresolvable');
    assert.match(run.preFilter.reasons[0], /^parsing pod: /);
  });
});

describe('InterPodAffinity score', () => {
  const plugin = newInterPodAffinity();
  const nodes = () => [makeNode('a', { labels: { [ZONE]: 'z1' } }), makeNode('b', { labels: { [ZONE]: 'z1' } }), makeNode('c', { labels: { [ZONE]: 'z2' } })];

  it('preferred affinity scores the whole topology of matching pods', () => {
    const snap = cluster(nodes(), [on('a', makePod('db', { labels: { app: 'db' } }))]);
    const r = runScore(plugin, makePod('p', { spec: { affinity: preferredAffinity(5, term({ app: 'db' }, ZONE)) } }), snap);
    assert.deepEqual(r.raw, { a: 5, b: 5, c: 0 });
    assert.deepEqual(r.normalized, { a: 100, b: 100, c: 0 });
  });

  it('preferred anti-affinity subtracts', () => {
    const snap = cluster(nodes(), [on('a', makePod('web', { labels: { app: 'web' } }))]);
    const r = runScore(plugin, makePod('p', { spec: { affinity: preferredAnti(10, term({ app: 'web' }, HOST)) } }), snap);
    assert.deepEqual(r.raw, { a: -10, b: 0, c: 0 });
    assert.deepEqual(r.normalized, { a: 0, b: 100, c: 100 });
  });

  it('min-max normalisation truncates', () => {
    const snap = cluster(nodes(), [on('a', makePod('db', { labels: { app: 'db' } })), on('b', makePod('web', { labels: { app: 'web' } }))]);
    const pod = makePod('p', {
      spec: {
        affinity: {
          podAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 5, podAffinityTerm: term({ app: 'db' }, HOST) }] },
          podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 3, podAffinityTerm: term({ app: 'web' }, HOST) }] },
        },
      },
    });
    const r = runScore(plugin, pod, snap);
    assert.deepEqual(r.raw, { a: 5, b: -3, c: 0 });
    assert.deepEqual(r.normalized, { a: 100, b: 0, c: 37 });
  });

  it("existing pods' preferred terms that match the incoming pod count too", () => {
    const snap = cluster(nodes(), [on('a', makePod('cache', { spec: { affinity: preferredAffinity(7, term({ app: 'web' }, ZONE)) } }))]);
    const r = runScore(plugin, makePod('p', { labels: { app: 'web' } }), snap);
    assert.deepEqual(r.raw, { a: 7, b: 7, c: 0 });
    assert.deepEqual(r.normalized, { a: 100, b: 100, c: 0 });
  });

  it("existing pods' required affinity counts with hardPodAffinityWeight", () => {
    const snap = cluster(nodes(), [on('c', makePod('x', { spec: { affinity: requiredAffinity(term({ app: 'web' }, ZONE)) } }))]);
    const pod = makePod('p', { labels: { app: 'web' } });
    assert.deepEqual(runScore(plugin, pod, snap).raw, { a: 0, b: 0, c: 1 });
    assert.deepEqual(runScore(newInterPodAffinity({ args: { hardPodAffinityWeight: 10 } }), pod, snap).raw, { a: 0, b: 0, c: 10 });
    assert.equal(runScore(newInterPodAffinity({ args: { hardPodAffinityWeight: 0 } }), pod, snap).preScore.code, 'Skip');
  });

  it('skips when nothing contributes, or when told to ignore existing pods', () => {
    const snap = cluster(nodes(), [on('a', makePod('cache', { spec: { affinity: preferredAffinity(7, term({ app: 'web' }, ZONE)) } }))]);
    assert.equal(runScore(plugin, makePod('p', { labels: { app: 'db' } }), snap).preScore.code, 'Skip');
    const ignoring = newInterPodAffinity({ args: { ignorePreferredTermsOfExistingPods: true } });
    assert.equal(runScore(ignoring, makePod('p', { labels: { app: 'web' } }), snap).preScore.code, 'Skip');
  });

  it('a zero-sum topology still counts as scored (all nodes 0)', () => {
    const snap = cluster(nodes(), [on('a', makePod('db', { labels: { app: 'db' } }))]);
    const pod = makePod('p', {
      spec: {
        affinity: {
          podAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 4, podAffinityTerm: term({ app: 'db' }, ZONE) }] },
          podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 4, podAffinityTerm: term({ app: 'db' }, ZONE) }] },
        },
      },
    });
    const state = new CycleState();
    const r = runScore(plugin, pod, snap, undefined, state);
    assert.equal(r.preScore.code, 'Success');
    assert.deepEqual(r.normalized, { a: 0, b: 0, c: 0 });
  });
});
