// NodePorts: a pod's hostPorts must be free on the node. 0.0.0.0 (or an empty
// hostIP) conflicts with the same protocol/port on any IP; a specific IP
// conflicts with itself and with 0.0.0.0.

import { skip, success, unschedulable, type CycleState, type FilterPlugin, type NodeInfo, type PodInfo, type PreFilterPlugin, type PreFilterResult, type Status } from '../framework.js';
import { portKey } from '../node-info.js';

export const NODE_PORTS = 'NodePorts';
export const ERR_REASON_NODE_PORTS = "node(s) didn't have free ports for the requested pod ports";
const PRE_FILTER_KEY = 'PreFilter' + NODE_PORTS;
const ANY_IP = '0.0.0.0';

export interface WantedPort {
  protocol: string;
  hostIP: string;
  port: number;
}

/** Host ports the pod asks for (regular containers, hostPort > 0), with Kubernetes' TCP / 0.0.0.0 defaults. */
export function wantedPorts(pod: PodInfo['pod']): WantedPort[] {
  const out: WantedPort[] = [];
  for (const c of pod?.spec?.containers ?? []) {
    for (const p of c?.ports ?? []) {
      const port = Number(p?.hostPort ?? 0);
      if (port > 0) out.push({ protocol: p.protocol || 'TCP', hostIP: p.hostIP || ANY_IP, port });
    }
  }
  return out;
}

export function portConflicts(used: Set<string>, want: WantedPort): boolean {
  if (want.hostIP === ANY_IP) {
    if (used.size === 0) return false;
    const prefix = `${want.protocol}/`;
    const suffix = `/${want.port}`;
    for (const key of used) if (key.startsWith(prefix) && key.endsWith(suffix)) return true;
    return false;
  }
  return used.has(portKey(want.protocol, ANY_IP, want.port)) || used.has(portKey(want.protocol, want.hostIP, want.port));
}

export function fitsPorts(wanted: WantedPort[], node: NodeInfo): boolean {
  for (const w of wanted) if (portConflicts(node.usedPorts, w)) return false;
  return true;
}

export function newNodePorts(): PreFilterPlugin & FilterPlugin {
  return {
    name: NODE_PORTS,
    preFilter(state: CycleState, pod: PodInfo): PreFilterResult {
      const wanted = wantedPorts(pod.pod);
      if (wanted.length === 0) return { status: skip() };
      state.write(PRE_FILTER_KEY, wanted);
      return { status: success() };
    },
    filter(state: CycleState, pod: PodInfo, node: NodeInfo): Status {
      const wanted = state.read<WantedPort[]>(PRE_FILTER_KEY) ?? wantedPorts(pod.pod);
      return fitsPorts(wanted, node) ? success() : unschedulable(ERR_REASON_NODE_PORTS);
    },
  };
}
