// Services: type, ports, selector, session affinity, cluster IPs and their immutability.

import type { FieldError } from './field-error.js';
import { duplicate, forbidden, invalid, notSupported, required } from './errors.js';
import { goQuote, goRaw, goStringSlice } from './go-value.js';
import { isDNS1123Label, isDNS1123Subdomain, isIP, isValidPortNum, nameIsDNS1035Label } from './names.js';
import { validateLabels, validateObjectMeta, validateObjectMetaUpdate } from './object-meta.js';
import { validatePortNumOrName } from './probes.js';

const SERVICE_TYPES = ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'];
const SESSION_AFFINITIES = ['ClientIP', 'None'];
const PORT_PROTOCOLS = ['SCTP', 'TCP', 'UDP'];
const IP_FAMILY_POLICIES = ['SingleStack', 'PreferDualStack', 'RequireDualStack'];
const IP_FAMILIES = ['IPv4', 'IPv6'];
const TRAFFIC_POLICIES = ['Cluster', 'Local'];
const IP_ERROR = 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)';

export function clusterIPsOf(svc: any): string[] {
  const ips = svc?.spec?.clusterIPs;
  if (Array.isArray(ips) && ips.length > 0) return ips.map(String);
  return svc?.spec?.clusterIP ? [String(svc.spec.clusterIP)] : [];
}

const isHeadless = (svc: any) => clusterIPsOf(svc)[0] === 'None';

/** %#v of the (protocol, port) key Kubernetes uses for duplicate service ports. */
function goServicePortKey(protocol: string, port: number) {
  return goRaw(
    `core.ServicePort{Name:"", Protocol:${goQuote(protocol)}, AppProtocol:(*string)(nil), Port:${port}, TargetPort:intstr.IntOrString{Type:0, IntVal:0, StrVal:""}, NodePort:0}`,
  );
}

function validateServicePort(sp: any, requireName: boolean, names: Set<string>, field: string): FieldError[] {
  const errs: FieldError[] = [];
  const name = String(sp?.name ?? '');
  if (requireName && !name) errs.push(required(`${field}.name`));
  else if (name) {
    for (const msg of isDNS1123Label(name)) errs.push(invalid(`${field}.name`, name, msg));
    if (names.has(name)) errs.push(duplicate(`${field}.name`, name));
    else names.add(name);
  }
  for (const msg of isValidPortNum(Number(sp?.port ?? 0))) errs.push(invalid(`${field}.port`, sp?.port ?? 0, msg));
  if (!sp?.protocol) errs.push(required(`${field}.protocol`));
  else if (!PORT_PROTOCOLS.includes(sp.protocol)) errs.push(notSupported(`${field}.protocol`, sp.protocol, PORT_PROTOCOLS));
  errs.push(...validatePortNumOrName(sp?.targetPort ?? 0, `${field}.targetPort`));
  return errs;
}

function validateClusterIPs(svc: any): FieldError[] {
  const errs: FieldError[] = [];
  const spec = svc.spec ?? {};
  const ips = clusterIPsOf(svc);
  if (spec.clusterIP && Array.isArray(spec.clusterIPs) && spec.clusterIPs.length > 0 && spec.clusterIPs[0] !== spec.clusterIP) {
    errs.push(invalid('spec.clusterIPs', goStringSlice(spec.clusterIPs), 'first value must match `clusterIP`'));
  }
  ips.forEach((ip, i) => {
    if (ip === 'None') {
      if (i > 0 || ips.length > 1) errs.push(invalid(`spec.clusterIPs[${i}]`, ip, "must not be 'None' when more than one clusterIP is set"));
    } else if (!isIP(ip)) errs.push(invalid(`spec.clusterIPs[${i}]`, ip, IP_ERROR));
  });
  if (spec.ipFamilyPolicy !== undefined && spec.type !== 'ExternalName' && !IP_FAMILY_POLICIES.includes(spec.ipFamilyPolicy)) {
    errs.push(notSupported('spec.ipFamilyPolicy', spec.ipFamilyPolicy, IP_FAMILY_POLICIES));
  }
  (spec.ipFamilies ?? []).forEach((fam: unknown, i: number) => {
    if (!IP_FAMILIES.includes(String(fam))) errs.push(notSupported(`spec.ipFamilies[${i}]`, fam, IP_FAMILIES));
  });
  return errs;
}

export function validateService(svc: any): FieldError[] {
  const errs = validateObjectMeta(svc?.metadata, { namespaced: true, nameFn: nameIsDNS1035Label });
  const spec = svc?.spec ?? {};
  const ports: any[] = Array.isArray(spec.ports) ? spec.ports : [];
  const headless = isHeadless(svc);
  if (ports.length === 0 && !headless && spec.type !== 'ExternalName') errs.push(required('spec.ports'));
  switch (spec.type) {
    case 'LoadBalancer':
    case 'NodePort':
      if (headless) errs.push(invalid('spec.clusterIPs[0]', 'None', `may not be set to 'None' for ${spec.type} services`));
      break;
    case 'ExternalName': {
      if (clusterIPsOf(svc).length > 0) errs.push(forbidden('spec.clusterIPs', 'may not be set for ExternalName services'));
      if ((spec.ipFamilies ?? []).length > 0) errs.push(forbidden('spec.ipFamilies', 'may not be set for ExternalName services'));
      if (spec.ipFamilyPolicy != null) errs.push(forbidden('spec.ipFamilyPolicy', 'may not be set for ExternalName services'));
      const cname = String(spec.externalName ?? '').replace(/\.$/, '');
      if (cname) for (const msg of isDNS1123Subdomain(cname)) errs.push(invalid('spec.externalName', cname, msg));
      else errs.push(required('spec.externalName'));
      break;
    }
  }
  const names = new Set<string>();
  ports.forEach((p, i) => errs.push(...validateServicePort(p, ports.length > 1, names, `spec.ports[${i}]`)));
  if (spec.selector != null) errs.push(...validateLabels(spec.selector, 'spec.selector'));
  if (!spec.sessionAffinity) errs.push(required('spec.sessionAffinity'));
  else if (!SESSION_AFFINITIES.includes(spec.sessionAffinity)) errs.push(notSupported('spec.sessionAffinity', spec.sessionAffinity, SESSION_AFFINITIES));
  if (spec.sessionAffinity === 'None' && spec.sessionAffinityConfig != null) {
    errs.push(forbidden('spec.sessionAffinityConfig', 'must not be set when session affinity is None'));
  }
  if (spec.sessionAffinity === 'ClientIP') {
    const timeout = spec.sessionAffinityConfig?.clientIP?.timeoutSeconds;
    if (timeout == null) errs.push(required('spec.sessionAffinityConfig.clientIP.timeoutSeconds'));
    else if (timeout <= 0 || timeout > 86400) {
      errs.push(invalid('spec.sessionAffinityConfig.clientIP.timeoutSeconds', timeout, 'must be greater than 0 and less than 86400'));
    }
  }
  if (spec.type !== 'ExternalName') errs.push(...validateClusterIPs(svc));
  (spec.externalIPs ?? []).forEach((ip: unknown, i: number) => {
    if (!isIP(String(ip))) errs.push(invalid(`spec.externalIPs[${i}]`, String(ip), IP_ERROR));
  });
  if (!spec.type) errs.push(required('spec.type'));
  else if (!SERVICE_TYPES.includes(spec.type)) errs.push(notSupported('spec.type', spec.type, SERVICE_TYPES));
  if (spec.type === 'ClusterIP') {
    ports.forEach((p, i) => {
      if (p?.nodePort) errs.push(forbidden(`spec.ports[${i}].nodePort`, "may not be used when `type` is 'ClusterIP'"));
    });
  }
  const nodePorts = new Set<string>();
  ports.forEach((p, i) => {
    if (!p?.nodePort) return;
    const key = `${p.protocol}/${p.nodePort}`;
    if (nodePorts.has(key)) errs.push(duplicate(`spec.ports[${i}].nodePort`, p.nodePort));
    nodePorts.add(key);
  });
  const portKeys = new Set<string>();
  ports.forEach((p, i) => {
    const key = `${p?.protocol}/${p?.port}`;
    if (portKeys.has(key)) errs.push(duplicate(`spec.ports[${i}]`, goServicePortKey(String(p?.protocol ?? ''), Number(p?.port ?? 0))));
    portKeys.add(key);
  });
  const externallyAccessible =
    spec.type === 'NodePort' || spec.type === 'LoadBalancer' || (spec.type === 'ClusterIP' && (spec.externalIPs ?? []).length > 0);
  const etp = spec.externalTrafficPolicy ?? '';
  if (!externallyAccessible) {
    if (etp) errs.push(invalid('spec.externalTrafficPolicy', etp, 'may only be set for externally-accessible services'));
  } else if (!etp) errs.push(required('spec.externalTrafficPolicy'));
  else if (!TRAFFIC_POLICIES.includes(etp)) errs.push(notSupported('spec.externalTrafficPolicy', etp, TRAFFIC_POLICIES));
  if (spec.internalTrafficPolicy !== undefined && spec.type !== 'ExternalName' && !TRAFFIC_POLICIES.includes(spec.internalTrafficPolicy)) {
    errs.push(notSupported('spec.internalTrafficPolicy', spec.internalTrafficPolicy, TRAFFIC_POLICIES));
  }
  return errs;
}

/** Cluster IPs are fixed once allocated, except when the type moves to or from ExternalName. */
function validateClusterIPsUpdate(svc: any, old: any): FieldError[] {
  if (svc?.spec?.type === 'ExternalName' || old?.spec?.type === 'ExternalName') return [];
  if (isHeadless(svc) && isHeadless(old)) return [];
  const next = clusterIPsOf(svc);
  const prev = clusterIPsOf(old);
  const errs: FieldError[] = [];
  const rendered = goStringSlice(svc?.spec?.clusterIPs ?? (next.length ? next : null));
  if (prev.length === next.length) {
    prev.forEach((ip, i) => {
      if (ip !== next[i]) errs.push(invalid(`spec.clusterIPs[${i}]`, rendered, 'may not change once set'));
    });
  } else if (prev.length > next.length) {
    if (next.length === 0) errs.push(invalid('spec.clusterIPs[0]', rendered, 'primary clusterIP can not be unset'));
    else if (next[0] !== prev[0]) errs.push(invalid('spec.clusterIPs[0]', rendered, 'may not change once set'));
  } else if (prev.length > 0 && next[0] !== prev[0]) {
    errs.push(invalid('spec.clusterIPs[0]', rendered, 'may not change once set'));
  }
  return errs;
}

export function validateServiceUpdate(svc: any, old: any): FieldError[] {
  const errs = validateObjectMetaUpdate(svc?.metadata, old?.metadata);
  errs.push(...validateClusterIPsUpdate(svc, old));
  errs.push(...validateService(svc));
  return errs;
}
