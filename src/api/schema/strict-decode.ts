// Server-side field validation: finds unknown and duplicate fields the way Kubernetes' strict JSON
// decoder (sigs.k8s.io/json) reports them, and the type mismatches Go's decoder refuses, with
// Go's exact messages. Works on raw JSON text (faithful: sees duplicates and number literals) or
// on an already-decoded value (e.g. from YAML).
import type { FieldDef, TypeDef, TypeRef } from './dsl.js';

export type TypeLookup = (name: string) => TypeDef | undefined;

export interface TypeMismatch {
  /** Kubernetes-style path of the offending value, e.g. spec.replicas */
  path: string;
  /** The Go error text, e.g. json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32 */
  message: string;
}

export interface FieldCheckResult {
  /** Paths of unknown fields, in document order (spec.containers[0].imagee). */
  unknown: string[];
  /** Paths of duplicated fields, in document order (metadata.name). */
  duplicates: string[];
  /** Both kinds as Kubernetes words them, interleaved in document order, deduplicated, at most 100. */
  problems: string[];
  /** Decoding failures. Kubernetes reports only the first one; it wins over strict problems. */
  typeErrors: TypeMismatch[];
}

/** Kubernetes stops collecting strict errors after this many. */
const MAX_STRICT_ERRORS = 100;

/**
 * Walks obj against the named type. Pass the original JSON text too when there is one: only the
 * text shows duplicate keys and number literals such as 1.0 that Go refuses for integers.
 */
export function checkFields(obj: unknown, typeName: string, lookup: TypeLookup, jsonText?: string): FieldCheckResult {
  const walker = new Walker(lookup);
  const def = lookup(typeName);
  if (!def) return walker.result();
  let tree: JsonNode;
  if (jsonText !== undefined) {
    try {
      tree = parseJsonTree(jsonText);
    } catch {
      tree = treeFromValue(obj);
    }
  } else tree = treeFromValue(obj);
  walker.run(tree, { t: 'ref', name: def.name });
  return walker.result();
}

/**
 * Paths of duplicated keys in raw JSON text (`metadata.name`, `spec.template.spec.containers[0].image`).
 * With a type, follows the decoder: nothing inside unknown or free-form fields is reported. Without
 * one, every object in the document is checked. Malformed JSON gives [].
 */
export function findDuplicateFields(jsonText: string, typeName?: string, lookup?: TypeLookup): string[] {
  let tree: JsonNode;
  try {
    tree = parseJsonTree(jsonText);
  } catch {
    return [];
  }
  if (typeName && lookup && lookup(typeName)) {
    const walker = new Walker(lookup);
    walker.run(tree, { t: 'ref', name: typeName });
    return walker.result().duplicates;
  }
  const out: string[] = [];
  const visit = (node: JsonNode, path: string): void => {
    if (node.k === 'array') node.items.forEach((item, i) => visit(item, `${path}[${i}]`));
    if (node.k !== 'object') return;
    const seen = new Set<string>();
    for (const [key, child] of node.entries) {
      const p = joinPath(path, key);
      if (seen.has(key)) {
        if (!out.includes(p)) out.push(p);
      } else seen.add(key);
      visit(child, p);
    }
  };
  visit(tree, '');
  return out;
}

/** `Pod in version "v1" cannot be handled as a Pod: strict decoding error: unknown field "spec.foo", …` */
export function strictErrorMessage(kind: string, version: string, problems: readonly string[]): string {
  return `${kind} in version "${version}" cannot be handled as a ${kind}: strict decoding error: ${problems.join(', ')}`;
}

/** The message for a decoding failure: `Deployment in version "v1" cannot be handled as a Deployment: json: …` */
export function decodeErrorMessage(kind: string, version: string, mismatch: TypeMismatch): string {
  return `${kind} in version "${version}" cannot be handled as a ${kind}: ${mismatch.message}`;
}

/** fieldValidation=Warn: each problem becomes one warning text (`unknown field "spec.foo"`). */
export function strictWarnings(problems: readonly string[]): string[] {
  return [...problems];
}

/** Value of a `Warning` response header for one warning text: `299 - "unknown field \"spec.foo\""`. */
export function warningHeaderValue(text: string): string {
  return `299 - "${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

// ---------------------------------------------------------------------------------------------
// The schema walk

interface Ctx {
  /** Kubernetes-style path (with [i] for list items and .key for map entries). */
  path: string;
  /** Go struct holding the current field, for "Go struct field X.…" messages. */
  goStruct: string;
  /** JSON names of the struct fields passed through (Go leaves out list indexes and map keys). */
  goStack: string[];
}

/** Thrown to stop the walk: Go's custom unmarshalers abort decoding at the first failure. */
class FatalDecodeError extends Error {}

class Walker {
  private readonly unknown: string[] = [];
  private readonly duplicates: string[] = [];
  private readonly problems: string[] = [];
  private readonly seenProblems = new Set<string>();
  private readonly typeErrors: TypeMismatch[] = [];

  constructor(private readonly lookup: TypeLookup) {}

  run(tree: JsonNode, type: TypeRef): void {
    try {
      this.walk(tree, type, { path: '', goStruct: '', goStack: [] });
    } catch (e) {
      if (!(e instanceof FatalDecodeError)) throw e;
    }
  }

  result(): FieldCheckResult {
    return { unknown: this.unknown, duplicates: this.duplicates, problems: this.problems, typeErrors: this.typeErrors };
  }

  private strict(kind: 'unknown' | 'duplicate', path: string): void {
    const msg = `${kind} field "${path}"`;
    if (this.seenProblems.has(msg) || this.problems.length >= MAX_STRICT_ERRORS) return;
    this.seenProblems.add(msg);
    this.problems.push(msg);
    (kind === 'unknown' ? this.unknown : this.duplicates).push(path);
  }

  /** Go's UnmarshalTypeError, decorated with the struct field context like encoding/json does. */
  private mismatch(value: string, goType: string, ctx: Ctx): void {
    const message = ctx.goStack.length
      ? `json: cannot unmarshal ${value} into Go struct field ${ctx.goStruct}.${ctx.goStack.join('.')} of type ${goType}`
      : `json: cannot unmarshal ${value} into Go value of type ${goType}`;
    this.typeErrors.push({ path: ctx.path, message });
  }

  /** An error returned by a custom UnmarshalJSON: reported as is, and decoding stops. */
  private fatal(message: string, ctx: Ctx): never {
    this.typeErrors.unshift({ path: ctx.path, message });
    throw new FatalDecodeError(message);
  }

  private walk(node: JsonNode, type: TypeRef, ctx: Ctx): void {
    if (node.k === 'null') {
      // null is a no-op for Go values, except that metav1.Duration parses it as "".
      if (type.t === 'duration') this.fatal('time: invalid duration ""', ctx);
      return;
    }
    switch (type.t) {
      case 'string':
        if (node.k !== 'string') this.mismatch(goValueKind(node), 'string', ctx);
        return;
      case 'int32':
      case 'int64':
        if (node.k !== 'number') this.mismatch(goValueKind(node), type.t, ctx);
        else if (!fitsInt(node.raw, type.t === 'int32' ? 32 : 64)) this.mismatch(`number ${node.raw}`, type.t, ctx);
        return;
      case 'double':
        if (node.k !== 'number') this.mismatch(goValueKind(node), 'float64', ctx);
        else if (!Number.isFinite(Number(node.raw))) this.mismatch(`number ${node.raw}`, 'float64', ctx);
        return;
      case 'boolean':
        if (node.k !== 'bool') this.mismatch(goValueKind(node), 'bool', ctx);
        return;
      case 'bytes':
        if (node.k === 'string') {
          const bad = base64ErrorOffset(node.value);
          if (bad !== undefined) this.typeErrors.push({ path: ctx.path, message: `illegal base64 data at input byte ${bad}` });
        } else if (node.k !== 'array') this.mismatch(goValueKind(node), '[]uint8', ctx);
        return;
      case 'quantity': {
        const text = node.k === 'string' ? node.value.trim() : node.k === 'number' ? node.raw : '';
        const err = node.k === 'string' || node.k === 'number' ? quantityError(text) : QUANTITY_FORMAT_ERROR;
        if (err) this.fatal(err, ctx);
        return;
      }
      case 'intOrString':
        if (node.k === 'string') return;
        if (node.k !== 'number') this.fatal(`json: cannot unmarshal ${goValueKind(node)} into Go value of type int32`, ctx);
        else if (!fitsInt(node.raw, 32)) this.fatal(`json: cannot unmarshal number ${node.raw} into Go value of type int32`, ctx);
        return;
      case 'time':
      case 'microTime':
      case 'duration': {
        if (node.k !== 'string') this.fatal(`json: cannot unmarshal ${goValueKind(node)} into Go value of type string`, ctx);
        const err =
          type.t === 'duration' ? durationError(node.value) : timeError(node.value, type.t === 'microTime');
        if (err) this.fatal(err, ctx);
        return;
      }
      case 'raw':
      case 'fieldsV1':
        return; // free-form: nothing inside is checked
      case 'array':
        if (node.k !== 'array') {
          this.mismatch(goValueKind(node), goTypeName(type), ctx);
          return;
        }
        node.items.forEach((item, i) => this.walk(item, type.of, { ...ctx, path: `${ctx.path}[${i}]` }));
        return;
      case 'map': {
        if (node.k !== 'object') {
          this.mismatch(goValueKind(node), goTypeName(type), ctx);
          return;
        }
        const seen = new Set<string>();
        for (const [key, child] of node.entries) {
          const path = joinPath(ctx.path, key);
          if (seen.has(key)) this.strict('duplicate', path);
          else seen.add(key);
          this.walk(child, type.of, { ...ctx, path });
        }
        return;
      }
      case 'ref': {
        const def = this.lookup(type.name);
        if (!def) return;
        if (node.k !== 'object') {
          this.mismatch(goValueKind(node), goTypeName(type), ctx);
          return;
        }
        const fields = jsonFields(def, this.lookup);
        const goStruct = shortName(def.name);
        const seen = new Set<string>();
        for (const [key, child] of node.entries) {
          const path = joinPath(ctx.path, key);
          const f = fields.get(key);
          if (!f) {
            this.strict('unknown', path); // the value of an unknown field is skipped unread
            continue;
          }
          if (seen.has(key)) this.strict('duplicate', path);
          else seen.add(key);
          this.walk(child, f.type, { path, goStruct, goStack: [...ctx.goStack, key] });
        }
        return;
      }
    }
  }
}

function joinPath(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}

const fieldCache = new WeakMap<TypeDef, Map<string, FieldDef>>();

/** JSON names accepted by a type, with inline (embedded) types' fields flattened in. */
function jsonFields(def: TypeDef, lookup: TypeLookup, depth = 0): Map<string, FieldDef> {
  const cached = fieldCache.get(def);
  if (cached) return cached;
  const out = new Map<string, FieldDef>();
  for (const f of def.fields) {
    if (f.inline && f.type.t === 'ref' && depth < 16) {
      const inner = lookup(f.type.name);
      if (inner) for (const [k, v] of jsonFields(inner, lookup, depth + 1)) if (!out.has(k)) out.set(k, v);
    } else out.set(f.json, f);
  }
  fieldCache.set(def, out);
  return out;
}

function shortName(name: string): string {
  return name.slice(name.lastIndexOf('.') + 1);
}

/** Go's reflect name of the type (package name + type), as printed in decoder errors. */
export function goTypeName(type: TypeRef): string {
  switch (type.t) {
    case 'string':
      return 'string';
    case 'int32':
    case 'int64':
      return type.t;
    case 'double':
      return 'float64';
    case 'boolean':
      return 'bool';
    case 'bytes':
      return '[]uint8';
    case 'quantity':
      return 'resource.Quantity';
    case 'intOrString':
      return 'intstr.IntOrString';
    case 'time':
      return 'v1.Time';
    case 'microTime':
      return 'v1.MicroTime';
    case 'duration':
      return 'v1.Duration';
    case 'raw':
      return 'runtime.RawExtension';
    case 'fieldsV1':
      return 'v1.FieldsV1';
    case 'array':
      return `[]${goTypeName(type.of)}`;
    case 'map':
      return `map[string]${goTypeName(type.of)}`;
    case 'ref': {
      const parts = type.name.split('.');
      return parts.length >= 2 ? `${parts[parts.length - 2]}.${parts[parts.length - 1]}` : type.name;
    }
  }
}

/** Does this JSON number literal parse as a signed integer of the given width (Go's ParseInt rules)? */
function fitsInt(raw: string, bits: 32 | 64): boolean {
  if (!/^-?\d+$/.test(raw)) return false;
  const v = BigInt(raw);
  const max = (1n << BigInt(bits - 1)) - 1n;
  return v <= max && v >= -max - 1n;
}

// ---- custom unmarshalers' own validation ----

const QUANTITY_FORMAT_ERROR =
  "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";

/** resource.ParseQuantity's error for text, or undefined when it is a valid quantity. */
export function quantityError(text: string): string | undefined {
  const m = /^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$/.exec(text);
  if (!m) return QUANTITY_FORMAT_ERROR;
  if (!/^[+-]?(\d+\.?\d*|\.\d+)$/.test(m[1])) return 'unable to parse numeric part of quantity';
  if (!/^(|Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|[eE][+-]?\d+)$/.test(m[2])) return "unable to parse quantity's suffix";
  return undefined;
}

/** time.ParseDuration's error for s, or undefined. */
export function durationError(s: string): string | undefined {
  const quoted = JSON.stringify(s);
  let rest = s.replace(/^[+-]/, '');
  if (rest === '0') return undefined;
  if (rest === '') return `time: invalid duration ${quoted}`;
  while (rest) {
    const num = /^(\d*)(\.\d*)?/.exec(rest)!;
    if (num[0] === '' || num[0] === '.') return `time: invalid duration ${quoted}`;
    rest = rest.slice(num[0].length);
    const unit = /^[^\d.]*/.exec(rest)![0];
    if (!unit) return `time: missing unit in duration ${quoted}`;
    if (!['ns', 'us', 'µs', 'μs', 'ms', 's', 'm', 'h'].includes(unit)) {
      return `time: unknown unit ${JSON.stringify(unit)} in duration ${quoted}`;
    }
    rest = rest.slice(unit.length);
  }
  return undefined;
}

/**
 * time.Parse(RFC3339[Micro], s) errors, element by element like Go reports them:
 * `parsing time "x" as "2006-01-02T15:04:05Z07:00": cannot parse "x" as "2006"`.
 */
export function timeError(s: string, micro: boolean): string | undefined {
  const layout = micro ? '2006-01-02T15:04:05.000000Z07:00' : '2006-01-02T15:04:05Z07:00';
  const q = (x: string) => JSON.stringify(x);
  const cannot = (rest: string, elem: string) => `parsing time ${q(s)} as ${q(layout)}: cannot parse ${q(rest)} as ${q(elem)}`;
  const range = (what: string) => `parsing time ${q(s)}: ${what} out of range`;
  let rest = s;
  const digits = (n: number, elem: string): number | string => {
    if (!new RegExp(`^\\d{${n}}`).test(rest)) return cannot(rest, elem);
    const v = Number(rest.slice(0, n));
    rest = rest.slice(n);
    return v;
  };
  const literal = (lit: string): string | undefined => {
    if (!rest.startsWith(lit)) return cannot(rest, lit);
    rest = rest.slice(lit.length);
    return undefined;
  };
  const year = digits(4, '2006');
  if (typeof year === 'string') return year;
  let e = literal('-');
  if (e) return e;
  const month = digits(2, '01');
  if (typeof month === 'string') return month;
  if (month < 1 || month > 12) return range('month');
  if ((e = literal('-'))) return e;
  const day = digits(2, '02');
  if (typeof day === 'string') return day;
  if ((e = literal('T'))) return e;
  const hm = /^\d{1,2}/.exec(rest); // hour "15" accepts one or two digits
  if (!hm) return cannot(rest, '15');
  rest = rest.slice(hm[0].length);
  if (Number(hm[0]) > 23) return range('hour');
  if ((e = literal(':'))) return e;
  const minute = digits(2, '04');
  if (typeof minute === 'string') return minute;
  if (minute > 59) return range('minute');
  if ((e = literal(':'))) return e;
  const second = digits(2, '05');
  if (typeof second === 'string') return second;
  if (second > 59) return range('second');
  if (micro) {
    if (!/^\.\d{6}/.test(rest)) return cannot(rest, '.000000');
    rest = rest.slice(7);
  } else {
    const frac = /^[.,]\d+/.exec(rest);
    if (frac) rest = rest.slice(frac[0].length);
  }
  if (rest.startsWith('Z')) rest = rest.slice(1);
  else if (/^[+-]\d{2}:\d{2}/.test(rest)) rest = rest.slice(6);
  else return cannot(rest, 'Z07:00');
  if (rest) return `parsing time ${q(s)}: extra text: ${q(rest)}`;
  const daysIn = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (day < 1 || day > daysIn) return range('day');
  return undefined;
}

/** Offset Go's base64.StdEncoding reports for invalid input, or undefined when valid. */
function base64ErrorOffset(s: string): number | undefined {
  let count = 0;
  let padding = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '\r' || c === '\n') continue;
    if (c === '=') {
      padding++;
      if (count % 4 < 2) return i;
      count++;
      continue;
    }
    if (padding > 0 || !/[A-Za-z0-9+/]/.test(c)) return i;
    count++;
  }
  // an unfinished last group is reported at its first character
  if (count % 4 !== 0) return s.length - (count % 4);
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// A JSON parser that keeps what JSON.parse throws away and Go's decoder reports on:
// duplicate keys, key order and the literal text of numbers.

export type JsonNode =
  | { k: 'object'; entries: [string, JsonNode][] }
  | { k: 'array'; items: JsonNode[] }
  | { k: 'string'; value: string }
  | { k: 'number'; raw: string }
  | { k: 'bool'; value: boolean }
  | { k: 'null' };

/** Parses JSON text; throws SyntaxError on malformed input. */
export function parseJsonTree(text: string): JsonNode {
  let pos = 0;
  const fail = (what: string): never => {
    throw new SyntaxError(`${what} at offset ${pos}`);
  };
  const skipWs = (): void => {
    while (pos < text.length && (text[pos] === ' ' || text[pos] === '\t' || text[pos] === '\n' || text[pos] === '\r')) pos++;
  };
  const parseString = (): string => {
    const start = pos++;
    while (pos < text.length) {
      const c = text[pos];
      if (c === '\\') pos += 2;
      else if (c === '"') return JSON.parse(text.slice(start, ++pos)) as string;
      else pos++;
    }
    return fail('unterminated string');
  };
  const parseValue = (depth: number): JsonNode => {
    if (depth > 10000) fail('nesting too deep');
    skipWs();
    const c = text[pos];
    if (c === '{' || c === '[') {
      const isObject = c === '{';
      const close = isObject ? '}' : ']';
      const entries: [string, JsonNode][] = [];
      const items: JsonNode[] = [];
      pos++;
      skipWs();
      if (text[pos] !== close) {
        for (;;) {
          if (isObject) {
            skipWs();
            if (text[pos] !== '"') fail('expected object key');
            const key = parseString();
            skipWs();
            if (text[pos++] !== ':') fail("expected ':'");
            entries.push([key, parseValue(depth + 1)]);
          } else items.push(parseValue(depth + 1));
          skipWs();
          if (text[pos] === ',') pos++;
          else if (text[pos] === close) break;
          else fail(`expected ',' or '${close}'`);
        }
      }
      pos++;
      return isObject ? { k: 'object', entries } : { k: 'array', items };
    }
    if (c === '"') return { k: 'string', value: parseString() };
    for (const [word, node] of [
      ['true', { k: 'bool', value: true }],
      ['false', { k: 'bool', value: false }],
      ['null', { k: 'null' }],
    ] as const) {
      if (text.startsWith(word, pos)) {
        pos += word.length;
        return node;
      }
    }
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(pos, pos + 1024));
    if (!m) return fail('invalid character');
    pos += m[0].length;
    return { k: 'number', raw: m[0] };
  };
  const root = parseValue(0);
  skipWs();
  if (pos !== text.length) fail('unexpected data after top-level value');
  return root;
}

/** An already-decoded value as a tree (no duplicates can be seen then). */
export function treeFromValue(v: unknown): JsonNode {
  if (v === null || v === undefined) return { k: 'null' };
  if (typeof v === 'string') return { k: 'string', value: v };
  if (typeof v === 'boolean') return { k: 'bool', value: v };
  if (typeof v === 'number' || typeof v === 'bigint') return { k: 'number', raw: String(v) };
  if (Array.isArray(v)) return { k: 'array', items: v.map(treeFromValue) };
  if (v instanceof Date) return { k: 'string', value: v.toISOString() };
  if (typeof v === 'object') {
    return { k: 'object', entries: Object.entries(v as Record<string, unknown>).map(([key, x]) => [key, treeFromValue(x)]) };
  }
  return { k: 'null' };
}

/** How Go's decoder names a JSON value's kind in "cannot unmarshal X" messages. */
function goValueKind(node: JsonNode): string {
  return node.k;
}
