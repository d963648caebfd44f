// DefaultPreemption (PostFilter): when a pod fits nowhere, find a node where
// evicting lower-priority pods makes it fit, nominate that node and delete the
// victims gracefully. PodDisruptionBudgets are not considered yet.

import type { RestClient, EventRecorder } from '../client/index.js';
import { resources } from '../api/resources.js';
import { CycleState, type NodeInfo, type PodInfo } from './framework.js';
import type { CycleResult, Profile } from './cycle.js';
import type { SchedulerCache } from './cache.js';
import { addPod, emptyResources, podInfoOf } from './node-info.js';
import { log } from '../log.js';

const PODS = resources.find((r) => r.group === '' && r.plural === 'pods')!;

export interface PreemptionResult {
  nominatedNode?: string;
  victims: string[];
  message: string;
}

interface Candidate {
  node: string;
  victims: any[];
  highest: number;
  sum: number;
}

const priorityOf = (p: any): number => p.spec?.priority ?? 0;

/**
 * The node as it would be with only `pods` on it: what nodeInfoOf(ni.node, pods) builds,
 * reusing the node's parsed allocatable and images and the pods' computed requests.
 */
function withPods(ni: NodeInfo, pods: readonly PodInfo[]): NodeInfo {
  const out: NodeInfo = {
    name: ni.name,
    node: ni.node,
    pods: [],
    allocatable: ni.allocatable,
    requested: emptyResources(),
    nonZeroRequested: emptyResources(),
    usedPorts: new Set(),
    images: ni.images,
  };
  for (const p of pods) addPod(out, p);
  return out;
}

export class Preemptor {
  constructor(private readonly client: RestClient, private readonly cache: SchedulerCache, private readonly recorder: EventRecorder) {}

  /** Pure part: choose a node and victims (exported for tests through `select`). */
  select(pod: any, result: CycleResult, profile: Profile): { candidate?: Candidate; message: string } {
    const snapshot = this.cache.snapshot();
    const podInfo = podInfoOf(pod);
    const prio = priorityOf(pod);
    let notHelpful = 0;
    let noVictims = 0;
    const candidates: Candidate[] = [];
    const state = new CycleState();
    const skipped = new Set<string>();
    for (const pf of profile.preFilter) if (pf.preFilter(state, podInfo, snapshot).status.code === 'Skip') skipped.add(pf.name);
    const filters = profile.filter.filter((f) => !skipped.has(f.name));

    const fits = (ni: NodeInfo) => {
      for (const f of filters) {
        const s = f.filter(state, podInfo, ni, snapshot);
        if (s.code !== 'Success' && s.code !== 'Skip') return false;
      }
      return true;
    };

    for (const [name, status] of result.failed) {
      if (status.code === 'UnschedulableAndUnresolvable') {
        notHelpful++;
        continue;
      }
      const ni = snapshot.get(name);
      if (!ni) continue;
      const lower = ni.pods.filter((p) => priorityOf(p.pod) < prio && !p.pod.metadata?.deletionTimestamp);
      if (!lower.length) {
        noVictims++;
        continue;
      }
      const lowerKeys = new Set(lower.map((p) => p.pod.metadata.uid));
      const kept = ni.pods.filter((p) => !lowerKeys.has(p.pod.metadata.uid));
      if (!fits(withPods(ni, kept))) {
        noVictims++;
        continue;
      }
      // Reprieve as many as possible, highest priority first.
      const victims: any[] = [];
      for (const v of [...lower].sort((a, b) => priorityOf(b.pod) - priorityOf(a.pod))) {
        if (fits(withPods(ni, [...kept, v]))) kept.push(v);
        else victims.push(v.pod);
      }
      candidates.push({
        node: name,
        victims,
        highest: Math.max(...victims.map(priorityOf)),
        sum: victims.reduce((s, v) => s + priorityOf(v), 0),
      });
    }
    if (!candidates.length) {
      const parts: string[] = [];
      if (noVictims) parts.push(`${noVictims} No preemption victims found for incoming pod`);
      if (notHelpful) parts.push(`${notHelpful} Preemption is not helpful for scheduling`);
      return { message: `0/${result.totalNodes} nodes are available: ${parts.sort().join(', ')}.` };
    }
    candidates.sort((a, b) => a.highest - b.highest || a.sum - b.sum || a.victims.length - b.victims.length || a.node.localeCompare(b.node));
    return { candidate: candidates[0], message: '' };
  }

  async preempt(pod: any, result: CycleResult, profile: Profile): Promise<PreemptionResult> {
    const { candidate, message } = this.select(pod, result, profile);
    if (!candidate) return { victims: [], message };
    const ns = pod.metadata.namespace;
    try {
      await this.client.patch(PODS, ns, pod.metadata.name, { status: { nominatedNodeName: candidate.node } }, 'merge', { subresource: 'status' });
    } catch (e) {
      log.warn('could not nominate node', { pod: pod.metadata.name, error: (e as Error).message });
    }
    for (const v of candidate.victims) {
      this.recorder.event(v, 'Normal', 'Preempted', `Preempted by pod ${pod.metadata.uid} on node ${candidate.node}`);
      try {
        const cond = {
          type: 'DisruptionTarget',
          status: 'True',
          lastTransitionTime: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
          reason: 'PreemptionByScheduler',
          message: `${pod.spec?.schedulerName ?? 'default-scheduler'}: preempting to accommodate a higher priority pod`,
        };
        await this.client.patch(PODS, v.metadata.namespace, v.metadata.name, { status: { conditions: [cond] } }, 'strategic', { subresource: 'status' });
        await this.client.delete(PODS, v.metadata.namespace, v.metadata.name, { preconditions: { uid: v.metadata.uid } });
      } catch (e) {
        log.warn('could not preempt victim', { victim: v.metadata.name, error: (e as Error).message });
      }
    }
    return {
      nominatedNode: candidate.node,
      victims: candidate.victims.map((v) => `${v.metadata.namespace}/${v.metadata.name}`),
      message: `preempting ${candidate.victims.length} pod(s) on node ${candidate.node}`,
    };
  }
}
