import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadavgTasks, readNodeSignals } from './signals.js';

test('loadavgTasks reads the task count', () => {
  assert.equal(loadavgTasks('0.67 0.29 0.13 1/94 22180\n'), 94);
  assert.equal(loadavgTasks('0.00 0.01 0.05 3/1234 99\n'), 1234);
  assert.equal(loadavgTasks('garbage'), undefined);
});

test('readNodeSignals: memory from MemAvailable, pids from pid_max minus tasks, filesystems from statfs', async () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'skiff-signals-'));
  try {
    fs.mkdirSync(path.join(root, 'proc/sys/kernel'), { recursive: true });
    fs.writeFileSync(path.join(root, 'proc/meminfo'), 'MemTotal: 2000 kB\nMemAvailable: 500 kB\n');
    fs.writeFileSync(path.join(root, 'proc/sys/kernel/pid_max'), '32768\n');
    fs.writeFileSync(path.join(root, 'proc/loadavg'), '0.1 0.2 0.3 2/768 4242\n');
    const s = await readNodeSignals({ nodefsPath: root, root });
    assert.deepEqual(s.memory, { availableBytes: 500 * 1024, capacityBytes: 2000 * 1024 });
    assert.deepEqual(s.pid, { available: 32768 - 768, max: 32768 });
    const st = fs.statfsSync(root);
    assert.equal(s.nodefs!.capacityBytes, st.blocks * st.bsize);
    assert.equal(s.nodefs!.inodes, st.files);
    assert.equal(s.imagefs, s.nodefs, 'imagefs defaults to the node filesystem');
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test('readNodeSignals leaves out what it cannot read', async () => {
  const s = await readNodeSignals({ nodefsPath: '/nonexistent/skiff-dir', root: '/nonexistent/skiff-root' });
  assert.deepEqual(s, {});
});
