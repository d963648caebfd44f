// Container resource requirements: names, quantity syntax/sign, and requests ≤ limits
// (or equal, for resources that cannot be overcommitted).

import type { FieldError } from './field-error.js';
import { forbidden, invalid, required } from './errors.js';
import { goRaw } from './go-value.js';
import { isQualifiedName } from './names.js';
import { Quantity, QuantityParseError } from '../quantity.js';

const STANDARD_CONTAINER_RESOURCES = new Set(['cpu', 'memory', 'ephemeral-storage']);
const STANDARD_RESOURCES = new Set([
  'cpu',
  'memory',
  'ephemeral-storage',
  'storage',
  'pods',
  'services',
  'replicationcontrollers',
  'resourcequotas',
  'secrets',
  'configmaps',
  'persistentvolumeclaims',
  'services.nodeports',
  'services.loadbalancers',
  'requests.cpu',
  'requests.memory',
  'requests.storage',
  'requests.ephemeral-storage',
  'limits.cpu',
  'limits.memory',
  'limits.ephemeral-storage',
]);

const isHugePages = (name: string) => name.startsWith('hugepages-');
const isNative = (name: string) => !name.includes('/') || name.includes('kubernetes.io/');
const isExtended = (name: string) => !isNative(name) && !name.startsWith('requests.') && isQualifiedName(`requests.${name}`).length === 0;
/** cpu, memory and friends may have requests below limits; extended resources and hugepages may not. */
const overcommitAllowed = (name: string) => isNative(name) && !isHugePages(name);

function validateContainerResourceName(name: string, field: string): FieldError[] {
  const errs = isQualifiedName(name).map((msg) => invalid(field, name, msg));
  if (errs.length) return errs;
  if (!name.includes('/')) {
    if (!STANDARD_RESOURCES.has(name) && !isHugePages(name)) {
      return [invalid(field, name, 'must be a standard resource type or fully qualified')];
    }
    if (!STANDARD_CONTAINER_RESOURCES.has(name) && !isHugePages(name)) {
      return [invalid(field, name, 'must be a standard resource for containers')];
    }
  } else if (!isNative(name) && !isExtended(name)) {
    return [invalid(field, name, "doesn't follow extended resource name standard")];
  }
  return [];
}

/** Parses a quantity from JSON (string or number), or reports the decode error. */
export function parseQuantityField(raw: unknown, field: string, errs: FieldError[]): Quantity | undefined {
  if (typeof raw === 'number' && Number.isFinite(raw)) raw = String(raw);
  if (typeof raw !== 'string') {
    errs.push(invalid(field, raw as any, 'must be a quantity'));
    return undefined;
  }
  try {
    return Quantity.parse(raw);
  } catch (e) {
    errs.push(invalid(field, raw, e instanceof QuantityParseError ? e.message : String(e)));
    return undefined;
  }
}

function validateQuantityValue(name: string, q: Quantity, field: string): FieldError[] {
  const errs: FieldError[] = [];
  if (q.sign() < 0) errs.push(invalid(field, q.toString(), 'must be greater than or equal to 0'));
  if (isExtended(name) && q.milliValueBig() % 1000n !== 0n) errs.push(invalid(field, goRaw(q.toString()), 'must be an integer'));
  return errs;
}

export function validateResourceRequirements(resources: any, field: string): FieldError[] {
  const errs: FieldError[] = [];
  const limPath = `${field}.limits`;
  const reqPath = `${field}.requests`;
  const rawLimits = (resources?.limits ?? {}) as Record<string, unknown>;
  const rawRequests = (resources?.requests ?? {}) as Record<string, unknown>;
  const limits = new Map<string, Quantity>();
  let cpuOrMemory = false;
  let hugePages = false;
  for (const name of Object.keys(rawLimits).sort()) {
    const p = `${limPath}[${name}]`;
    errs.push(...validateContainerResourceName(name, p));
    const q = parseQuantityField(rawLimits[name], p, errs);
    if (!q) continue;
    limits.set(name, q);
    errs.push(...validateQuantityValue(name, q, p));
    if (isHugePages(name)) hugePages = true;
    if (name === 'cpu' || name === 'memory') cpuOrMemory = true;
  }
  for (const name of Object.keys(rawRequests).sort()) {
    const p = `${reqPath}[${name}]`;
    errs.push(...validateContainerResourceName(name, p));
    const q = parseQuantityField(rawRequests[name], p, errs);
    if (!q) continue;
    errs.push(...validateQuantityValue(name, q, p));
    const limit = limits.get(name);
    if (limit) {
      if (q.cmp(limit) !== 0 && !overcommitAllowed(name)) {
        errs.push(invalid(reqPath, q.toString(), `must be equal to ${name} limit of ${limit.toString()}`));
      } else if (q.cmp(limit) > 0) {
        errs.push(invalid(reqPath, q.toString(), `must be less than or equal to ${name} limit of ${limit.toString()}`));
      }
    } else if (!overcommitAllowed(name) && !(name in rawLimits)) {
      errs.push(required(limPath, 'Limit must be set for non overcommitable resources'));
    }
    if (isHugePages(name)) hugePages = true;
    if (name === 'cpu' || name === 'memory') cpuOrMemory = true;
  }
  if (!cpuOrMemory && hugePages) errs.push(forbidden(field, 'HugePages require cpu or memory'));
  return errs;
}
