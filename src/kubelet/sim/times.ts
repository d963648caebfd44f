// Kubernetes' two timestamp encodings: metav1.Time (RFC 3339, whole seconds)
// and metav1.MicroTime (six fractional digits), always in UTC.

export function rfc3339(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function microTime(d: Date): string {
  return d.toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}
