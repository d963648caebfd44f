// Service rows: NAME TYPE CLUSTER-IP EXTERNAL-IP PORT(S) AGE | SELECTOR.

import { ageColumn, column, nameColumn, str } from './columns.js';
import { since } from './duration.js';
import { formatLabels } from './selectors.js';
import type { JsonObject, TablePrinter } from './table.js';

/** Unique load-balancer ingress IPs (or hostnames), sorted. Servers print the untruncated (wide) form. */
export function loadBalancerIngress(status: JsonObject | undefined): string {
  const ingress: JsonObject[] = Array.isArray(status?.ingress) ? status!.ingress : [];
  const set = new Set<string>();
  for (const i of ingress) {
    if (str(i?.ip)) set.add(i.ip);
    else if (str(i?.hostname)) set.add(i.hostname);
  }
  return [...set].sort().join(',');
}

export function serviceExternalIP(svc: JsonObject): string {
  const spec = svc.spec ?? {};
  const externalIPs: string[] = Array.isArray(spec.externalIPs) ? spec.externalIPs : [];
  switch (spec.type ?? 'ClusterIP') {
    case 'ClusterIP':
    case 'NodePort':
      return externalIPs.length ? externalIPs.join(',') : '<none>';
    case 'LoadBalancer': {
      const lb = loadBalancerIngress(svc.status?.loadBalancer);
      if (externalIPs.length) return [...(lb ? lb.split(',') : []), ...externalIPs].join(',');
      return lb || '<pending>';
    }
    case 'ExternalName':
      return str(spec.externalName);
    default:
      return '<unknown>';
  }
}

/** "80/TCP,443:30443/TCP"; "<none>" without ports. Protocol defaults to TCP as the API does. */
export function servicePorts(ports: unknown): string {
  const list: JsonObject[] = Array.isArray(ports) ? ports : [];
  const text = list
    .map((p) => {
      const proto = str(p?.protocol) || 'TCP';
      const nodePort = typeof p?.nodePort === 'number' ? p.nodePort : 0;
      return nodePort > 0 ? `${p.port}:${nodePort}/${proto}` : `${p?.port ?? 0}/${proto}`;
    })
    .join(',');
  return text || '<none>';
}

function clusterIP(spec: JsonObject): string {
  // The singular field is authoritative, as in the v1 -> internal conversion.
  if (str(spec.clusterIP)) return spec.clusterIP;
  const ips: unknown[] = Array.isArray(spec.clusterIPs) ? spec.clusterIPs : [];
  return typeof ips[0] === 'string' && ips[0] ? ips[0] : '<none>';
}

export const servicePrinter: TablePrinter = {
  columns: [
    nameColumn(),
    column('Type', 'string', 'How the service is exposed: ClusterIP, NodePort, LoadBalancer or ExternalName.'),
    column('Cluster-IP', 'string', 'Virtual IP assigned inside the cluster ("None" for headless services).'),
    column('External-IP', 'string', 'Addresses reachable from outside the cluster, if any.'),
    column('Port(s)', 'string', 'Service ports with node ports and protocols.'),
    ageColumn(),
    column('Selector', 'string', 'Labels of the pods that back this service.', 1),
  ],
  row(svc, now) {
    const spec = svc.spec ?? {};
    return [
      str(svc.metadata?.name),
      str(spec.type) || 'ClusterIP',
      clusterIP(spec),
      serviceExternalIP(svc),
      servicePorts(spec.ports),
      since(svc.metadata?.creationTimestamp, now),
      formatLabels(spec.selector),
    ];
  },
};
