// NodeName: a pod with spec.nodeName set fits only that node.

import { success, unresolvable, type FilterPlugin, type NodeInfo, type PodInfo, type Status } from '../framework.js';

export const NODE_NAME = 'NodeName';
export const ERR_REASON_NODE_NAME = "node(s) didn't match the requested node name";

export function nodeNameFits(pod: PodInfo, node: NodeInfo): boolean {
  const wanted = pod.pod?.spec?.nodeName;
  return !wanted || wanted === node.node?.metadata?.name;
}

export function newNodeName(): FilterPlugin {
  return {
    name: NODE_NAME,
    filter(_state, pod, node): Status {
      return nodeNameFits(pod, node) ? success() : unresolvable(ERR_REASON_NODE_NAME);
    },
  };
}
