// What a simulated fleet looks like, and the parsers that turn `skiff sim`
// flag text (labels, taints, images, quantities) into it.

import { canonicalQuantity } from '../../api/quantity.js';

export type TaintEffect = 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';

export interface Taint {
  key: string;
  value?: string;
  effect: TaintEffect;
}

export interface NodeImage {
  name: string;
  sizeBytes: number;
}

/** The shape every simulated node shares. */
export interface FleetShape {
  namePrefix: string;
  /** Quantity text, canonicalised. */
  cpu: string;
  memory: string;
  pods: number;
  labels: Record<string, string>;
  taints: Taint[];
  zones: string[];
  images: NodeImage[];
}

export const FLEET_DEFAULTS: FleetShape = {
  namePrefix: 'sim-',
  cpu: '32',
  memory: '256Gi',
  pods: 110,
  labels: {},
  taints: [],
  zones: [],
  images: [],
};

/** Pod CIDRs and node IPs come from fixed ranges; past this many nodes they would overlap. */
export const MAX_NODES = 50_000;

const TAINT_EFFECTS: readonly TaintEffect[] = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];

/** "k=v,k2=v2" items (already split on commas) → map. A bare key gets an empty value. */
export function parseLabels(items: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const item of items) {
    const eq = item.indexOf('=');
    const key = (eq === -1 ? item : item.slice(0, eq)).trim();
    if (!key) throw new Error(`invalid label "${item}": expected key=value`);
    out[key] = eq === -1 ? '' : item.slice(eq + 1).trim();
  }
  return out;
}

/** "key=value:Effect" or "key:Effect" items → taints (the kubelet's --register-with-taints syntax). */
export function parseTaints(items: string[]): Taint[] {
  return items.map((item) => {
    const colon = item.lastIndexOf(':');
    if (colon === -1) throw new Error(`invalid taint "${item}": expected key=value:Effect`);
    const effect = item.slice(colon + 1) as TaintEffect;
    if (!TAINT_EFFECTS.includes(effect)) {
      throw new Error(`invalid taint "${item}": effect must be one of ${TAINT_EFFECTS.join(', ')}`);
    }
    const kv = item.slice(0, colon);
    const eq = kv.indexOf('=');
    const key = eq === -1 ? kv : kv.slice(0, eq);
    if (!key) throw new Error(`invalid taint "${item}": empty key`);
    return eq === -1 ? { key, effect } : { key, value: kv.slice(eq + 1), effect };
  });
}

/** "name:sizeBytes" items; the size is after the LAST colon, so registry ports and tags survive. */
export function parseImages(items: string[]): NodeImage[] {
  return items.map((item) => {
    const colon = item.lastIndexOf(':');
    const size = colon === -1 ? NaN : Number(item.slice(colon + 1));
    if (colon <= 0 || !Number.isSafeInteger(size) || size < 0) {
      throw new Error(`invalid image "${item}": expected name:sizeBytes`);
    }
    return { name: item.slice(0, colon), sizeBytes: size };
  });
}

/** Canonical quantity text, with the flag named in the error. */
export function parseQuantityFlag(flagName: string, text: string): string {
  try {
    const q = canonicalQuantity(text);
    if (q.startsWith('-')) throw new Error('must not be negative');
    return q;
  } catch (e) {
    throw new Error(`--${flagName}: invalid quantity "${text}": ${(e as Error).message}`);
  }
}

/** A whole number within [min, max], with the flag named in the error. */
export function parseIntFlag(flagName: string, text: string, min: number, max: number): number {
  const n = Number(text);
  if (!/^\s*\d+\s*$/.test(text) || !Number.isSafeInteger(n) || n < min || n > max) {
    throw new Error(`--${flagName} must be a whole number from ${min} to ${max}, not "${text}"`);
  }
  return n;
}

/** A positive number of seconds (fractions allowed, for tests). */
export function parseSecondsFlag(flagName: string, text: string): number {
  const n = Number(text);
  if (text.trim() === '' || !Number.isFinite(n) || n <= 0) throw new Error(`--${flagName} must be a positive number of seconds, not "${text}"`);
  return n;
}

export function nodeName(shape: Pick<FleetShape, 'namePrefix'>, index: number): string {
  return `${shape.namePrefix}${index}`;
}
