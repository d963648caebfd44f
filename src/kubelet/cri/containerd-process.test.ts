import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  containerdLayout,
  containerdVersion,
  isProcessAlive,
  parseContainerdVersion,
  startContainerd,
  stopStaleContainerd,
  terminateProcess,
  waitForExit,
} from './containerd-process.js';

function hasContainerd(): boolean {
  try {
    execFileSync('containerd', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** A long-lived process whose argv looks like `argv0 ... extra`. */
function fakeProcess(argv0: string, extra: string[]): ChildProcess {
  return spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)', '--', ...extra], { argv0, stdio: 'ignore' });
}

async function started(p: ChildProcess): Promise<number> {
  await new Promise((r) => p.once('spawn', r));
  // Wait until the exec happened, so /proc/<pid>/cmdline shows the final argv.
  for (let i = 0; i < 100; i++) {
    const argv = fs.readFileSync(`/proc/${p.pid}/cmdline`, 'utf8');
    if (argv.includes('setTimeout')) break;
    await new Promise((r) => setTimeout(r, 10));
  }
  return p.pid!;
}

test('parseContainerdVersion: the third word, Debian suffix kept', () => {
  assert.equal(parseContainerdVersion('containerd github.com/containerd/containerd 1.6.20~ds1 1.6.20~ds1-1+deb12u3\n'), '1.6.20~ds1');
  assert.equal(parseContainerdVersion('containerd github.com/containerd/containerd v1.7.2 abc'), '1.7.2');
  assert.throws(() => parseContainerdVersion('runc version 1.1.5'), /unexpected containerd --version output/);
});

test('containerdVersion runs the installed binary', { skip: hasContainerd() ? false : 'containerd not installed' }, async () => {
  assert.match(await containerdVersion(), /^\d+\.\d+\.\d+/);
});

test('containerdLayout: everything under the dir', () => {
  const l = containerdLayout('/var/lib/skiff/containerd');
  assert.deepEqual(l, {
    dir: '/var/lib/skiff/containerd',
    root: '/var/lib/skiff/containerd/root',
    state: '/var/lib/skiff/containerd/state',
    runcRoot: '/var/lib/skiff/containerd/runc',
    cniConfDir: '/var/lib/skiff/containerd/cni/net.d',
    cniConflist: '/var/lib/skiff/containerd/cni/net.d/10-skiff.conflist',
    ipamDir: '/var/lib/skiff/containerd/cni/ipam',
    config: '/var/lib/skiff/containerd/containerd.toml',
    socket: '/var/lib/skiff/containerd/containerd.sock',
    log: '/var/lib/skiff/containerd/containerd.log',
    pidFile: '/var/lib/skiff/containerd/containerd.pid',
  });
});

test('isProcessAlive / waitForExit / terminateProcess', async () => {
  assert.equal(isProcessAlive(process.pid), true);
  assert.equal(isProcessAlive(2 ** 22 + 1), false);
  const p = fakeProcess('node', []);
  const pid = await started(p);
  assert.equal(isProcessAlive(pid), true);
  assert.equal(await waitForExit(pid, 50), false);
  await terminateProcess(pid);
  assert.equal(isProcessAlive(pid), false);
  await terminateProcess(pid); // already gone: fine
});

test('stopStaleContainerd stops a containerd that runs this dir\'s config', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'skiff-ctrd-'));
  try {
    const l = containerdLayout(dir);
    const p = fakeProcess('containerd', ['--config', l.config]);
    const pid = await started(p);
    fs.writeFileSync(l.pidFile, `${pid}\n`);
    assert.equal(await stopStaleContainerd(dir), pid);
    assert.equal(isProcessAlive(pid), false);
    assert.equal(fs.existsSync(l.pidFile), false);
    assert.equal(await stopStaleContainerd(dir), undefined); // no pid file
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('stopStaleContainerd leaves a recycled pid (another program, or another dir\'s containerd) alone', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'skiff-ctrd-'));
  const others: ChildProcess[] = [];
  try {
    const l = containerdLayout(dir);
    const notContainerd = fakeProcess('node', ['--config', l.config]);
    others.push(notContainerd);
    fs.writeFileSync(l.pidFile, `${await started(notContainerd)}\n`);
    assert.equal(await stopStaleContainerd(dir), undefined);
    assert.equal(isProcessAlive(notContainerd.pid!), true);
    assert.equal(fs.existsSync(l.pidFile), false);

    const otherDir = fakeProcess('containerd', ['--config', '/elsewhere/containerd.toml']);
    others.push(otherDir);
    fs.writeFileSync(l.pidFile, `${await started(otherDir)}\n`);
    assert.equal(await stopStaleContainerd(dir), undefined);
    assert.equal(isProcessAlive(otherDir.pid!), true);

    fs.writeFileSync(l.pidFile, 'garbage\n');
    assert.equal(await stopStaleContainerd(dir), undefined);
  } finally {
    for (const o of others) o.kill('SIGKILL');
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('startContainerd rejects bad input before touching anything', async () => {
  const dir = path.join(os.tmpdir(), `skiff-ctrd-never-${process.pid}`);
  const base = { dir, bridge: 'sk0000', podCIDR: '10.200.1.0/24', pauseImage: 'localhost/p:1' };
  await assert.rejects(startContainerd({ ...base, bridge: 'this-name-is-too-long' }), /invalid bridge name/);
  await assert.rejects(startContainerd({ ...base, podCIDR: '10.200.1.0' }), /invalid pod CIDR/);
  await assert.rejects(startContainerd({ ...base, dir: `/tmp/${'x'.repeat(90)}` }), /socket path must be at most 101 bytes/);
  assert.equal(fs.existsSync(dir), false);
});

test('startContainerd reports an early exit with the log tail', { skip: process.getuid?.() === 0 ? false : 'needs root' }, async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'skiff-ctrd-'));
  try {
    // A "containerd" that fails at once, like a broken config would.
    const fake = path.join(dir, 'containerd');
    fs.writeFileSync(fake, '#!/bin/sh\necho "containerd: failed to load TOML: bad config" >&2\nexit 1\n', { mode: 0o755 });
    await assert.rejects(
      startContainerd({ dir: path.join(dir, 'c'), bridge: 'sk0000', podCIDR: '10.200.1.0/24', pauseImage: 'localhost/p:1', binary: fake }),
      (e: Error) => /containerd exited with code 1/.test(e.message) && e.message.includes('failed to load TOML: bad config'),
    );
    const l = containerdLayout(path.join(dir, 'c'));
    assert.equal(fs.existsSync(l.pidFile), false);
    assert.ok(fs.existsSync(l.cniConflist), 'conflist written before the start');
    assert.ok(fs.readFileSync(l.config, 'utf8').includes(`address = "${l.socket}"`));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
