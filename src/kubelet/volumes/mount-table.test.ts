import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseMountInfo, readMounts } from './mount-table.js';

test('parses mountinfo lines, including optional fields and octal escapes', () => {
  const text =
    '22 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw\n' +
    '40 22 0:35 / /var/lib/x/pods/u/volumes/kubernetes.io~empty-dir/my\\040vol rw,relatime shared:20 master:3 - tmpfs tmpfs rw,size=1024k\n' +
    '\n';
  assert.deepEqual(parseMountInfo(text), [
    { mountPoint: '/', fsType: 'ext4', source: '/dev/sda1' },
    { mountPoint: '/var/lib/x/pods/u/volumes/kubernetes.io~empty-dir/my vol', fsType: 'tmpfs', source: 'tmpfs' },
  ]);
});

test('reads this process mount table', async () => {
  const mounts = await readMounts();
  assert.ok(mounts.some((m) => m.mountPoint === '/'));
  assert.ok(mounts.some((m) => m.mountPoint === '/proc' && m.fsType === 'proc'));
});
