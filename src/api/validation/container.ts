// Containers of a pod spec: names, images, ports, env, mounts, resources, probes.

import type { FieldError } from './field-error.js';
import { duplicate, forbidden, invalid, notFound, notSupported, required } from './errors.js';
import { isConfigMapKey, isDNS1123Label, isDNS1123Subdomain, isRelaxedEnvVarName, isValidPortName, isValidPortNum, isQualifiedName } from './names.js';
import { goRaw } from './go-value.js';
import { validateLifecycle, validateProbe } from './probes.js';
import { validateResourceRequirements } from './resources.js';

const PORT_PROTOCOLS = ['SCTP', 'TCP', 'UDP'];
const PULL_POLICIES = ['Always', 'IfNotPresent', 'Never'];
const TERMINATION_MESSAGE_POLICIES = ['File', 'FallbackToLogsOnError'];
const INIT_ONLY = 'may not be set for init containers without restartPolicy=Always';

/** fieldPaths the downward API can put into an env var. */
const ENV_FIELD_PATHS = [
  'metadata.name',
  'metadata.namespace',
  'metadata.uid',
  'spec.nodeName',
  'spec.serviceAccountName',
  'status.hostIP',
  'status.hostIPs',
  'status.podIP',
  'status.podIPs',
];
/** fieldPaths Kubernetes can convert at all (others fail conversion first). */
const CONVERTIBLE_FIELD_PATHS = new Set([...ENV_FIELD_PATHS, 'metadata.annotations', 'metadata.labels', 'spec.restartPolicy', 'spec.schedulerName', 'status.phase']);

export interface ContainerContext {
  volumeNames: Set<string>;
}

function validatePorts(ports: any[], field: string): FieldError[] {
  const errs: FieldError[] = [];
  const names = new Set<string>();
  ports.forEach((port, i) => {
    const p = `${field}[${i}]`;
    const name = port?.name;
    if (typeof name === 'string' && name.length > 0) {
      const msgs = isValidPortName(name);
      if (msgs.length) for (const msg of msgs) errs.push(invalid(`${p}.name`, name, msg));
      else if (names.has(name)) errs.push(duplicate(`${p}.name`, name));
      else names.add(name);
    }
    if (!port?.containerPort) errs.push(required(`${p}.containerPort`));
    else for (const msg of isValidPortNum(port.containerPort)) errs.push(invalid(`${p}.containerPort`, port.containerPort, msg));
    if (port?.hostPort) for (const msg of isValidPortNum(port.hostPort)) errs.push(invalid(`${p}.hostPort`, port.hostPort, msg));
    if (!port?.protocol) errs.push(required(`${p}.protocol`));
    else if (!PORT_PROTOCOLS.includes(port.protocol)) errs.push(notSupported(`${p}.protocol`, port.protocol, PORT_PROTOCOLS));
  });
  return errs;
}

function validateKeySelector(sel: any, field: string): FieldError[] {
  const errs: FieldError[] = [];
  const name = String(sel?.name ?? '');
  for (const msg of isDNS1123Subdomain(name)) errs.push(invalid(`${field}.name`, name, msg));
  const key = String(sel?.key ?? '');
  if (!key) errs.push(required(`${field}.key`));
  else for (const msg of isConfigMapKey(key)) errs.push(invalid(`${field}.key`, key, msg));
  return errs;
}

function validateFieldRef(ref: any, field: string): FieldError[] {
  if (!ref?.apiVersion) return [required(`${field}.apiVersion`)];
  const fieldPath = String(ref?.fieldPath ?? '');
  if (!fieldPath) return [required(`${field}.fieldPath`)];
  const sub = /^(metadata\.(?:labels|annotations))\['(.*)'\]$/.exec(fieldPath);
  if (sub) {
    const key = sub[1] === 'metadata.annotations' ? sub[2].toLowerCase() : sub[2];
    return isQualifiedName(key).map((msg) => invalid(field, key, msg));
  }
  if (!CONVERTIBLE_FIELD_PATHS.has(fieldPath)) {
    return [invalid(`${field}.fieldPath`, fieldPath, `error converting fieldPath: field label not supported: ${fieldPath}`)];
  }
  if (!ENV_FIELD_PATHS.includes(fieldPath)) return [notSupported(`${field}.fieldPath`, fieldPath, ENV_FIELD_PATHS)];
  return [];
}

function validateEnv(env: any[], field: string): FieldError[] {
  const errs: FieldError[] = [];
  env.forEach((ev, i) => {
    const p = `${field}[${i}]`;
    const name = String(ev?.name ?? '');
    if (!name) errs.push(required(`${p}.name`));
    else for (const msg of isRelaxedEnvVarName(name)) errs.push(invalid(`${p}.name`, name, msg));
    const from = ev?.valueFrom;
    if (from == null) return;
    const vf = `${p}.valueFrom`;
    let sources = 0;
    if (from.fieldRef != null) {
      sources++;
      errs.push(...validateFieldRef(from.fieldRef, `${vf}.fieldRef`));
    }
    if (from.resourceFieldRef != null) {
      sources++;
      if (!from.resourceFieldRef.resource) errs.push(required(`${vf}.resourceFieldRef.resource`));
    }
    if (from.configMapKeyRef != null) {
      sources++;
      errs.push(...validateKeySelector(from.configMapKeyRef, `${vf}.configMapKeyRef`));
    }
    if (from.secretKeyRef != null) {
      sources++;
      errs.push(...validateKeySelector(from.secretKeyRef, `${vf}.secretKeyRef`));
    }
    if (sources === 0) errs.push(invalid(vf, '', 'must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`'));
    else if (ev.value) errs.push(invalid(vf, '', 'may not be specified when `value` is not empty'));
    else if (sources > 1) errs.push(invalid(vf, '', 'may not have more than one field specified at a time'));
  });
  return errs;
}

function validateEnvFrom(envFrom: any[], field: string): FieldError[] {
  const errs: FieldError[] = [];
  envFrom.forEach((ev, i) => {
    const p = `${field}[${i}]`;
    if (ev?.prefix) for (const msg of isRelaxedEnvVarName(ev.prefix)) errs.push(invalid(`${p}.prefix`, ev.prefix, msg));
    let sources = 0;
    for (const kind of ['configMapRef', 'secretRef']) {
      const ref = ev?.[kind];
      if (ref == null) continue;
      sources++;
      if (!ref.name) errs.push(required(`${p}.${kind}.name`));
      else for (const msg of isDNS1123Subdomain(ref.name)) errs.push(invalid(`${p}.${kind}.name`, ref.name, msg));
    }
    if (sources === 0) errs.push(invalid(field, '', 'must specify one of: `configMapRef` or `secretRef`'));
    else if (sources > 1) errs.push(invalid(field, '', 'may not have more than one field specified at a time'));
  });
  return errs;
}

function validateVolumeMounts(mounts: any[], ctx: ContainerContext, field: string): FieldError[] {
  const errs: FieldError[] = [];
  const mountPaths = new Set<string>();
  mounts.forEach((m, i) => {
    const p = `${field}[${i}]`;
    const name = String(m?.name ?? '');
    if (!name) errs.push(required(`${p}.name`));
    if (!ctx.volumeNames.has(name)) errs.push(notFound(`${p}.name`, name));
    const mountPath = String(m?.mountPath ?? '');
    if (!mountPath) errs.push(required(`${p}.mountPath`));
    if (mountPaths.has(mountPath)) errs.push(invalid(`${p}.mountPath`, mountPath, 'must be unique'));
    mountPaths.add(mountPath);
    const subPath = m?.subPath;
    if (typeof subPath === 'string' && subPath.length > 0) {
      if (subPath.startsWith('/')) errs.push(invalid(`${p}.subPath`, subPath, 'must be a relative path'));
      if (subPath.split(/[\\/]/).includes('..')) errs.push(invalid(`${p}.subPath`, subPath, "must not contain '..'"));
    }
    if (m?.mountPropagation !== undefined && !['None', 'HostToContainer', 'Bidirectional'].includes(m.mountPropagation)) {
      errs.push(notSupported(`${p}.mountPropagation`, m.mountPropagation, ['Bidirectional', 'HostToContainer', 'None']));
    }
  });
  return errs;
}

function validateSecurityContext(sc: any, field: string): FieldError[] {
  const errs: FieldError[] = [];
  if (sc == null) return errs;
  for (const k of ['runAsUser', 'runAsGroup']) {
    const v = sc[k];
    if (typeof v === 'number' && (v < 0 || v > 2147483647)) errs.push(invalid(`${field}.${k}`, v, 'must be between 0 and 2147483647, inclusive'));
  }
  if (sc.privileged === true && sc.allowPrivilegeEscalation === false) {
    // Go prints the whole struct (with pointer addresses); only the detail can match.
    errs.push(invalid(field, goRaw('core.SecurityContext{...}'), 'cannot set `allowPrivilegeEscalation` to false and `privileged` to true'));
  }
  return errs;
}

/** Checks every container kind shares. */
function validateContainerCommon(c: any, ctx: ContainerContext, field: string): FieldError[] {
  const errs: FieldError[] = [];
  const name = typeof c?.name === 'string' ? c.name : '';
  if (!name) errs.push(required(`${field}.name`));
  else for (const msg of isDNS1123Label(name)) errs.push(invalid(`${field}.name`, name, msg));
  if (!c?.image) errs.push(required(`${field}.image`));
  const tmp = c?.terminationMessagePolicy;
  if (!tmp) errs.push(required(`${field}.terminationMessagePolicy`));
  else if (!TERMINATION_MESSAGE_POLICIES.includes(tmp)) errs.push(notSupported(`${field}.terminationMessagePolicy`, tmp, TERMINATION_MESSAGE_POLICIES));
  errs.push(...validatePorts(c?.ports ?? [], `${field}.ports`));
  errs.push(...validateEnv(c?.env ?? [], `${field}.env`));
  errs.push(...validateEnvFrom(c?.envFrom ?? [], `${field}.envFrom`));
  errs.push(...validateVolumeMounts(c?.volumeMounts ?? [], ctx, `${field}.volumeMounts`));
  const pull = c?.imagePullPolicy;
  if (!pull) errs.push(required(`${field}.imagePullPolicy`));
  else if (!PULL_POLICIES.includes(pull)) errs.push(notSupported(`${field}.imagePullPolicy`, pull, PULL_POLICIES));
  errs.push(...validateResourceRequirements(c?.resources, `${field}.resources`));
  errs.push(...validateSecurityContext(c?.securityContext, `${field}.securityContext`));
  return errs;
}

/** Host ports must be unique per hostIP/protocol/port across the given containers. */
function checkHostPortConflicts(containers: any[], field: string): FieldError[] {
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  containers.forEach((c, ci) => {
    (c?.ports ?? []).forEach((port: any, pi: number) => {
      if (!port?.hostPort) return;
      const key = `${port.hostIP ?? ''}/${port.protocol ?? ''}/${port.hostPort}`;
      if (seen.has(key)) errs.push(duplicate(`${field}[${ci}].ports[${pi}].hostPort`, key));
      else seen.add(key);
    });
  });
  return errs;
}

export function validateContainers(containers: unknown, ctx: ContainerContext, field: string): FieldError[] {
  if (!Array.isArray(containers) || containers.length === 0) return [required(field)];
  const errs: FieldError[] = [];
  const names = new Set<string>();
  containers.forEach((c, i) => {
    const p = `${field}[${i}]`;
    errs.push(...validateContainerCommon(c, ctx, p));
    if (names.has(c?.name)) errs.push(duplicate(`${p}.name`, c.name));
    else names.add(c?.name);
    errs.push(...validateLifecycle(c?.lifecycle, `${p}.lifecycle`));
    errs.push(...validateProbe(c?.livenessProbe, 'livenessProbe', `${p}.livenessProbe`));
    errs.push(...validateProbe(c?.readinessProbe, 'readinessProbe', `${p}.readinessProbe`));
    errs.push(...validateProbe(c?.startupProbe, 'startupProbe', `${p}.startupProbe`));
    if (c?.restartPolicy != null) errs.push(forbidden(`${p}.restartPolicy`, 'may not be set for non-init containers'));
  });
  errs.push(...checkHostPortConflicts(containers, field));
  return errs;
}

/** Init container names must also be unique against the app containers. */
export function validateInitContainers(initContainers: unknown, containers: unknown, ctx: ContainerContext, field: string): FieldError[] {
  if (!Array.isArray(initContainers)) return [];
  const errs: FieldError[] = [];
  const names = new Set<string>((Array.isArray(containers) ? containers : []).map((c: any) => c?.name));
  initContainers.forEach((c, i) => {
    const p = `${field}[${i}]`;
    errs.push(...validateContainerCommon(c, ctx, p));
    let sidecar = false;
    if (c?.restartPolicy != null) {
      if (c.restartPolicy === 'Always') sidecar = true;
      else errs.push(notSupported(`${p}.restartPolicy`, c.restartPolicy, ['Always']));
    }
    if (names.has(c?.name)) errs.push(duplicate(`${p}.name`, c.name));
    else if (c?.name) names.add(c.name);
    // Init containers run one at a time, so each is checked on its own (Kubernetes reports index 0).
    errs.push(...checkHostPortConflicts([c], field));
    if (sidecar) {
      errs.push(...validateLifecycle(c.lifecycle, `${p}.lifecycle`));
      errs.push(...validateProbe(c.livenessProbe, 'livenessProbe', `${p}.livenessProbe`));
      errs.push(...validateProbe(c.readinessProbe, 'readinessProbe', `${p}.readinessProbe`));
      errs.push(...validateProbe(c.startupProbe, 'startupProbe', `${p}.startupProbe`));
    } else {
      for (const k of ['lifecycle', 'livenessProbe', 'readinessProbe', 'startupProbe']) {
        if (c?.[k] != null) errs.push(forbidden(`${p}.${k}`, INIT_ONLY));
      }
    }
  });
  return errs;
}

/** Pods (not templates) also refuse images with surrounding whitespace. */
export function validateImageWhitespace(containers: unknown, field: string): FieldError[] {
  if (!Array.isArray(containers)) return [];
  const errs: FieldError[] = [];
  containers.forEach((c, i) => {
    if (typeof c?.image === 'string' && c.image !== c.image.trim()) {
      errs.push(invalid(`${field}[${i}].image`, c.image, 'must not have leading or trailing whitespace'));
    }
  });
  return errs;
}
