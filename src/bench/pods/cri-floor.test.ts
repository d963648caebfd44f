import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { execFileSync } from 'node:child_process';
import { BUSYBOX_FLOOR_REF, containerConfig, runCriFloor, sandboxConfig } from './cri-floor.js';
import { canRunNode } from '../../testing/node-cluster.js';

test('sandboxConfig: besteffort cgroup parent, log dir, kubelet labels, own PID namespace', () => {
  const c = sandboxConfig('p-1', 'u-1', '/logs', 'n1');
  assert.deepEqual(c, {
    metadata: { name: 'p-1', uid: 'u-1', namespace: 'default', attempt: 0 },
    hostname: 'p-1',
    log_directory: '/logs/default_p-1_u-1',
    labels: { 'io.kubernetes.pod.name': 'p-1', 'io.kubernetes.pod.namespace': 'default', 'io.kubernetes.pod.uid': 'u-1', 'skiff.dev/node': 'n1' },
    linux: { cgroup_parent: '/kubepods/besteffort/podu-1', security_context: { namespace_options: { network: 'POD', pid: 'CONTAINER', ipc: 'POD' } } },
  });
});

test('containerConfig: sleep 3600 from the imported busybox, PID namespace CONTAINER', () => {
  const c = containerConfig('u-1', 'p-1', 'n1');
  assert.equal(c.image.image, BUSYBOX_FLOOR_REF);
  assert.deepEqual(c.command, ['sleep', '3600']);
  assert.equal(c.log_path, 'c/0.log');
  assert.equal(c.linux?.security_context?.namespace_options?.pid, 'CONTAINER');
  assert.equal(c.labels?.['io.kubernetes.container.name'], 'c');
});

const skip = canRunNode() ?? false;

test('runCriFloor measures every pod and leaves nothing behind', { skip, timeout: 180_000 }, async () => {
  const lines: string[] = [];
  const before = fs.readdirSync('/tmp').filter((d) => d.startsWith('skpbf-'));
  const r = await runCriFloor({ pods: 3, concurrency: 2, progress: (m) => lines.push(m) });
  assert.equal(r.sequential.latencies.length, 3);
  assert.equal(r.concurrent.latencies.length, 3);
  for (const ms of [...r.sequential.latencies, ...r.concurrent.latencies]) assert.ok(ms > 1 && ms < 30_000, `latency ${ms}`);
  assert.ok(r.sequential.wallMs >= Math.max(...r.sequential.latencies));
  assert.ok(r.containerdRssMiB !== undefined && r.containerdRssMiB > 5);
  // Bridge deleted, temp dir removed.
  const bridge = /bridge (\S+),/.exec(lines[0])![1];
  assert.equal(fs.existsSync(`/sys/class/net/${bridge}`), false);
  assert.deepEqual(fs.readdirSync('/tmp').filter((d) => d.startsWith('skpbf-')), before);
  // No containerd of that dir survives.
  const dir = /containerd in (\S+) /.exec(lines[0])![1];
  const ps = execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' });
  assert.equal(ps.includes(dir), false);
});
