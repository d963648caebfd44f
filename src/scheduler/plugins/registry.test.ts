import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CycleState } from '../framework.js';
import { podInfoOf } from '../node-info.js';
import { defaultProfile, instantiatePlugins, pluginFactories } from './registry.js';
import { cluster, makeNode, makePod } from './test-helpers.js';

describe('plugin registry', () => {
  it('registers every plugin under its Kubernetes name', () => {
    const names = Object.keys(pluginFactories).sort();
    assert.deepEqual(names, [
      'ImageLocality',
      'InterPodAffinity',
      'NodeAffinity',
      'NodeName',
      'NodePorts',
      'NodeResourcesBalancedAllocation',
      'NodeResourcesFit',
      'NodeUnschedulable',
      'PodTopologySpread',
      'SchedulingGates',
      'TaintToleration',
    ]);
    for (const name of names) assert.equal(pluginFactories[name]({ args: {} }).name, name);
  });

  it('default profile uses Kubernetes 1.32 score weights', () => {
    const weights = Object.fromEntries(defaultProfile.plugins.filter((p) => p.weight > 0).map((p) => [p.name, p.weight]));
    assert.deepEqual(weights, {
      TaintToleration: 3,
      NodeAffinity: 2,
      NodeResourcesFit: 1,
      PodTopologySpread: 2,
      InterPodAffinity: 2,
      NodeResourcesBalancedAllocation: 1,
      ImageLocality: 1,
    });
    assert.equal(defaultProfile.schedulerName, 'default-scheduler');
  });

  it('instantiates the profile into extension points in order', () => {
    const p = instantiatePlugins();
    assert.deepEqual(
      p.filter.map((x) => x.name),
      ['NodeUnschedulable', 'NodeName', 'TaintToleration', 'NodeAffinity', 'NodePorts', 'NodeResourcesFit', 'PodTopologySpread', 'InterPodAffinity'],
    );
    assert.deepEqual(p.preFilter.map((x) => x.name), ['NodeAffinity', 'NodePorts', 'NodeResourcesFit', 'PodTopologySpread', 'InterPodAffinity']);
    assert.deepEqual(
      p.score.map((x) => [x.plugin.name, x.weight]),
      [
        ['TaintToleration', 3],
        ['NodeAffinity', 2],
        ['NodeResourcesFit', 1],
        ['PodTopologySpread', 2],
        ['InterPodAffinity', 2],
        ['NodeResourcesBalancedAllocation', 1],
        ['ImageLocality', 1],
      ],
    );
    assert.equal(p.plugins.length, 11);
  });

  it('passes per-plugin args and rejects unknown plugins', () => {
    const p = instantiatePlugins({ schedulerName: 's', plugins: [{ name: 'NodeResourcesFit', weight: 5 }] }, { NodeResourcesFit: { scoringStrategy: { type: 'MostAllocated' } } });
    const snap = cluster([makeNode('n', { cpu: '4', memory: '10000' })]);
    const pod = podInfoOf(makePod('p', { requests: { cpu: '3', memory: '5000' } }));
    const state = new CycleState();
    p.preScore[0].preScore(state, pod, snap.nodes, snap);
    assert.equal(p.score[0].plugin.score(state, pod, snap.nodes[0], snap), 62);
    assert.equal(p.score[0].weight, 5);
    assert.throws(() => instantiatePlugins({ schedulerName: 's', plugins: [{ name: 'Nope', weight: 0 }] }), /plugin "Nope" does not exist/);
  });

  it('the default filters together pick the only feasible node', () => {
    const p = instantiatePlugins();
    const snap = cluster([
      makeNode('small', { cpu: '100m', labels: { env_role: 'dev' } }),
      makeNode('tainted', { labels: { env_role: 'dev' }, taints: [{ key: 'k', value: 'v', effect: 'NoSchedule' }] }),
      makeNode('prod', { labels: { env_role: 'prod' } }),
      makeNode('ok', { labels: { env_role: 'dev' } }),
    ]);
    const pod = podInfoOf(makePod('p', { requests: { cpu: '250m', memory: '64Mi' }, spec: { nodeSelector: { env_role: 'dev' } } }));
    const state = new CycleState();
    const skipped = new Set<string>();
    for (const pf of p.preFilter) if (pf.preFilter(state, pod, snap).status.code === 'Skip') skipped.add(pf.name);
    const verdicts: Record<string, string> = {};
    for (const n of snap.nodes) {
      const failed = p.filter.filter((f) => !skipped.has(f.name)).map((f) => f.filter(state, pod, n, snap)).find((s) => s.code !== 'Success');
      verdicts[n.name] = failed ? failed.reasons.join('; ') : 'ok';
    }
    assert.deepEqual(verdicts, {
      small: 'Insufficient cpu',
      tainted: 'node(s) had untolerated taint {k: v}',
      prod: "node(s) didn't match Pod's node affinity/selector",
      ok: 'ok',
    });
  });
});
