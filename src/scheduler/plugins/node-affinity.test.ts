import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ERR_REASON_POD, newNodeAffinity, nodeNamesFromTerms } from './node-affinity.js';
import { cluster, codes, makeNode, makePod, runFilter, runScore } from './test-helpers.js';

const required = (...terms: unknown[]) => ({ affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: terms } } } });
const expr = (key: string, operator: string, values?: string[]) => ({ matchExpressions: [{ key, operator, ...(values ? { values } : {}) }] });

describe('NodeAffinity filter', () => {
  const snap = cluster([
    makeNode('dev1', { labels: { env_role: 'dev', cores: '8' } }),
    makeNode('prod1', { labels: { env_role: 'prod', cores: '32' } }),
    makeNode('bare', { labels: { cores: 'many' } }),
  ]);
  const plugin = newNodeAffinity();

  it('skips pods without nodeSelector or required affinity', () => {
    const run = runFilter(plugin, makePod('p'), snap);
    assert.equal(run.preFilter.code, 'Skip');
  });

  it('nodeSelector env_role: dev (Kubernetes docs example)', () => {
    const run = runFilter(plugin, makePod('p', { spec: { nodeSelector: { env_role: 'dev' } } }), snap);
    assert.deepEqual(run.nodes.dev1, { code: 'Success', reasons: [] });
    assert.deepEqual(run.nodes.prod1, { code: 'UnschedulableAndUnresolvable', reasons: [ERR_REASON_POD] });
    assert.equal(run.nodes.bare.code, 'UnschedulableAndUnresolvable');
    assert.equal(ERR_REASON_POD, "node(s) didn't match Pod's node affinity/selector");
  });

  const operatorCases: [string, unknown, Record<string, string>][] = [
    ['In', expr('env_role', 'In', ['dev', 'qa']), { dev1: 'Success', prod1: 'UnschedulableAndUnresolvable', bare: 'UnschedulableAndUnresolvable' }],
    ['NotIn matches nodes without the label', expr('env_role', 'NotIn', ['dev']), { dev1: 'UnschedulableAndUnresolvable', prod1: 'Success', bare: 'Success' }],
    ['Exists', expr('env_role', 'Exists'), { dev1: 'Success', prod1: 'Success', bare: 'UnschedulableAndUnresolvable' }],
    ['DoesNotExist', expr('env_role', 'DoesNotExist'), { dev1: 'UnschedulableAndUnresolvable', prod1: 'UnschedulableAndUnresolvable', bare: 'Success' }],
    ['Gt compares integers (non-integer labels never match)', expr('cores', 'Gt', ['8']), { dev1: 'UnschedulableAndUnresolvable', prod1: 'Success', bare: 'UnschedulableAndUnresolvable' }],
    ['Lt', expr('cores', 'Lt', ['10']), { dev1: 'Success', prod1: 'UnschedulableAndUnresolvable', bare: 'UnschedulableAndUnresolvable' }],
    ['Gt with a non-integer value is an invalid term: matches nothing', expr('cores', 'Gt', ['x']), { dev1: 'UnschedulableAndUnresolvable', prod1: 'UnschedulableAndUnresolvable', bare: 'UnschedulableAndUnresolvable' }],
    ['In without values is invalid', expr('env_role', 'In', []), { dev1: 'UnschedulableAndUnresolvable', prod1: 'UnschedulableAndUnresolvable', bare: 'UnschedulableAndUnresolvable' }],
    ['matchFields metadata.name NotIn', { matchFields: [{ key: 'metadata.name', operator: 'NotIn', values: ['dev1'] }] }, { dev1: 'UnschedulableAndUnresolvable', prod1: 'Success', bare: 'Success' }],
  ];
  for (const [name, term, want] of operatorCases) {
    it(`operator ${name}`, () => assert.deepEqual(codes(runFilter(plugin, makePod('p', { spec: required(term) }), snap)), want));
  }

  it('terms are ORed, expressions in a term ANDed', () => {
    const pod = makePod('p', {
      spec: required(
        { matchExpressions: [{ key: 'env_role', operator: 'In', values: ['dev'] }, { key: 'cores', operator: 'Gt', values: ['16'] }] },
        expr('cores', 'In', ['many']),
      ),
    });
    assert.deepEqual(codes(runFilter(plugin, pod, snap)), { dev1: 'UnschedulableAndUnresolvable', prod1: 'UnschedulableAndUnresolvable', bare: 'Success' });
  });

  it('an empty term list or an empty term matches no node', () => {
    assert.deepEqual(codes(runFilter(plugin, makePod('p', { spec: required() }), snap)), {
      dev1: 'UnschedulableAndUnresolvable',
      prod1: 'UnschedulableAndUnresolvable',
      bare: 'UnschedulableAndUnresolvable',
    });
    assert.equal(runFilter(plugin, makePod('p', { spec: required({}) }), snap).nodes.dev1.code, 'UnschedulableAndUnresolvable');
  });

  it('nodeSelector and affinity must both match', () => {
    const pod = makePod('p', { spec: { nodeSelector: { env_role: 'prod' }, ...required(expr('cores', 'Lt', ['100'])) } });
    assert.deepEqual(codes(runFilter(plugin, pod, snap)), { dev1: 'UnschedulableAndUnresolvable', prod1: 'Success', bare: 'UnschedulableAndUnresolvable' });
  });

  it('PreFilter narrows to matchFields metadata.name In', () => {
    const pod = makePod('p', { spec: required({ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['dev1'] }] }) });
    const run = runFilter(plugin, pod, snap);
    assert.deepEqual([...run.nodeNames!], ['dev1']);
    assert.deepEqual(codes(run), { dev1: 'Success', prod1: 'UnschedulableAndUnresolvable', bare: 'UnschedulableAndUnresolvable' });
  });

  it('PreFilter reports conflicting name terms as unresolvable', () => {
    const pod = makePod('p', {
      spec: required({
        matchFields: [
          { key: 'metadata.name', operator: 'In', values: ['a'] },
          { key: 'metadata.name', operator: 'In', values: ['b'] },
        ],
      }),
    });
    assert.deepEqual(runFilter(plugin, pod, snap).preFilter, { code: 'UnschedulableAndUnresolvable', reasons: ['pod affinity terms conflict'] });
  });

  it('nodeNamesFromTerms: union across terms, no restriction if one term has none', () => {
    const f = (vals: string[]) => ({ matchFields: [{ key: 'metadata.name', operator: 'In', values: vals }] });
    assert.deepEqual([...nodeNamesFromTerms([f(['a', 'b']), f(['c'])])!].sort(), ['a', 'b', 'c']);
    assert.equal(nodeNamesFromTerms([f(['a']), expr('x', 'Exists')]), undefined);
  });

  it('addedAffinity is enforced on every pod', () => {
    const p = newNodeAffinity({ args: { addedAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [expr('env_role', 'Exists')] } } } });
    const run = runFilter(p, makePod('p'), snap);
    assert.equal(run.preFilter.code, 'Success');
    assert.deepEqual(run.nodes.bare, { code: 'UnschedulableAndUnresolvable', reasons: ["node(s) didn't match scheduler-enforced node affinity"] });
    assert.equal(run.nodes.dev1.code, 'Success');
  });
});

describe('NodeAffinity score', () => {
  const snap = cluster([
    makeNode('a', { labels: { zone: 'z1', ssd: 'true' } }),
    makeNode('b', { labels: { zone: 'z2', ssd: 'true' } }),
    makeNode('c', { labels: { zone: 'z3' } }),
  ]);
  const plugin = newNodeAffinity();
  const preferred = (...terms: { weight: number; preference: unknown }[]) => ({
    affinity: { nodeAffinity: { preferredDuringSchedulingIgnoredDuringExecution: terms } },
  });

  it('skips pods without preferred terms', () => {
    assert.equal(runScore(plugin, makePod('p'), snap).preScore.code, 'Skip');
  });

  it('sums matching weights and normalises to the max', () => {
    const pod = makePod('p', { spec: preferred({ weight: 20, preference: expr('ssd', 'Exists') }, { weight: 60, preference: expr('zone', 'In', ['z1']) }) });
    const r = runScore(plugin, pod, snap);
    assert.deepEqual(r.raw, { a: 80, b: 20, c: 0 });
    assert.deepEqual(r.normalized, { a: 100, b: 25, c: 0 });
  });

  it('zero weights and empty preferences are ignored; nothing matching gives 0 everywhere', () => {
    const pod = makePod('p', { spec: preferred({ weight: 0, preference: expr('ssd', 'Exists') }, { weight: 5, preference: {} }, { weight: 7, preference: expr('zone', 'In', ['nope']) }) });
    const r = runScore(plugin, pod, snap);
    assert.deepEqual(r.normalized, { a: 0, b: 0, c: 0 });
  });

  it('an invalid preferred term is an error', () => {
    const pod = makePod('p', { spec: preferred({ weight: 3, preference: expr('zone', 'Lt', ['a', 'b']) }) });
    assert.equal(runScore(plugin, pod, snap).preScore.code, 'Error');
  });
});
