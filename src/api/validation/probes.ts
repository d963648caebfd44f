// Probe and lifecycle-hook handlers: exactly one action, with valid ports, paths and
// non-negative timings.

import type { FieldError } from './field-error.js';
import { forbidden, invalid, notSupported, required } from './errors.js';
import { isValidPortName, isValidPortNum, regexError } from './names.js';

export const NON_NEGATIVE = 'must be greater than or equal to 0';

export function nonNegative(value: unknown, field: string): FieldError[] {
  return typeof value === 'number' && value < 0 ? [invalid(field, value, NON_NEGATIVE)] : [];
}

/** An IntOrString port: a number 1–65535 or an IANA port name. */
export function validatePortNumOrName(port: unknown, field: string): FieldError[] {
  if (typeof port === 'number') return isValidPortNum(port).map((msg) => invalid(field, port, msg));
  if (typeof port === 'string') return isValidPortName(port).map((msg) => invalid(field, port, msg));
  return [invalid(field, null, 'must be a port number or name')];
}

const HANDLER_KINDS = ['exec', 'httpGet', 'tcpSocket', 'grpc', 'sleep'] as const;

function validateAction(kind: (typeof HANDLER_KINDS)[number], action: any, field: string): FieldError[] {
  const errs: FieldError[] = [];
  switch (kind) {
    case 'exec':
      if (!Array.isArray(action.command) || action.command.length === 0) errs.push(required(`${field}.command`));
      break;
    case 'httpGet':
      if (!action.path) errs.push(required(`${field}.path`));
      errs.push(...validatePortNumOrName(action.port, `${field}.port`));
      if (!['HTTP', 'HTTPS'].includes(action.scheme)) errs.push(notSupported(`${field}.scheme`, action.scheme ?? '', ['HTTP', 'HTTPS']));
      for (const h of action.httpHeaders ?? []) {
        if (!/^[-A-Za-z0-9]+$/.test(String(h?.name ?? ''))) {
          errs.push(
            invalid(`${field}.httpHeaders`, String(h?.name ?? ''), regexError("a valid HTTP header must consist of alphanumeric characters or '-'", '[-A-Za-z0-9]+', 'X-Header-Name')),
          );
        }
      }
      break;
    case 'tcpSocket':
      errs.push(...validatePortNumOrName(action.port, `${field}.port`));
      break;
    case 'grpc':
      for (const msg of isValidPortNum(Number(action.port))) errs.push(invalid(`${field}.port`, action.port ?? 0, msg));
      break;
    case 'sleep':
      if (typeof action.seconds !== 'number' || action.seconds <= 0) {
        errs.push(invalid(`${field}.seconds`, action.seconds ?? 0, 'must be greater than 0'));
      }
      break;
  }
  return errs;
}

/** Exactly one handler: `allowed` lists the kinds this handler may use. */
export function validateHandler(handler: any, field: string, allowed: readonly string[]): FieldError[] {
  const errs: FieldError[] = [];
  let count = 0;
  for (const kind of HANDLER_KINDS) {
    if (!allowed.includes(kind) || handler?.[kind] == null) continue;
    if (count > 0) errs.push(forbidden(`${field}.${kind}`, 'may not specify more than 1 handler type'));
    else {
      count++;
      errs.push(...validateAction(kind, handler[kind], `${field}.${kind}`));
    }
  }
  if (count === 0) errs.push(required(field, 'must specify a handler type'));
  return errs;
}

const PROBE_HANDLERS = ['exec', 'httpGet', 'tcpSocket', 'grpc'];
const LIFECYCLE_HANDLERS = ['exec', 'httpGet', 'tcpSocket', 'sleep'];

export type ProbeKind = 'livenessProbe' | 'readinessProbe' | 'startupProbe';

export function validateProbe(probe: any, kind: ProbeKind, field: string): FieldError[] {
  if (probe == null) return [];
  const errs = validateHandler(probe, field, PROBE_HANDLERS);
  for (const k of ['initialDelaySeconds', 'timeoutSeconds', 'periodSeconds', 'successThreshold', 'failureThreshold']) {
    errs.push(...nonNegative(probe[k], `${field}.${k}`));
  }
  const grace = probe.terminationGracePeriodSeconds;
  if (typeof grace === 'number' && grace <= 0) errs.push(invalid(`${field}.terminationGracePeriodSeconds`, grace, 'must be greater than 0'));
  if (kind === 'readinessProbe') {
    if (grace != null) errs.push(invalid(`${field}.terminationGracePeriodSeconds`, grace, 'must not be set for readinessProbes'));
  } else if (probe.successThreshold !== undefined && probe.successThreshold !== 1) {
    errs.push(invalid(`${field}.successThreshold`, probe.successThreshold, 'must be 1'));
  }
  return errs;
}

export function validateLifecycle(lifecycle: any, field: string): FieldError[] {
  if (lifecycle == null) return [];
  const errs: FieldError[] = [];
  for (const hook of ['postStart', 'preStop']) {
    if (lifecycle[hook] != null) errs.push(...validateHandler(lifecycle[hook], `${field}.${hook}`, LIFECYCLE_HANDLERS));
  }
  return errs;
}
