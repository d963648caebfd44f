// Pod statuses a kubelet would report for a pod whose containers all start
// at once (and, optionally, later finish), without running anything.

import { rfc3339 } from './times.js';

/** Pod annotation: containers "exit 0" this many seconds after start (restartPolicy Never/OnFailure only). */
export const EXIT_AFTER_ANNOTATION = 'skiff.dev/sim-exit-after-seconds';

export interface PodCondition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  lastTransitionTime: string;
  reason?: string;
  message?: string;
}

/** The conditions the kubelet owns, in the order it writes them. */
const KUBELET_CONDITIONS = ['PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady'] as const;

type Spec = { name: string; image?: string; restartPolicy?: string };

function containersOf(pod: any): Spec[] {
  return Array.isArray(pod?.spec?.containers) ? pod.spec.containers : [];
}

function initContainersOf(pod: any): Spec[] {
  return Array.isArray(pod?.spec?.initContainers) ? pod.spec.initContainers : [];
}

/** Sidecars are init containers with restartPolicy Always: they keep running. */
function isSidecar(c: Spec): boolean {
  return c.restartPolicy === 'Always';
}

/** True once the simulator (or a previous run of it) has reported the pod running. */
export function isRunningBySim(pod: any): boolean {
  const s = pod?.status ?? {};
  if (s.phase !== 'Running' || !s.hostIP || !s.podIP) return false;
  const statuses: any[] = Array.isArray(s.containerStatuses) ? s.containerStatuses : [];
  return containersOf(pod).every((c) => statuses.some((cs) => cs?.name === c.name));
}

export function isFinished(pod: any): boolean {
  const phase = pod?.status?.phase;
  return phase === 'Succeeded' || phase === 'Failed';
}

/** Seconds after start at which the pod should succeed, when it asks to and its restart policy lets it. */
export function exitAfterSeconds(pod: any): number | undefined {
  const policy = pod?.spec?.restartPolicy;
  if (policy !== 'Never' && policy !== 'OnFailure') return undefined;
  const text = pod?.metadata?.annotations?.[EXIT_AFTER_ANNOTATION];
  if (typeof text !== 'string' || text.trim() === '') return undefined;
  const n = Number(text);
  return Number.isFinite(n) && n >= 0 ? n : undefined;
}

/**
 * Sets our conditions, keeping lastTransitionTime when a condition's status
 * did not change and keeping conditions other components own (PodScheduled
 * from the scheduler, DisruptionTarget, readiness gates' conditions).
 */
export function mergePodConditions(existing: unknown, ours: Omit<PodCondition, 'lastTransitionTime'>[], now: string): PodCondition[] {
  const old: PodCondition[] = Array.isArray(existing) ? (existing as PodCondition[]) : [];
  const byType = new Map(old.map((c) => [c?.type, c]));
  const out: PodCondition[] = [];
  for (const c of ours) {
    const prev = byType.get(c.type);
    const since = prev && prev.status === c.status && prev.lastTransitionTime ? prev.lastTransitionTime : now;
    out.push({ type: c.type, status: c.status, lastTransitionTime: since, ...(c.reason ? { reason: c.reason } : {}) });
  }
  if (!byType.has('PodScheduled')) out.push({ type: 'PodScheduled', status: 'True', lastTransitionTime: now });
  const mine = new Set<string>([...KUBELET_CONDITIONS]);
  for (const c of old) if (c && !mine.has(c.type)) out.push(c);
  return out;
}

export interface StartParams {
  hostIP: string;
  podIP: string;
  now: Date;
  newContainerID: () => string;
}

function previousStatuses(pod: any, field: 'containerStatuses' | 'initContainerStatuses'): Map<string, any> {
  const list: any[] = Array.isArray(pod?.status?.[field]) ? pod.status[field] : [];
  return new Map(list.map((s) => [s?.name, s]));
}

function imageFields(c: Spec): { image: string; imageID: string } {
  const image = c.image ?? '';
  return { image, imageID: `sim://${image}` };
}

/** Status of a pod whose containers are all up and ready. */
export function runningPodStatus(pod: any, p: StartParams): Record<string, any> {
  const now = rfc3339(p.now);
  const old = pod?.status ?? {};
  const startTime: string = old.startTime ?? now;
  const prevMain = previousStatuses(pod, 'containerStatuses');
  const prevInit = previousStatuses(pod, 'initContainerStatuses');
  // A retried write keeps the IDs and times the first attempt made up.
  const idFor = (prev: any) => (typeof prev?.containerID === 'string' && prev.containerID ? prev.containerID : `sim://${p.newContainerID()}`);
  const startedFor = (prev: any) => prev?.state?.running?.startedAt ?? prev?.state?.terminated?.startedAt ?? now;

  const running = (c: Spec, prev: any) => ({
    name: c.name,
    state: { running: { startedAt: startedFor(prev) } },
    lastState: {},
    ready: true,
    restartCount: 0,
    ...imageFields(c),
    containerID: idFor(prev),
    started: true,
  });

  const status: Record<string, any> = {
    ...old,
    phase: 'Running',
    conditions: mergePodConditions(
      old.conditions,
      [
        { type: 'PodReadyToStartContainers', status: 'True' },
        { type: 'Initialized', status: 'True' },
        { type: 'Ready', status: 'True' },
        { type: 'ContainersReady', status: 'True' },
      ],
      now,
    ),
    hostIP: p.hostIP,
    hostIPs: [{ ip: p.hostIP }],
    podIP: p.podIP,
    podIPs: [{ ip: p.podIP }],
    startTime,
    containerStatuses: containersOf(pod).map((c) => running(c, prevMain.get(c.name))),
  };
  delete status.reason;
  delete status.message;
  const inits = initContainersOf(pod);
  if (inits.length) {
    status.initContainerStatuses = inits.map((c) => {
      const prev = prevInit.get(c.name);
      if (isSidecar(c)) return running(c, prev);
      const startedAt = prev?.state?.terminated?.startedAt ?? startTime;
      const containerID = idFor(prev);
      return {
        name: c.name,
        state: {
          terminated: { exitCode: 0, reason: 'Completed', startedAt, finishedAt: prev?.state?.terminated?.finishedAt ?? now, containerID },
        },
        lastState: {},
        ready: true,
        restartCount: 0,
        ...imageFields(c),
        containerID,
        started: false,
      };
    });
  } else delete status.initContainerStatuses;
  return status;
}

/** Status of a pod whose containers all exited 0: phase Succeeded, nothing ready. */
export function succeededPodStatus(pod: any, at: Date): Record<string, any> {
  const now = rfc3339(at);
  const old = pod?.status ?? {};
  const finish = (s: any) => {
    if (!s?.state?.running) return s;
    const containerID: string | undefined = s.containerID;
    return {
      ...s,
      state: {
        terminated: {
          exitCode: 0,
          reason: 'Completed',
          startedAt: s.state.running.startedAt,
          finishedAt: now,
          ...(containerID ? { containerID } : {}),
        },
      },
      ready: false,
      started: false,
    };
  };
  const status: Record<string, any> = {
    ...old,
    phase: 'Succeeded',
    conditions: mergePodConditions(
      old.conditions,
      [
        { type: 'PodReadyToStartContainers', status: 'False' },
        { type: 'Initialized', status: 'True', reason: 'PodCompleted' },
        { type: 'Ready', status: 'False', reason: 'PodCompleted' },
        { type: 'ContainersReady', status: 'False', reason: 'PodCompleted' },
      ],
      now,
    ),
    containerStatuses: (Array.isArray(old.containerStatuses) ? old.containerStatuses : []).map(finish),
  };
  if (Array.isArray(old.initContainerStatuses)) status.initContainerStatuses = old.initContainerStatuses.map(finish);
  return status;
}
