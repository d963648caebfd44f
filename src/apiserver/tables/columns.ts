// Building blocks shared by the per-resource printers.

import type { JsonObject, TableColumn } from './table.js';

type ColumnType = TableColumn['type'];

/** A column definition; `priority` 1 means "-o wide only". */
export function column(name: string, type: ColumnType, description: string, priority = 0, format = ''): TableColumn {
  return { name, type, format, description, priority };
}

export const nameColumn = (): TableColumn =>
  column('Name', 'string', 'Unique name of the object within its namespace (or cluster, for cluster-scoped kinds).', 0, 'name');

export const ageColumn = (): TableColumn =>
  column('Age', 'string', 'How long ago the object was created, from metadata.creationTimestamp.');

export const containersColumn = (): TableColumn =>
  column('Containers', 'string', 'Comma-separated names of the containers in the pod template.', 1);

export const imagesColumn = (): TableColumn =>
  column('Images', 'string', 'Comma-separated images used by the containers in the pod template.', 1);

/** Container names and images, each joined with commas. */
export function containerCells(containers: unknown): [string, string] {
  const list: JsonObject[] = Array.isArray(containers) ? containers : [];
  return [list.map((c) => c?.name ?? '').join(','), list.map((c) => c?.image ?? '').join(',')];
}

/** A Go int-ish field: the number when present, else 0 (the zero value). */
export function int(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) ? Math.trunc(value) : 0;
}

/** A Go string field: the string when present, else "". */
export function str(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

/** Number of keys in a map field. */
export function countKeys(value: unknown): number {
  return value != null && typeof value === 'object' ? Object.keys(value).length : 0;
}

/** Optional replica-count fields default to 1 in the API (Deployment/ReplicaSet/StatefulSet/RC). */
export function replicasOrDefault(value: unknown): number {
  return typeof value === 'number' ? Math.trunc(value) : 1;
}
