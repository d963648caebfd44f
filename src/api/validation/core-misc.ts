// Namespace, Node, Endpoints, Event (core/v1 and events.k8s.io/v1) and ServiceAccount.

import type { FieldError } from './field-error.js';
import { duplicate, forbidden, invalid, notSupported, required } from './errors.js';
import { goQuote, goRaw } from './go-value.js';
import { isDNS1123Label, isDNS1123Subdomain, isIP, isQualifiedName, isValidLabelValue, isValidPortNum, nameIsDNSLabel, nameIsDNSSubdomain } from './names.js';
import { immutable, validateLabelName, validateObjectMeta, validateObjectMetaUpdate } from './object-meta.js';
import { validateTaintEffect } from './tolerations.js';

const STANDARD_FINALIZERS = new Set(['kubernetes', 'orphan', 'foregroundDeletion']);
const PORT_PROTOCOLS = ['SCTP', 'TCP', 'UDP'];
const IP_ERROR = 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)';

export function validateNamespace(ns: any): FieldError[] {
  const errs = validateObjectMeta(ns?.metadata, { namespaced: false, nameFn: nameIsDNSLabel });
  for (const f of ns?.spec?.finalizers ?? []) {
    const name = String(f);
    const msgs = isQualifiedName(name);
    for (const msg of msgs) errs.push(invalid('spec.finalizers', name, msg));
    if (msgs.length === 0 && !name.includes('/') && !STANDARD_FINALIZERS.has(name)) {
      errs.push(invalid('spec.finalizers', name, 'name is neither a standard finalizer name nor is it fully qualified'));
    }
  }
  return errs;
}

export function validateNamespaceUpdate(ns: any, old: any): FieldError[] {
  return validateObjectMetaUpdate(ns?.metadata, old?.metadata);
}

function goTaint(t: any) {
  return goRaw(
    `core.Taint{Key:${goQuote(String(t?.key ?? ''))}, Value:${goQuote(String(t?.value ?? ''))}, Effect:${goQuote(String(t?.effect ?? ''))}, TimeAdded:<nil>}`,
  );
}

function validateTaints(taints: unknown, field: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!Array.isArray(taints)) return errs;
  const seen = new Set<string>();
  taints.forEach((t, i) => {
    const p = `${field}[${i}]`;
    errs.push(...validateLabelName(String(t?.key ?? ''), `${p}.key`));
    const value = String(t?.value ?? '');
    const msgs = isValidLabelValue(value);
    if (msgs.length) errs.push(invalid(`${p}.value`, value, msgs.join(';')));
    errs.push(...validateTaintEffect(t?.effect, false, `${p}.effect`));
    const key = `${t?.effect}\u0000${t?.key}`;
    if (seen.has(key)) {
      const dup = duplicate(p, goTaint(t));
      errs.push({ ...dup, message: `${dup.message}: taints must be unique by key and effect pair` });
    }
    seen.add(key);
  });
  return errs;
}

export function validateNode(node: any): FieldError[] {
  const errs = validateObjectMeta(node?.metadata, { namespaced: false, nameFn: nameIsDNSSubdomain });
  // Kubernetes reports taint problems under metadata.taints, not spec.taints.
  errs.push(...validateTaints(node?.spec?.taints, 'metadata.taints'));
  (node?.spec?.podCIDRs ?? []).forEach((cidr: unknown, i: number) => {
    const [ip, bits] = String(cidr).split('/');
    if (!isIP(ip ?? '') || bits === undefined || !/^\d+$/.test(bits)) {
      errs.push(invalid(`spec.podCIDRs[${i}]`, String(cidr), 'must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)'));
    }
  });
  return errs;
}

export function validateNodeUpdate(node: any, old: any): FieldError[] {
  const errs = validateObjectMetaUpdate(node?.metadata, old?.metadata);
  errs.push(...validateNode(node));
  const oldCIDRs: string[] = old?.spec?.podCIDRs ?? [];
  if (oldCIDRs.length > 0 && JSON.stringify(oldCIDRs) !== JSON.stringify(node?.spec?.podCIDRs ?? [])) {
    errs.push(forbidden('spec.podCIDRs', 'node updates may not change podCIDR except from "" to valid'));
  }
  if (old?.spec?.providerID && old.spec.providerID !== node?.spec?.providerID) {
    errs.push(forbidden('spec.providerID', 'node updates may not change providerID except from "" to valid'));
  }
  return errs;
}

function validateNonSpecialIP(ip: string, field: string): FieldError[] {
  if (ip === '0.0.0.0' || ip === '::') return [invalid(field, ip, 'may not be unspecified (0.0.0.0)')];
  if (ip.startsWith('127.') || ip === '::1') return [invalid(field, ip, 'may not be in the loopback range (127.0.0.0/8, ::1/128)')];
  if (ip.startsWith('169.254.') || /^fe[89ab]/i.test(ip)) return [invalid(field, ip, 'may not be in the link-local range (169.254.0.0/16, fe80::/10)')];
  if (ip.startsWith('224.0.0.') || /^ff02:/i.test(ip)) return [invalid(field, ip, 'may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)')];
  return [];
}

function validateEndpointAddress(addr: any, field: string): FieldError[] {
  const errs: FieldError[] = [];
  const ip = String(addr?.ip ?? '');
  if (!isIP(ip)) errs.push(invalid(`${field}.ip`, ip, IP_ERROR));
  if (addr?.hostname) for (const msg of isDNS1123Label(addr.hostname)) errs.push(invalid(`${field}.hostname`, addr.hostname, msg));
  if (addr?.nodeName != null) for (const msg of isDNS1123Subdomain(addr.nodeName)) errs.push(invalid(`${field}.nodeName`, addr.nodeName, msg));
  if (isIP(ip)) errs.push(...validateNonSpecialIP(ip, `${field}.ip`));
  return errs;
}

export function validateEndpoints(ep: any): FieldError[] {
  const errs = validateObjectMeta(ep?.metadata, { namespaced: true, nameFn: nameIsDNSSubdomain });
  (ep?.subsets ?? []).forEach((ss: any, i: number) => {
    const p = `subsets[${i}]`;
    const addrs: any[] = ss?.addresses ?? [];
    const notReady: any[] = ss?.notReadyAddresses ?? [];
    if (addrs.length === 0 && notReady.length === 0) errs.push(required(p, 'must specify `addresses` or `notReadyAddresses`'));
    addrs.forEach((a, j) => errs.push(...validateEndpointAddress(a, `${p}.addresses[${j}]`)));
    notReady.forEach((a, j) => errs.push(...validateEndpointAddress(a, `${p}.notReadyAddresses[${j}]`)));
    const ports: any[] = ss?.ports ?? [];
    ports.forEach((port, j) => {
      const pp = `${p}.ports[${j}]`;
      if (ports.length > 1 && !port?.name) errs.push(required(`${pp}.name`));
      else if (port?.name) for (const msg of isDNS1123Label(port.name)) errs.push(invalid(`${pp}.name`, port.name, msg));
      for (const msg of isValidPortNum(Number(port?.port ?? 0))) errs.push(invalid(`${pp}.port`, port?.port ?? 0, msg));
      if (!port?.protocol) errs.push(required(`${pp}.protocol`));
      else if (!PORT_PROTOCOLS.includes(port.protocol)) errs.push(notSupported(`${pp}.protocol`, port.protocol, PORT_PROTOCOLS));
    });
  });
  return errs;
}

export function validateEndpointsUpdate(ep: any, old: any): FieldError[] {
  return [...validateObjectMetaUpdate(ep?.metadata, old?.metadata), ...validateEndpoints(ep)];
}

const REPORTING_INSTANCE_LIMIT = 128;
const ACTION_LIMIT = 128;
const REASON_LIMIT = 128;
const NOTE_LIMIT = 1024;

/** The fields event validation needs, read from either the core/v1 or the events.k8s.io/v1 shape. */
interface EventView {
  strict: boolean;
  namespace: string;
  involvedNamespace: string;
  eventTime: unknown;
  reportingController: string;
  reportingControllerField: string;
  reportingInstance: string;
  action: string;
  reason: string;
  message: string;
  messageField: string;
  type: string;
  firstTimestamp: unknown;
  lastTimestamp: unknown;
  count: unknown;
  source: any;
}

function eventView(ev: any): EventView {
  const strict = String(ev?.apiVersion ?? '').startsWith('events.k8s.io/');
  return {
    strict,
    namespace: String(ev?.metadata?.namespace ?? ''),
    involvedNamespace: String((strict ? ev?.regarding?.namespace : ev?.involvedObject?.namespace) ?? ''),
    eventTime: ev?.eventTime,
    reportingController: String((strict ? ev?.reportingController : ev?.reportingComponent) ?? ''),
    reportingControllerField: strict ? 'reportingController' : 'reportingComponent',
    reportingInstance: String(ev?.reportingInstance ?? ''),
    action: String(ev?.action ?? ''),
    reason: String(ev?.reason ?? ''),
    message: String((strict ? ev?.note : ev?.message) ?? ''),
    messageField: strict ? 'note' : 'message',
    type: String(ev?.type ?? ''),
    firstTimestamp: strict ? ev?.deprecatedFirstTimestamp : ev?.firstTimestamp,
    lastTimestamp: strict ? ev?.deprecatedLastTimestamp : ev?.lastTimestamp,
    count: strict ? ev?.deprecatedCount : ev?.count,
    source: strict ? ev?.deprecatedSource : ev?.source,
  };
}

function legacyEventErrors(v: EventView): FieldError[] {
  const errs: FieldError[] = [];
  const nsMismatch = () => errs.push(invalid('involvedObject.namespace', v.involvedNamespace, 'does not match event.namespace'));
  if (!v.eventTime) {
    if (!v.involvedNamespace) {
      if (v.namespace !== '' && v.namespace !== 'default') nsMismatch();
    } else if (v.namespace !== v.involvedNamespace) nsMismatch();
  } else {
    if (!v.involvedNamespace && v.namespace !== 'default' && v.namespace !== 'kube-system') nsMismatch();
    if (!v.reportingController) errs.push(required(v.reportingControllerField));
    for (const msg of isQualifiedName(v.reportingController)) errs.push(invalid(v.reportingControllerField, v.reportingController, msg));
    if (!v.reportingInstance) errs.push(required('reportingInstance'));
    if (v.reportingInstance.length > REPORTING_INSTANCE_LIMIT) {
      errs.push(invalid('reportingInstance', '', `can have at most ${REPORTING_INSTANCE_LIMIT} characters`));
    }
    if (!v.action) errs.push(required('action'));
    if (v.action.length > ACTION_LIMIT) errs.push(invalid('action', '', `can have at most ${ACTION_LIMIT} characters`));
    if (!v.reason) errs.push(required('reason'));
    if (v.reason.length > REASON_LIMIT) errs.push(invalid('reason', '', `can have at most ${REASON_LIMIT} characters`));
    if (v.message.length > NOTE_LIMIT) errs.push(invalid(v.messageField, '', `can have at most ${NOTE_LIMIT} characters`));
  }
  for (const msg of isDNS1123Subdomain(v.namespace)) errs.push(invalid('namespace', v.namespace, msg));
  return errs;
}

/** core/v1 events only get the legacy checks; events.k8s.io/v1 events are strict. */
export function validateEvent(ev: any): FieldError[] {
  const v = eventView(ev);
  const errs = legacyEventErrors(v);
  if (!v.strict) return errs;
  errs.push(...validateObjectMeta(ev?.metadata, { namespaced: true, nameFn: nameIsDNSSubdomain }));
  if (!v.eventTime) errs.push(required('eventTime'));
  if (v.type !== 'Normal' && v.type !== 'Warning') errs.push(invalid('type', '', `has invalid value: ${v.type}`));
  if (v.firstTimestamp) errs.push(invalid('deprecatedFirstTimestamp', '', 'needs to be unset'));
  if (v.lastTimestamp) errs.push(invalid('deprecatedLastTimestamp', '', 'needs to be unset'));
  if (v.count) errs.push(invalid('deprecatedCount', '', 'needs to be unset'));
  if (v.source?.component || v.source?.host) errs.push(invalid('deprecatedSource', '', 'needs to be unset'));
  return errs;
}

export function validateEventUpdate(ev: any, old: any): FieldError[] {
  const v = eventView(ev);
  const errs = legacyEventErrors(v);
  if (!v.strict) return errs;
  errs.push(...validateObjectMetaUpdate(ev?.metadata, old?.metadata));
  for (const f of ['regarding', 'reason', 'reportingController', 'reportingInstance', 'action', 'type', 'eventTime']) {
    errs.push(...immutable(ev?.[f], old?.[f], f, typeof ev?.[f] === 'string' ? ev[f] : goRaw(JSON.stringify(ev?.[f] ?? null))));
  }
  return errs;
}

export function validateServiceAccount(sa: any): FieldError[] {
  return validateObjectMeta(sa?.metadata, { namespaced: true, nameFn: nameIsDNSSubdomain });
}

export function validateServiceAccountUpdate(sa: any, old: any): FieldError[] {
  return [...validateObjectMetaUpdate(sa?.metadata, old?.metadata), ...validateServiceAccount(sa)];
}
