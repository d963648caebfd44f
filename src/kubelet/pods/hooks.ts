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
  /** Removes /kubepods/.../pod<uid> in every hierarchy once empty (cri-notes P5). */
  removePodCgroups?(uid: string, cgroupParent: string): Promise<void>;
}
