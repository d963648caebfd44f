import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { newNodeName, ERR_REASON_NODE_NAME } from './node-name.js';
import { cluster, makeNode, makePod, runFilter } from './test-helpers.js';

describe('NodeName', () => {
  const snap = cluster([makeNode('n1'), makeNode('n2')]);
  const plugin = newNodeName();

  it('passes every node when spec.nodeName is empty', () => {
    const run = runFilter(plugin, makePod('p'), snap);
    assert.deepEqual(run.nodes, { n1: { code: 'Success', reasons: [] }, n2: { code: 'Success', reasons: [] } });
  });

  it('only the requested node fits; others are unresolvable', () => {
    const run = runFilter(plugin, makePod('p', { spec: { nodeName: 'n2' } }), snap);
    assert.deepEqual(run.nodes.n1, { code: 'UnschedulableAndUnresolvable', reasons: [ERR_REASON_NODE_NAME] });
    assert.deepEqual(run.nodes.n2, { code: 'Success', reasons: [] });
    assert.equal(ERR_REASON_NODE_NAME, "node(s) didn't match the requested node name");
  });

  it('a name of no existing node rejects all', () => {
    const run = runFilter(plugin, makePod('p', { spec: { nodeName: 'ghost' } }), snap);
    assert.deepEqual(Object.values(run.nodes).map((s) => s.code), ['UnschedulableAndUnresolvable', 'UnschedulableAndUnresolvable']);
  });
});
