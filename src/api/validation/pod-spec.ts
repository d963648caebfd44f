// PodSpec checks shared by pods and pod templates (Deployments, ReplicaSets, Jobs).

import type { FieldError } from './field-error.js';
import { forbidden, invalid, notSupported, required } from './errors.js';
import { validateContainers, validateInitContainers } from './container.js';
import { inclusiveRangeError, isDNS1123Label, isDNS1123Subdomain, isIP } from './names.js';
import { validateAnnotations, validateLabels } from './object-meta.js';
import { validateTolerations } from './tolerations.js';
import { validateVolumes } from './volumes.js';

export const RESTART_POLICIES = ['Always', 'OnFailure', 'Never'];
const DNS_POLICIES = ['ClusterFirstWithHostNet', 'ClusterFirst', 'Default', 'None'];
const PREEMPTION_POLICIES = ['PreemptLowerPriority', 'Never'];
const MAX_INT32 = 2147483647;
const MAX_DNS_NAMESERVERS = 3;
const MAX_DNS_SEARCH_PATHS = 32;

function validateEnum(value: unknown, allowed: string[], field: string): FieldError[] {
  if (value === undefined || value === null || value === '') return [required(field)];
  return allowed.includes(String(value)) ? [] : [notSupported(field, value, allowed)];
}

function validateDNSConfig(config: any, dnsPolicy: unknown, field: string): FieldError[] {
  const errs: FieldError[] = [];
  if (dnsPolicy === 'None' && config == null) {
    return [required(field, 'must provide `dnsConfig` when `dnsPolicy` is None')];
  }
  if (config == null) return errs;
  const nameservers: unknown[] = config.nameservers ?? [];
  if (dnsPolicy === 'None' && nameservers.length === 0) {
    errs.push(required(`${field}.nameservers`, 'must provide at least one DNS nameserver when `dnsPolicy` is None'));
  }
  if (nameservers.length > MAX_DNS_NAMESERVERS) {
    errs.push(invalid(`${field}.nameservers`, nameservers.map(String), `must not have more than ${MAX_DNS_NAMESERVERS} nameservers`));
  }
  nameservers.forEach((ns, i) => {
    if (!isIP(String(ns))) errs.push(invalid(`${field}.nameservers[${i}]`, String(ns), 'must be valid IP address'));
  });
  const searches: unknown[] = config.searches ?? [];
  if (searches.length > MAX_DNS_SEARCH_PATHS) {
    errs.push(invalid(`${field}.searches`, searches.map(String), `must not have more than ${MAX_DNS_SEARCH_PATHS} search paths`));
  }
  return errs;
}

function validateHostNetworkPorts(spec: any, field: string): FieldError[] {
  const errs: FieldError[] = [];
  if (spec.hostNetwork !== true) return errs;
  (spec.containers ?? []).forEach((c: any, i: number) => {
    (c?.ports ?? []).forEach((port: any, j: number) => {
      const hostPort = port?.hostPort ?? 0;
      if (hostPort !== port?.containerPort) {
        errs.push(invalid(`${field}.containers[${i}].ports[${j}].hostPort`, hostPort, 'must match `containerPort` when `hostNetwork` is true'));
      }
    });
  });
  return errs;
}

export function validatePodSpec(spec: any, field = 'spec'): FieldError[] {
  const errs: FieldError[] = [];
  spec ??= {};
  const vols = validateVolumes(spec.volumes, `${field}.volumes`);
  errs.push(...vols.errs);
  const ctx = { volumeNames: vols.names };
  errs.push(...validateContainers(spec.containers, ctx, `${field}.containers`));
  errs.push(...validateInitContainers(spec.initContainers, spec.containers, ctx, `${field}.initContainers`));
  errs.push(...validateHostNetworkPorts(spec, field));
  errs.push(...validateEnum(spec.restartPolicy, RESTART_POLICIES, `${field}.restartPolicy`));
  errs.push(...validateEnum(spec.dnsPolicy, DNS_POLICIES, `${field}.dnsPolicy`));
  errs.push(...validateLabels(spec.nodeSelector, `${field}.nodeSelector`));
  errs.push(...validateDNSConfig(spec.dnsConfig, spec.dnsPolicy, `${field}.dnsConfig`));
  const subdomainField = (name: string) => {
    const v = spec[name];
    if (typeof v === 'string' && v.length > 0) for (const msg of isDNS1123Subdomain(v)) errs.push(invalid(`${field}.${name}`, v, msg));
  };
  subdomainField('serviceAccountName');
  subdomainField('nodeName');
  const deadline = spec.activeDeadlineSeconds;
  if (typeof deadline === 'number' && (deadline < 1 || deadline > MAX_INT32)) {
    errs.push(invalid(`${field}.activeDeadlineSeconds`, deadline, inclusiveRangeError(1, MAX_INT32)));
  }
  for (const name of ['hostname', 'subdomain']) {
    const v = spec[name];
    if (typeof v === 'string' && v.length > 0) for (const msg of isDNS1123Label(v)) errs.push(invalid(`${field}.${name}`, v, msg));
  }
  errs.push(...validateTolerations(spec.tolerations, `${field}.tolerations`));
  subdomainField('priorityClassName');
  if (spec.preemptionPolicy !== undefined) errs.push(...validateEnum(spec.preemptionPolicy, PREEMPTION_POLICIES, `${field}.preemptionPolicy`));
  if (Array.isArray(spec.imagePullSecrets)) {
    spec.imagePullSecrets.forEach((s: any, i: number) => {
      if (s == null || typeof s !== 'object' || Object.keys(s).some((k) => k !== 'name')) {
        errs.push(invalid(`${field}.imagePullSecrets[${i}]`, null, 'only name may be set'));
      }
    });
  }
  return errs;
}

/** A pod template inside a workload: its metadata labels/annotations and its spec. */
export function validatePodTemplateSpec(template: any, field: string): FieldError[] {
  if (template == null) return [required(field)];
  const errs: FieldError[] = [];
  errs.push(...validateLabels(template.metadata?.labels, `${field}.metadata.labels`));
  errs.push(...validateAnnotations(template.metadata?.annotations, `${field}.metadata.annotations`));
  errs.push(...validatePodSpec(template.spec, `${field}.spec`));
  if (Array.isArray(template.spec?.ephemeralContainers) && template.spec.ephemeralContainers.length > 0) {
    errs.push(forbidden(`${field}.spec.ephemeralContainers`, 'ephemeral containers not allowed in pod template'));
  }
  return errs;
}
