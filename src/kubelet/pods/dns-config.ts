// The pod's resolv.conf contents (CRI DNSConfig), chosen the way the kubelet
// does from dnsPolicy: ClusterFirst uses the cluster DNS servers and the
// <ns>.svc.<domain> svc.<domain> <domain> search list in front of the host's
// (hostNetwork pods fall back to the host's own, unless
// ClusterFirstWithHostNet); Default copies the host; None starts empty; then
// the pod's dnsConfig is merged in.

import type { KubeObject } from '../../client/index.js';
import type { DNSConfig } from '../cri/api.js';

export interface HostDNS {
  servers: string[];
  searches: string[];
  options: string[];
}

/** Limits the kubelet applies to the search list. */
export const MAX_DNS_SEARCH_PATHS = 32;
export const MAX_DNS_SEARCH_LIST_CHARS = 2048;
const CLUSTER_DNS_OPTIONS = ['ndots:5'];

/** Parses resolv.conf text: nameserver, search/domain and options lines. */
export function parseResolvConf(text: string): HostDNS {
  const out: HostDNS = { servers: [], searches: [], options: [] };
  for (const raw of text.split('\n')) {
    const line = raw.replace(/[#;].*$/, '').trim();
    if (!line) continue;
    const [key, ...fields] = line.split(/\s+/);
    if (key === 'nameserver' && fields[0]) out.servers.push(fields[0]);
    // The last search/domain line wins, as in the resolver.
    else if (key === 'search') out.searches = fields;
    else if (key === 'domain' && fields[0]) out.searches = [fields[0]];
    else if (key === 'options') out.options.push(...fields);
  }
  return out;
}

type DNSType = 'cluster' | 'host' | 'none';

function dnsType(pod: KubeObject): DNSType {
  const policy = pod.spec?.dnsPolicy ?? 'ClusterFirst';
  switch (policy) {
    case 'None':
      return 'none';
    case 'ClusterFirstWithHostNet':
      return 'cluster';
    case 'Default':
      return 'host';
    default:
      return pod.spec?.hostNetwork === true ? 'host' : 'cluster';
  }
}

function unique(list: string[]): string[] {
  return [...new Set(list.filter((s) => s !== ''))];
}

/** Options merge by name (the part before ':'); a later one replaces an earlier one in place. */
function mergeOptions(base: string[], extra: { name?: string; value?: string }[]): string[] {
  const order: string[] = [];
  const byName = new Map<string, string>();
  const put = (name: string, text: string) => {
    if (!byName.has(name)) order.push(name);
    byName.set(name, text);
  };
  for (const o of base) put(o.split(':')[0], o);
  for (const o of extra) {
    if (!o?.name) continue;
    put(o.name, o.value !== undefined && o.value !== null ? `${o.name}:${o.value}` : o.name);
  }
  return order.map((n) => byName.get(n)!);
}

function trimSearches(searches: string[]): string[] {
  let out = searches.slice(0, MAX_DNS_SEARCH_PATHS);
  while (out.length > 0 && out.join(' ').length > MAX_DNS_SEARCH_LIST_CHARS) out = out.slice(0, -1);
  return out;
}

export function podDNSConfig(pod: KubeObject, clusterDNS: string[], clusterDomain: string, host: HostDNS): DNSConfig {
  let type = dnsType(pod);
  if (type === 'cluster' && clusterDNS.length === 0) type = 'host';
  let servers: string[] = [];
  let searches: string[] = [];
  let options: string[] = [];
  if (type === 'host') {
    servers = [...host.servers];
    searches = [...host.searches];
    options = [...host.options];
  } else if (type === 'cluster') {
    servers = [...clusterDNS];
    const ns = pod.metadata.namespace ?? 'default';
    const ours = clusterDomain ? [`${ns}.svc.${clusterDomain}`, `svc.${clusterDomain}`, clusterDomain] : [];
    searches = [...ours, ...host.searches];
    options = [...CLUSTER_DNS_OPTIONS];
  }
  const extra = pod.spec?.dnsConfig;
  if (extra) {
    servers = [...servers, ...(Array.isArray(extra.nameservers) ? extra.nameservers : [])];
    searches = [...searches, ...(Array.isArray(extra.searches) ? extra.searches : [])];
    options = mergeOptions(options, Array.isArray(extra.options) ? extra.options : []);
  }
  return { servers: unique(servers), searches: trimSearches(unique(searches)), options };
}
