// The CRI PodSandboxConfig for a pod, as the kubelet builds it: metadata,
// hostname, log directory, DNS, host ports, labels that let us find the
// sandbox again, the QoS cgroup parent and the namespace/security options.

import type { KubeObject } from '../../client/index.js';
import { qosClass, type QOSClass } from '../../api/qos.js';
import {
  LABEL_MANAGED_BY,
  LABEL_POD_NAME,
  LABEL_POD_NAMESPACE,
  LABEL_POD_UID,
  type PodSandboxConfig,
  type PortMapping,
  type Protocol,
  type LinuxSandboxSecurityContext,
} from '../cri/api.js';
import { podLogDir, type KubeletPaths } from '../contracts.js';
import { podDNSConfig, type HostDNS } from './dns-config.js';
import { appContainers, initContainers, isHostNetwork } from './pod-spec.js';

export interface SandboxConfigInput {
  nodeName: string;
  paths: KubeletPaths;
  clusterDNS: string[];
  clusterDomain: string;
  hostDNS: HostDNS;
  /** Sandbox attempt: 0 for the first, +1 each time it is re-created. */
  attempt: number;
}

/** Labels every sandbox and container of the pod carries (how we find them in the runtime). */
export function podLabels(pod: KubeObject, nodeName: string): Record<string, string> {
  return {
    [LABEL_POD_NAME]: pod.metadata.name ?? '',
    [LABEL_POD_NAMESPACE]: pod.metadata.namespace ?? 'default',
    [LABEL_POD_UID]: pod.metadata.uid ?? '',
    [LABEL_MANAGED_BY]: nodeName,
  };
}

/** The QoS-level cgroup pods of that class live under: /kubepods[/burstable|/besteffort]. */
export function qosCgroupParent(qos: QOSClass): string {
  return qos === 'Guaranteed' ? '/kubepods' : `/kubepods/${qos === 'Burstable' ? 'burstable' : 'besteffort'}`;
}

/** The cgroupfs parent of the pod: /kubepods[/burstable|/besteffort]/pod<uid>. */
export function podCgroupParent(uid: string, qos: QOSClass): string {
  return `${qosCgroupParent(qos)}/pod${uid}`;
}

/** Hostname of the pod: spec.hostname or the pod name, cut to 63 characters (no trailing '-' or '.'). */
export function podHostname(pod: KubeObject): string {
  let h = String(pod.spec?.hostname || pod.metadata.name || '');
  if (h.length > 63) h = h.slice(0, 63).replace(/[-.]+$/, '');
  return h;
}

function portMappings(pod: KubeObject): PortMapping[] {
  const out: PortMapping[] = [];
  for (const c of [...initContainers(pod), ...appContainers(pod)]) {
    for (const p of Array.isArray(c?.ports) ? c.ports : []) {
      if (!p?.hostPort) continue;
      const protocol: Protocol = p.protocol === 'UDP' || p.protocol === 'SCTP' ? p.protocol : 'TCP';
      const pm: PortMapping = { protocol, container_port: Number(p.containerPort), host_port: Number(p.hostPort) };
      if (p.hostIP) pm.host_ip = String(p.hostIP);
      out.push(pm);
    }
  }
  return out;
}

function int64(v: unknown): { value: string } | undefined {
  return typeof v === 'number' ? { value: String(v) } : undefined;
}

export function sandboxSecurityContext(pod: KubeObject): LinuxSandboxSecurityContext {
  const sc = pod.spec?.securityContext ?? {};
  const all = [...initContainers(pod), ...appContainers(pod)];
  const out: LinuxSandboxSecurityContext = {
    namespace_options: {
      network: isHostNetwork(pod) ? 'NODE' : 'POD',
      pid: pod.spec?.hostPID ? 'NODE' : pod.spec?.shareProcessNamespace ? 'POD' : 'CONTAINER',
      ipc: pod.spec?.hostIPC ? 'NODE' : 'POD',
    },
  };
  const user = int64(sc.runAsUser);
  if (user) out.run_as_user = user;
  const group = int64(sc.runAsGroup);
  if (group) out.run_as_group = group;
  const groups = [...(Array.isArray(sc.supplementalGroups) ? sc.supplementalGroups : [])];
  if (typeof sc.fsGroup === 'number') groups.unshift(sc.fsGroup);
  if (groups.length) out.supplemental_groups = groups.map((g: number) => String(g));
  if (all.some((c) => c?.securityContext?.privileged === true)) out.privileged = true;
  return out;
}

export function sandboxConfig(pod: KubeObject, input: SandboxConfigInput): PodSandboxConfig {
  const meta = pod.metadata;
  const hostNet = isHostNetwork(pod);
  const config: PodSandboxConfig = {
    metadata: { name: meta.name ?? '', namespace: meta.namespace ?? 'default', uid: meta.uid ?? '', attempt: input.attempt },
    // A host-network sandbox has no UTS namespace of its own to name (cri-notes P11).
    hostname: hostNet ? '' : podHostname(pod),
    log_directory: podLogDir(input.paths, { metadata: { name: meta.name ?? '', namespace: meta.namespace, uid: meta.uid } }),
    dns_config: podDNSConfig(pod, input.clusterDNS, input.clusterDomain, input.hostDNS),
    port_mappings: portMappings(pod),
    labels: podLabels(pod, input.nodeName),
    annotations: { ...(meta.annotations ?? {}) },
    linux: {
      cgroup_parent: podCgroupParent(meta.uid ?? '', qosClass(pod)),
      security_context: sandboxSecurityContext(pod),
    },
  };
  const sysctls = pod.spec?.securityContext?.sysctls;
  if (Array.isArray(sysctls) && sysctls.length) {
    config.linux!.sysctls = Object.fromEntries(sysctls.map((s: any) => [String(s.name), String(s.value)]));
  }
  return config;
}
