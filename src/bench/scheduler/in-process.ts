// The framework alone, no API: a SchedulerCache with the workload's nodes and
// init pods (placed by the same cycle, untimed), then the measured pods through
// CycleRunner.run + cache.assume in a loop. Preemption: a failed cycle runs the
// Preemptor's selection, drops the victims from the cache and runs the cycle again.

import { randomUUID } from 'node:crypto';
import { SchedulerCache } from '../../scheduler/cache.js';
import { CycleRunner, type Profile } from '../../scheduler/cycle.js';
import { podInfoOf } from '../../scheduler/node-info.js';
import { Preemptor } from '../../scheduler/preemption.js';
import { defaultSchedulerConfig } from '../../scheduler/config.js';
import { instantiatePlugins } from '../../scheduler/plugins/registry.js';
import type { RestClient, EventRecorder } from '../../client/index.js';
import { podName, type Obj, type PodPhase, type Workload } from './workloads.js';

export interface InProcessResult {
  workload: string;
  measured: number;
  scheduled: number;
  unschedulable: number;
  /** Pods evicted by preemption during the measured phase. */
  preempted: number;
  seconds: number;
  podsPerSecond: number;
  /** The measured loop on the monotonic clock (µs), to cut a profile of this process to it. */
  window: { startUs: number; endUs: number };
}

const monotonicUs = (): number => Number(process.hrtime.bigint() / 1000n);

export function defaultRuntimeProfile(): Profile {
  const p = defaultSchedulerConfig().profiles[0];
  const plugins = instantiatePlugins(p, p.args);
  return {
    schedulerName: p.schedulerName,
    preFilter: plugins.preFilter,
    filter: plugins.filter,
    preScore: plugins.preScore,
    score: plugins.score,
    percentageOfNodesToScore: p.percentageOfNodesToScore,
  };
}

/** What the API server would have added: namespace, uid, the defaults the scheduler reads. */
export function asStored(pod: Obj, namespace: string): Obj {
  return {
    ...pod,
    metadata: { ...pod.metadata, namespace, uid: randomUUID(), creationTimestamp: new Date().toISOString() },
    spec: { schedulerName: 'default-scheduler', priority: 0, ...pod.spec },
    status: { phase: 'Pending' },
  };
}

export class InProcessCluster {
  readonly cache = new SchedulerCache();
  readonly profile = defaultRuntimeProfile();
  readonly runner = new CycleRunner(this.profile);
  // Only select() is used: it reads the cache and never the client or the recorder.
  private readonly preemptor = new Preemptor(null as unknown as RestClient, this.cache, null as unknown as EventRecorder);
  preempted = 0;

  constructor(readonly workload: Workload) {
    for (const ns of workload.namespaces) this.cache.setNamespace({ metadata: { name: ns, labels: { 'kubernetes.io/metadata.name': ns } } });
    for (let i = 0; i < workload.nodes; i++) this.cache.addNode(workload.node(i));
  }

  /** One pod through the cycle (and preemption when allowed); returns the chosen node. */
  schedule(pod: Obj): string | undefined {
    const snapshot = this.cache.snapshot();
    const podInfo = podInfoOf(pod);
    let result = this.runner.run(podInfo, snapshot);
    if (!result.node && this.workload.preemption && pod.spec?.preemptionPolicy !== 'Never' && !result.preFilter) {
      const { candidate } = this.preemptor.select(pod, result, this.profile);
      if (candidate) {
        for (const v of candidate.victims) this.cache.removePod(v);
        this.preempted += candidate.victims.length;
        result = this.runner.run(podInfo, this.cache.snapshot());
      }
    }
    if (result.node) this.cache.assume(pod, result.node, podInfo);
    return result.node;
  }

  pods(phase: 'init' | 'measured', spec: PodPhase): Obj[] {
    return Array.from({ length: spec.count }, (_, i) => asStored(spec.pod(podName(phase, i)), spec.namespace));
  }
}

export function runInProcess(workload: Workload, progress: (msg: string) => void = () => {}): InProcessResult {
  const cluster = new InProcessCluster(workload);
  const init = cluster.pods('init', workload.init);
  progress(`${workload.name}: in-process, ${workload.nodes} nodes, placing ${init.length} init pods`);
  for (const p of init) cluster.schedule(p);
  const measured = cluster.pods('measured', workload.measured);
  cluster.preempted = 0;
  let scheduled = 0;
  const startUs = monotonicUs();
  const t0 = process.hrtime.bigint();
  for (const p of measured) if (cluster.schedule(p)) scheduled++;
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const endUs = monotonicUs();
  return {
    workload: workload.name,
    measured: measured.length,
    scheduled,
    unschedulable: measured.length - scheduled,
    preempted: cluster.preempted,
    seconds,
    podsPerSecond: scheduled / seconds,
    window: { startUs, endUs },
  };
}
