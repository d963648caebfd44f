// The /etc/hosts file the kubelet writes for every pod and bind-mounts into
// its containers: the managed header, localhost lines, the pod's own name on
// each pod IP (with its FQDN when it has a subdomain), then hostAliases.
// hostNetwork pods get the node's own hosts file under a different header.

import fs from 'node:fs/promises';
import type { KubeObject } from '../../client/index.js';

const MANAGED_HEADER = '# Kubernetes-managed hosts file.\n';
const HOST_NETWORK_HEADER = '# Kubernetes-managed hosts file (host network).\n';

export interface HostAlias {
  ip?: string;
  hostnames?: string[];
}

function aliasLines(aliases: HostAlias[] | undefined): string {
  if (!aliases || aliases.length === 0) return '';
  let out = '\n# Entries added by HostAliases.\n';
  for (const a of aliases) out += `${a.ip ?? ''}\t${(a.hostnames ?? []).join('\t')}\n`;
  return out;
}

export function managedHostsContent(podIPs: string[], hostname: string, domain: string, aliases?: HostAlias[]): string {
  let out =
    MANAGED_HEADER +
    '127.0.0.1\tlocalhost\n' +
    '::1\tlocalhost ip6-localhost ip6-loopback\n' +
    'fe00::0\tip6-localnet\n' +
    'fe00::0\tip6-mcastprefix\n' +
    'fe00::1\tip6-allnodes\n' +
    'fe00::2\tip6-allrouters\n';
  for (const ip of podIPs) out += domain ? `${ip}\t${hostname}.${domain}\t${hostname}\n` : `${ip}\t${hostname}\n`;
  return out + aliasLines(aliases);
}

export function hostNetworkHostsContent(nodeHosts: string, aliases?: HostAlias[]): string {
  return HOST_NETWORK_HEADER + nodeHosts + aliasLines(aliases);
}

/** At most 63 characters, without a trailing '-' or '.' after cutting. */
export function truncateHostname(hostname: string): string {
  if (hostname.length <= 63) return hostname;
  return hostname.slice(0, 63).replace(/[-.]+$/, '');
}

/** The pod's hostname (spec.hostname or its name) and domain `<subdomain>.<ns>.svc.<clusterDomain>` ('' without subdomain). */
export function podHostnameAndDomain(pod: KubeObject, clusterDomain: string): { hostname: string; domain: string } {
  const hostname = truncateHostname(pod.spec?.hostname || pod.metadata.name || '');
  const sub = pod.spec?.subdomain;
  const domain = sub ? `${sub}.${pod.metadata.namespace ?? 'default'}.svc.${clusterDomain}` : '';
  return { hostname, domain };
}

/** Writes the pod's hosts file (mode 0644). */
export async function writeHostsFile(
  file: string,
  pod: KubeObject,
  podIPs: string[],
  clusterDomain: string,
  nodeHostsFile = '/etc/hosts',
): Promise<void> {
  let content: string;
  if (pod.spec?.hostNetwork) {
    content = hostNetworkHostsContent(await fs.readFile(nodeHostsFile, 'utf8'), pod.spec?.hostAliases);
  } else {
    const { hostname, domain } = podHostnameAndDomain(pod, clusterDomain);
    content = managedHostsContent(podIPs, hostname, domain, pod.spec?.hostAliases);
  }
  await fs.writeFile(file, content, { mode: 0o644 });
  await fs.chmod(file, 0o644);
}
