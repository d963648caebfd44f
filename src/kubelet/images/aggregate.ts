// utilerrors.NewAggregate(...).Error() as Kubernetes prints several errors:
// one message as is; several, deduplicated, joined by ", " inside brackets.

export function aggregateErrorsOf(messages: string[]): string {
  const unique = [...new Set(messages)];
  if (unique.length === 0) return '';
  if (unique.length === 1) return unique[0];
  return `[${unique.join(', ')}]`;
}
