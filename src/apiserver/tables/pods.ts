// Pod rows: NAME READY STATUS RESTARTS AGE | IP NODE NOMINATED NODE READINESS GATES.
// The STATUS cell reproduces kubectl's well-known aggregate pod status.

import { column, int, nameColumn, ageColumn, str } from './columns.js';
import { humanDuration, parseTimestamp, since } from './duration.js';
import type { JsonObject, TablePrinter } from './table.js';

const NODE_UNREACHABLE_REASON = 'NodeLost';

function isSidecar(container: JsonObject | undefined): boolean {
  return container?.restartPolicy === 'Always';
}

function conditionIsTrue(conditions: JsonObject[], type: string): boolean {
  // Only the first condition of a type counts (mirrors the upstream lookup).
  const c = conditions.find((x) => x?.type === type);
  return c?.status === 'True';
}

function hasTrueCondition(conditions: JsonObject[], type: string): boolean {
  return conditions.some((x) => x?.type === type && x?.status === 'True');
}

/** Latest of `current` and the container's last termination time (ms; 0 = never). */
function laterRestart(current: number, status: JsonObject): number {
  const finished = parseTimestamp(status?.lastState?.terminated?.finishedAt);
  return finished !== undefined && finished > current ? finished : current;
}

export interface PodSummary {
  ready: string;
  status: string;
  restarts: string;
}

/** READY, STATUS and RESTARTS cells of a pod. */
export function summarizePod(pod: JsonObject, now: Date): PodSummary {
  const spec = pod.spec ?? {};
  const status = pod.status ?? {};
  const conditions: JsonObject[] = Array.isArray(status.conditions) ? status.conditions : [];
  const specInit: JsonObject[] = Array.isArray(spec.initContainers) ? spec.initContainers : [];
  const initStatuses: JsonObject[] = Array.isArray(status.initContainerStatuses) ? status.initContainerStatuses : [];
  const appStatuses: JsonObject[] = Array.isArray(status.containerStatuses) ? status.containerStatuses : [];

  const phase = str(status.phase);
  let reason = str(status.reason) || phase;
  if (conditions.some((c) => c?.type === 'PodScheduled' && c?.reason === 'SchedulingGated')) {
    reason = 'SchedulingGated';
  }

  const initByName = new Map<string, JsonObject>();
  let total = Array.isArray(spec.containers) ? spec.containers.length : 0;
  for (const c of specInit) {
    initByName.set(c?.name, c);
    if (isSidecar(c)) total++; // restartable init containers are counted like app containers
  }

  let ready = 0;
  let restarts = 0;
  let lastRestart = 0;
  let sidecarRestarts = 0;
  let lastSidecarRestart = 0;

  // Walk init containers until the first one that has not finished successfully.
  let initializing = false;
  for (let i = 0; i < initStatuses.length; i++) {
    const c = initStatuses[i] ?? {};
    const sidecar = isSidecar(initByName.get(c.name));
    restarts += int(c.restartCount);
    lastRestart = laterRestart(lastRestart, c);
    if (sidecar) {
      sidecarRestarts += int(c.restartCount);
      lastSidecarRestart = laterRestart(lastSidecarRestart, c);
    }
    const terminated = c.state?.terminated;
    const waiting = c.state?.waiting;
    if (terminated && int(terminated.exitCode) === 0) continue;
    if (sidecar && c.started === true) {
      if (c.ready === true) ready++;
      continue;
    }
    if (terminated) {
      if (!str(terminated.reason)) {
        reason = int(terminated.signal) !== 0 ? `Init:Signal:${int(terminated.signal)}` : `Init:ExitCode:${int(terminated.exitCode)}`;
      } else {
        reason = `Init:${terminated.reason}`;
      }
    } else if (waiting && str(waiting.reason) && waiting.reason !== 'PodInitializing') {
      reason = `Init:${waiting.reason}`;
    } else {
      reason = `Init:${i}/${specInit.length}`;
    }
    initializing = true;
    break;
  }

  if (!initializing || conditionIsTrue(conditions, 'Initialized')) {
    // Once initialized, only sidecar restarts carry over from the init phase.
    restarts = sidecarRestarts;
    lastRestart = lastSidecarRestart;
    let hasRunning = false;
    for (let i = appStatuses.length - 1; i >= 0; i--) {
      const c = appStatuses[i] ?? {};
      restarts += int(c.restartCount);
      lastRestart = laterRestart(lastRestart, c);
      const waiting = c.state?.waiting;
      const terminated = c.state?.terminated;
      if (waiting && str(waiting.reason)) {
        reason = waiting.reason;
      } else if (terminated && str(terminated.reason)) {
        reason = terminated.reason;
      } else if (terminated) {
        reason = int(terminated.signal) !== 0 ? `Signal:${int(terminated.signal)}` : `ExitCode:${int(terminated.exitCode)}`;
      } else if (c.ready === true && c.state?.running) {
        hasRunning = true;
        ready++;
      }
    }
    // Some containers completed but others still run: the pod is not "Completed".
    if (reason === 'Completed' && hasRunning) {
      reason = hasTrueCondition(conditions, 'Ready') ? 'Running' : 'NotReady';
    }
  }

  if (pod.metadata?.deletionTimestamp != null) {
    if (status.reason === NODE_UNREACHABLE_REASON) reason = 'Unknown';
    else if (phase !== 'Succeeded' && phase !== 'Failed') reason = 'Terminating';
  }

  let restartsCell = String(restarts);
  if (restarts !== 0 && lastRestart !== 0) {
    restartsCell = `${restarts} (${humanDuration(now.getTime() - lastRestart)} ago)`;
  }
  return { ready: `${ready}/${total}`, status: reason, restarts: restartsCell };
}

function podIP(status: JsonObject): string {
  // The singular field wins over podIPs[0], as in the v1 -> internal conversion.
  if (str(status.podIP)) return status.podIP;
  const ips: JsonObject[] = Array.isArray(status.podIPs) ? status.podIPs : [];
  return str(ips[0]?.ip);
}

function readinessGates(pod: JsonObject): string {
  const gates: JsonObject[] = Array.isArray(pod.spec?.readinessGates) ? pod.spec.readinessGates : [];
  if (gates.length === 0) return '<none>';
  const conditions: JsonObject[] = Array.isArray(pod.status?.conditions) ? pod.status.conditions : [];
  let passing = 0;
  for (const gate of gates) {
    if (conditionIsTrue(conditions, gate?.conditionType)) passing++;
  }
  return `${passing}/${gates.length}`;
}

export const podPrinter: TablePrinter = {
  columns: [
    nameColumn(),
    column('Ready', 'string', 'Ready containers out of all containers (including sidecar init containers).'),
    column('Status', 'string', 'Summary of the pod phase and its containers\' states.'),
    column('Restarts', 'string', 'Total container restarts, with how long ago the most recent one happened.'),
    ageColumn(),
    column('IP', 'string', 'Primary IP address assigned to the pod.', 1),
    column('Node', 'string', 'Node the pod is bound to.', 1),
    column('Nominated Node', 'string', 'Node on which the scheduler plans to place the pod after preemption.', 1),
    column('Readiness Gates', 'string', 'Readiness gate conditions that are True, out of all declared gates.', 1),
  ],
  row(pod, now) {
    const s = summarizePod(pod, now);
    const status = pod.status ?? {};
    return [
      str(pod.metadata?.name),
      s.ready,
      s.status,
      s.restarts,
      since(pod.metadata?.creationTimestamp, now),
      podIP(status) || '<none>',
      str(pod.spec?.nodeName) || '<none>',
      str(status.nominatedNodeName) || '<none>',
      readinessGates(pod),
    ];
  },
};
