import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ERR_REASON_NODE_PORTS, newNodePorts } from './node-ports.js';
import { cluster, codes, makeNode, makePod, on, runFilter } from './test-helpers.js';

const withPorts = (name: string, ports: Record<string, unknown>[]) => makePod(name, { spec: { containers: [{ name: 'c', image: 'x', ports }] } });

describe('NodePorts', () => {
  const plugin = newNodePorts();

  it('skips pods without host ports', () => {
    const snap = cluster([makeNode('n')]);
    assert.equal(runFilter(plugin, withPorts('p', [{ containerPort: 80 }]), snap).preFilter.code, 'Skip');
  });

  const cases: [string, Record<string, unknown>, Record<string, unknown>, boolean][] = [
    ['same port, both 0.0.0.0', { hostPort: 8080 }, { hostPort: 8080 }, true],
    ['different ports', { hostPort: 8080 }, { hostPort: 8081 }, false],
    ['same port, different protocol', { hostPort: 53, protocol: 'UDP' }, { hostPort: 53, protocol: 'TCP' }, false],
    ['existing 0.0.0.0 blocks a specific IP', { hostPort: 80 }, { hostPort: 80, hostIP: '10.0.0.1' }, true],
    ['existing specific IP blocks 0.0.0.0', { hostPort: 80, hostIP: '10.0.0.1' }, { hostPort: 80 }, true],
    ['two different specific IPs coexist', { hostPort: 80, hostIP: '10.0.0.1' }, { hostPort: 80, hostIP: '10.0.0.2' }, false],
    ['same specific IP conflicts', { hostPort: 80, hostIP: '10.0.0.1' }, { hostPort: 80, hostIP: '10.0.0.1' }, true],
    ['explicit 0.0.0.0 equals empty hostIP', { hostPort: 80, hostIP: '0.0.0.0' }, { hostPort: 80 }, true],
    ['port 8080 does not collide with 18080', { hostPort: 18080 }, { hostPort: 8080 }, false],
  ];
  for (const [name, existing, wanted, conflict] of cases) {
    it(name, () => {
      const snap = cluster([makeNode('busy'), makeNode('free')], [on('busy', withPorts('e', [{ containerPort: 1, ...existing }]))]);
      const run = runFilter(plugin, withPorts('p', [{ containerPort: 1, ...wanted }]), snap);
      assert.deepEqual(run.nodes.busy, conflict ? { code: 'Unschedulable', reasons: [ERR_REASON_NODE_PORTS] } : { code: 'Success', reasons: [] });
      assert.equal(run.nodes.free.code, 'Success');
    });
  }

  it('any one conflicting port rejects the node', () => {
    const snap = cluster([makeNode('n')], [on('n', withPorts('e', [{ containerPort: 1, hostPort: 9000 }]))]);
    const run = runFilter(plugin, withPorts('p', [{ containerPort: 1, hostPort: 8000 }, { containerPort: 2, hostPort: 9000 }]), snap);
    assert.deepEqual(codes(run), { n: 'Unschedulable' });
    assert.equal(ERR_REASON_NODE_PORTS, "node(s) didn't have free ports for the requested pod ports");
  });
});
