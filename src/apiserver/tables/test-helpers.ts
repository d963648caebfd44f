// Shared fixtures for the printer tests: a fixed clock and timestamps relative to it.

export const NOW = new Date('2024-06-01T12:00:00Z');

/** RFC 3339 timestamp `ms` milliseconds before NOW. */
export function ago(ms: number): string {
  return new Date(NOW.getTime() - ms).toISOString().replace('.000Z', 'Z');
}

export const S = 1000;
export const M = 60 * S;
export const H = 60 * M;
export const D = 24 * H;

/** metadata with a name and a creation time `ageMs` before NOW. */
export function meta(name: string, ageMs = 5 * M, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { name, namespace: 'default', creationTimestamp: ago(ageMs), ...extra };
}
