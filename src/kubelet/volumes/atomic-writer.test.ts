import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { AtomicWriter, timestampPrefix, validatePayloadPath, type FileProjection } from './atomic-writer.js';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'skiff-aw-'));
after(() => fs.rmSync(root, { recursive: true, force: true }));
let n = 0;
const newDir = () => path.join(root, `vol${n++}`);

const payload = (files: Record<string, string | [string, number]>) =>
  new Map<string, FileProjection>(
    Object.entries(files).map(([k, v]) => [k, typeof v === 'string' ? { data: Buffer.from(v), mode: 0o644 } : { data: Buffer.from(v[0]), mode: v[1] }]),
  );

const fixed = () => new Date(Date.UTC(2026, 10, 25, 9, 7, 5));

test('timestamp folder names', () => {
  assert.equal(timestampPrefix(fixed()), '..2026_11_25_09_07_05.');
});

test('first write: ..data → timestamped folder, one symlink per top-level name', async () => {
  const dir = newDir();
  const w = new AtomicWriter(dir, fixed);
  assert.equal(await w.write(payload({ a: 'A', 'sub/b': ['B', 0o400] })), true);
  const data = fs.readlinkSync(path.join(dir, '..data'));
  assert.match(data, /^\.\.2026_11_25_09_07_05\.\d+$/);
  assert.equal(fs.readlinkSync(path.join(dir, 'a')), '..data/a');
  assert.equal(fs.readlinkSync(path.join(dir, 'sub')), '..data/sub');
  assert.equal(fs.readFileSync(path.join(dir, 'a'), 'utf8'), 'A');
  assert.equal(fs.readFileSync(path.join(dir, 'sub/b'), 'utf8'), 'B');
  assert.equal(fs.statSync(path.join(dir, 'sub/b')).mode & 0o777, 0o400);
  assert.equal(fs.statSync(path.join(dir, 'a')).mode & 0o777, 0o644);
  assert.equal(fs.statSync(path.join(dir, data)).mode & 0o777, 0o755);
  assert.deepEqual(fs.readdirSync(dir).sort(), ['..data', data, 'a', 'sub'].sort());
});

test('same content: nothing is rewritten', async () => {
  const dir = newDir();
  const w = new AtomicWriter(dir);
  await w.write(payload({ a: 'A' }));
  const before = fs.readlinkSync(path.join(dir, '..data'));
  assert.equal(await w.write(payload({ a: 'A' })), false);
  assert.equal(fs.readlinkSync(path.join(dir, '..data')), before);
});

test('changed content flips ..data; an open reader path sees the new value; the old folder goes', async () => {
  const dir = newDir();
  const w = new AtomicWriter(dir);
  await w.write(payload({ key: 'v1', gone: 'x' }));
  const first = fs.readlinkSync(path.join(dir, '..data'));
  const reader = path.join(dir, 'key');
  assert.equal(fs.readFileSync(reader, 'utf8'), 'v1');
  assert.equal(await w.write(payload({ key: 'v2', added: 'y' })), true);
  const second = fs.readlinkSync(path.join(dir, '..data'));
  assert.notEqual(second, first);
  assert.equal(fs.readFileSync(reader, 'utf8'), 'v2');
  assert.equal(fs.existsSync(path.join(dir, first)), false);
  assert.equal(fs.existsSync(path.join(dir, 'gone')), false);
  assert.equal(fs.readFileSync(path.join(dir, 'added'), 'utf8'), 'y');
  assert.deepEqual(fs.readdirSync(dir).sort(), ['..data', second, 'added', 'key'].sort());
});

test('a mode change alone is a change', async () => {
  const dir = newDir();
  const w = new AtomicWriter(dir);
  await w.write(payload({ k: ['v', 0o644] }));
  assert.equal(await w.write(payload({ k: ['v', 0o600] })), true);
  assert.equal(fs.statSync(path.join(dir, 'k')).mode & 0o777, 0o600);
});

test('empty payload makes an empty data folder; removing all keys removes their links', async () => {
  const dir = newDir();
  const w = new AtomicWriter(dir);
  await w.write(payload({ k: 'v' }));
  assert.equal(await w.write(payload({})), true);
  assert.deepEqual(fs.readdirSync(path.join(dir, '..data')), []);
  assert.equal(fs.existsSync(path.join(dir, 'k')), false);
  assert.equal(await w.write(payload({})), false);
});

test('invalid paths are refused with the kubelet messages', () => {
  assert.throws(() => validatePayloadPath('/abs'), { message: 'invalid path: must be relative path: /abs' });
  assert.throws(() => validatePayloadPath('a/../b'), { message: "invalid path: must not contain '..': a/../b" });
  assert.throws(() => validatePayloadPath('..data'), { message: "invalid path: must not start with '..': ..data" });
  assert.throws(() => validatePayloadPath(''), { message: 'invalid path: must not be empty: ""' });
  assert.throws(() => validatePayloadPath('x'.repeat(256)), { message: 'invalid path: filenames must be less than or equal to 255 characters' });
  validatePayloadPath('.hidden/ok');
});
