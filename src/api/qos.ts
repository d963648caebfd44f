// A pod's quality-of-service class, computed the way the kubelet and API server do:
// only cpu and memory count, init containers count, and a missing request takes the
// limit's value (as defaulting would have set it).

import { Quantity } from './quantity.js';

export type QOSClass = 'Guaranteed' | 'Burstable' | 'BestEffort';

const QOS_RESOURCES = ['cpu', 'memory'] as const;

function positive(value: unknown): Quantity | undefined {
  const q = Quantity.tryParse(value);
  return q && q.sign() > 0 ? q : undefined;
}

function accumulate(into: Map<string, Quantity>, name: string, q: Quantity): void {
  const prev = into.get(name);
  into.set(name, prev ? prev.add(q) : q);
}

export function qosClass(pod: any): QOSClass {
  const containers: any[] = [...(pod?.spec?.containers ?? []), ...(pod?.spec?.initContainers ?? [])];
  const requests = new Map<string, Quantity>();
  const limits = new Map<string, Quantity>();
  let guaranteed = true;
  for (const c of containers) {
    const rawLimits = c?.resources?.limits ?? {};
    const rawRequests = c?.resources?.requests ?? {};
    const limitsFound = new Set<string>();
    for (const name of QOS_RESOURCES) {
      const request = positive(rawRequests[name] ?? rawLimits[name]);
      if (request) accumulate(requests, name, request);
      const limit = positive(rawLimits[name]);
      if (limit) {
        limitsFound.add(name);
        accumulate(limits, name, limit);
      }
    }
    if (!QOS_RESOURCES.every((r) => limitsFound.has(r))) guaranteed = false;
  }
  if (requests.size === 0 && limits.size === 0) return 'BestEffort';
  if (guaranteed) {
    for (const [name, req] of requests) {
      const lim = limits.get(name);
      if (!lim || !lim.equals(req)) {
        guaranteed = false;
        break;
      }
    }
  }
  return guaranteed && requests.size === limits.size ? 'Guaranteed' : 'Burstable';
}
