// SPDY/3.1 framing, just enough to be a remote-command client of containerd's
// streaming server (the transport Kubernetes itself uses between kubelet and
// runtime, and the only one with a stdin half-close).
//
// Header blocks must be zlib streams (one stream per direction per connection).
// We only ever *send* small header blocks, and we send them as uncompressed
// "stored" deflate blocks: valid zlib that needs no compressor and no shared
// dictionary. Header blocks we receive are inflated with the SPDY/3
// dictionary when they matter (a port-forward server reads its streams'
// headers); a remote-command client skips them.

import zlib from 'node:zlib';

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

/** RST_STREAM status codes (SPDY/3 section 2.6.2). */
export const RstStatus = {
  ProtocolError: 1,
  InvalidStream: 2,
  RefusedStream: 3,
  Cancel: 5,
  InternalError: 6,
} as const;

/** The fixed part of a SYN_STREAM payload, and its (still compressed) header block. */
export function parseSynStream(payload: Buffer): { streamId: number; associatedId: number; priority: number; block: Buffer } {
  if (payload.length < 10) throw new Error('SYN_STREAM frame too short');
  return {
    streamId: payload.readUInt32BE(0) & 0x7fffffff,
    associatedId: payload.readUInt32BE(4) & 0x7fffffff,
    priority: payload[8]! >> 5,
    block: payload.subarray(10),
  };
}

/** SYN_REPLY and HEADERS: stream id, then the compressed header block. */
export function parseSynReply(payload: Buffer): { streamId: number; block: Buffer } {
  if (payload.length < 4) throw new Error('SYN_REPLY frame too short');
  return { streamId: payload.readUInt32BE(0) & 0x7fffffff, block: payload.subarray(4) };
}

// The SPDY/3 header compression dictionary (draft 3, section 2.6.10.1): 65
// length-prefixed header names and values, then a run of common status codes,
// reason phrases, dates and media types. Both zlib streams of a connection are
// primed with it; its Adler-32 (the zlib DICTID) is 0xe3c6a7c2.
const DICTIONARY_WORDS = [
  'options', 'head', 'post', 'put', 'delete', 'trace', 'accept', 'accept-charset', 'accept-encoding', 'accept-language',
  'accept-ranges', 'age', 'allow', 'authorization', 'cache-control', 'connection', 'content-base', 'content-encoding',
  'content-language', 'content-length', 'content-location', 'content-md5', 'content-range', 'content-type', 'date', 'etag',
  'expect', 'expires', 'from', 'host', 'if-match', 'if-modified-since', 'if-none-match', 'if-range', 'if-unmodified-since',
  'last-modified', 'location', 'max-forwards', 'pragma', 'proxy-authenticate', 'proxy-authorization', 'range', 'referer',
  'retry-after', 'server', 'te', 'trailer', 'transfer-encoding', 'upgrade', 'user-agent', 'vary', 'via', 'warning',
  'www-authenticate', 'method', 'get', 'status', '200 OK', 'version', 'HTTP/1.1', 'url', 'public', 'set-cookie',
  'keep-alive', 'origin',
];
const DICTIONARY_TAIL =
  '100101201202205206300302303304305306307402405406407408409410411412413414415416417502504505' +
  '203 Non-Authoritative Information204 No Content301 Moved Permanently400 Bad Request401 Unauthorized' +
  '403 Forbidden404 Not Found500 Internal Server Error501 Not Implemented503 Service Unavailable' +
  'Jan Feb Mar Apr May Jun Jul Aug Sept Oct Nov Dec 00:00:00 Mon, Tue, Wed, Thu, Fri, Sat, Sun, GMT' +
  'chunked,text/html,image/png,image/jpg,image/gif,application/xml,application/xhtml+xml,text/plain,' +
  'text/javascript,publicprivatemax-age=gzip,deflate,sdchcharset=utf-8charset=iso-8859-1,utf-,*,enq=0.';

export const SPDY_DICTIONARY: Buffer = (() => {
  const parts: Buffer[] = [];
  for (const w of DICTIONARY_WORDS) {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(w.length);
    parts.push(len, Buffer.from(w, 'latin1'));
  }
  parts.push(Buffer.from(DICTIONARY_TAIL, 'latin1'));
  return Buffer.concat(parts);
})();

/**
 * Runs one zlib stream (inflate or deflate with the SPDY dictionary) across
 * all header blocks of one direction of a connection: each block is written
 * and sync-flushed, and everything the flush produced is the block's output.
 * Calls are serialised, so callers may fire them back to back.
 */
class HeaderZlibStream {
  private readonly out: Buffer[] = [];
  private failure?: Error;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly z: zlib.Inflate | zlib.Deflate) {
    z.on('data', (c: Buffer) => this.out.push(c));
    z.on('error', (e) => (this.failure = e));
  }

  process(input: Buffer): Promise<Buffer> {
    const run = () =>
      new Promise<Buffer>((resolve, reject) => {
        if (this.failure) return reject(this.failure);
        const onError = (e: Error) => reject(e);
        this.z.once('error', onError);
        this.z.write(input);
        this.z.flush(zlib.constants.Z_SYNC_FLUSH, () => {
          // Output of the flush is emitted before its callback; the extra turn covers buffered 'data'.
          setImmediate(() => {
            this.z.off('error', onError);
            if (this.failure) return reject(this.failure);
            resolve(Buffer.concat(this.out.splice(0)));
          });
        });
      });
    const p = this.queue.then(run, run);
    this.queue = p.catch(() => undefined);
    return p;
  }

  close(): void {
    this.z.close();
  }
}

/** Decompresses the header blocks a peer sends on one connection. */
export class HeaderBlockInflater {
  private readonly s = new HeaderZlibStream(zlib.createInflate({ dictionary: SPDY_DICTIONARY }));

  /** The name/value pairs of one compressed header block. */
  async headers(block: Buffer): Promise<Record<string, string>> {
    return parseHeaderBlock(await this.s.process(block));
  }

  close(): void {
    this.s.close();
  }
}

/** Compresses header blocks the way Go's SPDY framer does (zlib, SPDY dictionary, sync flush per block). */
export class HeaderBlockDeflater {
  private readonly s = new HeaderZlibStream(zlib.createDeflate({ dictionary: SPDY_DICTIONARY, level: zlib.constants.Z_BEST_COMPRESSION }));

  block(headers: Record<string, string>): Promise<Buffer> {
    return this.s.process(headerBlock(headers));
  }

  close(): void {
    this.s.close();
  }
}

/** SYN_STREAM with an already compressed header block. */
export function synStreamFrameWithBlock(streamId: number, block: Buffer, flags = 0): Buffer {
  const fixed = Buffer.alloc(10);
  fixed.writeUInt32BE(streamId & 0x7fffffff, 0);
  return controlFrame(FrameType.SynStream, flags, Buffer.concat([fixed, block]));
}
