import { test } from 'node:test';
import assert from 'node:assert/strict';
import zlib from 'node:zlib';
import {
  controlStreamId,
  dataFrame,
  FLAG_FIN,
  FrameType,
  HeaderBlockDeflater,
  HeaderBlockInflater,
  headerBlock,
  parseHeaderBlock,
  parseSynReply,
  parseSynStream,
  pingFrame,
  SPDY_DICTIONARY,
  SpdyFrameReader,
  StoredZlibWriter,
  synReplyFrame,
  synStreamFrame,
  synStreamFrameWithBlock,
} from './spdy-frames.js';

test('header blocks round-trip and lowercase names', () => {
  const block = headerBlock({ StreamType: 'stdin', b: '' });
  assert.deepEqual([...block.subarray(0, 4)], [0, 0, 0, 2]);
  assert.deepEqual(parseHeaderBlock(block), { streamtype: 'stdin', b: '' });
});

test('stored zlib blocks form one valid zlib stream, each block ending in a sync-flush marker', () => {
  const z = new StoredZlibWriter();
  const a = z.block(Buffer.from('first'));
  const b = z.block(Buffer.from('second'));
  assert.deepEqual([...a.subarray(0, 2)], [0x78, 0x01]);
  assert.equal((0x78 * 256 + 0x01) % 31, 0, 'zlib header check bits');
  assert.deepEqual([...a.subarray(-5)], [0x00, 0x00, 0x00, 0xff, 0xff]);
  assert.deepEqual([...b.subarray(-5)], [0x00, 0x00, 0x00, 0xff, 0xff]);
  const sync = { finishFlush: zlib.constants.Z_SYNC_FLUSH };
  assert.equal(zlib.inflateSync(a, sync).toString(), 'first');
  assert.equal(zlib.inflateSync(Buffer.concat([a, b]), sync).toString(), 'firstsecond');
  const big = Buffer.alloc(70_000, 0x61);
  assert.equal(zlib.inflateSync(new StoredZlibWriter().block(big), sync).length, 70_000, 'split into 64 KiB stored blocks');
});

test('frames: encoding and incremental parsing', () => {
  const z = new StoredZlibWriter();
  const bytes = Buffer.concat([synStreamFrame(z, 3, { streamtype: 'stdout' }), dataFrame(3, Buffer.from('hi'), true), pingFrame(2)]);
  const r = new SpdyFrameReader();
  const frames = [...r.push(bytes.subarray(0, 7)), ...r.push(bytes.subarray(7, 40)), ...r.push(bytes.subarray(40))];
  assert.equal(frames.length, 3);
  const [syn, data, ping] = frames as any[];
  assert.equal(syn.kind, 'control');
  assert.equal(syn.type, FrameType.SynStream);
  assert.equal(controlStreamId(syn), 3);
  assert.deepEqual([...bytes.subarray(0, 4)], [0x80, 0x03, 0x00, 0x01], 'control bit, version 3, SYN_STREAM');
  const headers = zlib.inflateSync(syn.payload.subarray(10), { finishFlush: zlib.constants.Z_SYNC_FLUSH });
  assert.deepEqual(parseHeaderBlock(headers), { streamtype: 'stdout' });
  assert.deepEqual({ kind: data.kind, streamId: data.streamId, flags: data.flags, data: data.data.toString() }, { kind: 'data', streamId: 3, flags: FLAG_FIN, data: 'hi' });
  assert.equal(ping.type, FrameType.Ping);
  assert.equal(ping.payload.readUInt32BE(0), 2);
});

function adler32(b: Buffer): number {
  let a = 1;
  let s = 0;
  for (const x of b) {
    a = (a + x) % 65521;
    s = (s + a) % 65521;
  }
  return ((s << 16) | a) >>> 0;
}

test('the SPDY/3 dictionary: 1423 bytes with the DICTID every SPDY/3 header stream announces', () => {
  assert.equal(SPDY_DICTIONARY.length, 1423);
  assert.equal(adler32(SPDY_DICTIONARY).toString(16), 'e3c6a7c2');
  assert.deepEqual([...SPDY_DICTIONARY.subarray(0, 11)], [0, 0, 0, 7, 0x6f, 0x70, 0x74, 0x69, 0x6f, 0x6e, 0x73], 'starts with length-prefixed "options"');
  assert.ok(SPDY_DICTIONARY.toString('latin1').endsWith('charset=iso-8859-1,utf-,*,enq=0.'));
});

test('compressed header blocks: one zlib stream per direction, primed with the dictionary, round-trip', async () => {
  const deflater = new HeaderBlockDeflater();
  const inflater = new HeaderBlockInflater();
  try {
    const blocks = [
      await deflater.block({ streamtype: 'error', port: '80', requestid: '0' }),
      await deflater.block({ streamtype: 'data', port: '80', requestid: '0' }),
      await deflater.block({ streamtype: 'error', port: '8080', requestid: '1' }),
    ];
    // The first block carries the zlib header with FDICT set and the dictionary's id, like Go's framer.
    assert.equal(blocks[0]![0], 0x78);
    assert.equal(blocks[0]![1]! & 0x20, 0x20, 'FDICT flag');
    assert.equal(blocks[0]!.readUInt32BE(2).toString(16), 'e3c6a7c2');
    assert.ok(blocks[1]!.length < blocks[0]!.length, 'later blocks reuse the shared window');
    for (const b of blocks) assert.deepEqual([...b.subarray(-4)], [0x00, 0x00, 0xff, 0xff], 'each block ends in a sync flush');
    assert.deepEqual(await inflater.headers(blocks[0]!), { streamtype: 'error', port: '80', requestid: '0' });
    assert.deepEqual(await inflater.headers(blocks[1]!), { streamtype: 'data', port: '80', requestid: '0' });
    assert.deepEqual(await inflater.headers(blocks[2]!), { streamtype: 'error', port: '8080', requestid: '1' });
  } finally {
    deflater.close();
    inflater.close();
  }
});

test('header blocks compressed by plain zlib with the dictionary inflate; a later block alone does not', async () => {
  const raw = headerBlock({ ':status': '200 OK', 'content-type': 'text/plain' });
  const whole = zlib.deflateSync(raw, { dictionary: SPDY_DICTIONARY, finishFlush: zlib.constants.Z_SYNC_FLUSH });
  const inflater = new HeaderBlockInflater();
  assert.deepEqual(await inflater.headers(whole), { ':status': '200 OK', 'content-type': 'text/plain' });
  inflater.close();

  // Stored blocks (what we send) also inflate, with no dictionary needed.
  const stored = new HeaderBlockInflater();
  const z = new StoredZlibWriter();
  assert.deepEqual(await stored.headers(z.block(headerBlock({ a: '1' }))), { a: '1' });
  assert.deepEqual(await stored.headers(z.block(headerBlock({ b: '2' }))), { b: '2' });
  stored.close();

  // A block from the middle of someone else's stream is garbage to a fresh inflater.
  const d = new HeaderBlockDeflater();
  await d.block({ x: 'y' });
  const second = await d.block({ streamtype: 'data' });
  d.close();
  const fresh = new HeaderBlockInflater();
  await assert.rejects(fresh.headers(second));
  await assert.rejects(fresh.headers(whole), 'a failed stream stays failed');
  fresh.close();
});

test('SYN_STREAM with a compressed block parses back', async () => {
  const d = new HeaderBlockDeflater();
  const frame = synStreamFrameWithBlock(5, await d.block({ streamtype: 'data', port: '80' }), FLAG_FIN);
  d.close();
  const [f] = new SpdyFrameReader().push(frame) as any[];
  assert.equal(f.type, FrameType.SynStream);
  assert.equal(f.flags, FLAG_FIN);
  const syn = parseSynStream(f.payload);
  assert.equal(syn.streamId, 5);
  assert.equal(syn.associatedId, 0);
  const inf = new HeaderBlockInflater();
  assert.deepEqual(await inf.headers(syn.block), { streamtype: 'data', port: '80' });
  inf.close();
  const reply = synReplyFrame(new StoredZlibWriter(), 5, {});
  const [r] = new SpdyFrameReader().push(reply) as any[];
  assert.equal(r.type, FrameType.SynReply);
  assert.equal(parseSynReply(r.payload).streamId, 5);
  assert.throws(() => parseSynStream(Buffer.alloc(4)), /too short/);
});
