import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { HOSTNAME_LABEL, ZONE_LABEL, workloads } from './workloads.js';

describe('scheduler_perf workloads', () => {
  it('uses scheduler_perf 5000-node counts by default', () => {
    const byName = Object.fromEntries(workloads().map((w) => [w.name, w]));
    assert.deepEqual(
      Object.values(byName).map((w) => [w.name, w.nodes, w.init.count, w.measured.count]),
      [
        ['SchedulingBasic', 5000, 1000, 1000],
        ['SchedulingNodeAffinity', 5000, 5000, 1000],
        ['SchedulingPodAntiAffinity', 5000, 1000, 1000],
        ['TopologySpreading', 5000, 5000, 2000],
        ['PreemptionBasic', 500, 2000, 500],
      ],
    );
    assert.equal(byName.SchedulingPodAntiAffinity.init.namespace, 'sched-0');
    assert.equal(byName.SchedulingPodAntiAffinity.measured.namespace, 'sched-1');
  });

  it('builds scheduler_perf-shaped nodes and pods', () => {
    const [basic, affinity, anti, spread, preempt] = workloads();
    const node = basic.node(7);
    assert.equal(node.metadata.name, 'basic-00007');
    assert.equal(node.metadata.labels[HOSTNAME_LABEL], 'basic-00007');
    assert.deepEqual(node.status.allocatable, { pods: '110', cpu: '4', memory: '32Gi' });
    assert.equal(affinity.node(0).metadata.labels[ZONE_LABEL], 'zone1');
    assert.deepEqual([0, 1, 2, 3].map((i) => spread.node(i).metadata.labels[ZONE_LABEL]), ['moon-1', 'moon-2', 'moon-3', 'moon-1']);
    assert.deepEqual(basic.measured.pod('p').spec.containers[0].resources.requests, { cpu: '100m', memory: '500Mi' });
    assert.equal(anti.measured.pod('p').spec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].topologyKey, HOSTNAME_LABEL);
    assert.equal(spread.measured.pod('p').spec.topologySpreadConstraints[0].whenUnsatisfiable, 'DoNotSchedule');
    assert.equal(preempt.init.pod('p').spec.containers[0].resources.requests.cpu, '900m');
    assert.equal(preempt.measured.pod('p').spec.priority, 10);
    assert.deepEqual(preempt.priorityClasses, [{ name: preempt.measured.pod('p').spec.priorityClassName, value: 10 }]);
  });

  it('scales with BENCH_NODES / BENCH_PODS', () => {
    const [basic, affinity, , spread, preempt] = workloads({ nodes: 500, pods: 100 });
    assert.deepEqual([basic.nodes, basic.init.count, basic.measured.count], [500, 100, 100]);
    assert.deepEqual([affinity.init.count, affinity.measured.count], [500, 100]);
    assert.deepEqual([spread.init.count, spread.measured.count], [250, 100]);
    assert.deepEqual([preempt.nodes, preempt.init.count, preempt.measured.count], [50, 200, 50]);
  });
});
