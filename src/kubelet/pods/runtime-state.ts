// What the runtime holds for one pod: its sandboxes and containers (found by
// the pod-UID label), with each container's status turned into the shape the
// status code and the worker use. Newest first, like the kubelet sorts them.

import {
  ANNOTATION_CONTAINER_HASH,
  ANNOTATION_CONTAINER_KIND,
  ANNOTATION_RESTART_COUNT,
  ANNOTATION_TERMINATION_MESSAGE_PATH,
  LABEL_CONTAINER_NAME,
  LABEL_MANAGED_BY,
  LABEL_POD_UID,
  nsToMs,
  type ContainerState,
  type CriRuntime,
  type Mount,
  type PodSandboxState,
} from '../cri/api.js';
import { ANNOTATION_TERMINATION_MESSAGE_POLICY } from './container-config.js';
import type { ContainerKind } from './pod-spec.js';
import { readLogTail, readTerminationFile } from './termination-message.js';

export interface RuntimeSandbox {
  id: string;
  attempt: number;
  state: PodSandboxState;
  createdAt: string;
  /** Pod IPs reported by the runtime ([] when none, e.g. host network or stopped). */
  ips: string[];
}

export interface RuntimeContainer {
  id: string;
  sandboxId: string;
  name: string;
  kind: ContainerKind;
  state: ContainerState;
  /** Nanosecond decimal strings ('0' when unset). */
  createdAt: string;
  startedAt: string;
  finishedAt: string;
  exitCode: number;
  reason: string;
  /** Runtime message, with the termination message appended (": " between) for exited containers. */
  message: string;
  restartCount: number;
  hash: string;
  /** The image name the runtime reports (a repo tag). */
  image: string;
  /** Repo digest when known, else the runtime's image reference. */
  imageRef: string;
  logPath: string;
  mounts: Mount[];
}

export interface PodRuntimeState {
  sandboxes: RuntimeSandbox[];
  containers: RuntimeContainer[];
}

export const emptyRuntimeState = (): PodRuntimeState => ({ sandboxes: [], containers: [] });

function byNewest<T extends { createdAt: string }>(a: T, b: T): number {
  const x = BigInt(a.createdAt || '0');
  const y = BigInt(b.createdAt || '0');
  return x > y ? -1 : x < y ? 1 : 0;
}

export interface ReadOptions {
  /** Remembers sha256 image IDs → repo digest lookups between calls. */
  digestCache?: Map<string, string>;
  /** Host path of a container's termination-log when its mounts don't show one: (name) → path. */
  terminationLogFile?: (name: string) => string | undefined;
  /** Ready sandbox ID → its IPs, kept by the caller between reads (entries of gone sandboxes are dropped). */
  sandboxIPs?: Map<string, string[]>;
}

async function repoDigest(cri: CriRuntime, ref: string, cache?: Map<string, string>): Promise<string> {
  if (!ref.startsWith('sha256:')) return ref;
  const hit = cache?.get(ref);
  if (hit) return hit;
  try {
    const img = await cri.imageStatus(ref);
    const digest = img?.repo_digests?.[0];
    if (digest) {
      cache?.set(ref, digest);
      return digest;
    }
  } catch {
    // keep the ID
  }
  return ref;
}

export async function readPodRuntime(cri: CriRuntime, uid: string, nodeName: string, opts: ReadOptions = {}): Promise<PodRuntimeState> {
  const selector = { [LABEL_POD_UID]: uid, [LABEL_MANAGED_BY]: nodeName };
  const [sbs, cs] = await Promise.all([cri.listPodSandbox({ label_selector: selector }), cri.listContainers({ label_selector: selector })]);
  // All status calls go out at once: one round trip after the lists, not one per object.
  const sandboxIPs = async (id: string): Promise<string[]> => {
    const known = opts.sandboxIPs?.get(id);
    if (known) return known;
    const st = await cri.podSandboxStatus(id);
    const ips = st?.network?.ip ? [st.network.ip, ...(st.network.additional_ips ?? []).map((a) => a.ip).filter(Boolean)] : [];
    // A ready sandbox keeps its IP for its whole life.
    if (ips.length > 0) opts.sandboxIPs?.set(id, ips);
    return ips;
  };
  const [sbIPs, statuses] = await Promise.all([
    Promise.all(sbs.map((s) => (s.state === 'SANDBOX_READY' ? sandboxIPs(s.id) : Promise.resolve([] as string[])))),
    Promise.all(cs.map((c) => cri.containerStatus(c.id))),
  ]);
  const sandboxes: RuntimeSandbox[] = sbs.map((s, i) => ({ id: s.id, attempt: s.metadata?.attempt ?? 0, state: s.state, createdAt: String(s.created_at ?? '0'), ips: sbIPs[i] }));
  sandboxes.sort(byNewest);
  if (opts.sandboxIPs) for (const id of opts.sandboxIPs.keys()) if (!sbs.some((s) => s.id === id && s.state === 'SANDBOX_READY')) opts.sandboxIPs.delete(id);

  const containers: RuntimeContainer[] = [];
  for (const [i, c] of cs.entries()) {
    const st = statuses[i];
    if (!st) continue;
    const ann = { ...(c.annotations ?? {}), ...(st.annotations ?? {}) };
    const name = c.labels?.[LABEL_CONTAINER_NAME] ?? st.metadata?.name ?? c.metadata?.name ?? '';
    let message = st.message ?? '';
    if (st.state === 'CONTAINER_EXITED') {
      const fallback = ann[ANNOTATION_TERMINATION_MESSAGE_POLICY] === 'FallbackToLogsOnError' && st.exit_code !== 0 && st.reason !== 'ContainerCannotRun';
      const file = await readTerminationFile(st.mounts ?? [], ann[ANNOTATION_TERMINATION_MESSAGE_PATH] ?? '', fallback, opts.terminationLogFile?.(name));
      let extra = file.message;
      if (file.checkLogs && st.log_path) extra = await readLogTail(st.log_path);
      if (extra) message = message ? `${message}: ${extra}` : extra;
    }
    const imageName = st.image?.image ?? c.image?.image ?? '';
    containers.push({
      id: c.id,
      sandboxId: c.pod_sandbox_id,
      name,
      kind: ann[ANNOTATION_CONTAINER_KIND] === 'init' ? 'init' : 'app',
      state: st.state,
      createdAt: String(st.created_at ?? c.created_at ?? '0'),
      startedAt: String(st.started_at ?? '0'),
      finishedAt: String(st.finished_at ?? '0'),
      exitCode: st.exit_code ?? 0,
      reason: st.reason ?? '',
      message,
      restartCount: Number(ann[ANNOTATION_RESTART_COUNT] ?? 0) || 0,
      hash: ann[ANNOTATION_CONTAINER_HASH] ?? '',
      image: imageName.startsWith('sha256:') ? '' : imageName,
      imageRef: await repoDigest(cri, st.image_ref || c.image_ref || '', opts.digestCache),
      logPath: st.log_path ?? '',
      mounts: st.mounts ?? [],
    });
  }
  containers.sort(byNewest);
  return { sandboxes, containers };
}

/** The newest instance of a container (by name and list). */
export function latestContainer(state: PodRuntimeState, name: string, kind?: ContainerKind): RuntimeContainer | undefined {
  return state.containers.find((c) => c.name === name && (kind === undefined || c.kind === kind));
}

export const finishedAtMs = (c: RuntimeContainer): number => nsToMs(c.finishedAt);
