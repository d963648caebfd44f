// Fallback for kinds without a dedicated printer: NAME and CREATED AT (RFC 3339, UTC, whole seconds).

import { column, nameColumn, str } from './columns.js';
import { parseTimestamp } from './duration.js';
import type { TablePrinter } from './table.js';

/** Go's zero time, which is what an unset creationTimestamp formats as. */
const ZERO_TIME = '0001-01-01T00:00:00Z';

export function rfc3339(value: unknown): string {
  const t = parseTimestamp(value);
  if (t === undefined) return ZERO_TIME;
  return new Date(Math.floor(t / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

export function defaultTablePrinter(): TablePrinter {
  return {
    columns: [nameColumn(), column('Created At', 'date', 'When the object was created (metadata.creationTimestamp).')],
    row(obj) {
      return [str(obj.metadata?.name), rfc3339(obj.metadata?.creationTimestamp)];
    },
  };
}
