// The CRI ContainerConfig for one container of a pod, as the kubelet builds
// it: expanded command/args, env, mounts, log path, labels/annotations that
// identify the instance, cgroup resources from requests/limits and the
// effective (pod + container) security context.

import type { KubeObject } from '../../client/index.js';
import { qosClass } from '../../api/qos.js';
import { Quantity } from '../../api/quantity.js';
import {
  ANNOTATION_CONTAINER_HASH,
  ANNOTATION_CONTAINER_KIND,
  ANNOTATION_RESTART_COUNT,
  ANNOTATION_TERMINATION_GRACE,
  ANNOTATION_TERMINATION_MESSAGE_PATH,
  LABEL_CONTAINER_NAME,
  type ContainerConfig,
  type KeyValue,
  type LinuxContainerResources,
  type LinuxContainerSecurityContext,
  type Mount,
} from '../cri/api.js';
import { expandCommandAndArgs } from '../expansion.js';
import { podLabels } from './sandbox-config.js';
import type { ContainerKind } from './pod-spec.js';

export const ANNOTATION_TERMINATION_MESSAGE_POLICY = 'io.kubernetes.container.terminationMessagePolicy';
export const ANNOTATION_DELETION_GRACE = 'io.kubernetes.pod.deletionGracePeriod';
export const ANNOTATION_CONTAINER_PORTS = 'io.kubernetes.container.ports';
export const ANNOTATION_PRESTOP_HANDLER = 'io.kubernetes.container.preStopHandler';

const MIN_SHARES = 2;
const MAX_SHARES = 262144;
const QUOTA_PERIOD = 100_000;
const MIN_QUOTA = 1000;
const GUARANTEED_OOM_SCORE_ADJ = -997;
const BESTEFFORT_OOM_SCORE_ADJ = 1000;
/** Priority at or above which a pod is node-critical (system-node-critical). */
const NODE_CRITICAL_PRIORITY = 2_000_001_000;

export function milliCPUToShares(milli: number): number {
  if (milli <= 0) return MIN_SHARES;
  const shares = Math.floor((milli * 1024) / 1000);
  return Math.min(MAX_SHARES, Math.max(MIN_SHARES, shares));
}

/** CFS quota for a cpu limit (0 = no limit). */
export function milliCPUToQuota(milli: number, period = QUOTA_PERIOD): number {
  if (milli <= 0) return 0;
  return Math.max(MIN_QUOTA, Math.floor((milli * period) / 1000));
}

function quantity(list: any, name: string): Quantity | undefined {
  const q = Quantity.tryParse(list?.[name]);
  return q && q.sign() > 0 ? q : undefined;
}

function isNodeCritical(pod: KubeObject): boolean {
  return pod.spec?.priorityClassName === 'system-node-critical' || (typeof pod.spec?.priority === 'number' && pod.spec.priority >= NODE_CRITICAL_PRIORITY);
}

/** The kubelet's OOM score heuristic: -997 guaranteed, 1000 best-effort, burstable by share of node memory in [3, 999]. */
export function oomScoreAdj(pod: KubeObject, container: any, memoryCapacity: number): number {
  if (isNodeCritical(pod)) return GUARANTEED_OOM_SCORE_ADJ;
  const qos = qosClass(pod);
  if (qos === 'Guaranteed') return GUARANTEED_OOM_SCORE_ADJ;
  if (qos === 'BestEffort') return BESTEFFORT_OOM_SCORE_ADJ;
  const req = quantity(container?.resources?.requests, 'memory') ?? quantity(container?.resources?.limits, 'memory');
  const memRequest = req ? req.value() : 0;
  const adj = 1000 - Math.floor((1000 * memRequest) / memoryCapacity);
  if (adj < 1000 + GUARANTEED_OOM_SCORE_ADJ) return 1000 + GUARANTEED_OOM_SCORE_ADJ;
  if (adj === BESTEFFORT_OOM_SCORE_ADJ) return adj - 1;
  return adj;
}

export function containerResources(pod: KubeObject, container: any, memoryCapacity: number): LinuxContainerResources {
  const requests = container?.resources?.requests;
  const limits = container?.resources?.limits;
  const cpuReq = quantity(requests, 'cpu');
  const cpuLim = quantity(limits, 'cpu');
  // A limit without a request means request = limit (the API server defaults it; older objects may lack it).
  const shares = !cpuReq && cpuLim ? milliCPUToShares(cpuLim.milliValue()) : milliCPUToShares(cpuReq ? cpuReq.milliValue() : 0);
  const res: LinuxContainerResources = {
    cpu_period: String(QUOTA_PERIOD),
    cpu_quota: String(milliCPUToQuota(cpuLim ? cpuLim.milliValue() : 0)),
    cpu_shares: String(shares),
    oom_score_adj: String(oomScoreAdj(pod, container, memoryCapacity)),
  };
  const memLim = quantity(limits, 'memory');
  if (memLim) res.memory_limit_in_bytes = memLim.valueBig().toString();
  return res;
}

function int64(v: unknown): { value: string } | undefined {
  return typeof v === 'number' ? { value: String(v) } : undefined;
}

/** Pod-level securityContext values, overridden by the container's. */
export function containerSecurityContext(pod: KubeObject, container: any): LinuxContainerSecurityContext {
  const psc = pod.spec?.securityContext ?? {};
  const csc = container?.securityContext ?? {};
  const out: LinuxContainerSecurityContext = {
    namespace_options: {
      network: pod.spec?.hostNetwork ? 'NODE' : 'POD',
      // Without an explicit CONTAINER the runtime puts the container in the pause process's pid namespace (cri-notes P6).
      pid: pod.spec?.hostPID ? 'NODE' : pod.spec?.shareProcessNamespace ? 'POD' : 'CONTAINER',
      ipc: pod.spec?.hostIPC ? 'NODE' : 'POD',
    },
  };
  const user = int64(csc.runAsUser ?? psc.runAsUser);
  if (user) out.run_as_user = user;
  const group = int64(csc.runAsGroup ?? psc.runAsGroup);
  if (group) out.run_as_group = group;
  const groups = [...(Array.isArray(psc.supplementalGroups) ? psc.supplementalGroups : [])];
  if (typeof psc.fsGroup === 'number') groups.unshift(psc.fsGroup);
  if (groups.length) out.supplemental_groups = groups.map((g: number) => String(g));
  if (csc.privileged === true) out.privileged = true;
  if (csc.readOnlyRootFilesystem === true) out.readonly_rootfs = true;
  if (csc.allowPrivilegeEscalation === false) out.no_new_privs = true;
  const caps = csc.capabilities;
  if (caps && (Array.isArray(caps.add) || Array.isArray(caps.drop))) {
    // CRI takes the Kubernetes names (no CAP_ prefix); the runtime adds it.
    out.capabilities = {
      add_capabilities: Array.isArray(caps.add) ? caps.add.map(String) : [],
      drop_capabilities: Array.isArray(caps.drop) ? caps.drop.map(String) : [],
    };
  }
  return out;
}

/** FNV-1a (32 bit) of the fields whose change means "restart the container" (name and image). */
export function containerHash(container: any): string {
  const text = JSON.stringify({ image: String(container?.image ?? ''), name: String(container?.name ?? '') });
  let h = 0x811c9dc5;
  for (const b of Buffer.from(text)) {
    h ^= b;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16);
}

export interface ContainerConfigInput {
  nodeName: string;
  kind: ContainerKind;
  restartCount: number;
  /** What ImageService resolved (image ID); the spec image when empty. */
  imageRef: string;
  envs: KeyValue[];
  mounts: Mount[];
  memoryCapacity: number;
}

export function containerAnnotations(pod: KubeObject, container: any, kind: ContainerKind, restartCount: number): Record<string, string> {
  const a: Record<string, string> = {
    [ANNOTATION_CONTAINER_HASH]: containerHash(container),
    [ANNOTATION_RESTART_COUNT]: String(restartCount),
    [ANNOTATION_TERMINATION_MESSAGE_PATH]: String(container?.terminationMessagePath ?? '/dev/termination-log'),
    [ANNOTATION_TERMINATION_MESSAGE_POLICY]: String(container?.terminationMessagePolicy ?? 'File'),
    [ANNOTATION_CONTAINER_KIND]: kind,
  };
  if (typeof pod.metadata.deletionGracePeriodSeconds === 'number') a[ANNOTATION_DELETION_GRACE] = String(pod.metadata.deletionGracePeriodSeconds);
  if (typeof pod.spec?.terminationGracePeriodSeconds === 'number') a[ANNOTATION_TERMINATION_GRACE] = String(pod.spec.terminationGracePeriodSeconds);
  if (container?.lifecycle?.preStop) a[ANNOTATION_PRESTOP_HANDLER] = JSON.stringify(container.lifecycle.preStop);
  if (Array.isArray(container?.ports) && container.ports.length) a[ANNOTATION_CONTAINER_PORTS] = JSON.stringify(container.ports);
  return a;
}

export function containerConfig(pod: KubeObject, container: any, input: ContainerConfigInput): ContainerConfig {
  const { command, args } = expandCommandAndArgs(container ?? {}, input.envs);
  const config: ContainerConfig = {
    metadata: { name: String(container.name), attempt: input.restartCount },
    image: { image: input.imageRef || String(container.image ?? '') },
    envs: input.envs,
    mounts: input.mounts,
    labels: { ...podLabels(pod, input.nodeName), [LABEL_CONTAINER_NAME]: String(container.name) },
    annotations: containerAnnotations(pod, container, input.kind, input.restartCount),
    log_path: containerLogPath(String(container.name), input.restartCount),
    stdin: container.stdin === true,
    stdin_once: container.stdinOnce === true,
    tty: container.tty === true,
    linux: {
      resources: containerResources(pod, container, input.memoryCapacity),
      security_context: containerSecurityContext(pod, container),
    },
  };
  if (command) config.command = command;
  if (args) config.args = args;
  if (container.workingDir) config.working_dir = String(container.workingDir);
  return config;
}

/** Relative to the sandbox log directory: <container>/<restartCount>.log */
export function containerLogPath(name: string, restartCount: number): string {
  return `${name}/${restartCount}.log`;
}
