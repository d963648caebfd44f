// Values of downward-API fieldRef paths (pkg/fieldpath + the kubelet's own
// cases for spec/status fields), shared by env vars and downwardAPI volumes.

import type { KubeObject } from '../../client/index.js';
import { goQuote } from '../go-format.js';

/** `key="value"` lines, keys sorted, no trailing newline (fieldpath.FormatMap). */
export function formatMap(m: Record<string, string> | undefined): string {
  return Object.keys(m ?? {})
    .sort()
    .map((k) => `${k}=${goQuote(m![k])}`)
    .join('\n');
}

/** `metadata.labels['a']` → ['metadata.labels', 'a']; otherwise undefined. */
export function splitSubscript(fieldPath: string): [string, string] | undefined {
  if (!fieldPath.endsWith("']")) return undefined;
  const s = fieldPath.slice(0, -2);
  const i = s.indexOf("['");
  if (i <= 0) return undefined;
  return [s.slice(0, i), s.slice(i + 2)];
}

/** Object metadata paths, as pkg/fieldpath.ExtractFieldPathAsString. Throws Error with Kubernetes' text. */
export function metadataFieldValue(obj: KubeObject, fieldPath: string): string {
  const sub = splitSubscript(fieldPath);
  if (sub) {
    const [path, key] = sub;
    if (path === 'metadata.annotations') return obj.metadata.annotations?.[key] ?? '';
    if (path === 'metadata.labels') return obj.metadata.labels?.[key] ?? '';
    throw new Error(`fieldPath "${fieldPath}" does not support subscript`);
  }
  switch (fieldPath) {
    case 'metadata.annotations': return formatMap(obj.metadata.annotations);
    case 'metadata.labels': return formatMap(obj.metadata.labels);
    case 'metadata.name': return obj.metadata.name ?? '';
    case 'metadata.namespace': return obj.metadata.namespace ?? '';
    case 'metadata.uid': return obj.metadata.uid ?? '';
  }
  throw new Error(`unsupported fieldPath: ${fieldPath}`);
}

/** Paths the API accepts for a pod's downward API (ConvertDownwardAPIFieldLabel). */
const knownPodPaths = new Set([
  'metadata.annotations', 'metadata.labels', 'metadata.name', 'metadata.namespace', 'metadata.uid',
  'spec.nodeName', 'spec.restartPolicy', 'spec.serviceAccountName', 'spec.schedulerName',
  'status.phase', 'status.hostIP', 'status.hostIPs', 'status.podIP', 'status.podIPs',
]);

export interface PodAddresses {
  podIPs: string[];
  hostIPs: string[];
}

/** An env var's fieldRef value, as the kubelet's podFieldSelectorRuntimeValue. */
export function podFieldValue(pod: KubeObject, fieldPath: string, addr: PodAddresses): string {
  const sub = splitSubscript(fieldPath);
  const base = sub ? sub[0] : fieldPath;
  if (sub ? base !== 'metadata.labels' && base !== 'metadata.annotations' : !knownPodPaths.has(fieldPath)) {
    throw new Error(`field label not supported: ${base}`);
  }
  switch (fieldPath) {
    case 'spec.nodeName': return pod.spec?.nodeName ?? '';
    case 'spec.serviceAccountName': return pod.spec?.serviceAccountName ?? '';
    case 'status.hostIP': return addr.hostIPs[0] ?? '';
    case 'status.hostIPs': return addr.hostIPs.join(',');
    case 'status.podIP': return addr.podIPs[0] ?? '';
    case 'status.podIPs': return addr.podIPs.join(',');
  }
  return metadataFieldValue(pod, fieldPath);
}
