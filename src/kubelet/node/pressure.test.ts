import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  aggregateMessage,
  breachedSignals,
  conditionEvent,
  DEFAULT_EVICTION_HARD,
  nodeConditions,
  parseEvictionHard,
  parsePercentage,
  pressureOf,
  PressureTracker,
  thresholdAmount,
} from './pressure.js';
import type { NodeSignals } from './signals.js';

const Mi = 1024 * 1024;
const Gi = 1024 * Mi;

test('parsePercentage rounds through float32 like the kubelet', () => {
  assert.equal(parsePercentage('10%'), 0.10000000149011612);
  assert.equal(parsePercentage('5%'), Math.fround(0.05));
  assert.equal(parsePercentage('100%'), 1);
  assert.throws(() => parsePercentage('x%'));
});

test('parseEvictionHard: quantities, percentages and errors', () => {
  assert.deepEqual(parseEvictionHard('memory.available<100Mi, nodefs.available<10%'), {
    'memory.available': { quantity: 100 * Mi },
    'nodefs.available': { percentage: 0.10000000149011612 },
  });
  assert.deepEqual(parseEvictionHard('pid.available<1k'), { 'pid.available': { quantity: 1000 } });
  assert.deepEqual(parseEvictionHard(''), {});
  assert.throws(() => parseEvictionHard('memory.free<1Gi'), /unsupported eviction signal memory.free/);
  assert.throws(() => parseEvictionHard('memory.available>1Gi'), /invalid eviction threshold syntax/);
  assert.throws(() => parseEvictionHard('nodefs.available<120%'), /must be >= 0% and <= 100%/);
});

test('the default thresholds are the kubelet defaults', () => {
  assert.deepEqual(Object.keys(DEFAULT_EVICTION_HARD).sort(), [
    'imagefs.available',
    'imagefs.inodesFree',
    'memory.available',
    'nodefs.available',
    'nodefs.inodesFree',
  ]);
  assert.deepEqual(DEFAULT_EVICTION_HARD['memory.available'], { quantity: 100 * Mi });
  assert.deepEqual(DEFAULT_EVICTION_HARD['imagefs.available'], { percentage: Math.fround(15 / 100) });
});

test('thresholdAmount truncates percentages of capacity', () => {
  assert.equal(thresholdAmount({ quantity: 42 }, 1000), 42);
  assert.equal(thresholdAmount({ percentage: parsePercentage('10%') }, 105152176128), 10515217769);
  assert.equal(thresholdAmount({ percentage: 0.5 }, 3), 1);
});

const healthy: NodeSignals = {
  memory: { availableBytes: 20 * Gi, capacityBytes: 24 * Gi },
  nodefs: { availableBytes: 80 * Gi, capacityBytes: 250 * Gi, inodesFree: 16_000_000, inodes: 16_777_216 },
  imagefs: { availableBytes: 80 * Gi, capacityBytes: 250 * Gi, inodesFree: 16_000_000, inodes: 16_777_216 },
  pid: { available: 32000, max: 32768 },
};

test('breachedSignals: a table of observations against the defaults', () => {
  const cases: [string, NodeSignals, string[]][] = [
    ['healthy', healthy, []],
    ['memory just under 100Mi', { ...healthy, memory: { availableBytes: 100 * Mi - 1, capacityBytes: 24 * Gi } }, ['memory.available']],
    ['memory exactly 100Mi is not pressure', { ...healthy, memory: { availableBytes: 100 * Mi, capacityBytes: 24 * Gi } }, []],
    ['nodefs at 9%', { ...healthy, nodefs: { ...healthy.nodefs!, availableBytes: 0.09 * 250 * Gi } }, ['nodefs.available']],
    ['imagefs at 14%', { ...healthy, imagefs: { ...healthy.imagefs!, availableBytes: 0.14 * 250 * Gi } }, ['imagefs.available']],
    ['nodefs inodes at 4%', { ...healthy, nodefs: { ...healthy.nodefs!, inodesFree: 0.04 * 16_777_216 } }, ['nodefs.inodesFree']],
    ['no inode accounting (0 inodes)', { ...healthy, nodefs: { ...healthy.nodefs!, inodesFree: 0, inodes: 0 } }, []],
    ['pids have no default threshold', { ...healthy, pid: { available: 1, max: 32768 } }, []],
    ['nothing observed', {}, []],
  ];
  for (const [name, signals, want] of cases) {
    assert.deepEqual([...breachedSignals(signals, DEFAULT_EVICTION_HARD)].sort(), want, name);
  }
  const withPid = { ...DEFAULT_EVICTION_HARD, ...parseEvictionHard('pid.available<10%') };
  assert.deepEqual([...breachedSignals({ ...healthy, pid: { available: 3000, max: 32768 } }, withPid)], ['pid.available']);
  assert.deepEqual([...breachedSignals({ ...healthy, pid: { available: 3300, max: 32768 } }, withPid)], []);
});

test('pressureOf groups signals into the three conditions', () => {
  assert.deepEqual(pressureOf(new Set()), { memory: false, disk: false, pid: false });
  assert.deepEqual(pressureOf(new Set(['imagefs.inodesFree'] as const)), { memory: false, disk: true, pid: false });
  assert.deepEqual(pressureOf(new Set(['memory.available', 'pid.available'] as const)), { memory: true, disk: false, pid: true });
});

test('PressureTracker keeps pressure until it has been clear for the transition period', () => {
  const t = new PressureTracker(1000);
  const on = { memory: true, disk: false, pid: false };
  const off = { memory: false, disk: false, pid: false };
  assert.deepEqual(t.observe(off, 0), off);
  assert.deepEqual(t.observe(on, 100), on);
  assert.deepEqual(t.observe(off, 500), on, 'still within the period');
  assert.deepEqual(t.observe(off, 1099), on);
  assert.deepEqual(t.observe(off, 1100), off, 'clear for the whole period');
  const none = new PressureTracker(0);
  assert.deepEqual(none.observe(on, 5), on, 'a zero period still reports current pressure');
  assert.deepEqual(none.observe(off, 5), off);
});

test('nodeConditions: healthy node', () => {
  assert.deepEqual(nodeConditions({ memory: false, disk: false, pid: false }, []), [
    { type: 'MemoryPressure', status: 'False', reason: 'KubeletHasSufficientMemory', message: 'kubelet has sufficient memory available' },
    { type: 'DiskPressure', status: 'False', reason: 'KubeletHasNoDiskPressure', message: 'kubelet has no disk pressure' },
    { type: 'PIDPressure', status: 'False', reason: 'KubeletHasSufficientPID', message: 'kubelet has sufficient PID available' },
    { type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status' },
  ]);
});

test('nodeConditions: pressure everywhere and a runtime that is not ready', () => {
  const net = 'container runtime network not ready: NetworkReady=false reason:NetworkPluginNotReady message:Network plugin returns error: cni plugin not initialized';
  assert.deepEqual(nodeConditions({ memory: true, disk: true, pid: true }, [net]), [
    { type: 'MemoryPressure', status: 'True', reason: 'KubeletHasInsufficientMemory', message: 'kubelet has insufficient memory available' },
    { type: 'DiskPressure', status: 'True', reason: 'KubeletHasDiskPressure', message: 'kubelet has disk pressure' },
    { type: 'PIDPressure', status: 'True', reason: 'KubeletHasInsufficientPID', message: 'kubelet has insufficient PID available' },
    { type: 'Ready', status: 'False', reason: 'KubeletNotReady', message: net },
  ]);
});

test('aggregateMessage prints one error bare and several bracketed, without repeats', () => {
  assert.equal(aggregateMessage(['a']), 'a');
  assert.equal(aggregateMessage(['a', 'b']), '[a, b]');
  assert.equal(aggregateMessage(['a', 'a']), 'a');
});

test('conditionEvent names the kubelet events', () => {
  assert.equal(conditionEvent({ type: 'MemoryPressure', status: 'False' }), 'NodeHasSufficientMemory');
  assert.equal(conditionEvent({ type: 'MemoryPressure', status: 'True' }), 'NodeHasInsufficientMemory');
  assert.equal(conditionEvent({ type: 'DiskPressure', status: 'False' }), 'NodeHasNoDiskPressure');
  assert.equal(conditionEvent({ type: 'DiskPressure', status: 'True' }), 'NodeHasDiskPressure');
  assert.equal(conditionEvent({ type: 'PIDPressure', status: 'False' }), 'NodeHasSufficientPID');
  assert.equal(conditionEvent({ type: 'PIDPressure', status: 'True' }), 'NodeHasInsufficientPID');
  assert.equal(conditionEvent({ type: 'Ready', status: 'True' }), 'NodeReady');
  assert.equal(conditionEvent({ type: 'Ready', status: 'False' }), 'NodeNotReady');
});
