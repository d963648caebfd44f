// SPDY/3.1 framing, just enough to be a remote-command client of containerd's
// streaming server (the transport Kubernetes itself uses between kubelet and
// runtime, and the only one with a stdin half-close).
//
// Header blocks must be zlib streams (one stream per direction per connection).
// We only ever *send* small header blocks, and we send them as uncompressed
// "stored" deflate blocks: valid zlib that needs no compressor and no shared
// dictionary. Header blocks we receive are never needed (replies carry nothing
// remote-command uses), so they are skipped without inflating.

export const SPDY_VERSION = 3;

export const FrameType = {
  SynStream: 1,
  SynReply: 2,
  RstStream: 3,
  Settings: 4,
  Ping: 6,
  GoAway: 7,
  Headers: 8,
  WindowUpdate: 9,
} as const;

export const FLAG_FIN = 0x01;

export type SpdyFrame =
  | { kind: 'data'; streamId: number; flags: number; data: Buffer }
  | { kind: 'control'; type: number; flags: number; payload: Buffer };

/** Encodes a data frame (stream ids are 31-bit). */
export function dataFrame(streamId: number, data: Buffer, fin = false): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(streamId & 0x7fffffff, 0);
  head.writeUInt32BE(((fin ? FLAG_FIN : 0) << 24) | data.length, 4);
  return Buffer.concat([head, data]);
}

export function controlFrame(type: number, flags: number, payload: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt16BE(0x8000 | SPDY_VERSION, 0);
  head.writeUInt16BE(type, 2);
  head.writeUInt32BE(((flags & 0xff) << 24) | payload.length, 4);
  return Buffer.concat([head, payload]);
}

/** name/value pairs → the uncompressed SPDY/3 header block. Names must be lowercase. */
export function headerBlock(headers: Record<string, string>): Buffer {
  const parts: Buffer[] = [];
  const count = Buffer.alloc(4);
  const entries = Object.entries(headers);
  count.writeUInt32BE(entries.length);
  parts.push(count);
  for (const [name, value] of entries) {
    for (const s of [name.toLowerCase(), value]) {
      const b = Buffer.from(s, 'utf8');
      const len = Buffer.alloc(4);
      len.writeUInt32BE(b.length);
      parts.push(len, b);
    }
  }
  return Buffer.concat(parts);
}

/** Parses an uncompressed header block (used by tests acting as the server). */
export function parseHeaderBlock(block: Buffer): Record<string, string> {
  const out: Record<string, string> = {};
  let off = 0;
  const n = block.readUInt32BE(off);
  off += 4;
  for (let i = 0; i < n; i++) {
    const nl = block.readUInt32BE(off);
    const name = block.subarray(off + 4, off + 4 + nl).toString('utf8');
    off += 4 + nl;
    const vl = block.readUInt32BE(off);
    out[name] = block.subarray(off + 4, off + 4 + vl).toString('utf8');
    off += 4 + vl;
  }
  return out;
}

/**
 * A zlib stream made only of stored (uncompressed) blocks. The first block
 * carries the 2-byte zlib header (deflate, 32 KiB window, no preset dictionary).
 * Every header block ends with an empty stored block, as a zlib sync flush
 * does: Go's inflater only hands out a stored block's bytes once the next
 * block has started, so without it the peer would wait for the next frame.
 */
export class StoredZlibWriter {
  private started = false;

  block(data: Buffer): Buffer {
    const parts: Buffer[] = [];
    if (!this.started) {
      parts.push(Buffer.from([0x78, 0x01]));
      this.started = true;
    }
    for (let off = 0; off < data.length; off += 0xffff) parts.push(storedBlock(data.subarray(off, off + 0xffff)));
    parts.push(storedBlock(Buffer.alloc(0)));
    return Buffer.concat(parts);
  }
}

function storedBlock(chunk: Buffer): Buffer {
  const head = Buffer.alloc(5);
  head[0] = 0x00; // BFINAL=0, BTYPE=00 (stored), padded to the byte boundary
  head.writeUInt16LE(chunk.length, 1);
  head.writeUInt16LE(~chunk.length & 0xffff, 3);
  return Buffer.concat([head, chunk]);
}

export function synStreamFrame(z: StoredZlibWriter, streamId: number, headers: Record<string, string>, flags = 0): Buffer {
  const fixed = Buffer.alloc(10);
  fixed.writeUInt32BE(streamId & 0x7fffffff, 0);
  fixed.writeUInt32BE(0, 4); // associated-to-stream-id
  fixed[8] = 0; // priority (3 bits) + unused
  fixed[9] = 0; // slot
  return controlFrame(FrameType.SynStream, flags, Buffer.concat([fixed, z.block(headerBlock(headers))]));
}

export function synReplyFrame(z: StoredZlibWriter, streamId: number, headers: Record<string, string>, flags = 0): Buffer {
  const id = Buffer.alloc(4);
  id.writeUInt32BE(streamId & 0x7fffffff);
  return controlFrame(FrameType.SynReply, flags, Buffer.concat([id, z.block(headerBlock(headers))]));
}

export function rstStreamFrame(streamId: number, status: number): Buffer {
  const p = Buffer.alloc(8);
  p.writeUInt32BE(streamId & 0x7fffffff, 0);
  p.writeUInt32BE(status, 4);
  return controlFrame(FrameType.RstStream, 0, p);
}

export function pingFrame(id: number): Buffer {
  const p = Buffer.alloc(4);
  p.writeUInt32BE(id >>> 0);
  return controlFrame(FrameType.Ping, 0, p);
}

export function goAwayFrame(lastGoodStreamId: number, status = 0): Buffer {
  const p = Buffer.alloc(8);
  p.writeUInt32BE(lastGoodStreamId & 0x7fffffff, 0);
  p.writeUInt32BE(status, 4);
  return controlFrame(FrameType.GoAway, 0, p);
}

/** The stream id in the first four payload bytes (SYN_STREAM, SYN_REPLY, RST_STREAM, HEADERS, WINDOW_UPDATE). */
export function controlStreamId(f: { payload: Buffer }): number {
  return f.payload.readUInt32BE(0) & 0x7fffffff;
}

/** Splits a byte stream into frames. */
export class SpdyFrameReader {
  private buf: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): SpdyFrame[] {
    this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk;
    const frames: SpdyFrame[] = [];
    while (this.buf.length >= 8) {
      const len = this.buf.readUInt32BE(4) & 0xffffff;
      if (this.buf.length < 8 + len) break;
      const flags = this.buf[4]!;
      const body = Buffer.from(this.buf.subarray(8, 8 + len));
      if (this.buf[0]! & 0x80) {
        frames.push({ kind: 'control', type: this.buf.readUInt16BE(2), flags, payload: body });
      } else {
        frames.push({ kind: 'data', streamId: this.buf.readUInt32BE(0) & 0x7fffffff, flags, data: body });
      }
      this.buf = this.buf.subarray(8 + len);
    }
    return frames;
  }
}
