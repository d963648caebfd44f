// Validation of metav1.LabelSelector structs (matchLabels / matchExpressions) and their
// Go rendering, which Kubernetes prints inside "Invalid value" messages.

import type { FieldError } from './field-error.js';
import { forbidden, invalid, required } from './errors.js';
import { goQuote, goRaw, goStringMap, goStringSlice, type GoRendered } from './go-value.js';
import { isValidLabelValue } from './names.js';
import { validateLabelName, validateLabels } from './object-meta.js';
import { compileLabelSelector, matches } from '../labels.js';

export function validateLabelSelector(sel: any, field: string): FieldError[] {
  const errs: FieldError[] = [];
  if (sel == null) return errs;
  errs.push(...validateLabels(sel.matchLabels, `${field}.matchLabels`));
  const exprs: any[] = Array.isArray(sel.matchExpressions) ? sel.matchExpressions : [];
  exprs.forEach((req, i) => {
    const p = `${field}.matchExpressions[${i}]`;
    const values: unknown[] = Array.isArray(req?.values) ? req.values : [];
    switch (req?.operator) {
      case 'In':
      case 'NotIn':
        if (values.length === 0) errs.push(required(`${p}.values`, "must be specified when `operator` is 'In' or 'NotIn'"));
        break;
      case 'Exists':
      case 'DoesNotExist':
        if (values.length > 0) errs.push(forbidden(`${p}.values`, "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
        break;
      default:
        errs.push(invalid(`${p}.operator`, String(req?.operator ?? ''), 'not a valid selector operator'));
    }
    errs.push(...validateLabelName(String(req?.key ?? ''), `${p}.key`));
    values.forEach((v, j) => {
      for (const msg of isValidLabelValue(String(v))) errs.push(invalid(`${p}.values[${j}]`, String(v), msg));
    });
  });
  return errs;
}

/** Does a LabelSelector struct select these labels? A missing selector selects nothing. */
export function selectorMatches(sel: any, labels: Record<string, string> | undefined | null): boolean {
  if (sel == null) return false;
  try {
    const reqs = compileLabelSelector(sel);
    return reqs !== null && matches(reqs, labels);
  } catch {
    return false; // an invalid operator selects nothing
  }
}

export function selectorIsEmpty(sel: any): boolean {
  return Object.keys(sel?.matchLabels ?? {}).length + (sel?.matchExpressions?.length ?? 0) === 0;
}

/** The %#v rendering of a v1.LabelSelector value. */
export function goLabelSelector(sel: any): GoRendered {
  if (sel == null) return goRaw('null');
  const labels = sel.matchLabels == null ? 'map[string]string(nil)' : goStringMap(sel.matchLabels).text;
  const exprs: any[] | undefined = sel.matchExpressions;
  const rendered =
    exprs == null
      ? '[]v1.LabelSelectorRequirement(nil)'
      : `[]v1.LabelSelectorRequirement{${exprs
          .map(
            (r) =>
              `v1.LabelSelectorRequirement{Key:${goQuote(String(r?.key ?? ''))}, Operator:${goQuote(String(r?.operator ?? ''))}, Values:${goStringSlice(r?.values).text}}`,
          )
          .join(', ')}}`;
  return goRaw(`v1.LabelSelector{MatchLabels:${labels}, MatchExpressions:${rendered}}`);
}
