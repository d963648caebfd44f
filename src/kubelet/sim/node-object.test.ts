import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildLease } from './lease-object.js';
import { buildNode, conditionsChanged, healthyConditions, machineIdentity, nodeLabels, MAX_IMAGES } from './node-object.js';
import { FLEET_DEFAULTS, type FleetShape } from './options.js';
import { newSimNode } from './sim-node.js';
import { microTime, rfc3339 } from './times.js';

const shape = (o: Partial<FleetShape> = {}): FleetShape => ({ ...FLEET_DEFAULTS, ...o });
const T = '2025-01-02T03:04:05Z';

test('nodeLabels: kubelet labels, zone by index modulo, fleet labels cannot override identity', () => {
  const s = shape({ zones: ['z1', 'z2', 'z3'], labels: { team: 'a', 'kubernetes.io/hostname': 'evil', type: 'other' } });
  assert.deepEqual(nodeLabels(s, 4, 'sim-4'), {
    team: 'a',
    type: 'skiff-sim',
    'kubernetes.io/hostname': 'sim-4',
    'kubernetes.io/os': 'linux',
    'kubernetes.io/arch': 'amd64',
    'beta.kubernetes.io/os': 'linux',
    'beta.kubernetes.io/arch': 'amd64',
    'node.kubernetes.io/instance-type': 'skiff-sim',
    'topology.kubernetes.io/zone': 'z2',
  });
  assert.equal(nodeLabels(shape(), 0, 'n')['topology.kubernetes.io/zone'], undefined);
});

test('healthyConditions: the kubelet reasons and messages, in its order', () => {
  assert.deepEqual(healthyConditions('H', 'S'), [
    { type: 'MemoryPressure', status: 'False', lastHeartbeatTime: 'H', lastTransitionTime: 'S', reason: 'KubeletHasSufficientMemory', message: 'kubelet has sufficient memory available' },
    { type: 'DiskPressure', status: 'False', lastHeartbeatTime: 'H', lastTransitionTime: 'S', reason: 'KubeletHasNoDiskPressure', message: 'kubelet has no disk pressure' },
    { type: 'PIDPressure', status: 'False', lastHeartbeatTime: 'H', lastTransitionTime: 'S', reason: 'KubeletHasSufficientPID', message: 'kubelet has sufficient PID available' },
    { type: 'Ready', status: 'True', lastHeartbeatTime: 'H', lastTransitionTime: 'S', reason: 'KubeletReady', message: 'kubelet is posting ready status' },
  ]);
});

test('conditionsChanged notices a status someone else set, or missing conditions', () => {
  const ours = healthyConditions(T, T);
  assert.equal(conditionsChanged(ours, ours), false);
  const unknown = ours.map((c) => (c.type === 'Ready' ? { ...c, status: 'Unknown' } : c));
  assert.equal(conditionsChanged(unknown, ours), true);
  assert.equal(conditionsChanged(ours.slice(1), ours), true);
  assert.equal(conditionsChanged(undefined, ours), true);
});

test('buildNode: spec, capacity = allocatable, addresses, nodeInfo, images sorted and capped', () => {
  const images = Array.from({ length: 60 }, (_, i) => ({ name: `img${i}`, sizeBytes: i * 10 }));
  const s = shape({ cpu: '8', memory: '64Gi', pods: 50, taints: [{ key: 'k', value: 'v', effect: 'NoSchedule' }], images });
  const n = newSimNode(2, 'sim-2', T);
  const node = buildNode(s, n, T, 'boot-1');
  assert.equal(node.metadata.name, 'sim-2');
  assert.deepEqual(node.spec, { podCIDR: '10.244.2.0/24', podCIDRs: ['10.244.2.0/24'], taints: [{ key: 'k', value: 'v', effect: 'NoSchedule' }] });
  const st = node.status;
  assert.deepEqual(st.capacity, { cpu: '8', 'ephemeral-storage': '100Gi', 'hugepages-1Gi': '0', 'hugepages-2Mi': '0', memory: '64Gi', pods: '50' });
  assert.deepEqual(st.allocatable, st.capacity);
  assert.notEqual(st.allocatable, st.capacity);
  assert.deepEqual(st.addresses, [
    { type: 'InternalIP', address: '10.200.0.3' },
    { type: 'Hostname', address: 'sim-2' },
  ]);
  assert.deepEqual(st.daemonEndpoints, { kubeletEndpoint: { Port: 10250 } });
  assert.equal(st.nodeInfo.kubeletVersion, 'v1.32.0');
  assert.equal(st.nodeInfo.containerRuntimeVersion, 'skiff-sim://0.1.0');
  assert.equal(st.nodeInfo.operatingSystem, 'linux');
  assert.equal(st.nodeInfo.architecture, 'amd64');
  assert.equal(st.nodeInfo.bootID, 'boot-1');
  assert.equal(st.images.length, MAX_IMAGES);
  assert.deepEqual(st.images[0], { names: ['img59'], sizeBytes: 590 });
  assert.deepEqual(st.images[49], { names: ['img10'], sizeBytes: 100 });
  assert.equal(st.conditions[3].lastTransitionTime, T);
  // No taints or images: the fields are left out.
  const plain = buildNode(shape(), n, T, 'b');
  assert.equal('taints' in plain.spec, false);
  assert.equal('images' in plain.status, false);
});

test('machineIdentity is stable per name and well-formed', () => {
  const a = machineIdentity('sim-0');
  assert.deepEqual(machineIdentity('sim-0'), a);
  assert.notEqual(machineIdentity('sim-1').machineID, a.machineID);
  assert.match(a.machineID, /^[0-9a-f]{32}$/);
  assert.match(a.systemUUID, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
});

test('buildLease: held by the node for 40 s, owned by the Node once its uid is known', () => {
  const n = newSimNode(0, 'sim-0', T);
  assert.deepEqual(buildLease(n, 'R'), {
    apiVersion: 'coordination.k8s.io/v1',
    kind: 'Lease',
    metadata: { name: 'sim-0', namespace: 'kube-node-lease' },
    spec: { holderIdentity: 'sim-0', leaseDurationSeconds: 40, renewTime: 'R' },
  });
  n.uid = 'uid-1';
  n.leaseRv = '17';
  assert.deepEqual(buildLease(n, 'R').metadata, {
    name: 'sim-0',
    namespace: 'kube-node-lease',
    resourceVersion: '17',
    ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name: 'sim-0', uid: 'uid-1' }],
  });
});

test('time formats: RFC 3339 seconds and MicroTime', () => {
  const d = new Date(Date.UTC(2025, 0, 2, 3, 4, 5, 678));
  assert.equal(rfc3339(d), '2025-01-02T03:04:05Z');
  assert.equal(microTime(d), '2025-01-02T03:04:05.678000Z');
});
