import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { InProcessCluster, runInProcess } from './in-process.js';
import { ZONE_LABEL, workloads } from './workloads.js';

const small = () => Object.fromEntries(workloads({ nodes: 60, pods: 30 }).map((w) => [w.name, w]));

describe('in-process scheduling of the workloads', () => {
  it('SchedulingBasic: every measured pod is placed', () => {
    const r = runInProcess(small().SchedulingBasic);
    assert.deepEqual([r.measured, r.scheduled, r.unschedulable, r.preempted], [30, 30, 0, 0]);
    assert.ok(r.podsPerSecond > 0 && r.window.endUs >= r.window.startUs);
  });

  it('SchedulingPodAntiAffinity: no two green pods share a node, across both namespaces', () => {
    const w = small().SchedulingPodAntiAffinity;
    const c = new InProcessCluster(w);
    const nodes = [...c.pods('init', w.init), ...c.pods('measured', w.measured)].map((p) => c.schedule(p));
    assert.equal(nodes.filter(Boolean).length, 60);
    assert.equal(new Set(nodes).size, 60);
    // A 61st green pod has nowhere to go.
    assert.equal(c.schedule(c.pods('measured', { ...w.measured, count: 1 })[0]), undefined);
  });

  it('TopologySpreading: blue pods stay within maxSkew 5 across the three zones', () => {
    const w = small().TopologySpreading;
    const c = new InProcessCluster(w);
    for (const p of c.pods('init', w.init)) c.schedule(p);
    const zoneOf = new Map(Array.from({ length: w.nodes }, (_, i) => [w.node(i).metadata.name, w.node(i).metadata.labels[ZONE_LABEL]]));
    const perZone = new Map<string, number>();
    for (const p of c.pods('measured', { ...w.measured, count: 30 })) {
      const node = c.schedule(p)!;
      perZone.set(zoneOf.get(node)!, (perZone.get(zoneOf.get(node)!) ?? 0) + 1);
      const counts = [...zoneOf.values()].filter((z, i, a) => a.indexOf(z) === i).map((z) => perZone.get(z) ?? 0);
      assert.ok(Math.max(...counts) - Math.min(...counts) <= 5, `skew ${counts}`);
    }
  });

  it('PreemptionBasic: each high-priority pod evicts three of the four low-priority pods on a node', () => {
    const r = runInProcess(small().PreemptionBasic);
    // 6 nodes (a tenth of BENCH_NODES), 24 low-priority pods, 6 measured pods (at most one per node).
    assert.deepEqual([r.measured, r.scheduled, r.preempted], [6, 6, 18]);
  });
});
