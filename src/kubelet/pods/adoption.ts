// What an agent (re)start finds in the runtime: sandboxes and containers this
// node made. Those of pods still bound here are left running for their
// workers to adopt (same IDs; restart counts come from the annotations);
// those of pods that are gone are stopped and removed, with their cgroups,
// log directories and volumes.

import { rm } from 'node:fs/promises';
import { log } from '../../log.js';
import { LABEL_MANAGED_BY, LABEL_POD_NAME, LABEL_POD_NAMESPACE, LABEL_POD_UID } from '../cri/api.js';
import { podLogDir, type KubeletContext, type VolumeService } from '../contracts.js';
import type { PodCleanup } from './hooks.js';
import { MIN_GRACE_SECONDS } from './pod-spec.js';
import { podCgroupParent } from './sandbox-config.js';

export interface OrphanCleanupDeps {
  ctx: KubeletContext;
  volumes: VolumeService;
  cleanup?: PodCleanup;
}

/** UIDs of pods that have sandboxes or containers of ours in the runtime. */
export async function runtimePodUids(ctx: KubeletContext): Promise<Set<string>> {
  const selector = { [LABEL_MANAGED_BY]: ctx.nodeName };
  const [sbs, cs] = await Promise.all([ctx.cri.listPodSandbox({ label_selector: selector }), ctx.cri.listContainers({ label_selector: selector })]);
  const uids = new Set<string>();
  for (const o of [...sbs, ...cs]) {
    const uid = o.labels?.[LABEL_POD_UID];
    if (uid) uids.add(uid);
  }
  return uids;
}

/**
 * Stops and removes everything of pods whose UID is not in `keep` (and, when
 * `only` is given, is in it — the UIDs found before the pod list was read, so
 * a pod started meanwhile is never mistaken for an orphan); returns the UIDs cleaned.
 * With an empty `keep` it removes every pod of this node (`--cleanup-on-exit`).
 */
export async function removeOrphanedPods(
  deps: OrphanCleanupDeps,
  keep: ReadonlySet<string>,
  only?: ReadonlySet<string>,
  graceSeconds = MIN_GRACE_SECONDS,
): Promise<string[]> {
  const { ctx } = deps;
  const selector = { [LABEL_MANAGED_BY]: ctx.nodeName };
  const [sbs, cs] = await Promise.all([ctx.cri.listPodSandbox({ label_selector: selector }), ctx.cri.listContainers({ label_selector: selector })]);
  const orphan = (labels: Record<string, string> | undefined) => {
    const uid = labels?.[LABEL_POD_UID];
    return uid !== undefined && uid !== '' && !keep.has(uid) && (only === undefined || only.has(uid));
  };
  const cleaned = new Set<string>();
  const pods = new Map<string, { name: string; namespace: string }>();
  for (const c of cs.filter((c) => orphan(c.labels))) {
    cleaned.add(c.labels[LABEL_POD_UID]);
    if (c.state === 'CONTAINER_RUNNING') await ctx.cri.stopContainer(c.id, graceSeconds);
    await ctx.cri.removeContainer(c.id);
  }
  for (const sb of sbs.filter((s) => orphan(s.labels))) {
    const uid = sb.labels[LABEL_POD_UID];
    cleaned.add(uid);
    pods.set(uid, {
      name: sb.labels[LABEL_POD_NAME] ?? sb.metadata?.name ?? '',
      namespace: sb.labels[LABEL_POD_NAMESPACE] ?? sb.metadata?.namespace ?? 'default',
    });
    await ctx.cri.stopPodSandbox(sb.id);
    await ctx.cri.removePodSandbox(sb.id);
  }
  for (const uid of cleaned) {
    try {
      await deps.volumes.tearDownPod(uid);
      const p = pods.get(uid);
      if (p) await rm(podLogDir(ctx.paths, { metadata: { name: p.name, namespace: p.namespace, uid } }), { recursive: true, force: true });
      // The QoS class of a pod we no longer know: try every parent it could have had.
      if (deps.cleanup?.removePodCgroups) {
        for (const qos of ['Guaranteed', 'Burstable', 'BestEffort'] as const) {
          try {
            await deps.cleanup.removePodCgroups(uid, podCgroupParent(uid, qos));
          } catch {
            // not there under this class
          }
        }
      }
    } catch (e) {
      log.warn('orphaned pod cleanup incomplete', { uid, err: e instanceof Error ? e.message : String(e) });
    }
  }
  return [...cleaned];
}
