// Pod tolerations: key syntax, operator/value/effect combinations.

import type { FieldError } from './field-error.js';
import { invalid, notSupported, required } from './errors.js';
import { goQuote, goRaw } from './go-value.js';
import { isValidLabelValue } from './names.js';
import { validateLabelName } from './object-meta.js';

export const TAINT_EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];

/** %#v of a core.Toleration, which Kubernetes prints in one message. */
function goToleration(t: any) {
  const seconds = t?.tolerationSeconds == null ? '(*int64)(nil)' : `(*int64)(${t.tolerationSeconds})`;
  return goRaw(
    `core.Toleration{Key:${goQuote(String(t?.key ?? ''))}, Operator:${goQuote(String(t?.operator ?? ''))}, Value:${goQuote(String(t?.value ?? ''))}, Effect:${goQuote(String(t?.effect ?? ''))}, TolerationSeconds:${seconds}}`,
  );
}

export function validateTaintEffect(effect: unknown, allowEmpty: boolean, field: string): FieldError[] {
  if (!allowEmpty && !effect) return [required(field)];
  return TAINT_EFFECTS.includes(String(effect)) ? [] : [notSupported(field, effect ?? '', TAINT_EFFECTS)];
}

export function validateTolerations(tolerations: unknown, field: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!Array.isArray(tolerations)) return errs;
  tolerations.forEach((t, i) => {
    const p = `${field}[${i}]`;
    const key = String(t?.key ?? '');
    const operator = String(t?.operator ?? '');
    const value = String(t?.value ?? '');
    if (key) errs.push(...validateLabelName(key, `${p}.key`));
    if (!key && operator !== 'Exists') {
      errs.push(invalid(`${p}.operator`, operator, 'operator must be Exists when `key` is empty, which means "match all values and all keys"'));
    }
    if (t?.tolerationSeconds != null && t?.effect !== 'NoExecute') {
      errs.push(invalid(`${p}.effect`, String(t?.effect ?? ''), "effect must be 'NoExecute' when `tolerationSeconds` is set"));
    }
    switch (operator) {
      case 'Equal':
      case '': {
        const msgs = isValidLabelValue(value);
        if (msgs.length) errs.push(invalid(`${p}.operator`, value, msgs.join(';')));
        break;
      }
      case 'Exists':
        if (value) errs.push(invalid(`${p}.operator`, goToleration(t), "value must be empty when `operator` is 'Exists'"));
        break;
      default:
        errs.push(notSupported(`${p}.operator`, operator, ['Equal', 'Exists']));
    }
    if (t?.effect) errs.push(...validateTaintEffect(t.effect, true, `${p}.effect`));
  });
  return errs;
}
