import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { fsGroupMode, podFsGroup, setVolumeOwnership } from './fs-group.js';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'skiff-fsgroup-'));
after(() => fs.rmSync(root, { recursive: true, force: true }));
const isRoot = process.getuid?.() === 0;

test('podFsGroup: only a non-negative integer counts', () => {
  assert.equal(podFsGroup({ spec: { securityContext: { fsGroup: 2000 } } }), 2000);
  assert.equal(podFsGroup({ spec: { securityContext: { fsGroup: 0 } } }), 0);
  assert.equal(podFsGroup({ spec: { securityContext: {} } }), undefined);
  assert.equal(podFsGroup({ spec: {} }), undefined);
  assert.equal(podFsGroup({ spec: { securityContext: { fsGroup: '2000' } } }), undefined);
  assert.equal(podFsGroup({ spec: { securityContext: { fsGroup: -1 } } }), undefined);
});

test('fsGroupMode: group read (read-only) or read/write; folders also get search and setgid', () => {
  assert.equal(fsGroupMode(0o400, false, true), 0o440);
  assert.equal(fsGroupMode(0o644, false, true), 0o644);
  assert.equal(fsGroupMode(0o600, false, false), 0o660);
  assert.equal(fsGroupMode(0o755, true, true), 0o2755);
  assert.equal(fsGroupMode(0o777, true, false), 0o2777);
  assert.equal(fsGroupMode(0o700, true, false), 0o2770);
  // File type bits from stat are dropped; sticky bit kept.
  assert.equal(fsGroupMode(0o100400, false, true), 0o440);
  assert.equal(fsGroupMode(0o41777, true, false), 0o3777);
});

test('setVolumeOwnership walks the tree: groups, modes, symlinks untouched but regrouped', { skip: !isRoot && 'needs root to chown' }, async () => {
  const dir = path.join(root, 'vol');
  fs.mkdirSync(path.join(dir, 'sub'), { recursive: true });
  fs.chmodSync(dir, 0o755);
  fs.chmodSync(path.join(dir, 'sub'), 0o700);
  fs.writeFileSync(path.join(dir, 'sub', 'secret'), 'x', { mode: 0o400 });
  fs.chmodSync(path.join(dir, 'sub', 'secret'), 0o400);
  fs.symlinkSync('sub/secret', path.join(dir, 'link'));
  await setVolumeOwnership(dir, 2345, true);
  const st = (p: string) => fs.lstatSync(path.join(dir, p));
  assert.deepEqual([st('').gid, st('').mode & 0o7777], [2345, 0o2755]);
  assert.deepEqual([st('sub').gid, st('sub').mode & 0o7777], [2345, 0o2750]);
  assert.deepEqual([st('sub/secret').gid, st('sub/secret').mode & 0o7777, st('sub/secret').uid], [2345, 0o440, 0]);
  assert.equal(st('link').gid, 2345);
  assert.equal(fs.readlinkSync(path.join(dir, 'link')), 'sub/secret');
});
