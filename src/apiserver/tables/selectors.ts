// Text forms of label maps and metav1.LabelSelector structs, matching
// labels.FormatLabels / metav1.FormatLabelSelector / Selector.String().

import type { JsonObject } from './table.js';

/** "a=1,b=2" with keys sorted; "<none>" for an empty or missing map. */
export function formatLabels(map: Record<string, string> | undefined | null): string {
  const keys = Object.keys(map ?? {}).sort();
  if (keys.length === 0) return '<none>';
  return keys.map((k) => `${k}=${map![k]}`).join(',');
}

const NAME_RE = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const DNS_SUBDOMAIN_RE = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

function validKey(key: unknown): boolean {
  if (typeof key !== 'string') return false;
  const slash = key.indexOf('/');
  let name = key;
  if (slash >= 0) {
    const prefix = key.slice(0, slash);
    name = key.slice(slash + 1);
    if (prefix.length === 0 || prefix.length > 253 || !DNS_SUBDOMAIN_RE.test(prefix)) return false;
  }
  return name.length > 0 && name.length <= 63 && NAME_RE.test(name);
}

function validValue(v: unknown): boolean {
  return typeof v === 'string' && v.length <= 63 && (v === '' || NAME_RE.test(v));
}

interface Req {
  key: string;
  text: string;
}

/**
 * Requirements of a LabelSelector in canonical text, sorted by key; null when the
 * selector is invalid (bad key/value, unknown operator, wrong value count).
 * An absent selector and an empty one both render as "".
 */
function selectorString(sel: JsonObject | undefined | null): string | null {
  if (sel == null) return '';
  const reqs: Req[] = [];
  const matchLabels: Record<string, unknown> = sel.matchLabels ?? {};
  for (const [k, v] of Object.entries(matchLabels)) {
    if (!validKey(k) || !validValue(v)) return null;
    reqs.push({ key: k, text: `${k}=${v}` });
  }
  for (const expr of (sel.matchExpressions ?? []) as JsonObject[]) {
    const key = expr?.key;
    const values: unknown[] = Array.isArray(expr?.values) ? expr.values : [];
    if (!validKey(key)) return null;
    switch (expr.operator) {
      case 'In':
      case 'NotIn': {
        if (values.length === 0 || !values.every(validValue)) return null;
        const sorted = [...(values as string[])].sort();
        const word = expr.operator === 'In' ? 'in' : 'notin';
        reqs.push({ key, text: `${key} ${word} (${sorted.join(',')})` });
        break;
      }
      case 'Exists':
        if (values.length !== 0) return null;
        reqs.push({ key, text: key });
        break;
      case 'DoesNotExist':
        if (values.length !== 0) return null;
        reqs.push({ key, text: `!${key}` });
        break;
      default:
        return null;
    }
  }
  // Stable sort by key, like the selector's own ordering.
  reqs.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return reqs.map((r) => r.text).join(',');
}

/** metav1.FormatLabelSelector: "<none>" when it selects everything/nothing, "<error>" when invalid. */
export function formatLabelSelector(sel: JsonObject | undefined | null): string {
  const s = selectorString(sel);
  if (s === null) return '<error>';
  return s === '' ? '<none>' : s;
}

/** The Deployment printer's variant: plain selector text, "" when empty, "<invalid>" when invalid. */
export function deploymentSelector(sel: JsonObject | undefined | null): string {
  const s = selectorString(sel);
  return s === null ? '<invalid>' : s;
}
