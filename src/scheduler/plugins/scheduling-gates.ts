// SchedulingGates: a pod with spec.schedulingGates waits outside the active
// queue until every gate is removed (Kubernetes' PreEnqueue extension point).

import { success, unresolvable, type Plugin, type Pod, type Status } from '../framework.js';

export const SCHEDULING_GATES = 'SchedulingGates';

export function isGated(pod: Pod): boolean {
  const gates = pod?.spec?.schedulingGates;
  return Array.isArray(gates) && gates.length > 0;
}

/** Kubernetes' message lists the gate names as Go prints a []string: "[a b]". */
export function schedulingGatesStatus(pod: Pod): Status {
  if (!isGated(pod)) return success();
  const names = (pod.spec.schedulingGates as { name?: string }[]).map((g) => g?.name ?? '');
  return unresolvable(`waiting for scheduling gates: [${names.join(' ')}]`);
}

export interface PreEnqueuePlugin extends Plugin {
  preEnqueue(pod: Pod): Status;
}

export function newSchedulingGates(): PreEnqueuePlugin {
  return { name: SCHEDULING_GATES, preEnqueue: schedulingGatesStatus };
}
