// Turns objects into meta.k8s.io Table responses (and PartialObjectMetadata)
// when the client's Accept header asks for them.

import type { ResourceDef } from '../api/resources.js';
import { defaultTablePrinter, tablePrinters } from './tables/index.js';
import type { TablePrinter } from './tables/table.js';

export type Rendering =
  | { as: 'object' }
  | { as: 'Table'; version: 'v1' | 'v1beta1' }
  | { as: 'PartialObjectMetadata'; version: 'v1' | 'v1beta1' };

/** Pick the first rendering in the Accept list we can serve. */
export function negotiate(accept: string | undefined): Rendering {
  if (!accept) return { as: 'object' };
  for (const part of accept.split(',')) {
    const params = new Map<string, string>();
    for (const kv of part.split(';').slice(1)) {
      const [k, v] = kv.trim().split('=');
      if (k) params.set(k, v ?? '');
    }
    const as = params.get('as');
    if (!as) return { as: 'object' };
    if (params.get('g') !== 'meta.k8s.io') continue;
    const version = params.get('v') === 'v1beta1' ? 'v1beta1' : 'v1';
    if (as === 'Table') return { as: 'Table', version };
    if (as === 'PartialObjectMetadata' || as === 'PartialObjectMetadataList') return { as: 'PartialObjectMetadata', version };
  }
  return { as: 'object' };
}

export function printerFor(def: ResourceDef): TablePrinter {
  return tablePrinters[`${def.group}/${def.plural}`] ?? defaultTablePrinter();
}

export function partialMetadata(obj: any, version = 'v1'): unknown {
  return { kind: 'PartialObjectMetadata', apiVersion: `meta.k8s.io/${version}`, metadata: obj.metadata };
}

export interface TableOptions {
  includeObject?: string; // None | Metadata | Object
  version: 'v1' | 'v1beta1';
  resourceVersion?: string;
  continueToken?: string;
  remainingItemCount?: number;
  /** Omit columnDefinitions (watch events after the first). */
  noColumns?: boolean;
  now?: Date;
}

export function toTable(def: ResourceDef, objs: any[], opts: TableOptions): unknown {
  const printer = printerFor(def);
  const now = opts.now ?? new Date();
  const include = opts.includeObject || 'Metadata';
  const rows = objs.map((obj) => {
    const row: Record<string, unknown> = { cells: printer.row(obj, now) };
    if (include === 'Object') row.object = obj;
    else if (include === 'Metadata') row.object = partialMetadata(obj, opts.version);
    return row;
  });
  const metadata: Record<string, unknown> = {};
  if (opts.resourceVersion) metadata.resourceVersion = opts.resourceVersion;
  if (opts.continueToken) metadata.continue = opts.continueToken;
  if (opts.remainingItemCount !== undefined) metadata.remainingItemCount = opts.remainingItemCount;
  return {
    kind: 'Table',
    apiVersion: `meta.k8s.io/${opts.version}`,
    metadata,
    columnDefinitions: opts.noColumns ? null : printer.columns,
    rows,
  };
}
