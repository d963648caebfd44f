// networking.k8s.io/v1 Ingress, IngressClass and NetworkPolicy rows.

import { ageColumn, column, nameColumn, str } from './columns.js';
import { since } from './duration.js';
import { formatLabelSelector } from './selectors.js';
import { loadBalancerIngress } from './services.js';
import type { JsonObject, TablePrinter } from './table.js';

/** Up to three rule hosts, "+ N more..." beyond; "*" when no rule names a host. */
export function ingressHosts(rules: unknown): string {
  const all: JsonObject[] = Array.isArray(rules) ? rules : [];
  const list: string[] = [];
  let more = false;
  for (const rule of all) {
    if (list.length === 3) more = true;
    if (!more && str(rule?.host)) list.push(rule.host);
  }
  if (list.length === 0) return '*';
  const text = list.join(',');
  return more ? `${text} + ${all.length - 3} more...` : text;
}

export const ingressPrinter: TablePrinter = {
  columns: [
    nameColumn(),
    column('Class', 'string', 'IngressClass that handles this ingress.'),
    column('Hosts', 'string', 'Host names the rules match.'),
    column('Address', 'string', 'Load-balancer addresses serving the ingress.'),
    column('Ports', 'string', 'Ports the ingress listens on (443 only with TLS).'),
    ageColumn(),
  ],
  row(ing, now) {
    const spec = ing.spec ?? {};
    const tls = Array.isArray(spec.tls) && spec.tls.length > 0;
    return [
      str(ing.metadata?.name),
      typeof spec.ingressClassName === 'string' ? spec.ingressClassName : '<none>',
      ingressHosts(spec.rules),
      loadBalancerIngress(ing.status?.loadBalancer),
      tls ? '80, 443' : '80',
      since(ing.metadata?.creationTimestamp, now),
    ];
  },
};

export const ingressClassPrinter: TablePrinter = {
  columns: [
    nameColumn(),
    column('Controller', 'string', 'Controller implementing this class.'),
    column('Parameters', 'string', 'Resource holding extra configuration for the controller.'),
    ageColumn(),
  ],
  row(ic, now) {
    const p = ic.spec?.parameters;
    let parameters = '<none>';
    if (p != null) {
      parameters = str(p.kind) + (typeof p.apiGroup === 'string' ? `.${p.apiGroup}` : '') + `/${str(p.name)}`;
    }
    return [str(ic.metadata?.name), str(ic.spec?.controller), parameters, since(ic.metadata?.creationTimestamp, now)];
  },
};

export const networkPolicyPrinter: TablePrinter = {
  columns: [nameColumn(), column('Pod-Selector', 'string', 'Pods the policy applies to.'), ageColumn()],
  row(np, now) {
    // podSelector is a non-pointer struct upstream: absent means "all pods".
    return [str(np.metadata?.name), formatLabelSelector(np.spec?.podSelector ?? {}), since(np.metadata?.creationTimestamp, now)];
  },
};
