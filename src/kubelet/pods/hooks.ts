// What the worker needs from outside the pods package besides the contracts:
// a way to run lifecycle handlers and to remove a pod's cgroups.

import type { KubeObject } from '../../client/index.js';
import type { ActionResult, KubeletContext } from '../contracts.js';

/** Runs one lifecycle handler ({exec}|{httpGet}|{tcpSocket}|{sleep}) — prober/actions.ts runHandler. */
export type RunHandler = (
  ctx: KubeletContext,
  pod: KubeObject,
  container: any,
  containerId: string,
  podIP: string,
  handler: any,
  timeoutSeconds: number,
) => Promise<ActionResult>;

export interface PodCleanup {
  /**
   * Removes the pod's cgroup in every hierarchy once empty (cri-notes P5).
   * podCgroup is the full path, e.g. /kubepods/burstable/pod<uid> (the sandbox's cgroup_parent).
   */
  removePodCgroups?(uid: string, podCgroup: string): Promise<unknown> | unknown;
}
