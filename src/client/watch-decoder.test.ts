import { test } from 'node:test';
import assert from 'node:assert/strict';
import { WatchDecoder, WatchDecodeError } from './watch-decoder.js';

const ev = (type: string, name: string) => ({ type, object: { kind: 'Pod', metadata: { name, resourceVersion: '1' } } });
const line = (type: string, name: string) => JSON.stringify(ev(type, name)) + '\n';

test('whole lines in one chunk give events in order', () => {
  const d = new WatchDecoder();
  const out = d.push(Buffer.from(line('ADDED', 'a') + line('MODIFIED', 'b') + line('DELETED', 'c')));
  assert.deepEqual(out, [ev('ADDED', 'a'), ev('MODIFIED', 'b'), ev('DELETED', 'c')]);
  assert.deepEqual(d.end(), []);
});

test('every possible split point of a two-event stream decodes the same', () => {
  const text = Buffer.from(line('ADDED', 'a') + line('BOOKMARK', 'b'));
  for (let cut = 0; cut <= text.length; cut++) {
    const d = new WatchDecoder();
    const out = [...d.push(text.subarray(0, cut)), ...d.push(text.subarray(cut)), ...d.end()];
    assert.deepEqual(out, [ev('ADDED', 'a'), ev('BOOKMARK', 'b')], `cut at ${cut}`);
  }
});

test('byte-at-a-time delivery, including a multi-byte UTF-8 character split across chunks', () => {
  const obj = { type: 'ADDED', object: { metadata: { name: 'ünï-€-😀' } } };
  const bytes = Buffer.from(JSON.stringify(obj) + '\n' + JSON.stringify(obj) + '\n');
  const d = new WatchDecoder();
  const out = [];
  for (let i = 0; i < bytes.length; i++) out.push(...d.push(bytes.subarray(i, i + 1)));
  assert.deepEqual(out, [obj, obj]);
});

test('a final event without a trailing newline is delivered at end()', () => {
  const d = new WatchDecoder();
  assert.deepEqual(d.push(JSON.stringify(ev('ADDED', 'a'))), []);
  assert.deepEqual(d.end(), [ev('ADDED', 'a')]);
});

test('blank lines and CRLF are tolerated', () => {
  const d = new WatchDecoder();
  const out = d.push('\n\r\n' + JSON.stringify(ev('ADDED', 'a')) + '\r\n\n');
  assert.deepEqual(out, [ev('ADDED', 'a')]);
});

test('one large event spread over many chunks', () => {
  const big = { type: 'MODIFIED', object: { metadata: { name: 'x' }, data: { blob: 'y'.repeat(200_000) } } };
  const text = JSON.stringify(big) + '\n';
  const d = new WatchDecoder();
  const out = [];
  for (let i = 0; i < text.length; i += 1000) out.push(...d.push(text.slice(i, i + 1000)));
  assert.equal(out.length, 1);
  assert.equal(out[0].object.data.blob.length, 200_000);
});

test('garbage and malformed events throw WatchDecodeError', () => {
  assert.throws(() => new WatchDecoder().push('{"type":"ADDED",\n'), WatchDecodeError);
  assert.throws(() => new WatchDecoder().push('{"type":"NOPE","object":{}}\n'), /malformed watch event/);
  assert.throws(() => new WatchDecoder().push('{"type":"ADDED"}\n'), /malformed watch event/);
});
