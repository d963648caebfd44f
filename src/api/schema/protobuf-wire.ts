// Minimal protobuf wire-format reader: splits a message into its raw fields.
// Interpretation of the fields (which number means what) is left to the caller.

export const WIRE_VARINT = 0;
export const WIRE_FIXED64 = 1;
export const WIRE_BYTES = 2;
export const WIRE_START_GROUP = 3;
export const WIRE_END_GROUP = 4;
export const WIRE_FIXED32 = 5;

export interface WireField {
  num: number;
  wireType: number;
  /** Set for varint fields (kept as bigint so 64-bit values survive). */
  varint?: bigint;
  /** Set for length-delimited, fixed64 (8 bytes) and fixed32 (4 bytes) fields. */
  bytes?: Buffer;
}

export class ProtobufWireError extends Error {}

/** Reads one varint starting at pos; returns its value and the position after it. */
export function readVarint(buf: Buffer, pos: number): { value: bigint; next: number } {
  let result = 0n;
  let shift = 0n;
  for (let i = 0; i < 10; i++) {
    if (pos >= buf.length) throw new ProtobufWireError('proto: unexpected end of data in varint');
    const b = buf[pos++];
    result |= BigInt(b & 0x7f) << shift;
    if ((b & 0x80) === 0) return { value: BigInt.asUintN(64, result), next: pos };
    shift += 7n;
  }
  throw new ProtobufWireError('proto: integer overflow in varint');
}

/** Splits buf into its fields, in wire order. Groups are rejected (Kubernetes never uses them). */
export function readFields(buf: Buffer): WireField[] {
  const fields: WireField[] = [];
  let pos = 0;
  while (pos < buf.length) {
    const tag = readVarint(buf, pos);
    pos = tag.next;
    const num = Number(tag.value >> 3n);
    const wireType = Number(tag.value & 7n);
    if (num <= 0) throw new ProtobufWireError(`proto: illegal field number ${num}`);
    switch (wireType) {
      case WIRE_VARINT: {
        const v = readVarint(buf, pos);
        pos = v.next;
        fields.push({ num, wireType, varint: v.value });
        break;
      }
      case WIRE_FIXED64:
      case WIRE_FIXED32: {
        const size = wireType === WIRE_FIXED64 ? 8 : 4;
        if (pos + size > buf.length) throw new ProtobufWireError('proto: unexpected end of data');
        fields.push({ num, wireType, bytes: buf.subarray(pos, pos + size) });
        pos += size;
        break;
      }
      case WIRE_BYTES: {
        const len = readVarint(buf, pos);
        pos = len.next;
        const end = pos + Number(len.value);
        if (len.value > BigInt(buf.length) || end > buf.length) {
          throw new ProtobufWireError('proto: unexpected end of data in length-delimited field');
        }
        fields.push({ num, wireType, bytes: buf.subarray(pos, end) });
        pos = end;
        break;
      }
      default:
        throw new ProtobufWireError(`proto: illegal wireType ${wireType} for field ${num}`);
    }
  }
  return fields;
}

/** Reads a run of varints (a packed repeated field's payload). */
export function readPackedVarints(buf: Buffer): bigint[] {
  const out: bigint[] = [];
  let pos = 0;
  while (pos < buf.length) {
    const v = readVarint(buf, pos);
    out.push(v.value);
    pos = v.next;
  }
  return out;
}
