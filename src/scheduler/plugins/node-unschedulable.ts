// NodeUnschedulable: cordoned nodes (spec.unschedulable) take only pods that
// tolerate the node.kubernetes.io/unschedulable:NoSchedule taint.

import { success, unresolvable, type FilterPlugin, type Status } from '../framework.js';
import { tolerationsTolerateTaint } from './taints.js';

export const NODE_UNSCHEDULABLE = 'NodeUnschedulable';
export const ERR_REASON_UNSCHEDULABLE = 'node(s) were unschedulable';
export const TAINT_NODE_UNSCHEDULABLE = 'node.kubernetes.io/unschedulable';

export function newNodeUnschedulable(): FilterPlugin {
  return {
    name: NODE_UNSCHEDULABLE,
    filter(_state, pod, node): Status {
      if (!node.node?.spec?.unschedulable) return success();
      const tolerated = tolerationsTolerateTaint(pod.pod?.spec?.tolerations, { key: TAINT_NODE_UNSCHEDULABLE, effect: 'NoSchedule' });
      return tolerated ? success() : unresolvable(ERR_REASON_UNSCHEDULABLE);
    },
  };
}
