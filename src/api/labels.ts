// Label selectors: the string syntax of ?labelSelector= and the LabelSelector
// struct of specs (matchLabels / matchExpressions) compile to one Requirement list.

export type LabelOperator = 'in' | 'notin' | 'exists' | '!' | '=' | '==' | '!=';

export interface Requirement {
  key: string;
  op: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
  values: string[];
}

export type Labels = Record<string, string> | undefined | null;

export class SelectorParseError extends Error {}

export function matches(reqs: readonly Requirement[], labels: Labels): boolean {
  for (const r of reqs) {
    const has = labels != null && Object.prototype.hasOwnProperty.call(labels, r.key);
    switch (r.op) {
      case 'Exists':
        if (!has) return false;
        break;
      case 'DoesNotExist':
        if (has) return false;
        break;
      case 'In':
        if (!has || !r.values.includes(labels![r.key])) return false;
        break;
      case 'NotIn':
        if (has && r.values.includes(labels![r.key])) return false;
        break;
    }
  }
  return true;
}

const KEY_RE = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const VALUE_RE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

function checkKey(key: string): void {
  if (!KEY_RE.test(key) || key.length > 317) throw new SelectorParseError(`unable to parse requirement: invalid label key "${key}"`);
}
function checkValue(v: string): void {
  if (v.length > 63 || !VALUE_RE.test(v)) throw new SelectorParseError(`unable to parse requirement: invalid label value: "${v}"`);
}

/** Split on commas that are not inside parentheses. */
function splitTerms(s: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of s) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out.map((t) => t.trim());
}

/** Parse "a=b,c!=d,e in (x,y),!f,g". Empty string selects everything. */
export function parseLabelSelector(selector: string): Requirement[] {
  const s = selector.trim();
  if (s === '') return [];
  const reqs: Requirement[] = [];
  for (const term of splitTerms(s)) {
    if (term === '') throw new SelectorParseError(`found '', expected: identifier`);
    let m: RegExpMatchArray | null;
    if ((m = term.match(/^!\s*(\S+)$/))) {
      checkKey(m[1]);
      reqs.push({ key: m[1], op: 'DoesNotExist', values: [] });
    } else if ((m = term.match(/^(\S+?)\s+(in|notin)\s*\(([^)]*)\)$/))) {
      checkKey(m[1]);
      const values = m[3].split(',').map((v) => v.trim());
      values.forEach(checkValue);
      reqs.push({ key: m[1], op: m[2] === 'in' ? 'In' : 'NotIn', values });
    } else if ((m = term.match(/^([^=!\s]+)\s*(==|=|!=)\s*(\S*)$/))) {
      checkKey(m[1]);
      checkValue(m[3]);
      reqs.push({ key: m[1], op: m[2] === '!=' ? 'NotIn' : 'In', values: [m[3]] });
    } else if ((m = term.match(/^([^=!\s()]+)$/))) {
      checkKey(m[1]);
      reqs.push({ key: m[1], op: 'Exists', values: [] });
    } else {
      throw new SelectorParseError(`unable to parse requirement: found '${term}', expected: in, notin, =, ==, !=, gt, lt`);
    }
  }
  return reqs;
}

export interface LabelSelectorStruct {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
}

/**
 * Compile a metav1.LabelSelector. Per Kubernetes, a null selector matches nothing
 * and an empty one matches everything; callers decide which applies (`undefined` here → null).
 */
export function compileLabelSelector(sel: LabelSelectorStruct | null | undefined): Requirement[] | null {
  if (sel == null) return null;
  const reqs: Requirement[] = [];
  for (const [k, v] of Object.entries(sel.matchLabels ?? {})) reqs.push({ key: k, op: 'In', values: [v] });
  for (const e of sel.matchExpressions ?? []) {
    const op = e.operator as Requirement['op'];
    if (!['In', 'NotIn', 'Exists', 'DoesNotExist'].includes(op)) throw new SelectorParseError(`"${e.operator}" is not a valid label selector operator`);
    reqs.push({ key: e.key, op, values: e.values ?? [] });
  }
  return reqs;
}

/** Render like metav1.FormatLabelSelector / labels.Selector.String(). */
export function formatRequirements(reqs: readonly Requirement[]): string {
  return reqs
    .map((r) => {
      switch (r.op) {
        case 'Exists':
          return r.key;
        case 'DoesNotExist':
          return `!${r.key}`;
        case 'In':
          return r.values.length === 1 ? `${r.key}=${r.values[0]}` : `${r.key} in (${[...r.values].sort().join(',')})`;
        case 'NotIn':
          return r.values.length === 1 ? `${r.key}!=${r.values[0]}` : `${r.key} notin (${[...r.values].sort().join(',')})`;
      }
    })
    .join(',');
}
