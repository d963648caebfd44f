// RFC 6902 JSON patch, applied the way kube-apiserver applies it: the body is
// decoded strictly first (400 on a malformed body), then every operation runs
// against a copy of the object, so a failing operation leaves nothing behind.
// Kubernetes hides the reason an operation failed behind a generic 422.

export interface PatchErrorCause {
  reason?: string;
  message?: string;
  field?: string;
}

export interface PatchErrorDetails {
  causes?: PatchErrorCause[];
}

/**
 * A patch failure as the API server reports it. 500 with an empty reason is what
 * kube-apiserver answers for strategic-merge errors it does not classify.
 */
export class PatchError extends Error {
  constructor(
    readonly code: 400 | 409 | 422 | 500,
    readonly reason: 'BadRequest' | 'Conflict' | 'Invalid' | '',
    message: string,
    readonly details?: PatchErrorDetails,
  ) {
    super(message);
    this.name = 'PatchError';
  }
}

/** Go's name for the JSON kind of a value, as encoding/json prints it in unmarshal errors. */
export function goJsonKind(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'object') return 'object';
  if (typeof v === 'boolean') return 'bool';
  return typeof v; // 'string' | 'number'
}

interface Operation {
  op?: string;
  path?: string;
  from?: string;
  value?: unknown;
  hasValue: boolean;
}

function decodeError(message: string): PatchError {
  return new PatchError(400, 'BadRequest', `error decoding patch: ${message}`);
}

/** Validates the body like the apiserver's strict decode into []jsonPatchOp. */
function decodeOperations(patch: unknown): Operation[] {
  if (patch === null) return [];
  if (!Array.isArray(patch)) {
    throw decodeError(`json: cannot unmarshal ${goJsonKind(patch)} into Go value of type []handlers.jsonPatchOp`);
  }
  return patch.map((raw) => {
    if (raw === null) return { hasValue: false };
    if (typeof raw !== 'object' || Array.isArray(raw)) {
      throw decodeError(`json: cannot unmarshal ${goJsonKind(raw)} into Go value of type handlers.jsonPatchOp`);
    }
    const rec = raw as Record<string, unknown>;
    for (const name of ['op', 'path', 'from'] as const) {
      const v = rec[name];
      if (v !== undefined && v !== null && typeof v !== 'string') {
        throw decodeError(`json: cannot unmarshal ${goJsonKind(v)} into Go struct field jsonPatchOp.${name} of type string`);
      }
    }
    return {
      op: rec.op as string | undefined,
      path: rec.path as string | undefined,
      from: rec.from as string | undefined,
      value: rec.value,
      hasValue: Object.prototype.hasOwnProperty.call(rec, 'value'),
    };
  });
}

/** What kube-apiserver answers for any operation that cannot be applied. */
export function jsonPatchApplyError(): PatchError {
  return new PatchError(422, 'Invalid', 'the server rejected our request due to an error in our request', {});
}

/** Internal failure; the text is only for debugging, the caller sees the generic 422. */
class OpFailed extends Error {}

function parsePointer(path: string | undefined): string[] {
  if (path === undefined) throw new OpFailed('missing path');
  if (path === '') return [];
  if (!path.startsWith('/')) throw new OpFailed(`invalid pointer ${path}`);
  return path
    .slice(1)
    .split('/')
    .map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
}

type Container = Record<string, unknown> | unknown[];

function isContainer(v: unknown): v is Container {
  return typeof v === 'object' && v !== null;
}

/** Parses an array index token; `-n` counts from the end, as evanphx/json-patch allows. */
function arrayIndex(token: string, length: number, forInsert: boolean): number {
  if (!/^-?\d+$/.test(token)) throw new OpFailed(`bad index ${token}`);
  let idx = Number(token);
  if (idx < 0) {
    if (idx < -length) throw new OpFailed(`index out of range ${token}`);
    idx += length;
  }
  const max = forInsert ? length : length - 1;
  if (idx > max) throw new OpFailed(`index out of range ${token}`);
  return idx;
}

/** Walks to the parent container of the last token. */
function parentOf(doc: unknown, tokens: string[]): Container {
  let cur: unknown = doc;
  for (const t of tokens.slice(0, -1)) {
    if (Array.isArray(cur)) cur = cur[arrayIndex(t, cur.length, false)];
    else if (isContainer(cur) && Object.prototype.hasOwnProperty.call(cur, t)) cur = (cur as Record<string, unknown>)[t];
    else throw new OpFailed(`missing path ${t}`);
  }
  if (!isContainer(cur)) throw new OpFailed('parent is not a container');
  return cur;
}

function getAt(doc: unknown, tokens: string[]): unknown {
  if (tokens.length === 0) return doc;
  const parent = parentOf(doc, tokens);
  const last = tokens[tokens.length - 1];
  if (Array.isArray(parent)) return parent[arrayIndex(last, parent.length, false)];
  if (!Object.prototype.hasOwnProperty.call(parent, last)) throw new OpFailed(`missing key ${last}`);
  return parent[last];
}

interface Doc {
  root: unknown;
}

function addAt(doc: Doc, tokens: string[], value: unknown): void {
  if (tokens.length === 0) {
    doc.root = value;
    return;
  }
  const parent = parentOf(doc.root, tokens);
  const last = tokens[tokens.length - 1];
  if (Array.isArray(parent)) {
    const idx = last === '-' ? parent.length : arrayIndex(last, parent.length, true);
    parent.splice(idx, 0, value);
  } else {
    parent[last] = value;
  }
}

function removeAt(doc: Doc, tokens: string[]): unknown {
  if (tokens.length === 0) throw new OpFailed('cannot remove the whole document');
  const parent = parentOf(doc.root, tokens);
  const last = tokens[tokens.length - 1];
  if (Array.isArray(parent)) return parent.splice(arrayIndex(last, parent.length, false), 1)[0];
  if (!Object.prototype.hasOwnProperty.call(parent, last)) throw new OpFailed(`missing key ${last}`);
  const old = parent[last];
  delete parent[last];
  return old;
}

function replaceAt(doc: Doc, tokens: string[], value: unknown): void {
  if (tokens.length === 0) {
    doc.root = value;
    return;
  }
  const parent = parentOf(doc.root, tokens);
  const last = tokens[tokens.length - 1];
  if (Array.isArray(parent)) parent[arrayIndex(last, parent.length, false)] = value;
  else {
    if (!Object.prototype.hasOwnProperty.call(parent, last)) throw new OpFailed(`missing key ${last}`);
    parent[last] = value;
  }
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    return a.length === bb.length && a.every((v, i) => deepEqual(v, bb[i]));
  }
  const ak = Object.keys(a);
  const bo = b as Record<string, unknown>;
  if (ak.length !== Object.keys(bo).length) return false;
  return ak.every((k) => Object.prototype.hasOwnProperty.call(bo, k) && deepEqual((a as Record<string, unknown>)[k], bo[k]));
}

function applyOne(doc: Doc, op: Operation): void {
  switch (op.op) {
    case 'add':
      if (!op.hasValue) throw new OpFailed('missing value');
      addAt(doc, parsePointer(op.path), structuredClone(op.value));
      return;
    case 'remove':
      removeAt(doc, parsePointer(op.path));
      return;
    case 'replace':
      if (!op.hasValue) throw new OpFailed('missing value');
      replaceAt(doc, parsePointer(op.path), structuredClone(op.value));
      return;
    case 'move': {
      const from = parsePointer(op.from);
      const to = parsePointer(op.path);
      // A location cannot be moved into one of its own children.
      if (to.length > from.length && from.every((t, i) => t === to[i])) throw new OpFailed('move into own child');
      const value = removeAt(doc, from);
      addAt(doc, to, value);
      return;
    }
    case 'copy': {
      const value = getAt(doc.root, parsePointer(op.from));
      addAt(doc, parsePointer(op.path), structuredClone(value));
      return;
    }
    case 'test': {
      const tokens = parsePointer(op.path);
      let actual: unknown;
      try {
        actual = getAt(doc.root, tokens);
      } catch {
        // A missing location only matches an explicit null.
        if (op.value === null) return;
        throw new OpFailed('test failed: missing');
      }
      if (!deepEqual(actual, op.value ?? null)) throw new OpFailed('test failed');
      return;
    }
    default:
      throw new OpFailed(`unexpected kind ${op.op}`);
  }
}

/** Applies an RFC 6902 patch to a copy of `target`; throws PatchError (400 decode, 422 apply). */
export function applyJsonPatch(target: unknown, patch: unknown): any {
  const ops = decodeOperations(patch);
  const doc: Doc = { root: structuredClone(target) };
  for (const op of ops) {
    try {
      applyOne(doc, op);
    } catch (e) {
      if (e instanceof OpFailed) throw jsonPatchApplyError();
      throw e;
    }
  }
  return doc.root;
}
