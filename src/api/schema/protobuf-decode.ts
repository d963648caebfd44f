// Decodes Kubernetes protobuf request bodies ("k8s\0" + runtime.Unknown) into the same JSON
// shape a JSON client would have sent, using the proto field numbers of the schema.
import type { FieldDef, TypeDef, TypeRef } from './dsl.js';
import {
  ProtobufWireError,
  WIRE_BYTES,
  WIRE_FIXED64,
  WIRE_VARINT,
  readFields,
  readPackedVarints,
  type WireField,
} from './protobuf-wire.js';

export type TypeLookup = (name: string) => TypeDef | undefined;
export type GVKLookup = (group: string, version: string, kind: string) => TypeDef | undefined;

export interface DecodedProtobuf {
  apiVersion: string;
  kind: string;
  object: Record<string, unknown>;
}

/** "k8s\0": the prefix of every Kubernetes protobuf body. */
export const KUBERNETES_PROTOBUF_MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00]);

export function decodeKubernetesProtobuf(body: Buffer, lookupForGVK: GVKLookup, lookup: TypeLookup): DecodedProtobuf {
  if (body.length < 4 || !body.subarray(0, 4).equals(KUBERNETES_PROTOBUF_MAGIC)) {
    throw new Error('provided data does not appear to be a protobuf message, expected prefix [107 56 115 0]');
  }
  // runtime.Unknown: 1 typeMeta, 2 raw, 3 contentEncoding, 4 contentType
  let apiVersion = '';
  let kind = '';
  let raw: Buffer = Buffer.alloc(0);
  let contentEncoding = '';
  for (const f of readFields(body.subarray(4))) {
    if (f.num === 1 && f.bytes) {
      for (const t of readFields(f.bytes)) {
        if (t.num === 1 && t.bytes) apiVersion = t.bytes.toString('utf8');
        if (t.num === 2 && t.bytes) kind = t.bytes.toString('utf8');
      }
    } else if (f.num === 2 && f.bytes) raw = f.bytes;
    else if (f.num === 3 && f.bytes) contentEncoding = f.bytes.toString('utf8');
  }
  if (contentEncoding) throw new Error(`unsupported protobuf content encoding "${contentEncoding}"`);
  if (!kind) throw new Error("Object 'Kind' is missing in protobuf body");
  const slash = apiVersion.indexOf('/');
  const group = slash < 0 ? '' : apiVersion.slice(0, slash);
  const version = slash < 0 ? apiVersion : apiVersion.slice(slash + 1);
  const def = lookupForGVK(group, version, kind);
  if (!def) throw new Error(`no kind "${kind}" is registered for version "${apiVersion}"`);
  const decoded = decodeMessage(raw, def, lookup);
  return { apiVersion, kind, object: { apiVersion, kind, ...decoded } };
}

/** Decodes one message of the given type (without envelope) into its JSON form. */
export function decodeMessage(buf: Buffer, def: TypeDef, lookup: TypeLookup): Record<string, unknown> {
  const byNumber = protoIndex(def);
  const values = new Map<FieldDef, unknown>();
  for (const wf of readFields(buf)) {
    const f = byNumber.get(wf.num);
    if (!f) continue; // unknown field numbers are skipped, as Go does
    if (f.type.t === 'array') {
      const list = (values.get(f) as unknown[] | undefined) ?? [];
      appendRepeated(list, wf, f.type.of, f.json, lookup);
      values.set(f, list);
    } else if (f.type.t === 'map') {
      const m = (values.get(f) as Record<string, unknown> | undefined) ?? {};
      decodeMapEntry(m, wf, f.type.of, f.json, lookup);
      values.set(f, m);
    } else {
      values.set(f, decodeSingle(wf, f.type, f.json, !!f.pointer, lookup));
    }
  }
  const out: Record<string, unknown> = {};
  for (const f of def.fields) {
    if (!values.has(f)) continue;
    const v = values.get(f);
    if (f.inline) {
      if (v && typeof v === 'object') Object.assign(out, v);
      continue;
    }
    if (v === undefined) continue;
    // gogo-protobuf writes non-pointer fields even when empty; in JSON they are omitempty.
    if (!f.pointer && isZeroValue(v)) continue;
    out[f.json] = v;
  }
  return out;
}

const indexCache = new WeakMap<TypeDef, Map<number, FieldDef>>();

function protoIndex(def: TypeDef): Map<number, FieldDef> {
  let idx = indexCache.get(def);
  if (!idx) {
    idx = new Map();
    for (const f of def.fields) if (f.proto > 0) idx.set(f.proto, f);
    indexCache.set(def, idx);
  }
  return idx;
}

function expectedWireType(type: TypeRef): number {
  switch (type.t) {
    case 'int32':
    case 'int64':
    case 'boolean':
      return WIRE_VARINT;
    case 'double':
      return WIRE_FIXED64;
    default:
      return WIRE_BYTES;
  }
}

function checkWire(wf: WireField, type: TypeRef, name: string): void {
  if (wf.wireType !== expectedWireType(type)) {
    throw new ProtobufWireError(`proto: wrong wireType = ${wf.wireType} for field ${name}`);
  }
}

function appendRepeated(list: unknown[], wf: WireField, of: TypeRef, name: string, lookup: TypeLookup): void {
  const scalarWire = expectedWireType(of);
  if (wf.wireType === WIRE_BYTES && scalarWire !== WIRE_BYTES) {
    // packed encoding of numbers / bools
    if (scalarWire === WIRE_VARINT) {
      for (const v of readPackedVarints(wf.bytes!)) list.push(scalarFromVarint(v, of));
    } else {
      const b = wf.bytes!;
      if (b.length % 8 !== 0) throw new ProtobufWireError(`proto: bad packed length for field ${name}`);
      for (let i = 0; i < b.length; i += 8) list.push(b.readDoubleLE(i));
    }
    return;
  }
  const v = decodeSingle(wf, of, name, true, lookup);
  list.push(v === undefined ? zeroValue(of) : v);
}

function decodeMapEntry(m: Record<string, unknown>, wf: WireField, of: TypeRef, name: string, lookup: TypeLookup): void {
  checkWire(wf, { t: 'map', of }, name);
  let key = '';
  let value: unknown;
  for (const e of readFields(wf.bytes!)) {
    if (e.num === 1) {
      checkWire(e, { t: 'string' }, name);
      key = e.bytes!.toString('utf8');
    } else if (e.num === 2) {
      value = decodeSingle(e, of, name, true, lookup);
    }
  }
  m[key] = value === undefined ? zeroValue(of) : value;
}

function scalarFromVarint(v: bigint, type: TypeRef): unknown {
  switch (type.t) {
    case 'int32':
      return Number(BigInt.asIntN(32, v));
    case 'int64':
      return Number(BigInt.asIntN(64, v));
    case 'boolean':
      return v !== 0n;
    default:
      return Number(v);
  }
}

/** Decodes one occurrence of a non-repeated value. `pointer` keeps zero-valued wrappers meaningful. */
function decodeSingle(wf: WireField, type: TypeRef, name: string, pointer: boolean, lookup: TypeLookup): unknown {
  checkWire(wf, type, name);
  switch (type.t) {
    case 'int32':
    case 'int64':
    case 'boolean':
      return scalarFromVarint(wf.varint!, type);
    case 'double':
      return wf.bytes!.readDoubleLE(0);
    case 'string':
      return wf.bytes!.toString('utf8');
    case 'bytes':
      return wf.bytes!.toString('base64');
    case 'quantity': {
      let s = '';
      for (const q of readFields(wf.bytes!)) if (q.num === 1 && q.bytes) s = q.bytes.toString('utf8');
      // A present-but-empty Quantity is zero, which JSON spells "0".
      return s === '' && pointer ? '0' : s;
    }
    case 'intOrString': {
      let kind = 0n;
      let intVal = 0;
      let strVal = '';
      for (const q of readFields(wf.bytes!)) {
        if (q.num === 1 && q.varint !== undefined) kind = q.varint;
        if (q.num === 2 && q.varint !== undefined) intVal = Number(BigInt.asIntN(32, q.varint));
        if (q.num === 3 && q.bytes) strVal = q.bytes.toString('utf8');
      }
      return kind === 1n ? strVal : intVal;
    }
    case 'time':
    case 'microTime': {
      let seconds = 0n;
      let nanos = 0;
      for (const q of readFields(wf.bytes!)) {
        if (q.num === 1 && q.varint !== undefined) seconds = BigInt.asIntN(64, q.varint);
        if (q.num === 2 && q.varint !== undefined) nanos = Number(BigInt.asIntN(32, q.varint));
      }
      if (seconds === 0n && nanos === 0) return undefined; // zero time is null / omitted
      return formatTime(seconds, nanos, type.t === 'microTime');
    }
    case 'duration': {
      let ns = 0n;
      for (const q of readFields(wf.bytes!)) if (q.num === 1 && q.varint !== undefined) ns = BigInt.asIntN(64, q.varint);
      return ns === 0n && !pointer ? undefined : formatGoDuration(ns);
    }
    case 'raw':
    case 'fieldsV1': {
      let raw: Buffer | undefined;
      for (const q of readFields(wf.bytes!)) if (q.num === 1 && q.bytes) raw = q.bytes;
      if (!raw || raw.length === 0) return undefined;
      try {
        return JSON.parse(raw.toString('utf8'));
      } catch {
        throw new Error(`field ${name}: embedded raw data is not JSON`);
      }
    }
    case 'ref': {
      const def = lookup(type.name);
      if (!def) throw new Error(`field ${name}: unknown type ${type.name}`);
      return decodeMessage(wf.bytes!, def, lookup);
    }
    case 'array': {
      // [][]X and map[string][]X travel as a wrapper message whose field 1 repeats the items.
      const list: unknown[] = [];
      for (const q of readFields(wf.bytes!)) if (q.num === 1) appendRepeated(list, q, type.of, name, lookup);
      return list;
    }
    case 'map': {
      const m: Record<string, unknown> = {};
      for (const q of readFields(wf.bytes!)) if (q.num === 1) decodeMapEntry(m, q, type.of, name, lookup);
      return m;
    }
  }
}

/** What Go's JSON encoder would write for a zero value of this type (used for map values / list items). */
function zeroValue(type: TypeRef): unknown {
  switch (type.t) {
    case 'string':
    case 'bytes':
      return '';
    case 'int32':
    case 'int64':
    case 'double':
    case 'intOrString':
      return 0;
    case 'boolean':
      return false;
    case 'quantity':
      return '0';
    case 'duration':
      return '0s';
    case 'array':
      return [];
    case 'ref':
    case 'map':
      return {};
    default:
      return null;
  }
}

export function isZeroValue(v: unknown): boolean {
  if (v === undefined || v === null || v === '' || v === 0 || v === false) return true;
  if (Array.isArray(v)) return v.length === 0;
  if (typeof v === 'object') return Object.keys(v as object).length === 0;
  return false;
}

/** metav1.Time → RFC 3339 in UTC with whole seconds; MicroTime keeps six fraction digits. */
export function formatTime(seconds: bigint, nanos: number, micro: boolean): string {
  const d = new Date(Number(seconds) * 1000);
  const base = d.toISOString().slice(0, 19);
  if (!micro) return `${base}Z`;
  return `${base}.${String(Math.floor(nanos / 1000)).padStart(6, '0')}Z`;
}

/** Go's time.Duration.String(): "1h2m3s", "1m0s", "500ms", "1.5µs", "0s". */
export function formatGoDuration(ns: bigint): string {
  if (ns === 0n) return '0s';
  const sign = ns < 0n ? '-' : '';
  const u = ns < 0n ? -ns : ns;
  if (u < 1000n) return `${sign}${u}ns`;
  if (u < 1_000_000n) return `${sign}${fraction(u, 1000n)}µs`;
  if (u < 1_000_000_000n) return `${sign}${fraction(u, 1_000_000n)}ms`;
  const hours = u / 3_600_000_000_000n;
  const minutes = (u / 60_000_000_000n) % 60n;
  const secs = fraction(u % 60_000_000_000n, 1_000_000_000n);
  let out = sign;
  if (hours > 0n) out += `${hours}h`;
  if (hours > 0n || minutes > 0n) out += `${minutes}m`;
  return `${out}${secs}s`;
}

function fraction(v: bigint, unit: bigint): string {
  const whole = v / unit;
  const rest = v % unit;
  if (rest === 0n) return `${whole}`;
  const digits = String(unit).length - 1;
  return `${whole}.${String(rest).padStart(digits, '0').replace(/0+$/, '')}`;
}
