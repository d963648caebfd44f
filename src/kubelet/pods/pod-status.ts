// The pod status the kubelet reports, computed from the runtime's view of the
// pod (pure functions): container statuses with state/lastState/restartCount,
// phase (kubelet getPhase), the kubelet-owned conditions with their reasons
// and messages, IPs, start time and QoS class.

import type { KubeObject } from '../../client/index.js';
import { qosClass } from '../../api/qos.js';
import { nsToMs } from '../cri/api.js';
import { appContainers, initContainers, isHostNetwork, isSidecar, restartPolicy } from './pod-spec.js';
import type { PodRuntimeState, RuntimeContainer } from './runtime-state.js';

export const CONTAINER_CREATING = 'ContainerCreating';
export const POD_INITIALIZING = 'PodInitializing';
export const CONTAINER_STATUS_UNKNOWN = 'ContainerStatusUnknown';
const KUBELET_CONDITIONS = new Set(['PodScheduled', 'Ready', 'Initialized', 'ContainersReady', 'PodReadyToStartContainers']);

export interface WaitingReason {
  reason: string;
  message: string;
}

export interface StatusInput {
  pod: KubeObject;
  runtime: PodRuntimeState;
  nodeIP: string;
  now: Date;
  /** Why a container could not be started in the last sync (the kubelet's reason cache). */
  reasons?: ReadonlyMap<string, WaitingReason>;
  /** Readiness of a running container instance (probe manager); default true. */
  isReady?: (name: string, containerId: string) => boolean;
  /** Startup probe passed (true when none); default true. */
  isStarted?: (name: string, containerId: string) => boolean;
  /** The pod will run nothing more (deleted, or all done). */
  podIsTerminal?: boolean;
}

/** metav1.Time of a runtime nanosecond time: whole seconds, UTC; 0 becomes the epoch, as the kubelet prints it. */
export function nsTime(ns: string | number | undefined): string {
  const ms = nsToMs(ns);
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

export function rfc3339(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

const containerIDOf = (c: RuntimeContainer) => `containerd://${c.id}`;

/** kubecontainer.ShouldContainerBeRestarted, on the newest runtime instance. */
export function shouldContainerBeRestarted(pod: KubeObject, spec: any, latest: RuntimeContainer | undefined): boolean {
  if (pod.metadata.deletionTimestamp) return false;
  if (!latest) return true;
  if (latest.state === 'CONTAINER_RUNNING') return false;
  if (latest.state === 'CONTAINER_UNKNOWN' || latest.state === 'CONTAINER_CREATED') return true;
  const policy = isSidecar(spec) ? 'Always' : restartPolicy(pod);
  if (policy === 'Never') return false;
  if (policy === 'OnFailure' && latest.exitCode === 0) return false;
  return true;
}

function volumeMountStatuses(spec: any): any[] | undefined {
  const mounts: any[] = Array.isArray(spec?.volumeMounts) ? spec.volumeMounts : [];
  if (!mounts.length) return undefined;
  return mounts.map((m) => {
    const s: any = { name: m.name, mountPath: m.mountPath };
    if (m.readOnly) {
      s.readOnly = true;
      s.recursiveReadOnly = 'Disabled';
    }
    return s;
  });
}

function runtimeState(c: RuntimeContainer, old: any): any {
  switch (c.state) {
    case 'CONTAINER_RUNNING':
      return { running: { startedAt: nsTime(c.startedAt) } };
    case 'CONTAINER_EXITED': {
      const t: any = { exitCode: c.exitCode };
      if (c.reason) t.reason = c.reason;
      if (c.message) t.message = c.message;
      t.startedAt = nsTime(c.startedAt);
      t.finishedAt = nsTime(c.finishedAt);
      t.containerID = containerIDOf(c);
      return { terminated: t };
    }
    case 'CONTAINER_UNKNOWN':
      if (old?.state?.running) {
        return { terminated: { exitCode: 137, reason: CONTAINER_STATUS_UNKNOWN, message: 'The container could not be located when the pod was terminated' } };
      }
      return { waiting: {} };
    default:
      return { waiting: {} };
  }
}

function convertContainer(c: RuntimeContainer, spec: any, old: any): any {
  const s: any = {
    name: c.name,
    state: runtimeState(c, old),
    lastState: {},
    ready: false,
    restartCount: c.restartCount,
    image: c.image || String(spec?.image ?? ''),
    imageID: c.imageRef,
    containerID: containerIDOf(c),
    started: false,
  };
  if (c.state === 'CONTAINER_UNKNOWN' && old?.state?.running) s.restartCount = (old.restartCount ?? 0) + 1;
  if (old?.volumeMounts) s.volumeMounts = old.volumeMounts;
  return s;
}

function convertList(input: StatusInput, specs: any[], kind: 'init' | 'app', hasInit: boolean, previous: any[]): any[] {
  const { pod, runtime } = input;
  const oldByName = new Map<string, any>(previous.map((s) => [s?.name, s]));
  const defaultReason = hasInit ? POD_INITIALIZING : CONTAINER_CREATING;
  const statuses = new Map<string, any>();
  for (const spec of specs) {
    let s: any = {
      name: spec.name,
      state: { waiting: { reason: defaultReason } },
      lastState: {},
      ready: false,
      restartCount: 0,
      image: String(spec.image ?? ''),
      imageID: '',
      started: false,
    };
    const vm = volumeMountStatuses(spec);
    if (vm) s.volumeMounts = vm;
    const old = oldByName.get(spec.name);
    if (old) {
      if (old.state?.terminated) s = structuredClone(old);
      else {
        s.restartCount = old.restartCount ?? 0;
        s.lastState = structuredClone(old.lastState ?? {});
      }
    }
    statuses.set(spec.name, s);
  }

  const ofList = runtime.containers.filter((c) => c.kind === kind && statuses.has(c.name));
  // A container that was running and has vanished from the runtime did terminate, even if we can't say how.
  for (const spec of specs) {
    if (ofList.some((c) => c.name === spec.name)) continue;
    const old = oldByName.get(spec.name);
    if (!old || old.state?.terminated || !old.state?.running) continue;
    const s = statuses.get(spec.name);
    if (s.state?.waiting?.reason !== defaultReason || s.lastState?.terminated) continue;
    s.lastState = {
      terminated: { exitCode: 137, reason: CONTAINER_STATUS_UNKNOWN, message: 'The container could not be located when the pod was deleted.  The container used to be Running' },
    };
    if (!pod.metadata.deletionTimestamp) s.restartCount += 1;
  }

  const seen = new Map<string, number>();
  for (const c of ofList) {
    const n = seen.get(c.name) ?? 0;
    if (n >= 2) continue;
    const spec = specs.find((x) => x.name === c.name);
    const converted = convertContainer(c, spec, oldByName.get(c.name));
    if (n === 0) statuses.set(c.name, converted);
    else statuses.get(c.name).lastState = converted.state;
    seen.set(c.name, n + 1);
  }

  // Containers that failed to start this time are waiting, with the reason.
  for (const spec of specs) {
    const latest = ofList.find((c) => c.name === spec.name);
    if (kind === 'init' && latest?.state === 'CONTAINER_EXITED' && latest.exitCode === 0) continue;
    if (!shouldContainerBeRestarted(pod, spec, latest)) continue;
    const why = input.reasons?.get(spec.name);
    if (!why) continue;
    const s = statuses.get(spec.name);
    if (s.state?.terminated) s.lastState = s.state;
    s.state = { waiting: why.message ? { reason: why.reason, message: why.message } : { reason: why.reason } };
  }

  // Probe results: started (startup probe) and ready.
  const isReady = input.isReady ?? (() => true);
  const isStarted = input.isStarted ?? (() => true);
  for (const spec of specs) {
    const s = statuses.get(spec.name);
    const running = !!s.state?.running;
    const id = typeof s.containerID === 'string' ? s.containerID.replace(/^containerd:\/\//, '') : '';
    const started = running && isStarted(spec.name, id);
    s.started = started;
    if (kind === 'init' && !isSidecar(spec)) {
      s.ready = !!(s.state?.terminated && s.state.terminated.exitCode === 0);
    } else {
      s.ready = started && isReady(spec.name, id);
    }
  }
  return specs.map((spec) => statuses.get(spec.name));
}

const statusOf = (list: any[], name: string) => list.find((s) => s?.name === name);

function hasAnyRegularContainerStarted(pod: KubeObject, statuses: any[]): boolean {
  return appContainers(pod).some((c) => {
    const s = statusOf(statuses, c.name);
    return !!(s && (s.state?.running || s.state?.terminated || (s.state?.waiting && s.lastState?.terminated)));
  });
}

/** The kubelet's getPhase. */
export function podPhase(pod: KubeObject, statuses: any[], podIsTerminal: boolean): string {
  let pendingInit = 0;
  let failedInit = 0;
  for (const c of initContainers(pod)) {
    if (isSidecar(c)) continue;
    const s = statusOf(statuses, c.name);
    if (!s) pendingInit++;
    else if (s.state?.running) pendingInit++;
    else if (s.state?.terminated) {
      if (s.state.terminated.exitCode !== 0) failedInit++;
    } else if (s.state?.waiting) {
      if (s.lastState?.terminated) {
        if (s.lastState.terminated.exitCode !== 0) failedInit++;
      } else pendingInit++;
    } else pendingInit++;
  }
  let unknown = 0;
  let running = 0;
  let waiting = 0;
  let stopped = 0;
  let succeeded = 0;
  for (const c of initContainers(pod)) {
    if (!isSidecar(c)) continue;
    const s = statusOf(statuses, c.name);
    if (!s) unknown++;
    else if (s.state?.running) {
      if (!s.started) pendingInit++;
      running++;
    } else if (s.state?.terminated) {
      // stopped sidecars don't count
    } else if (s.state?.waiting) {
      if (!s.lastState?.terminated) {
        pendingInit++;
        waiting++;
      }
    } else {
      pendingInit++;
      unknown++;
    }
  }
  for (const c of appContainers(pod)) {
    const s = statusOf(statuses, c.name);
    if (!s) unknown++;
    else if (s.state?.running) running++;
    else if (s.state?.terminated) {
      stopped++;
      if (s.state.terminated.exitCode === 0) succeeded++;
    } else if (s.state?.waiting) {
      if (s.lastState?.terminated) stopped++;
      else waiting++;
    } else unknown++;
  }
  const policy = restartPolicy(pod);
  if (failedInit > 0 && policy === 'Never') return 'Failed';
  if ((pendingInit > 0 && !hasAnyRegularContainerStarted(pod, statuses)) || waiting > 0) return 'Pending';
  if (running > 0 && unknown === 0) return 'Running';
  if (running === 0 && stopped > 0 && unknown === 0) {
    if (podIsTerminal) return stopped === succeeded ? 'Succeeded' : 'Failed';
    if (policy === 'Always') return 'Running';
    if (stopped === succeeded) return 'Succeeded';
    if (policy === 'Never') return 'Failed';
    return 'Running';
  }
  return 'Pending';
}

interface Condition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason?: string;
  message?: string;
}

const goList = (names: string[]) => `[${names.join(' ')}]`;

export function containersReadyCondition(pod: KubeObject, statuses: any[], phase: string): Condition {
  const unknown: string[] = [];
  const unready: string[] = [];
  for (const c of [...initContainers(pod).filter(isSidecar), ...appContainers(pod)]) {
    const s = statusOf(statuses, c.name);
    if (!s) unknown.push(c.name);
    else if (!s.ready) unready.push(c.name);
  }
  if (phase === 'Succeeded' && unknown.length === 0) return { type: 'ContainersReady', status: 'False', reason: 'PodCompleted' };
  if (phase === 'Failed') return { type: 'ContainersReady', status: 'False', reason: 'PodFailed' };
  const msgs: string[] = [];
  if (unknown.length) msgs.push(`containers with unknown status: ${goList(unknown)}`);
  if (unready.length) msgs.push(`containers with unready status: ${goList(unready)}`);
  if (msgs.length) return { type: 'ContainersReady', status: 'False', reason: 'ContainersNotReady', message: msgs.join(', ') };
  return { type: 'ContainersReady', status: 'True' };
}

export function readyCondition(pod: KubeObject, otherConditions: any[], statuses: any[], phase: string): Condition {
  const cr = containersReadyCondition(pod, statuses, phase);
  if (cr.status !== 'True') return { ...cr, type: 'Ready' };
  const msgs: string[] = [];
  for (const g of Array.isArray(pod.spec?.readinessGates) ? pod.spec.readinessGates : []) {
    const c = otherConditions.find((x) => x?.type === g?.conditionType);
    if (!c) msgs.push(`corresponding condition of pod readiness gate "${g.conditionType}" does not exist.`);
    else if (c.status !== 'True') msgs.push(`the status of pod readiness gate "${g.conditionType}" is not "True", but ${c.status}`);
  }
  if (msgs.length) return { type: 'Ready', status: 'False', reason: 'ReadinessGatesNotReady', message: msgs.join(', ') };
  return { type: 'Ready', status: 'True' };
}

export function initializedCondition(pod: KubeObject, statuses: any[], phase: string): Condition {
  const unknown: string[] = [];
  const incomplete: string[] = [];
  for (const c of initContainers(pod)) {
    const s = statusOf(statuses, c.name);
    if (!s) {
      unknown.push(c.name);
      continue;
    }
    const done = isSidecar(c) ? s.started === true : s.ready === true;
    if (!done) incomplete.push(c.name);
  }
  if (phase === 'Succeeded' && unknown.length === 0) return { type: 'Initialized', status: 'True', reason: 'PodCompleted' };
  if (hasAnyRegularContainerStarted(pod, statuses)) return { type: 'Initialized', status: 'True' };
  const msgs: string[] = [];
  if (unknown.length) msgs.push(`containers with unknown status: ${goList(unknown)}`);
  if (incomplete.length) msgs.push(`containers with incomplete status: ${goList(incomplete)}`);
  if (msgs.length) return { type: 'Initialized', status: 'False', reason: 'ContainersNotInitialized', message: msgs.join(', ') };
  return { type: 'Initialized', status: 'True' };
}

/** True when the newest sandbox is ready and (unless host network) has an IP — no new sandbox is needed. */
export function sandboxIsUsable(pod: KubeObject, runtime: PodRuntimeState): boolean {
  const sb = runtime.sandboxes[0];
  if (!sb || sb.state !== 'SANDBOX_READY') return false;
  if (runtime.sandboxes.filter((s) => s.state === 'SANDBOX_READY').length > 1) return false;
  return isHostNetwork(pod) || sb.ips.length > 0;
}

/** Conditions with lastTransitionTime kept from the old status when the status did not change. */
function withTransitionTimes(conds: Condition[], old: any[], now: string): any[] {
  return conds.map((c) => {
    const prev = old.find((o) => o?.type === c.type);
    const out: any = { type: c.type, status: c.status, lastProbeTime: null, lastTransitionTime: prev && prev.status === c.status && prev.lastTransitionTime ? prev.lastTransitionTime : now };
    if (c.reason) out.reason = c.reason;
    if (c.message) out.message = c.message;
    return out;
  });
}

/** The status the kubelet writes for the pod now. */
export function generatePodStatus(input: StatusInput): Record<string, any> {
  const { pod, runtime } = input;
  const old = pod.status ?? {};
  const now = rfc3339(input.now);
  const hasInit = initContainers(pod).length > 0;
  const containerStatuses = convertList(input, appContainers(pod), 'app', hasInit, Array.isArray(old.containerStatuses) ? old.containerStatuses : []);
  const initStatuses = convertList(input, initContainers(pod), 'init', hasInit, Array.isArray(old.initContainerStatuses) ? old.initContainerStatuses : []);
  const all = [...containerStatuses, ...initStatuses];
  const terminal = (p: unknown) => p === 'Succeeded' || p === 'Failed';
  let phase = podPhase(pod, all, input.podIsTerminal === true);
  if (!terminal(phase) && terminal(old.phase)) phase = old.phase;

  const status: Record<string, any> = { ...old, phase };
  if (phase !== old.phase) {
    delete status.reason;
    delete status.message;
  }
  const oldConds: any[] = Array.isArray(old.conditions) ? old.conditions : [];
  const others = oldConds.filter((c) => c && !KUBELET_CONDITIONS.has(c.type));
  const ours: Condition[] = [
    { type: 'PodReadyToStartContainers', status: sandboxIsUsable(pod, runtime) ? 'True' : 'False' },
    initializedCondition(pod, all, phase),
    readyCondition(pod, others, all, phase),
    containersReadyCondition(pod, all, phase),
    { type: 'PodScheduled', status: 'True' },
  ];
  status.conditions = [...others, ...withTransitionTimes(ours, oldConds, now)];

  status.hostIP = input.nodeIP;
  status.hostIPs = [{ ip: input.nodeIP }];
  const sb = runtime.sandboxes[0];
  const ips = isHostNetwork(pod) ? [input.nodeIP] : sb?.state === 'SANDBOX_READY' ? sb.ips : [];
  if (ips.length) {
    status.podIP = ips[0];
    status.podIPs = ips.map((ip) => ({ ip }));
  }
  status.startTime = old.startTime ?? now;
  status.qosClass = qosClass(pod);
  // The kubelet's status manager sorts app container statuses by name (init ones keep spec order).
  status.containerStatuses = [...containerStatuses].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  if (hasInit) status.initContainerStatuses = initStatuses;
  else delete status.initContainerStatuses;
  return status;
}

/**
 * Once a pod is finished for good (deleted, or done): containers the runtime
 * can't account for count as failed, and a phase that isn't terminal becomes
 * Failed (the status manager's TerminatePod).
 */
export function terminatePodStatus(pod: KubeObject, status: Record<string, any>): Record<string, any> {
  const out = structuredClone(status);
  const unknownTermination = () => ({
    terminated: { exitCode: 137, reason: CONTAINER_STATUS_UNKNOWN, message: 'The container could not be located when the pod was terminated' },
  });
  const initialized = (out.conditions ?? []).some((c: any) => c?.type === 'Initialized' && c.status === 'True');
  if (initialized) {
    for (const s of out.containerStatuses ?? []) if (!s.state?.terminated) s.state = unknownTermination();
  }
  // Init containers that never ran stay waiting, except the ones before the last that did run.
  const inits: any[] = out.initContainerStatuses ?? [];
  let lastRan = -1;
  inits.forEach((s, i) => {
    if (s.state?.terminated || s.state?.running || s.lastState?.terminated) lastRan = i;
  });
  inits.forEach((s, i) => {
    if (i < lastRan && !s.state?.terminated) s.state = unknownTermination();
  });
  if (out.phase !== 'Succeeded' && out.phase !== 'Failed') out.phase = 'Failed';
  for (const s of [...(out.containerStatuses ?? []), ...inits]) {
    s.ready = false;
    s.started = false;
  }
  return out;
}

/** Stable JSON for comparing statuses (key order does not matter). */
export function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object') {
    return `{${Object.keys(v as object)
      .filter((k) => (v as any)[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((v as any)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v);
}
