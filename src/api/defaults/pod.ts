// Pod-only defaults: requests from limits, service links, and what the admission plugins
// (ServiceAccount, Priority, DefaultTolerationSeconds) add to every new pod.

import { defaultPodSpec } from './pod-spec.js';

const NOT_READY = 'node.kubernetes.io/not-ready';
const UNREACHABLE = 'node.kubernetes.io/unreachable';
export const DEFAULT_TOLERATION_SECONDS = 300;

/** Priorities of the built-in classes; other classes need a store lookup the caller does. */
const SYSTEM_PRIORITIES: Record<string, number> = {
  'system-node-critical': 2_000_001_000,
  'system-cluster-critical': 2_000_000_000,
};

function defaultRequestsFromLimits(containers: any[] | undefined): void {
  for (const c of containers ?? []) {
    const limits = c?.resources?.limits;
    if (limits == null || typeof limits !== 'object') continue;
    c.resources.requests ??= {};
    for (const [name, value] of Object.entries(limits)) {
      if (!(name in c.resources.requests)) c.resources.requests[name] = value;
    }
  }
}

/** A toleration that covers the taint key with NoExecute (empty key/effect match everything). */
function tolerates(tolerations: any[], key: string): boolean {
  return tolerations.some((t) => (t?.key === key || !t?.key) && (t?.effect === 'NoExecute' || !t?.effect));
}

function addDefaultTolerations(spec: any): void {
  const tolerations: any[] = Array.isArray(spec.tolerations) ? spec.tolerations : [];
  const add = (key: string) => {
    if (!tolerates(tolerations, key)) {
      tolerations.push({ key, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: DEFAULT_TOLERATION_SECONDS });
    }
  };
  add(NOT_READY);
  add(UNREACHABLE);
  spec.tolerations = tolerations;
}

export function defaultPod(pod: any): void {
  pod.spec ??= {};
  const spec = pod.spec;
  defaultRequestsFromLimits(spec.containers);
  defaultRequestsFromLimits(spec.initContainers);
  if (spec.enableServiceLinks == null) spec.enableServiceLinks = true;
  defaultPodSpec(spec);
  // v1 → internal conversion turns a negative grace period into 1 for pods.
  if (typeof spec.terminationGracePeriodSeconds === 'number' && spec.terminationGracePeriodSeconds < 0) {
    spec.terminationGracePeriodSeconds = 1;
  }
  // ServiceAccount admission: every pod runs as some account; the deprecated alias mirrors it.
  if (!spec.serviceAccountName) spec.serviceAccountName = spec.serviceAccount || 'default';
  if (!spec.serviceAccount) spec.serviceAccount = spec.serviceAccountName;
  // Priority admission.
  if (spec.priority == null) {
    if (!spec.priorityClassName) spec.priority = 0;
    else if (spec.priorityClassName in SYSTEM_PRIORITIES) spec.priority = SYSTEM_PRIORITIES[spec.priorityClassName];
  }
  if (!spec.preemptionPolicy) spec.preemptionPolicy = 'PreemptLowerPriority';
  addDefaultTolerations(spec);
}
