// Values of resourceFieldRef selectors (pkg/api/v1/resource): a container's
// limit or request divided by the divisor and rounded up. Missing limits are
// first filled from the node's allocatable, as the kubelet does for the
// downward API.

import { Quantity } from '../../api/quantity.js';
import type { KubeObject } from '../../client/index.js';

const ONE = Quantity.fromValue(1);

function quantityOf(v: unknown): Quantity {
  return Quantity.tryParse(v) ?? Quantity.zero();
}

function ceilDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b !== 0n && a > 0n === b > 0n ? q + 1n : q;
}

function findContainer(pod: KubeObject, name: string): any {
  const all = [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])];
  const c = all.find((x: any) => x.name === name);
  if (!c) throw new Error(`container ${name} not found`);
  return c;
}

/** A copy of the container whose unset or zero cpu/memory/ephemeral-storage limits take the node's allocatable. */
export function withAllocatableLimits(container: any, allocatable: Record<string, string> | undefined): any {
  const limits: Record<string, string> = { ...(container.resources?.limits ?? {}) };
  for (const r of ['cpu', 'memory', 'ephemeral-storage']) {
    const cur = Quantity.tryParse(limits[r]);
    if ((!cur || cur.isZero()) && allocatable?.[r] !== undefined) limits[r] = allocatable[r];
  }
  return { ...container, resources: { ...(container.resources ?? {}), limits } };
}

/**
 * The selector's value for `container` (or the pod's container named in the
 * selector). Throws Error with Kubernetes' message for unknown resources.
 */
export function containerResourceValue(selector: any, pod: KubeObject, container: any, allocatable?: Record<string, string>): string {
  let target = selector.containerName ? findContainer(pod, selector.containerName) : container;
  if (!target) throw new Error(`container ${selector.containerName ?? ''} not found`);
  if (allocatable) target = withAllocatableLimits(target, allocatable);
  const divisorIn = Quantity.tryParse(selector.divisor);
  const divisor = !divisorIn || divisorIn.isZero() ? ONE : divisorIn;
  const resource: string = selector.resource ?? '';
  const dot = resource.indexOf('.');
  const kind = resource.slice(0, dot);
  const name = resource.slice(dot + 1);
  if ((kind === 'limits' || kind === 'requests') && ['cpu', 'memory', 'ephemeral-storage'].includes(name)) {
    const q = quantityOf(target.resources?.[kind]?.[name]);
    const [value, per] = name === 'cpu' ? [q.milliValueBig(), divisor.milliValueBig()] : [q.valueBig(), divisor.valueBig()];
    return ceilDiv(value, per === 0n ? 1n : per).toString();
  }
  throw new Error(`unsupported container resource : ${resource}`);
}
