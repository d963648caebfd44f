// A validation failure for one field, as it appears in a 422 Status's details.causes.

export type FieldErrorReason =
  | 'FieldValueRequired'
  | 'FieldValueInvalid'
  | 'FieldValueNotSupported'
  | 'FieldValueDuplicate'
  | 'FieldValueForbidden'
  | 'FieldValueTooLong'
  | 'FieldValueTooMany'
  | 'InternalError'
  | 'FieldValueTypeInvalid';

export interface FieldError {
  reason: FieldErrorReason;
  /** e.g. "spec.containers[0].image" */
  field: string;
  /** The cause message as Kubernetes prints it, e.g. 'Required value' or 'Invalid value: "Foo": a lowercase RFC 1123 …' */
  message: string;
}
