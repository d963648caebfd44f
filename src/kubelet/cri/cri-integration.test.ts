// End to end against a real containerd started in a temp dir: pause image
// import, a sandbox with a cgroup parent, a container, exec, a containerd
// restart on the same dir (stale pid take-over, state recovery), teardown and
// host cleanup.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { CriError, LABEL_MANAGED_BY, type ContainerConfig, type CriRuntime, type PodSandboxConfig } from './api.js';
import { containerdLayout, isProcessAlive, startContainerd, type ContainerdHandle } from './containerd-process.js';
import { ensurePauseImage, importImageArchive } from './image-import.js';
import { cleanupNetwork, linkExists, removePodCgroups } from './host-cleanup.js';
import { PAUSE_IMAGE_REF, writePauseImageArchive } from '../../oci/pause-image.js';
import { containerdSkipReason, randomHex, startTestContainerd, TEST_BUSYBOX_REF as BUSYBOX_REF, type TestContainerd } from '../../testing/containerd-fixture.js';
import { writeImageArchive } from '../../testing/test-images.js';

const skip = containerdSkipReason();

const uid = `${randomHex(8)}-${randomHex(4)}`;
const NODE = `cri-test-${randomHex(4)}`;
const HOST_PORT = 20000 + Math.floor(Math.random() * 10000);

// The fixture only provides the temp dir, network and final cleanup: these
// tests exercise image import, restarts and host cleanup themselves.
let ctrd: TestContainerd | undefined;
let dir = '';
let bridge = '';
let podCIDR = '';
let cidrBase = '';
let cgParent = '';
/** The containerd currently running (a test restarts it). */
let handle: ContainerdHandle | undefined;
let cri: CriRuntime | undefined;
let sandboxId = '';
let containerId = '';
let firstPid = 0;
let podIP = '';

const sandboxConfig = (): PodSandboxConfig => ({
  metadata: { name: 'web', uid, namespace: 'default', attempt: 0 },
  hostname: 'web',
  log_directory: path.join(dir, 'logs', `default_web_${uid}`),
  labels: { [LABEL_MANAGED_BY]: NODE, 'io.kubernetes.pod.uid': uid },
  annotations: { 'skiff.dev/test': 'yes' },
  port_mappings: [{ protocol: 'TCP', container_port: 8080, host_port: HOST_PORT, host_ip: '127.0.0.1' }],
  linux: {
    cgroup_parent: `/${cgParent}/besteffort/pod${uid}`,
    security_context: { namespace_options: { network: 'POD', pid: 'CONTAINER', ipc: 'POD' } },
  },
});

before(async () => {
  if (skip) return;
  ctrd = await startTestContainerd({ prefix: 'skcri-', pause: false });
  ({ dir, bridge, handle, cri } = ctrd);
  podCIDR = ctrd.cidr;
  cidrBase = podCIDR.replace(/\.0\/24$/, '');
  cgParent = ctrd.cgroupParent.slice(1);
  fs.mkdirSync(path.join(dir, 'logs', `default_web_${uid}`), { recursive: true });
});

after(async () => {
  await ctrd?.stop();
});

test('containerd starts in its own dir and answers CRI', { skip }, async () => {
  assert.ok(handle && cri);
  const l = containerdLayout(path.join(dir, 'ctrd'));
  assert.equal(handle.socket, l.socket);
  assert.equal(fs.readFileSync(l.pidFile, 'utf8').trim(), String(handle.pid));
  assert.ok(isProcessAlive(handle.pid));
  assert.ok(fs.existsSync(l.cniConflist));
  const v = await cri.version();
  assert.equal(v.runtime_name, 'containerd');
  assert.equal(v.runtime_api_version, 'v1');
  const conds = Object.fromEntries((await cri.status()).map((c) => [c.type, c.status]));
  assert.deepEqual(conds, { RuntimeReady: true, NetworkReady: true });
  firstPid = handle.pid;
});

test('ensurePauseImage imports once; images are visible to CRI', { skip }, async () => {
  assert.ok(handle && cri);
  assert.equal(await cri.imageStatus(PAUSE_IMAGE_REF), undefined);
  let built = 0;
  const build = async (p: string) => { built++; await writePauseImageArchive(p, PAUSE_IMAGE_REF); };
  assert.equal(await ensurePauseImage(handle.socket, PAUSE_IMAGE_REF, build), true);
  assert.equal(await ensurePauseImage(handle.socket, PAUSE_IMAGE_REF, build, cri), false);
  assert.equal(built, 1);
  const pause = await cri.imageStatus(PAUSE_IMAGE_REF);
  assert.ok(pause);
  assert.match(pause.id, /^sha256:[0-9a-f]{64}$/);
  assert.ok(pause.repo_tags.includes(PAUSE_IMAGE_REF));

  const archive = path.join(dir, 'busybox.tar');
  await writeImageArchive(archive, 'busybox', BUSYBOX_REF);
  await importImageArchive(handle.socket, archive);
  let bb;
  for (let i = 0; i < 100 && !(bb = await cri.imageStatus(BUSYBOX_REF)); i++) await new Promise((r) => setTimeout(r, 50));
  assert.ok(bb, 'busybox image visible to CRI');
  const listed = (await cri.listImages()).flatMap((i) => i.repo_tags);
  assert.ok(listed.includes(BUSYBOX_REF) && listed.includes(PAUSE_IMAGE_REF));
  await assert.rejects(importImageArchive(handle.socket, path.join(dir, 'missing.tar')), /ctr images import .*missing\.tar failed/);
});

test('a sandbox gets an IP in the pod CIDR and its cgroup parent', { skip }, async () => {
  assert.ok(cri);
  sandboxId = await cri.runPodSandbox(sandboxConfig());
  assert.match(sandboxId, /^[0-9a-f]{64}$/);
  const st = await cri.podSandboxStatus(sandboxId);
  assert.ok(st);
  assert.equal(st.state, 'SANDBOX_READY');
  assert.deepEqual(st.metadata, { name: 'web', uid, namespace: 'default', attempt: 0 });
  assert.equal(st.annotations['skiff.dev/test'], 'yes');
  podIP = st.network?.ip ?? '';
  assert.ok(podIP.startsWith(`${cidrBase}.`), `pod IP ${podIP} in ${podCIDR}`);
  assert.notEqual(podIP, `${cidrBase}.1`, 'the gateway is the bridge');
  assert.ok(/^\d+$/.test(st.created_at) && st.created_at.length >= 19, `created_at ${st.created_at} is nanoseconds`);
  assert.ok(linkExists(bridge));
  const nat = execFileSync('iptables', ['-w', '5', '-t', 'nat', '-S'], { encoding: 'utf8' });
  assert.ok(nat.includes('-N CNI-HOSTPORT-DNAT') && nat.includes(`--dport ${HOST_PORT}`), 'portmap set up the hostPort');
  assert.ok(fs.existsSync(`/sys/fs/cgroup/memory/${cgParent}/besteffort/pod${uid}/${sandboxId}`));

  const listed = await cri.listPodSandbox({ label_selector: { [LABEL_MANAGED_BY]: NODE } });
  assert.deepEqual(listed.map((s) => [s.id, s.state]), [[sandboxId, 'SANDBOX_READY']]);
  assert.deepEqual(await cri.listPodSandbox({ label_selector: { [LABEL_MANAGED_BY]: 'someone-else' } }), []);
});

test('a container runs, execs, and writes its log', { skip }, async () => {
  assert.ok(cri);
  const config: ContainerConfig = {
    metadata: { name: 'app', attempt: 0 },
    image: { image: BUSYBOX_REF },
    // busybox httpd forks into the background; PID 1 ends up being sleep.
    command: ['/bin/sh', '-c', 'echo started; httpd -p 8080 -h /www; exec sleep 3600'],
    log_path: 'app/0.log',
    labels: { [LABEL_MANAGED_BY]: NODE, 'io.kubernetes.container.name': 'app' },
    linux: {
      resources: { memory_limit_in_bytes: 64 * 1024 * 1024 },
      security_context: { namespace_options: { network: 'POD', pid: 'CONTAINER', ipc: 'POD' } },
    },
  };
  containerId = await cri.createContainer(sandboxId, config, sandboxConfig());
  assert.equal((await cri.containerStatus(containerId))?.state, 'CONTAINER_CREATED');
  await cri.startContainer(containerId);
  const st = await cri.containerStatus(containerId);
  assert.ok(st);
  assert.equal(st.state, 'CONTAINER_RUNNING');
  assert.equal(st.metadata.name, 'app');
  assert.equal(st.log_path, path.join(dir, 'logs', `default_web_${uid}`, 'app', '0.log'));
  assert.equal(st.finished_at, '0');
  assert.equal(
    fs.readFileSync(`/sys/fs/cgroup/memory/${cgParent}/besteffort/pod${uid}/${containerId}/memory.limit_in_bytes`, 'utf8').trim(),
    String(64 * 1024 * 1024),
  );

  const running = await cri.listContainers({ pod_sandbox_id: sandboxId, state: { state: 'CONTAINER_RUNNING' } });
  assert.deepEqual(running.map((c) => c.id), [containerId]);

  const r = await cri.execSync(containerId, ['sh', '-c', 'echo out-$(hostname); echo err >&2; exit 3'], 10);
  assert.equal(r.exit_code, 3);
  assert.equal(r.stdout.toString(), 'out-web\n');
  assert.equal(r.stderr.toString(), 'err\n');
  // Own PID namespace (pid: CONTAINER): PID 1 is the container's command, not pause.
  const ps = await cri.execSync(containerId, ['cat', '/proc/1/cmdline'], 10);
  assert.equal(ps.stdout.toString().split('\0')[0], 'sleep');

  const url = await cri.exec({ container_id: containerId, cmd: ['true'], stdout: true });
  assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/exec\/[A-Za-z0-9_-]+$/);

  // hostPort through portmap (127.0.0.1 needs route_localnet on the bridge) and the pod IP directly.
  const viaHostPort = await fetch(`http://127.0.0.1:${HOST_PORT}/`);
  assert.equal(viaHostPort.status, 200);
  assert.match(await viaHostPort.text(), /Welcome to nginx!/);
  assert.equal((await fetch(`http://${podIP}:8080/`)).status, 200);

  const log = fs.readFileSync(st.log_path, 'utf8');
  assert.match(log, /^\S+Z stdout F started\n$/);
});

test('execSync over its timeout is DEADLINE_EXCEEDED', { skip }, async () => {
  assert.ok(cri);
  const err = await cri.execSync(containerId, ['sleep', '5'], 1).then(() => null, (e) => e);
  assert.ok(err instanceof CriError, String(err));
  assert.equal(err.code, 4);
});

test('starting containerd again on the same dir replaces the old one; pods survive', { skip }, async () => {
  assert.ok(handle && cri);
  const old = handle;
  // Not stopped: the new start must find the recorded pid and stop it (as after an agent crash).
  handle = await startContainerd({ dir: path.join(dir, 'ctrd'), bridge, podCIDR, pauseImage: PAUSE_IMAGE_REF });
  assert.notEqual(handle.pid, firstPid);
  assert.equal(isProcessAlive(firstPid), false);
  await old.stop(); // already gone: must just resolve
  const st = await cri.podSandboxStatus(sandboxId); // same client reconnects
  assert.equal(st?.state, 'SANDBOX_READY');
  assert.equal(st?.network?.ip, podIP);
  assert.equal((await cri.containerStatus(containerId))?.state, 'CONTAINER_RUNNING');
  assert.equal((await cri.execSync(containerId, ['echo', 'again'], 10)).stdout.toString(), 'again\n');
});

test('stop and remove: exit 137, NOT_FOUND mapped, cgroups removed', { skip }, async () => {
  assert.ok(cri);
  await cri.stopContainer(containerId, 0);
  const st = await cri.containerStatus(containerId);
  assert.equal(st?.state, 'CONTAINER_EXITED');
  assert.equal(st?.exit_code, 137);
  assert.notEqual(st?.finished_at, '0');
  await cri.removeContainer(containerId);
  assert.equal(await cri.containerStatus(containerId), undefined);
  await cri.stopContainer(containerId, 0);
  await cri.removeContainer(containerId);

  await cri.stopPodSandbox(sandboxId);
  const sb = await cri.podSandboxStatus(sandboxId);
  assert.equal(sb?.state, 'SANDBOX_NOTREADY');
  assert.equal(sb?.network?.ip ?? '', '');
  await cri.removePodSandbox(sandboxId);
  assert.equal(await cri.podSandboxStatus(sandboxId), undefined);
  await cri.stopPodSandbox(sandboxId);
  await cri.removePodSandbox(sandboxId);
  assert.deepEqual(await cri.listPodSandbox({ label_selector: { [LABEL_MANAGED_BY]: NODE } }), []);

  const r = removePodCgroups(uid, `/${cgParent}/besteffort`);
  assert.deepEqual(r.busy, []);
  assert.ok(r.removed.includes(`/sys/fs/cgroup/memory/${cgParent}/besteffort/pod${uid}`), JSON.stringify(r.removed));
  assert.equal(fs.existsSync(`/sys/fs/cgroup/memory/${cgParent}/besteffort/pod${uid}`), false);
});

test('stopping containerd waits for the process; cleanup removes the bridge', { skip }, async () => {
  assert.ok(handle && cri);
  const pid = handle.pid;
  await handle.stop();
  assert.equal(isProcessAlive(pid), false);
  assert.equal(fs.existsSync(containerdLayout(path.join(dir, 'ctrd')).pidFile), false);
  const err = await cri.version().then(() => null, (e) => e);
  assert.ok(err instanceof CriError);
  assert.equal(err.code, 14);
  const net = await cleanupNetwork(bridge);
  assert.equal(net.bridgeRemoved, true);
  assert.equal(linkExists(bridge), false);
  // The hostPort made portmap create the shared chains; they go unless another agent's pod still uses CNI.
  const nat = execFileSync('iptables', ['-w', '5', '-t', 'nat', '-S'], { encoding: 'utf8' });
  const chains = nat.split('\n').filter((l) => l.startsWith('-N CNI-')).map((l) => l.slice(3));
  if (!chains.some((c) => !c.startsWith('CNI-HOSTPORT-'))) {
    assert.deepEqual(chains, [], nat);
    assert.ok(net.iptables.some((a) => a[0] === '-X' && a[1] === 'CNI-HOSTPORT-DNAT'), JSON.stringify(net.iptables));
  }
});
