import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nodePrinter } from './nodes.js';
import { NOW, meta, D } from './test-helpers.js';
import type { JsonObject } from './table.js';

function node(labels: Record<string, string>, spec: JsonObject, status: JsonObject): JsonObject {
  return { apiVersion: 'v1', kind: 'Node', metadata: meta('node-1', 3 * D, { namespace: undefined, labels }), spec, status };
}

const info = {
  kubeletVersion: 'v1.32.0',
  osImage: 'Ubuntu 22.04.4 LTS',
  kernelVersion: '6.5.0-1',
  containerRuntimeVersion: 'containerd://1.7.13',
};

test('ready control-plane node, full wide row', () => {
  const n = node(
    { 'node-role.kubernetes.io/control-plane': '', 'kubernetes.io/hostname': 'node-1' },
    {},
    {
      conditions: [
        { type: 'MemoryPressure', status: 'False' },
        { type: 'Ready', status: 'True' },
      ],
      addresses: [
        { type: 'Hostname', address: 'node-1' },
        { type: 'InternalIP', address: '192.168.1.10' },
        { type: 'InternalIP', address: '192.168.1.11' },
      ],
      nodeInfo: info,
    },
  );
  assert.deepEqual(nodePrinter.row(n, NOW), [
    'node-1',
    'Ready',
    'control-plane',
    '3d',
    'v1.32.0',
    '192.168.1.10',
    '<none>',
    'Ubuntu 22.04.4 LTS',
    '6.5.0-1',
    'containerd://1.7.13',
  ]);
});

const statusCases: Array<[string, JsonObject, JsonObject, string]> = [
  ['not ready', {}, { conditions: [{ type: 'Ready', status: 'False' }] }, 'NotReady'],
  ['ready unknown counts as not ready', {}, { conditions: [{ type: 'Ready', status: 'Unknown' }] }, 'NotReady'],
  ['no Ready condition', {}, { conditions: [{ type: 'DiskPressure', status: 'False' }] }, 'Unknown'],
  ['cordoned ready node', { unschedulable: true }, { conditions: [{ type: 'Ready', status: 'True' }] }, 'Ready,SchedulingDisabled'],
  ['cordoned without conditions', { unschedulable: true }, {}, 'Unknown,SchedulingDisabled'],
];
for (const [name, spec, status, want] of statusCases) {
  test(`node status: ${name}`, () => {
    assert.equal(nodePrinter.row(node({}, spec, status), NOW)[1], want);
  });
}

test('node roles: sorted, deduplicated, legacy label, empty role ignored, <none>', () => {
  const roles = (labels: Record<string, string>) => nodePrinter.row(node(labels, {}, {}), NOW)[2];
  assert.equal(roles({ 'node-role.kubernetes.io/worker': '', 'node-role.kubernetes.io/control-plane': 'true' }), 'control-plane,worker');
  assert.equal(roles({ 'kubernetes.io/role': 'master', 'node-role.kubernetes.io/master': '' }), 'master');
  assert.equal(roles({ 'kubernetes.io/role': '', 'node-role.kubernetes.io/': '' }), '<none>');
  assert.equal(roles({}), '<none>');
});

test('node wide cells without nodeInfo are <unknown>, external IP found', () => {
  const row = nodePrinter.row(node({}, {}, { addresses: [{ type: 'ExternalIP', address: '203.0.113.9' }] }), NOW);
  assert.deepEqual(row.slice(4), ['', '<none>', '203.0.113.9', '<unknown>', '<unknown>', '<unknown>']);
});

test('node column layout', () => {
  assert.deepEqual(
    nodePrinter.columns.map((c) => `${c.name}:${c.priority}`),
    ['Name:0', 'Status:0', 'Roles:0', 'Age:0', 'Version:0', 'Internal-IP:1', 'External-IP:1', 'OS-Image:1', 'Kernel-Version:1', 'Container-Runtime:1'],
  );
});
