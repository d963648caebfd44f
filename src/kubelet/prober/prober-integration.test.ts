// Probes and hooks against a real container in its own containerd: exec
// output and timeouts through ExecSync, httpGet/tcpSocket to the pod IP on
// our bridge, and a liveness kill from the ProbeManager with real timers.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { LABEL_MANAGED_BY, type ContainerConfig, type CriRuntime, type PodSandboxConfig } from '../cri/api.js';
import { containerdSkipReason, randomHex, startTestContainerd, TEST_BUSYBOX_REF as BUSYBOX_REF, type TestContainerd } from '../../testing/containerd-fixture.js';
import type { KubeletContext } from '../contracts.js';
import { runLifecycleHook, runProbeHandler } from './actions.js';
import { ProbeManager } from './probe-manager.js';

const skip = containerdSkipReason();

const uid = `${randomHex(8)}-${randomHex(4)}`;
const NODE = `probe-test-${randomHex(4)}`;

let ctrd: TestContainerd | undefined;
let cri: CriRuntime | undefined;
let dir = '';
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
    cgroup_parent: `${ctrd!.cgroupParent}/besteffort/pod${uid}`,
    security_context: { namespace_options: { network: 'POD', pid: 'CONTAINER', ipc: 'POD' } },
  },
});

const ctx = () => ({ cri, recorder: { event() {} }, now: () => new Date() }) as unknown as KubeletContext;

before(async () => {
  if (skip) return;
  ctrd = await startTestContainerd({ prefix: 'skprobe-', images: [BUSYBOX_REF] });
  cri = ctrd.cri;
  dir = ctrd.dir;
  fs.mkdirSync(path.join(dir, 'logs'), { recursive: true });
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
  await ctrd?.stop();
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
  assert.ok(podIP.startsWith(ctrd!.cidr.replace(/0\/24$/, '')), podIP);
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
