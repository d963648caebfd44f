// Probes and hooks against a real container in its own containerd: exec
// output and timeouts through ExecSync, httpGet/tcpSocket to the pod IP on
// our bridge, and a liveness kill from the ProbeManager with real timers.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { LABEL_MANAGED_BY, type ContainerConfig, type CriRuntime, type PodSandboxConfig } from '../cri/api.js';
import { connectCri } from '../cri/cri-client.js';
import { startContainerd, type ContainerdHandle } from '../cri/containerd-process.js';
import { cleanupNetwork, removeCgroupTree } from '../cri/host-cleanup.js';
import { ensurePauseImage, importImageArchive } from '../cri/image-import.js';
import { PAUSE_IMAGE_REF, writePauseImageArchive } from '../../oci/pause-image.js';
import { writeImageArchive } from '../../testing/test-images.js';
import type { KubeletContext } from '../contracts.js';
import { runLifecycleHook, runProbeHandler } from './actions.js';
import { ProbeManager } from './probe-manager.js';

function which(bin: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${bin}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const skip = process.getuid?.() !== 0 ? 'needs root'
  : !which('containerd') || !which('ctr') || !which('runc') ? 'containerd, ctr or runc is not installed'
    : false;

const hex = (n: number) => Array.from({ length: n }, () => Math.floor(Math.random() * 16).toString(16)).join('');
const bridge = `sk${hex(4)}`;
const cidrBase = `10.${100 + Math.floor(Math.random() * 150)}.${Math.floor(Math.random() * 256)}`;
const cgParent = `skiff-probe-${hex(6)}`;
const uid = `${hex(8)}-${hex(4)}`;
const NODE = `probe-test-${hex(4)}`;
const BUSYBOX_REF = 'localhost/skiff-test/busybox:1.36';

let dir = '';
let handle: ContainerdHandle | undefined;
let cri: CriRuntime | undefined;
let containerId = '';
let podIP = '';
const pod: any = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', namespace: 'default', uid }, spec: { restartPolicy: 'Always', containers: [] }, status: { phase: 'Running' } };
const container = { name: 'app', ports: [{ name: 'http', containerPort: 8080 }] };

const sandboxConfig = (): PodSandboxConfig => ({
  metadata: { name: 'web', uid, namespace: 'default', attempt: 0 },
  hostname: 'web',
  log_directory: path.join(dir, 'logs'),
  labels: { [LABEL_MANAGED_BY]: NODE },
  linux: {
    cgroup_parent: `/${cgParent}/besteffort/pod${uid}`,
    security_context: { namespace_options: { network: 'POD', pid: 'CONTAINER', ipc: 'POD' } },
  },
});

const ctx = () => ({ cri, recorder: { event() {} }, now: () => new Date() }) as unknown as KubeletContext;

before(async () => {
  if (skip) return;
  dir = fs.mkdtempSync('/tmp/skprobe-');
  fs.mkdirSync(path.join(dir, 'logs'), { recursive: true });
  handle = await startContainerd({ dir: path.join(dir, 'ctrd'), bridge, podCIDR: `${cidrBase}.0/24`, pauseImage: PAUSE_IMAGE_REF });
  cri = connectCri(handle.socket);
  await ensurePauseImage(handle.socket, PAUSE_IMAGE_REF, (p) => writePauseImageArchive(p, PAUSE_IMAGE_REF), cri);
  const archive = path.join(dir, 'busybox.tar');
  await writeImageArchive(archive, 'busybox', BUSYBOX_REF);
  await importImageArchive(handle.socket, archive);
  for (let i = 0; i < 100 && !(await cri.imageStatus(BUSYBOX_REF)); i++) await new Promise((r) => setTimeout(r, 50));
  const sandboxId = await cri.runPodSandbox(sandboxConfig());
  podIP = (await cri.podSandboxStatus(sandboxId))?.network?.ip ?? '';
  const config: ContainerConfig = {
    metadata: { name: 'app', attempt: 0 },
    image: { image: BUSYBOX_REF },
    command: ['/bin/sh', '-c', 'httpd -p 8080 -h /www; exec sleep 3600'],
    log_path: 'app/0.log',
    labels: { [LABEL_MANAGED_BY]: NODE },
    linux: { security_context: { namespace_options: { network: 'POD', pid: 'CONTAINER', ipc: 'POD' } } },
  };
  containerId = await cri.createContainer(sandboxId, config, sandboxConfig());
  await cri.startContainer(containerId);
  // httpd forks in the background: wait until it answers
  for (let i = 0; i < 50; i++) {
    if ((await runProbeHandler(ctx(), pod, container, containerId, podIP, { tcpSocket: { port: 8080 } }, 1)).result === 'success') break;
    await new Promise((r) => setTimeout(r, 50));
  }
});

after(async () => {
  if (skip) return;
  if (cri) {
    try {
      for (const s of await cri.listPodSandbox({ label_selector: { [LABEL_MANAGED_BY]: NODE } })) {
        for (const c of await cri.listContainers({ pod_sandbox_id: s.id })) {
          await cri.stopContainer(c.id, 0);
          await cri.removeContainer(c.id);
        }
        await cri.stopPodSandbox(s.id);
        await cri.removePodSandbox(s.id);
      }
    } catch { /* containerd already gone */ }
    cri.close();
  }
  await handle?.stop();
  await cleanupNetwork(bridge).catch(() => undefined);
  removeCgroupTree(`/${cgParent}`);
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

test('exec probes: output text, success, and the timeout text', { skip }, async () => {
  const c = ctx();
  assert.deepEqual(await runProbeHandler(c, pod, container, containerId, podIP, { exec: { command: ['cat', '/tmp/healthy'] } }, 5), {
    result: 'failure', output: "cat: can't open '/tmp/healthy': No such file or directory\n",
  });
  assert.deepEqual(await runProbeHandler(c, pod, container, containerId, podIP, { exec: { command: ['sh', '-c', 'echo ok'] } }, 5), { result: 'success', output: 'ok\n' });
  assert.deepEqual(await runProbeHandler(c, pod, container, containerId, podIP, { exec: { command: ['sleep', '5'] } }, 1), {
    result: 'failure', output: 'command "sleep 5" timed out',
  });
});

test('httpGet and tcpSocket reach the pod IP on our bridge', { skip }, async () => {
  const c = ctx();
  assert.ok(podIP.startsWith(`${cidrBase}.`), podIP);
  const okRes = await runProbeHandler(c, pod, container, containerId, podIP, { httpGet: { port: 'http', path: '/' } }, 2);
  assert.equal(okRes.result, 'success');
  assert.match(okRes.output, /Welcome to nginx!/);
  assert.deepEqual(await runProbeHandler(c, pod, container, containerId, podIP, { httpGet: { port: 8080, path: '/missing' } }, 2), {
    result: 'failure', output: 'HTTP probe failed with statuscode: 404',
  });
  assert.deepEqual(await runProbeHandler(c, pod, container, containerId, podIP, { tcpSocket: { port: 81 } }, 1), {
    result: 'failure', output: `dial tcp ${podIP}:81: connect: connection refused`,
  });
  assert.deepEqual(await runLifecycleHook(c, pod, container, containerId, podIP, { exec: { command: ['sh', '-c', 'echo bye; exit 7'] } }, 5), {
    result: 'failure',
    error: "command 'sh -c echo bye; exit 7' exited with 7: ",
    output: `Exec lifecycle hook ([sh -c echo bye; exit 7]) for Container "app" in Pod "web_default(${uid})" failed - error: command 'sh -c echo bye; exit 7' exited with 7: , message: "bye\\n"`,
  });
});

test('ProbeManager kills after two failed liveness runs and reports readiness', { skip }, async () => {
  const events: string[] = [];
  const kills: string[] = [];
  const c = { ...ctx(), recorder: { event: (_o: unknown, type: string, reason: string, msg: string) => events.push(`${type} ${reason} ${msg}`) } } as unknown as KubeletContext;
  const spec = {
    ...pod,
    spec: {
      restartPolicy: 'Always',
      containers: [{
        ...container,
        livenessProbe: { exec: { command: ['cat', '/tmp/healthy'] }, periodSeconds: 1, failureThreshold: 2 },
        readinessProbe: { httpGet: { port: 'http', path: '/' }, periodSeconds: 1 },
      }],
    },
  };
  let ready = false;
  const pm = new ProbeManager({
    ctx: c,
    maxStartJitterMs: 0,
    hooks: {
      onProbeKill: (_u, name, id, probe, message) => kills.push(`${name} ${id === containerId} ${probe} ${message}`),
      onResultChange: () => { ready = pm.isReady(uid, 'app', containerId); },
    },
  });
  try {
    pm.sync(spec, podIP, [{ name: 'app', containerId, startedAt: Date.now(), running: true }]);
    for (let i = 0; i < 60 && kills.length === 0; i++) await new Promise((r) => setTimeout(r, 100));
    assert.deepEqual(kills, ['app true liveness Container app failed liveness probe, will be restarted']);
    assert.equal(ready, true);
    assert.deepEqual(events, [
      "Warning Unhealthy Liveness probe failed: cat: can't open '/tmp/healthy': No such file or directory\n",
      "Warning Unhealthy Liveness probe failed: cat: can't open '/tmp/healthy': No such file or directory\n",
    ]);
  } finally {
    pm.stop();
  }
});
