// Label selectors compiled to closures for the hot loops (counting matching pods
// over every node). Same semantics as labels.matches; a null selector selects nothing.

import type { Requirement } from '../../api/labels.js';

export type Labels = Record<string, string> | undefined | null;
export type LabelMatcher = (labels: Labels) => boolean;

const NOTHING: LabelMatcher = () => false;
const EVERYTHING: LabelMatcher = () => true;

// Label values are strings and Object.prototype has no string properties,
// so `typeof v === 'string'` means "the label is set".
function compileRequirement(r: Requirement): LabelMatcher {
  const key = r.key;
  switch (r.op) {
    case 'Exists':
      return (l) => l != null && typeof l[key] === 'string';
    case 'DoesNotExist':
      return (l) => l == null || typeof l[key] !== 'string';
    case 'In': {
      if (r.values.length === 1) {
        const want = r.values[0];
        return (l) => l != null && l[key] === want;
      }
      const set = new Set(r.values);
      return (l) => {
        const v = l?.[key];
        return typeof v === 'string' && set.has(v);
      };
    }
    case 'NotIn': {
      const set = new Set(r.values);
      return (l) => {
        const v = l?.[key];
        return typeof v !== 'string' || !set.has(v);
      };
    }
  }
}

export function compileMatcher(reqs: readonly Requirement[] | null): LabelMatcher {
  if (reqs === null) return NOTHING;
  if (reqs.length === 0) return EVERYTHING;
  const parts = reqs.map(compileRequirement);
  if (parts.length === 1) return parts[0];
  if (parts.length === 2) {
    const [a, b] = parts;
    return (l) => a(l) && b(l);
  }
  return (l) => {
    for (const p of parts) if (!p(l)) return false;
    return true;
  };
}
