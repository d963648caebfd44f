import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { defaultSchedulerConfig, parseSchedulerConfig } from './config.js';

describe('scheduler config file', () => {
  it('defaults to the Kubernetes default profile', () => {
    const c = defaultSchedulerConfig();
    assert.equal(c.profiles[0].schedulerName, 'default-scheduler');
    assert.equal(c.profiles[0].plugins.find((p) => p.name === 'TaintToleration')!.weight, 3);
    assert.equal(c.profiles[0].percentageOfNodesToScore, 0);
  });

  it('disables, re-weights and configures plugins per profile', () => {
    const c = parseSchedulerConfig(`
apiVersion: kubescheduler.config.k8s.io/v1
kind: KubeSchedulerConfiguration
percentageOfNodesToScore: 50
profiles:
- schedulerName: default-scheduler
  plugins:
    multiPoint:
      disabled: [{name: ImageLocality}]
    score:
      enabled: [{name: NodeResourcesFit, weight: 5}]
  pluginConfig:
  - name: NodeResourcesFit
    args: {scoringStrategy: {type: MostAllocated}}
- schedulerName: bare
  plugins:
    multiPoint:
      disabled: [{name: "*"}]
      enabled: [{name: NodeResourcesFit}]
`);
    const [a, b] = c.profiles;
    assert.equal(a.plugins.some((p) => p.name === 'ImageLocality'), false);
    assert.equal(a.plugins.find((p) => p.name === 'NodeResourcesFit')!.weight, 5);
    assert.deepEqual(a.args.NodeResourcesFit, { scoringStrategy: { type: 'MostAllocated' } });
    assert.equal(a.percentageOfNodesToScore, 50);
    assert.deepEqual(b.plugins.map((p) => p.name), ['NodeResourcesFit']);
  });

  it('rejects unknown plugins and duplicate profiles', () => {
    assert.throws(() => parseSchedulerConfig('profiles: [{plugins: {filter: {enabled: [{name: Nope}]}}}]'), /plugin "Nope" does not exist/);
    assert.throws(() => parseSchedulerConfig('profiles: [{schedulerName: a}, {schedulerName: a}]'), /duplicate profile a/);
    assert.throws(() => parseSchedulerConfig('percentageOfNodesToScore: 150'), /between 0 and 100/);
  });
});
