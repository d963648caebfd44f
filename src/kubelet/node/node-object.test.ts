import { test } from 'node:test';
import assert from 'node:assert/strict';
import { kubeletLabels, mergeConditions, nodeAddresses, nodeInfo, nodeResources, topImages } from './node-object.js';
import { DEFAULT_EVICTION_HARD, nodeConditions } from './pressure.js';

const facts = { cpuCount: 2, memoryBytes: 24684084 * 1024, ephemeralStorageBytes: 105152176128 };

test('capacity and allocatable with the default eviction thresholds', () => {
  assert.deepEqual(nodeResources(facts, { thresholds: DEFAULT_EVICTION_HARD }), {
    capacity: {
      cpu: '2',
      'ephemeral-storage': '102687672Ki',
      'hugepages-1Gi': '0',
      'hugepages-2Mi': '0',
      memory: '24684084Ki',
      pods: '110',
    },
    allocatable: {
      cpu: '2',
      // 105152176128 − trunc(105152176128 × float32(0.1))
      'ephemeral-storage': '94636958359',
      'hugepages-1Gi': '0',
      'hugepages-2Mi': '0',
      memory: '24581684Ki',
      pods: '110',
    },
  });
});

test('allocatable subtracts reservations; never negative', () => {
  const r = nodeResources(facts, { thresholds: DEFAULT_EVICTION_HARD, reserved: { cpu: '100m', memory: '1Gi' }, maxPods: 20 });
  assert.equal(r.allocatable.cpu, '1900m');
  assert.equal(r.allocatable.memory, '23533108Ki');
  assert.equal(r.allocatable.pods, '20');
  assert.equal(r.capacity.pods, '20');
  const tiny = nodeResources({ cpuCount: 1, memoryBytes: 64 * 1024 * 1024, ephemeralStorageBytes: 4096 }, { thresholds: DEFAULT_EVICTION_HARD, reserved: { cpu: '2' } });
  assert.equal(tiny.allocatable.cpu, '0');
  assert.equal(tiny.allocatable.memory, '0');
  assert.equal(tiny.capacity.memory, '64Mi');
  assert.equal(tiny.capacity['ephemeral-storage'], '4Ki');
});

test('without thresholds allocatable equals capacity', () => {
  const r = nodeResources(facts);
  assert.deepEqual(r.allocatable, r.capacity);
});

test('labels, addresses and nodeInfo', () => {
  assert.deepEqual(kubeletLabels('n1', 'linux', 'amd64'), {
    'beta.kubernetes.io/arch': 'amd64',
    'beta.kubernetes.io/os': 'linux',
    'kubernetes.io/arch': 'amd64',
    'kubernetes.io/hostname': 'n1',
    'kubernetes.io/os': 'linux',
  });
  assert.deepEqual(nodeAddresses('10.1.2.3', 'n1'), [
    { type: 'InternalIP', address: '10.1.2.3' },
    { type: 'Hostname', address: 'n1' },
  ]);
  const info = nodeInfo(
    {
      hostname: 'vm',
      cpuCount: 2,
      memoryBytes: 1,
      ephemeralStorageBytes: 1,
      machineID: 'm',
      systemUUID: 's',
      bootID: 'b',
      kernelVersion: '6.1.0',
      osImage: 'Debian GNU/Linux 12 (bookworm)',
      operatingSystem: 'linux',
      architecture: 'amd64',
    },
    'containerd://1.6.20~ds1',
  );
  assert.deepEqual(info, {
    machineID: 'm',
    systemUUID: 's',
    bootID: 'b',
    kernelVersion: '6.1.0',
    osImage: 'Debian GNU/Linux 12 (bookworm)',
    containerRuntimeVersion: 'containerd://1.6.20~ds1',
    kubeletVersion: 'v1.32.0',
    kubeProxyVersion: 'v1.32.0',
    operatingSystem: 'linux',
    architecture: 'amd64',
  });
});

test('topImages: biggest first, capped, nameless dropped', () => {
  const imgs = [
    { names: ['a'], sizeBytes: 10 },
    { names: [], sizeBytes: 1000 },
    { names: ['b', 'b2'], sizeBytes: 30 },
    { names: ['c'], sizeBytes: 20 },
  ];
  assert.deepEqual(topImages(imgs, 2), [
    { names: ['b', 'b2'], sizeBytes: 30 },
    { names: ['c'], sizeBytes: 20 },
  ]);
});

test('mergeConditions: first time every condition transitions', () => {
  const desired = nodeConditions({ memory: false, disk: false, pid: false }, []);
  const r = mergeConditions(undefined, desired, 'T1', true);
  assert.equal(r.changed.length, 4);
  assert.deepEqual(r.conditions[3], {
    type: 'Ready',
    status: 'True',
    lastHeartbeatTime: 'T1',
    lastTransitionTime: 'T1',
    reason: 'KubeletReady',
    message: 'kubelet is posting ready status',
  });
});

test('mergeConditions keeps foreign conditions and transition times of unchanged ones', () => {
  const ready = nodeConditions({ memory: false, disk: false, pid: false }, []);
  const first = mergeConditions([{ type: 'NetworkUnavailable', status: 'False', reason: 'RouteCreated' }], ready, 'T1', true).conditions;
  assert.equal(first[0].type, 'NetworkUnavailable');
  // The node controller marked it Unknown; we come back Ready.
  const marked = first.map((c) => (c.type === 'Ready' ? { ...c, status: 'Unknown', reason: 'NodeStatusUnknown' } : c));
  const noBeat = mergeConditions(marked, ready, 'T2', false);
  assert.deepEqual(noBeat.changed.map((c) => c.type), ['Ready']);
  const readyNow = noBeat.conditions.find((c) => c.type === 'Ready')!;
  assert.equal(readyNow.lastTransitionTime, 'T2');
  assert.equal(readyNow.lastHeartbeatTime, 'T1', 'heartbeat kept when not beating');
  const mem = noBeat.conditions.find((c) => c.type === 'MemoryPressure')!;
  assert.equal(mem.lastTransitionTime, 'T1');
  const beat = mergeConditions(noBeat.conditions, ready, 'T3', true);
  assert.deepEqual(beat.changed, []);
  assert.ok(beat.conditions.filter((c) => c.type !== 'NetworkUnavailable').every((c) => c.lastHeartbeatTime === 'T3'));
  assert.equal(beat.conditions.length, 5);
});
