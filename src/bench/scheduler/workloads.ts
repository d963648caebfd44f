// The scheduler_perf workloads (test/integration/scheduler_perf/config/
// performance-config.yaml, 5000-node cases) as plain data: node and pod
// templates, counts, namespaces. Counts scale down with BENCH_NODES / BENCH_PODS.

export type Obj = Record<string, any>;

export interface PodPhase {
  namespace: string;
  count: number;
  /** A pod object (without namespace) for index i. */
  pod(name: string): Obj;
}

export interface Workload {
  name: string;
  nodes: number;
  /** Node object for index i. */
  node(i: number): Obj;
  namespaces: string[];
  init: PodPhase;
  measured: PodPhase;
  /** Pods are evicted (preemption): the bench acts as the kubelet and force-deletes terminating pods. */
  preemption: boolean;
  /** PriorityClasses the pods name (created before the pods). */
  priorityClasses?: { name: string; value: number }[];
  /** Kubernetes' CI floor for this workload (pods/s), when scheduler_perf has one. */
  ciFloor?: number;
  /** Where the counts come from, for the report. */
  note: string;
}

export const ZONE_LABEL = 'topology.kubernetes.io/zone';
export const HOSTNAME_LABEL = 'kubernetes.io/hostname';

/**
 * scheduler_perf's base node: 110 pods, 4 cpu, 32Gi, Ready. The hostname label is what a
 * kubelet would add; anti-affinity on kubernetes.io/hostname needs it to mean anything.
 */
export function baseNode(name: string, labels: Record<string, string> = {}): Obj {
  const resources = { pods: '110', cpu: '4', memory: '32Gi' };
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, labels: { [HOSTNAME_LABEL]: name, ...labels } },
    status: {
      capacity: { ...resources },
      allocatable: { ...resources },
      phase: 'Running',
      conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'bench node', lastHeartbeatTime: null, lastTransitionTime: null }],
    },
  };
}

function container(cpu: string, memory: string, image = 'registry.k8s.io/pause:3.10'): Obj {
  return {
    name: 'pause',
    image,
    ports: [{ containerPort: 80 }],
    resources: { limits: { cpu, memory }, requests: { cpu, memory } },
  };
}

function pod(name: string, spec: Obj, labels?: Record<string, string>): Obj {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, ...(labels ? { labels } : {}) }, spec };
}

/** config/templates/pod-default.yaml: one pause container, 100m / 500Mi. */
export const defaultPod = (name: string): Obj => pod(name, { containers: [container('100m', '500Mi')] });

/** pod-with-node-affinity.yaml: required zone In [zone1, zone2]. */
export const nodeAffinityPod = (name: string): Obj =>
  pod(name, {
    affinity: {
      nodeAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: {
          nodeSelectorTerms: [{ matchExpressions: [{ key: ZONE_LABEL, operator: 'In', values: ['zone1', 'zone2'] }] }],
        },
      },
    },
    containers: [container('100m', '500Mi')],
  });

/** pod-with-pod-anti-affinity.yaml: color=green, required anti-affinity to color=green per hostname in both namespaces. */
export const antiAffinityPod = (name: string): Obj =>
  pod(
    name,
    {
      affinity: {
        podAntiAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: [
            { labelSelector: { matchLabels: { color: 'green' } }, topologyKey: HOSTNAME_LABEL, namespaces: ['sched-0', 'sched-1'] },
          ],
        },
      },
      containers: [container('100m', '500Mi')],
    },
    { color: 'green' },
  );

/** pod-with-topology-spreading.yaml: color=blue, maxSkew 5 over zones, DoNotSchedule. */
export const topologySpreadPod = (name: string): Obj =>
  pod(
    name,
    {
      topologySpreadConstraints: [{ maxSkew: 5, topologyKey: ZONE_LABEL, whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: { color: 'blue' } } }],
      containers: [container('100m', '500Mi')],
    },
    { color: 'blue' },
  );

/** pod-low-priority.yaml: 900m / 500Mi, no grace period. */
export const lowPriorityPod = (name: string): Obj => pod(name, { terminationGracePeriodSeconds: 0, containers: [container('900m', '500Mi')] });

/**
 * pod-high-priority.yaml: priority 10, 3000m / 500Mi. The API's Priority admission (as in Kubernetes)
 * derives spec.priority from a PriorityClass, so the pod names one with value 10 as well.
 */
export const HIGH_PRIORITY_CLASS = 'bench-high-priority';
export const highPriorityPod = (name: string): Obj => pod(name, { priorityClassName: HIGH_PRIORITY_CLASS, priority: 10, containers: [container('3000m', '500Mi')] });

export interface Scale {
  /** Node count override (BENCH_NODES). */
  nodes?: number;
  /** Measured pod count override (BENCH_PODS); init pods scale by the same factor. */
  pods?: number;
}

function scaled(base: number, factor: number): number {
  return Math.max(1, Math.round(base * factor));
}

const nodeNames = (prefix: string) => (i: number) => `${prefix}-${String(i).padStart(5, '0')}`;

/**
 * The five workloads. Anti-affinity, affinity and spreading counts are scheduler_perf's
 * 5000Nodes cases; PreemptionBasic only has a 500Nodes case there (the 5000-node one is disabled upstream).
 */
export function workloads(scale: Scale = {}): Workload[] {
  const nodeFactor = (base: number) => (scale.nodes ? scale.nodes / base : 1);
  const podFactor = (measured: number) => (scale.pods ? scale.pods / measured : 1);
  const n = (base: number) => scaled(base, nodeFactor(base));
  const out: Workload[] = [];

  {
    const nodes = n(5000);
    const f = podFactor(1000);
    const name = nodeNames('basic');
    out.push({
      name: 'SchedulingBasic',
      nodes,
      node: (i) => baseNode(name(i)),
      namespaces: ['sched-0'],
      init: { namespace: 'sched-0', count: scaled(1000, f), pod: defaultPod },
      measured: { namespace: 'sched-0', count: scaled(1000, f), pod: defaultPod },
      preemption: false,
      ciFloor: 680,
      note: '5000Nodes: 5000 nodes, 1000 init pods, 1000 measured (pod-default)',
    });
  }
  {
    const nodes = n(5000);
    const f = podFactor(1000);
    const name = nodeNames('affinity');
    out.push({
      name: 'SchedulingNodeAffinity',
      nodes,
      node: (i) => baseNode(name(i), { [ZONE_LABEL]: 'zone1' }),
      namespaces: ['sched-0'],
      init: { namespace: 'sched-0', count: scaled(5000, f), pod: nodeAffinityPod },
      measured: { namespace: 'sched-0', count: scaled(1000, f), pod: nodeAffinityPod },
      preemption: false,
      ciFloor: 220,
      note: '5000Nodes: 5000 nodes labelled zone1, 5000 init pods, 1000 measured (pod-with-node-affinity)',
    });
  }
  {
    const nodes = n(5000);
    const f = podFactor(1000);
    const name = nodeNames('anti');
    out.push({
      name: 'SchedulingPodAntiAffinity',
      nodes,
      node: (i) => baseNode(name(i)),
      namespaces: ['sched-0', 'sched-1'],
      init: { namespace: 'sched-0', count: scaled(1000, f), pod: antiAffinityPod },
      measured: { namespace: 'sched-1', count: scaled(1000, f), pod: antiAffinityPod },
      preemption: false,
      ciFloor: 60,
      note: '5000Nodes: 5000 nodes, 1000 init pods in sched-0, 1000 measured in sched-1 (pod-with-pod-anti-affinity)',
    });
  }
  {
    const nodes = n(5000);
    const f = podFactor(2000);
    const name = nodeNames('spread');
    const zones = ['moon-1', 'moon-2', 'moon-3'];
    out.push({
      name: 'TopologySpreading',
      nodes,
      // scheduler_perf picks a zone per node; round-robin gives the same three near-equal domains deterministically.
      node: (i) => baseNode(name(i), { [ZONE_LABEL]: zones[i % zones.length] }),
      namespaces: ['sched-0'],
      init: { namespace: 'sched-0', count: scaled(5000, f), pod: defaultPod },
      measured: { namespace: 'sched-0', count: scaled(2000, f), pod: topologySpreadPod },
      preemption: false,
      ciFloor: 460,
      note: '5000Nodes: 5000 nodes in 3 zones, 5000 init pods (pod-default), 2000 measured (pod-with-topology-spreading)',
    });
  }
  {
    // Fixed ratio: 4 low-priority pods fill a 4-cpu node, each measured pod evicts 3 of them.
    const nodes = scale.nodes ? Math.max(1, Math.round(scale.nodes / 10)) : 500;
    const measured = scale.pods ? Math.min(nodes, Math.max(1, Math.round(scale.pods / 2))) : 500;
    const name = nodeNames('preempt');
    out.push({
      name: 'PreemptionBasic',
      nodes,
      node: (i) => baseNode(name(i)),
      namespaces: ['sched-0'],
      init: { namespace: 'sched-0', count: nodes * 4, pod: lowPriorityPod },
      measured: { namespace: 'sched-0', count: measured, pod: highPriorityPod },
      preemption: true,
      priorityClasses: [{ name: HIGH_PRIORITY_CLASS, value: 10 }],
      note: '500Nodes (the only enabled case): 500 nodes, 2000 low-priority init pods, 500 measured high-priority pods',
    });
  }
  return out;
}

export function podName(phase: 'init' | 'measured', i: number): string {
  return `${phase}-${String(i).padStart(5, '0')}`;
}
