import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  cgroupHierarchies,
  cleanupNetwork,
  linkExists,
  planHostportCleanup,
  podCgroupPath,
  removeCgroupTree,
  removePodCgroups,
  splitRuleArgs,
} from './host-cleanup.js';

const isRoot = process.getuid?.() === 0;
const rand = () => Math.random().toString(16).slice(2, 6);

test('splitRuleArgs: quotes group words, backslashes escape', () => {
  assert.deepEqual(
    splitRuleArgs('-A POSTROUTING -m comment --comment "CNI portfwd requiring masquerade" -j CNI-HOSTPORT-MASQ'),
    ['-A', 'POSTROUTING', '-m', 'comment', '--comment', 'CNI portfwd requiring masquerade', '-j', 'CNI-HOSTPORT-MASQ'],
  );
  assert.deepEqual(splitRuleArgs('-A X --comment "a \\"q\\" b"  -j  Y'), ['-A', 'X', '--comment', 'a "q" b', '-j', 'Y']);
  assert.deepEqual(splitRuleArgs('-A X --comment ""'), ['-A', 'X', '--comment', '']);
});

const HOSTPORT_ONLY = `-P PREROUTING ACCEPT
-P INPUT ACCEPT
-P OUTPUT ACCEPT
-P POSTROUTING ACCEPT
-N CNI-HOSTPORT-DNAT
-N CNI-HOSTPORT-MASQ
-N CNI-HOSTPORT-SETMARK
-A PREROUTING -m addrtype --dst-type LOCAL -j CNI-HOSTPORT-DNAT
-A OUTPUT -m addrtype --dst-type LOCAL -j CNI-HOSTPORT-DNAT
-A POSTROUTING -m comment --comment "CNI portfwd requiring masquerade" -j CNI-HOSTPORT-MASQ
-A CNI-HOSTPORT-MASQ -m mark --mark 0x2000/0x2000 -j MASQUERADE
-A CNI-HOSTPORT-SETMARK -m comment --comment "CNI portfwd masquerade mark" -j MARK --set-xmark 0x2000/0x2000
`;

test('planHostportCleanup: jumps deleted, then chains flushed and removed', () => {
  assert.deepEqual(planHostportCleanup(HOSTPORT_ONLY), [
    ['-D', 'PREROUTING', '-m', 'addrtype', '--dst-type', 'LOCAL', '-j', 'CNI-HOSTPORT-DNAT'],
    ['-D', 'OUTPUT', '-m', 'addrtype', '--dst-type', 'LOCAL', '-j', 'CNI-HOSTPORT-DNAT'],
    ['-D', 'POSTROUTING', '-m', 'comment', '--comment', 'CNI portfwd requiring masquerade', '-j', 'CNI-HOSTPORT-MASQ'],
    ['-F', 'CNI-HOSTPORT-DNAT'],
    ['-F', 'CNI-HOSTPORT-MASQ'],
    ['-F', 'CNI-HOSTPORT-SETMARK'],
    ['-X', 'CNI-HOSTPORT-DNAT'],
    ['-X', 'CNI-HOSTPORT-MASQ'],
    ['-X', 'CNI-HOSTPORT-SETMARK'],
  ]);
});

test('planHostportCleanup: nothing while another CNI chain (a live pod) exists', () => {
  assert.deepEqual(planHostportCleanup(HOSTPORT_ONLY + '-N CNI-DN-1a2b3c\n'), []);
  assert.deepEqual(planHostportCleanup(HOSTPORT_ONLY + '-N CNI-0f9e8d7c6b5a4\n-A POSTROUTING -s 10.1.2.3/32 -j CNI-0f9e8d7c6b5a4\n'), []);
});

test('planHostportCleanup: nothing when the chains are absent; unrelated chains ignored', () => {
  assert.deepEqual(planHostportCleanup('-P PREROUTING ACCEPT\n-N DOCKER\n-A PREROUTING -j DOCKER\n'), []);
  assert.deepEqual(planHostportCleanup(''), []);
  assert.deepEqual(planHostportCleanup('-N KUBE-SERVICES\n-N CNI-HOSTPORT-MASQ\n-A POSTROUTING -j CNI-HOSTPORT-MASQ\n'), [
    ['-D', 'POSTROUTING', '-j', 'CNI-HOSTPORT-MASQ'],
    ['-F', 'CNI-HOSTPORT-MASQ'],
    ['-X', 'CNI-HOSTPORT-MASQ'],
  ]);
});

test('podCgroupPath and path validation', () => {
  assert.equal(podCgroupPath('1234-ab', '/kubepods/burstable'), '/kubepods/burstable/pod1234-ab');
  assert.equal(podCgroupPath('u', 'kubepods/'), '/kubepods/podu');
  assert.throws(() => removeCgroupTree('/kubepods/../etc'), /invalid cgroup path/);
  assert.throws(() => removeCgroupTree('/'), /invalid cgroup path/);
  assert.throws(() => removePodCgroups('a/b', '/kubepods'), /invalid pod uid/);
  assert.throws(() => removePodCgroups('', '/kubepods'), /invalid pod uid/);
});

test('cgroupHierarchies: v1 controller dirs (not symlinks), or the root on pure v2', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'skiff-cg-'));
  try {
    for (const d of ['memory', 'cpu,cpuacct', 'unified']) fs.mkdirSync(path.join(root, d));
    fs.symlinkSync('cpu,cpuacct', path.join(root, 'cpu'));
    fs.writeFileSync(path.join(root, 'README'), '');
    assert.deepEqual(cgroupHierarchies(root), ['cpu,cpuacct', 'memory', 'unified'].map((d) => path.join(root, d)));
    fs.writeFileSync(path.join(root, 'cgroup.controllers'), 'cpu memory');
    assert.deepEqual(cgroupHierarchies(root), [root]);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
  assert.deepEqual(cgroupHierarchies('/nonexistent-skiff'), []);
});

test('removeCgroupTree on a fake hierarchy: depth-first, busy cgroups and their parents kept', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'skiff-cg-'));
  try {
    const pod = (h: string) => path.join(root, h, 'kubepods', 'besteffort', 'podu1');
    for (const h of ['memory', 'pids']) fs.mkdirSync(path.join(pod(h), 'c1'), { recursive: true });
    fs.mkdirSync(path.join(pod('pids'), 'c2'));
    // A leaf that still has a process in it.
    fs.writeFileSync(path.join(pod('pids'), 'c2', 'cgroup.procs'), '4242\n');
    const r = removePodCgroups('u1', '/kubepods/besteffort', root);
    assert.deepEqual(r.removed, [path.join(pod('memory'), 'c1'), pod('memory'), path.join(pod('pids'), 'c1')]);
    assert.deepEqual(r.busy, [path.join(pod('pids'), 'c2'), pod('pids')]);
    assert.ok(fs.existsSync(path.join(root, 'memory', 'kubepods', 'besteffort')), 'the QoS parent stays');
    // Once the process is gone (empty cgroup.procs), a second pass finishes.
    fs.writeFileSync(path.join(pod('pids'), 'c2', 'cgroup.procs'), '');
    fs.rmSync(path.join(pod('pids'), 'c2', 'cgroup.procs'));
    const again = removePodCgroups('u1', '/kubepods/besteffort', root);
    assert.deepEqual(again, { removed: [path.join(pod('pids'), 'c2'), pod('pids')], busy: [] });
    assert.deepEqual(removePodCgroups('u1', '/kubepods/besteffort', root), { removed: [], busy: [] });
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test('removePodCgroups on the real cgroupfs: every hierarchy, process-holding cgroups kept', { skip: isRoot ? false : 'needs root' }, async () => {
  const parent = `skiff-hc-${rand()}${rand()}`;
  const uid = `u-${rand()}`;
  const hierarchies = cgroupHierarchies();
  assert.ok(hierarchies.length > 0);
  const podDirs = hierarchies.map((h) => path.join(h, parent, 'besteffort', `pod${uid}`));
  for (const d of podDirs) fs.mkdirSync(path.join(d, 'leaf'), { recursive: true });
  const memLeaf = path.join(CG('memory'), parent, 'besteffort', `pod${uid}`, 'leaf');
  const sleeper = spawn('sleep', ['30'], { stdio: 'ignore' });
  try {
    fs.writeFileSync(path.join(memLeaf, 'cgroup.procs'), String(sleeper.pid));
    const r = removePodCgroups(uid, `/${parent}/besteffort`);
    assert.deepEqual(r.busy.sort(), [memLeaf, path.dirname(memLeaf)].sort());
    assert.equal(r.removed.length, 2 * hierarchies.length - 2);
    for (const d of podDirs) assert.equal(fs.existsSync(d), d.startsWith(CG('memory') + '/'), d);
  } finally {
    sleeper.kill('SIGKILL');
    await new Promise((r) => sleeper.once('exit', r));
  }
  const r2 = removePodCgroups(uid, `/${parent}/besteffort`);
  assert.deepEqual(r2, { removed: [memLeaf, path.dirname(memLeaf)], busy: [] });
  const r3 = removeCgroupTree(`/${parent}`);
  assert.equal(r3.busy.length, 0);
  for (const h of hierarchies) assert.equal(fs.existsSync(path.join(h, parent)), false);
});

function CG(h: string): string {
  return path.join('/sys/fs/cgroup', h);
}

test('cleanupNetwork deletes the bridge; a missing bridge is not an error', { skip: isRoot ? false : 'needs root' }, async () => {
  const bridge = `sk${rand()}`;
  execFileSync('ip', ['link', 'add', bridge, 'type', 'bridge']);
  assert.equal(linkExists(bridge), true);
  const r = await cleanupNetwork(bridge);
  assert.equal(r.bridgeRemoved, true);
  assert.equal(linkExists(bridge), false);
  const again = await cleanupNetwork(bridge);
  assert.equal(again.bridgeRemoved, false);
  await assert.rejects(cleanupNetwork('bad/name'), /invalid bridge name/);
});
