// Builders for FieldError values whose messages read exactly like Kubernetes'
// field.Error bodies ("Invalid value: \"x\": detail", "Required value", …).

import type { FieldError, FieldErrorReason } from './field-error.js';
import { renderGoValue } from './go-value.js';

export function required(field: string, detail = ''): FieldError {
  return { reason: 'FieldValueRequired', field, message: withDetail('Required value', detail) };
}

export function invalid(field: string, value: unknown, detail: string): FieldError {
  return { reason: 'FieldValueInvalid', field, message: withDetail(`Invalid value: ${renderGoValue(value)}`, detail) };
}

export function notSupported(field: string, value: unknown, supported: readonly string[]): FieldError {
  const detail = supported.length ? `supported values: ${supported.map((v) => renderGoValue(v)).join(', ')}` : '';
  return { reason: 'FieldValueNotSupported', field, message: withDetail(`Unsupported value: ${renderGoValue(value)}`, detail) };
}

export function duplicate(field: string, value: unknown): FieldError {
  return { reason: 'FieldValueDuplicate', field, message: `Duplicate value: ${renderGoValue(value)}` };
}

export function forbidden(field: string, detail: string): FieldError {
  return { reason: 'FieldValueForbidden', field, message: withDetail('Forbidden', detail) };
}

/** Kubernetes leaves the (too long) value out of this message. */
export function tooLong(field: string, maxBytes: number): FieldError {
  return { reason: 'FieldValueTooLong', field, message: `Too long: must have at most ${maxBytes} bytes` };
}

export function tooMany(field: string, actual: number, max: number): FieldError {
  return { reason: 'FieldValueTooMany', field, message: `Too many: ${actual}: must have at most ${max} items` };
}

/**
 * Kubernetes reports FieldValueNotFound here; the shared FieldErrorReason union lacks it,
 * so the reason is asserted. kubectl only prints the message, which is exact.
 */
export function notFound(field: string, value: unknown): FieldError {
  return { reason: 'FieldValueNotFound' as FieldErrorReason, field, message: `Not found: ${renderGoValue(value)}` };
}

function withDetail(head: string, detail: string): string {
  return detail ? `${head}: ${detail}` : head;
}
