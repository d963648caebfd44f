// Field selectors (?fieldSelector=): only equality and inequality on the
// fields a resource declares, as Kubernetes supports.

export interface FieldRequirement {
  field: string;
  op: '=' | '!=';
  value: string;
}

export class FieldSelectorError extends Error {}

export function parseFieldSelector(selector: string): FieldRequirement[] {
  const s = selector.trim();
  if (s === '') return [];
  return s.split(',').map((term) => {
    const m = term.trim().match(/^([^=!]+?)\s*(==|=|!=)\s*(.*)$/);
    if (!m) throw new FieldSelectorError(`invalid selector: '${selector}'; can't understand '${term}'`);
    return { field: m[1].trim(), op: m[2] === '!=' ? '!=' : '=', value: m[3].trim() };
  });
}

export type FieldGetter = (obj: any) => string;

/** Fields every object supports. */
export const metadataFields: Record<string, FieldGetter> = {
  'metadata.name': (o) => o?.metadata?.name ?? '',
  'metadata.namespace': (o) => o?.metadata?.namespace ?? '',
};

export function matchFields(reqs: readonly FieldRequirement[], getters: Record<string, FieldGetter>, obj: unknown): boolean {
  for (const r of reqs) {
    const v = getters[r.field](obj);
    if ((v === r.value) !== (r.op === '=')) return false;
  }
  return true;
}

/** Throws for a field the resource does not support (the caller wraps the message). */
export function checkFieldsSupported(reqs: readonly FieldRequirement[], getters: Record<string, FieldGetter>): void {
  for (const r of reqs) if (!getters[r.field]) throw new FieldSelectorError(`field label not supported: ${r.field}`);
}
