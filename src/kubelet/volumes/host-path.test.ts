import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { checkHostPathType } from './host-path.js';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'skiff-hp-'));
const dir = path.join(root, 'dir');
const file = path.join(root, 'file');
const sock = path.join(root, 'sock');
let server: net.Server;
before(async () => {
  fs.mkdirSync(dir);
  fs.writeFileSync(file, 'x');
  server = net.createServer();
  await new Promise<void>((r) => server.listen(sock, r));
});
after(() => {
  server.close();
  fs.rmSync(root, { recursive: true, force: true });
});

test('unset type: no check at all', async () => {
  await checkHostPathType(path.join(root, 'missing'), undefined);
  await checkHostPathType(path.join(root, 'missing'), '');
  assert.equal(fs.existsSync(path.join(root, 'missing')), false);
});

test('DirectoryOrCreate makes missing folders (0755) and rejects files', async () => {
  const p = path.join(root, 'new/nested');
  await checkHostPathType(p, 'DirectoryOrCreate');
  assert.equal(fs.statSync(p).isDirectory(), true);
  assert.equal(fs.statSync(p).mode & 0o777, 0o755 & ~process.umask());
  await checkHostPathType(dir, 'DirectoryOrCreate');
  await assert.rejects(checkHostPathType(file, 'DirectoryOrCreate'), { message: `hostPath type check failed: ${file} is not a directory` });
});

test('Directory must exist as a folder', async () => {
  await checkHostPathType(dir, 'Directory');
  await assert.rejects(checkHostPathType('/x', 'Directory'), { message: 'hostPath type check failed: /x is not a directory' });
  await assert.rejects(checkHostPathType(file, 'Directory'), { message: `hostPath type check failed: ${file} is not a directory` });
});

test('FileOrCreate makes an empty file, File must exist and not be a folder', async () => {
  const p = path.join(root, 'created');
  await checkHostPathType(p, 'FileOrCreate');
  assert.equal(fs.readFileSync(p, 'utf8'), '');
  await checkHostPathType(file, 'FileOrCreate');
  assert.equal(fs.readFileSync(file, 'utf8'), 'x');
  await checkHostPathType(file, 'File');
  await assert.rejects(checkHostPathType(dir, 'File'), { message: `hostPath type check failed: ${dir} is not a file` });
  await assert.rejects(checkHostPathType(dir, 'FileOrCreate'), { message: `hostPath type check failed: ${dir} is not a file` });
  await assert.rejects(checkHostPathType(path.join(root, 'nofile'), 'File'), { message: `hostPath type check failed: ${path.join(root, 'nofile')} is not a file` });
});

test('Socket, CharDevice, BlockDevice', async () => {
  await checkHostPathType(sock, 'Socket');
  await assert.rejects(checkHostPathType(file, 'Socket'), { message: `hostPath type check failed: ${file} is not a socket file` });
  await checkHostPathType('/dev/null', 'CharDevice');
  await assert.rejects(checkHostPathType(file, 'CharDevice'), { message: `hostPath type check failed: ${file} is not a character device` });
  await assert.rejects(checkHostPathType('/dev/null', 'BlockDevice'), { message: 'hostPath type check failed: /dev/null is not a block device' });
});

test('unknown type', async () => {
  await assert.rejects(checkHostPathType(dir, 'Weird'), { message: 'Weird is an invalid volume type' });
});
