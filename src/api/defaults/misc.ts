// Defaults for the smaller kinds: Secret, Namespace, Node, Endpoints, Event, PriorityClass.

export function defaultSecret(secret: any): void {
  if (!secret.type) secret.type = 'Opaque';
  // stringData is write-only: v1 conversion folds it into data (it wins on conflicts).
  const stringData = secret.stringData;
  if (stringData != null && typeof stringData === 'object') {
    secret.data ??= {};
    for (const [k, v] of Object.entries(stringData)) secret.data[k] = Buffer.from(String(v ?? ''), 'utf8').toString('base64');
  }
  delete secret.stringData;
}

export function defaultNamespace(ns: any): void {
  const name = ns.metadata?.name;
  if (typeof name === 'string' && name.length > 0) {
    ns.metadata.labels ??= {};
    ns.metadata.labels['kubernetes.io/metadata.name'] = name;
  }
  ns.spec ??= {};
  if (!Array.isArray(ns.spec.finalizers)) ns.spec.finalizers = ['kubernetes'];
  ns.status ??= {};
  if (!ns.status.phase) ns.status.phase = 'Active';
}

export function defaultNode(node: any): void {
  const status = node.status;
  if (status?.capacity != null && status.allocatable == null) status.allocatable = { ...status.capacity };
}

export function defaultEndpoints(ep: any): void {
  for (const ss of ep.subsets ?? []) for (const port of ss?.ports ?? []) if (port && !port.protocol) port.protocol = 'TCP';
}

/** core/v1 Events serialise these non-omitempty fields even when unset. */
export function defaultEvent(ev: any): void {
  if (String(ev.apiVersion ?? 'v1') !== 'v1') return;
  ev.reportingComponent ??= '';
  ev.reportingInstance ??= '';
  if (ev.eventTime === undefined) ev.eventTime = null;
}

export function defaultPriorityClass(pc: any): void {
  if (!pc.preemptionPolicy) pc.preemptionPolicy = 'PreemptLowerPriority';
}
