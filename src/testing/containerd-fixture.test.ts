import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { LABEL_MANAGED_BY, type PodSandboxConfig } from '../kubelet/cri/api.js';
import { isProcessAlive } from '../kubelet/cri/containerd-process.js';
import { linkExists } from '../kubelet/cri/host-cleanup.js';
import { PAUSE_IMAGE_REF } from '../oci/pause-image.js';
import { containerdSkipReason, randomHex, randomNet, startTestContainerd, TEST_BUSYBOX_REF } from './containerd-fixture.js';

test('randomNet and randomHex', () => {
  for (let i = 0; i < 50; i++) {
    const n = randomNet();
    assert.match(n.bridge, /^sk[0-9a-f]{6}$/);
    const m = /^10\.(\d+)\.(\d+)\.0\/24$/.exec(n.cidr);
    assert.ok(m, n.cidr);
    assert.ok(Number(m[1]) >= 100 && Number(m[1]) < 250 && Number(m[2]) < 250, n.cidr);
    assert.match(randomHex(5), /^[0-9a-f]{5}$/);
  }
});

const skip = containerdSkipReason();

test('a throwaway containerd with images, and a stop() that leaves nothing behind', { skip, timeout: 120_000 }, async () => {
  const ctrd = await startTestContainerd({ prefix: 'skfix-', images: [TEST_BUSYBOX_REF] });
  let stopped = false;
  try {
    assert.ok(path.basename(ctrd.dir).startsWith('skfix-'));
    assert.equal(ctrd.socket, ctrd.handle.socket);
    assert.ok((await ctrd.cri.imageStatus(PAUSE_IMAGE_REF)) !== undefined, 'pause imported');
    assert.ok((await ctrd.cri.imageStatus(TEST_BUSYBOX_REF)) !== undefined, 'busybox imported');
    assert.match(ctrd.cgroupParent, /^\/skiff-test-[0-9a-f]{6}$/);

    const uid = randomHex(8);
    const sb: PodSandboxConfig = {
      metadata: { name: 'fx', uid, namespace: 'default', attempt: 0 },
      hostname: 'fx',
      log_directory: path.join(ctrd.dir, 'logs'),
      labels: { [LABEL_MANAGED_BY]: 'fixture-test' },
      linux: { cgroup_parent: `${ctrd.cgroupParent}/pod${uid}`, security_context: { namespace_options: { network: 'POD', pid: 'CONTAINER', ipc: 'POD' } } },
    };
    fs.mkdirSync(sb.log_directory!, { recursive: true });
    const sandboxId = await ctrd.cri.runPodSandbox(sb);
    const podIP = (await ctrd.cri.podSandboxStatus(sandboxId))?.network?.ip ?? '';
    assert.ok(podIP.startsWith(ctrd.cidr.replace(/0\/24$/, '')), `${podIP} in ${ctrd.cidr}`);
    const containerId = await ctrd.cri.createContainer(sandboxId, {
      metadata: { name: 'c', attempt: 0 },
      image: { image: TEST_BUSYBOX_REF },
      command: ['sleep', '3600'],
      log_path: 'c/0.log',
      linux: { security_context: { namespace_options: { network: 'POD', pid: 'CONTAINER', ipc: 'POD' } } },
    }, sb);
    await ctrd.cri.startContainer(containerId);
    assert.ok(linkExists(ctrd.bridge));
    assert.ok(fs.existsSync(`/sys/fs/cgroup/memory${ctrd.cgroupParent}/pod${uid}`));
    const extra = `/skiff-test-${randomHex(6)}`;
    fs.mkdirSync(`/sys/fs/cgroup/memory${extra}`);
    ctrd.removeCgroupOnStop(extra);

    const pid = ctrd.handle.pid;
    await ctrd.stop();
    stopped = true;
    assert.equal(isProcessAlive(pid), false);
    assert.equal(linkExists(ctrd.bridge), false);
    assert.equal(fs.existsSync(`/sys/fs/cgroup/memory${ctrd.cgroupParent}`), false);
    assert.equal(fs.existsSync(`/sys/fs/cgroup/memory${extra}`), false);
    assert.equal(fs.existsSync(ctrd.dir), false);
    // A second stop is harmless.
    await ctrd.stop();
  } finally {
    if (!stopped) await ctrd.stop();
  }
});
