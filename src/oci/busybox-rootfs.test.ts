import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { busyboxApplets, busyboxRootfs, GROUP, HOST_BUSYBOX, INDEX_HTML, PASSWD, pauseRootfs } from './busybox-rootfs.js';
import { buildLayer, type FileEntry } from './image-builder.js';

const haveBusybox = fs.existsSync(HOST_BUSYBOX);
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'skiff-oci-rootfs-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

function byPath(files: FileEntry[]): Map<string, FileEntry> {
  return new Map(files.map((f) => [f.path, f]));
}

describe('busyboxRootfs', { skip: haveBusybox ? false : `${HOST_BUSYBOX} missing` }, () => {
  test('applet list comes from busybox --list and excludes busybox itself', () => {
    const applets = busyboxApplets();
    for (const a of ['sh', 'sleep', 'httpd', 'wget', 'nc', 'cat', 'env', '[']) assert.ok(applets.includes(a), a);
    assert.ok(!applets.includes('busybox'));
    assert.deepEqual(applets, [...applets].sort());
    const listed = execFileSync(HOST_BUSYBOX, ['--list'], { encoding: 'utf8' }).trim().split('\n');
    assert.equal(applets.length, listed.filter((a) => a !== 'busybox').length);
  });

  test('general rootfs carries binary, applet symlinks, passwd/group, tmp 1777 and the web root', () => {
    const files = byPath(busyboxRootfs());
    assert.deepEqual(files.get('/bin/busybox'), { type: 'file', path: '/bin/busybox', source: HOST_BUSYBOX, mode: 0o755 });
    assert.deepEqual(files.get('/bin/sh'), { type: 'symlink', path: '/bin/sh', target: 'busybox' });
    assert.deepEqual(files.get('/tmp'), { type: 'dir', path: '/tmp', mode: 0o1777 });
    assert.deepEqual(files.get('/root'), { type: 'dir', path: '/root', mode: 0o700 });
    assert.equal((files.get('/etc/passwd') as { content: string }).content, PASSWD);
    assert.equal((files.get('/etc/group') as { content: string }).content, GROUP);
    assert.equal((files.get('/www/index.html') as { content: string }).content, INDEX_HTML);
    assert.equal(files.has('/etc/hosts'), false);
    assert.equal(files.has('/etc/resolv.conf'), false);
    assert.match(PASSWD, /^root:x:0:0:/m);
    assert.match(PASSWD, /^nobody:x:65534:65534:/m);
  });

  test('pause rootfs is only busybox and a sleep symlink (plus mount points)', () => {
    const files = pauseRootfs();
    const nonDirs = files.filter((f) => f.type !== 'dir').map((f) => f.path);
    assert.deepEqual(nonDirs, ['/bin/busybox', '/bin/sleep']);
  });

  test('the unpacked general layer works as a root: shell, users, applets, web root', async (t) => {
    if (process.getuid?.() !== 0) return t.skip('chroot needs root');
    const layer = await buildLayer(busyboxRootfs());
    const tgz = path.join(tmp, 'bb.tgz');
    const root = path.join(tmp, 'root');
    fs.writeFileSync(tgz, layer.data);
    fs.mkdirSync(root);
    execFileSync('tar', ['-xzf', tgz, '-C', root]);
    const out = execFileSync('chroot', [root, '/bin/sh', '-c', 'export PATH=/bin; id -u nobody; ls -ld /tmp | cut -c1-10; head -1 /www/index.html; /usr/bin/env true && echo env-ok; which httpd'], { encoding: 'utf8' });
    assert.equal(out, '65534\ndrwxrwxrwt\n<!DOCTYPE html>\nenv-ok\n/bin/httpd\n');
  });

  test('the unpacked pause layer runs sleep as 65534', async (t) => {
    if (process.getuid?.() !== 0) return t.skip('chroot needs root');
    const layer = await buildLayer(pauseRootfs());
    const tgz = path.join(tmp, 'pause.tgz');
    const root = path.join(tmp, 'pause-root');
    fs.writeFileSync(tgz, layer.data);
    fs.mkdirSync(root);
    execFileSync('tar', ['-xzf', tgz, '-C', root]);
    // sleep 0 exits 0 only if the binary and symlink resolve inside the root.
    execFileSync('chroot', ['--userspec=65534:65534', root, '/bin/sleep', '0']);
    assert.deepEqual(fs.readdirSync(path.join(root, 'bin')).sort(), ['busybox', 'sleep']);
  });
});
