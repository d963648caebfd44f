import { test } from 'node:test';
import assert from 'node:assert/strict';
import zlib from 'node:zlib';
import { controlStreamId, dataFrame, FLAG_FIN, FrameType, headerBlock, parseHeaderBlock, pingFrame, SpdyFrameReader, StoredZlibWriter, synStreamFrame } from './spdy-frames.js';

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
