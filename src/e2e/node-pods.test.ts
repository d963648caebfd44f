// Real pods on a real node: `skiff up` runs containerd through CRI; the real
// kubectl creates, inspects and deletes pods as a user would.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { canRunNode, podHelpers, podManifest, startNodeCluster, waitFor, type NodeCluster } from '../testing/node-cluster.js';

const skip = canRunNode();
let c: NodeCluster;

const { getPod, waitPhase, waitReady, events, until } = podHelpers(() => c);
const podJson = (name: string, spec: Record<string, unknown>, meta: Record<string, unknown> = {}) => JSON.stringify(podManifest(name, spec, meta));

describe('pods on a real node', { skip, concurrency: true }, () => {
  before(async () => {
    c = await startNodeCluster();
  });
  after(async () => {
    await c?.stop();
  });

  it('two containers share the network namespace and an emptyDir', async () => {
    await c.k(['apply', '-f', '-'], {
      stdin: podJson('two', {
        volumes: [{ name: 'shared', emptyDir: {} }],
        containers: [
          { name: 'web', image: c.images['nginx:1.25'], volumeMounts: [{ name: 'shared', mountPath: '/www/shared' }] },
          {
            name: 'client',
            image: c.images['busybox:1.36'],
            command: ['sh', '-c', 'echo from-client > /shared/hello; until wget -q -O /shared/page http://localhost:80/shared/hello; do sleep 0.2; done; sleep 3600'],
            volumeMounts: [{ name: 'shared', mountPath: '/shared' }],
          },
        ],
      }),
    });
    const pod = await waitReady('two');
    assert.equal(pod.status.phase, 'Running');
    assert.match(pod.status.podIP, /^10\./);
    assert.equal(pod.status.hostIP, '127.0.0.1');
    assert.equal(pod.status.qosClass, 'BestEffort');
    assert.deepEqual(pod.status.containerStatuses.map((s: any) => [s.name, s.ready, s.restartCount, Object.keys(s.state)[0]]), [
      ['client', true, 0, 'running'],
      ['web', true, 0, 'running'],
    ]);
    for (const s of pod.status.containerStatuses) assert.match(s.containerID, /^containerd:\/\/[0-9a-f]{64}$/);
    // The web container serves what the client fetched over localhost and wrote into the shared volume.
    await waitFor(async () => (await c.kubectl(['exec', 'two', '-c', 'web', '--', 'cat', '/www/shared/page'])).stdout === 'from-client\n', 20_000, 'page fetched over localhost');
    const table = await c.k(['get', 'pod', 'two']);
    assert.match(table, /^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\ntwo\s+2\/2\s+Running\s+0\s+\S+\n$/);
    const reasons = (await events('two')).map((e) => e.reason);
    for (const r of ['Scheduled', 'Pulled', 'Created', 'Started']) assert.ok(reasons.includes(r), `event ${r} in ${reasons}`);
  });

  it('init containers run one at a time, in order, before the app container', async () => {
    await c.k(['apply', '-f', '-'], {
      stdin: podJson('init', {
        volumes: [{ name: 'work', emptyDir: {} }],
        initContainers: [
          { name: 'first', image: c.images['busybox:1.36'], command: ['sh', '-c', 'sleep 1; echo first >> /work/order'], volumeMounts: [{ name: 'work', mountPath: '/work' }] },
          { name: 'second', image: c.images['busybox:1.36'], command: ['sh', '-c', 'echo second >> /work/order'], volumeMounts: [{ name: 'work', mountPath: '/work' }] },
        ],
        containers: [{ name: 'app', image: c.images['busybox:1.36'], command: ['sh', '-c', 'echo app >> /work/order; cat /work/order; sleep 3600'], volumeMounts: [{ name: 'work', mountPath: '/work' }] }],
      }),
    });
    const pod = await waitReady('init');
    const inits = pod.status.initContainerStatuses;
    assert.deepEqual(inits.map((s: any) => [s.name, s.state.terminated?.reason, s.state.terminated?.exitCode, s.ready]), [
      ['first', 'Completed', 0, true],
      ['second', 'Completed', 0, true],
    ]);
    assert.ok(Date.parse(inits[0].state.terminated.finishedAt) <= Date.parse(inits[1].state.terminated.startedAt));
    assert.equal(pod.status.conditions.find((x: any) => x.type === 'Initialized').status, 'True');
    await waitFor(async () => (await c.kubectl(['logs', 'init', '-c', 'app'])).stdout === 'first\nsecond\napp\n', 10_000, 'app log shows the order');
  });

  it('requests and limits become cgroup limits and count in describe node', async () => {
    await c.k(['apply', '-f', '-'], {
      stdin: podJson('limited', {
        containers: [{ name: 'app', image: c.images['busybox:1.36'], command: ['sleep', '3600'], resources: { requests: { cpu: '100m', memory: '32Mi' }, limits: { cpu: '200m', memory: '64Mi' } } }],
      }),
    });
    const pod = await waitReady('limited');
    assert.equal(pod.status.qosClass, 'Burstable');
    const id = pod.status.containerStatuses[0].containerID.replace('containerd://', '');
    const base = `kubepods/burstable/pod${pod.metadata.uid}/${id}`;
    assert.equal(fs.readFileSync(`/sys/fs/cgroup/memory/${base}/memory.limit_in_bytes`, 'utf8').trim(), String(64 * 1024 * 1024));
    assert.equal(fs.readFileSync(`/sys/fs/cgroup/cpu/${base}/cpu.cfs_quota_us`, 'utf8').trim(), '20000');
    assert.equal(fs.readFileSync(`/sys/fs/cgroup/cpu/${base}/cpu.shares`, 'utf8').trim(), '102');
    const node = JSON.parse(await c.k(['get', 'node', c.nodeName, '-o', 'json']));
    const cpuMilli = Number(node.status.allocatable.cpu) * 1000;
    // Other tests of this file run at the same time; the OOM test's pod (16Mi) counts until it has failed.
    let describe = '';
    await waitFor(async () => /memory\s+32Mi \(\d+%\)\s+64Mi/.test((describe = await c.k(['describe', 'node', c.nodeName]))), 30_000, 'only this pod requests memory');
    const pct = (n: number) => `${Math.floor((n * 100) / cpuMilli)}%`;
    assert.match(describe, /Allocated resources:/);
    assert.match(describe, new RegExp(`cpu\\s+100m \\(${pct(100)}\\)\\s+200m \\(${pct(200)}\\)`));
    assert.match(describe, /memory\s+32Mi \(\d+%\)\s+64Mi \(\d+%\)/);
    assert.match(describe, /default\s+limited\s+100m \(\d+%\)\s+200m \(\d+%\)\s+32Mi \(\d+%\)\s+64Mi \(\d+%\)/);
  });

  it('restartPolicy Never pods end Succeeded or Failed', async () => {
    await c.k(['apply', '-f', '-'], { stdin: podJson('ok-once', { restartPolicy: 'Never', containers: [{ name: 'c', image: c.images['busybox:1.36'], command: ['sh', '-c', 'echo done'] }] }) });
    await c.k(['apply', '-f', '-'], { stdin: podJson('fail-once', { restartPolicy: 'Never', containers: [{ name: 'c', image: c.images['busybox:1.36'], command: ['sh', '-c', 'exit 3'] }] }) });
    const ok = await waitPhase('ok-once', 'Succeeded');
    assert.deepEqual(pick(ok.status.containerStatuses[0].state.terminated), { exitCode: 0, reason: 'Completed' });
    const bad = await waitPhase('fail-once', 'Failed');
    assert.deepEqual(pick(bad.status.containerStatuses[0].state.terminated), { exitCode: 3, reason: 'Error' });
    assert.equal(bad.status.containerStatuses[0].restartCount, 0);
    const table = await c.k(['get', 'pods', 'ok-once', 'fail-once']);
    assert.match(table, /ok-once\s+0\/1\s+Completed\s+0/);
    assert.match(table, /fail-once\s+0\/1\s+Error\s+0/);
  });

  it('a container over its memory limit is OOMKilled', async () => {
    await c.k(['apply', '-f', '-'], {
      stdin: podJson('oom', {
        restartPolicy: 'Never',
        containers: [{ name: 'c', image: c.images['busybox:1.36'], command: ['dd', 'if=/dev/zero', 'of=/dev/null', 'bs=64M'], resources: { limits: { memory: '16Mi' } } }],
      }),
    });
    await waitPhase('oom', 'Failed');
    // containerd reports the OOM kill by an event that can land just after the exit; the kubelet's next sync picks it up.
    const pod = await until('oom', 'reason OOMKilled', (p) => p?.status?.containerStatuses?.[0]?.state?.terminated?.reason === 'OOMKilled', 30_000);
    assert.deepEqual(pick(pod.status.containerStatuses[0].state.terminated), { exitCode: 137, reason: 'OOMKilled' });
    assert.match(await c.k(['get', 'pod', 'oom']), /oom\s+0\/1\s+OOMKilled\s+0/);
  });

  it('a crashing container restarts with back-off (CrashLoopBackOff)', async () => {
    await c.k(['apply', '-f', '-'], { stdin: podJson('crash', { containers: [{ name: 'c', image: c.images['busybox:1.36'], command: ['sh', '-c', 'echo run; exit 1'] }] }) });
    let pod: any;
    await waitFor(async () => {
      pod = await getPod('crash');
      const s = pod.status.containerStatuses?.[0];
      return s?.restartCount >= 1 && s?.state?.waiting?.reason === 'CrashLoopBackOff';
    }, 40_000, 'CrashLoopBackOff');
    const s = pod.status.containerStatuses[0];
    assert.match(s.state.waiting.message, new RegExp(`^back-off (10|20)s restarting failed container=c pod=crash_default\\(${pod.metadata.uid}\\)$`));
    assert.deepEqual(pick(s.lastState.terminated), { exitCode: 1, reason: 'Error' });
    assert.equal(pod.status.phase, 'Running');
    const backoff = (await events('crash')).find((e) => e.reason === 'BackOff');
    assert.equal(backoff?.message, 'Back-off restarting failed container c in pod crash_default(' + pod.metadata.uid + ')');
    assert.match(await c.k(['get', 'pod', 'crash']), /crash\s+0\/1\s+(CrashLoopBackOff|Error)\s+\d+ \(\S+ ago\)/);
  });

  it('graceful deletion: SIGTERM-aware containers go at once, others after the grace period', async () => {
    await c.k(['apply', '-f', '-'], { stdin: podJson('term-fast', { containers: [{ name: 'web', image: c.images['nginx:1.25'] }] }) });
    await c.k(['apply', '-f', '-'], { stdin: podJson('term-slow', { terminationGracePeriodSeconds: 3, containers: [{ name: 'c', image: c.images['busybox:1.36'], command: ['sleep', '3600'] }] }) });
    await waitReady('term-fast');
    await waitReady('term-slow');
    let t = Date.now();
    await c.k(['delete', 'pod', 'term-fast'], { timeoutMs: 60_000 });
    const fast = Date.now() - t;
    t = Date.now();
    await c.k(['delete', 'pod', 'term-slow'], { timeoutMs: 60_000 });
    const slow = Date.now() - t;
    assert.ok(fast < 2500, `term-fast took ${fast} ms`);
    assert.ok(slow >= 2900 && slow < 8000, `term-slow took ${slow} ms (grace 3 s)`);
    const killing = (await events('term-slow')).find((e) => e.reason === 'Killing');
    assert.equal(killing?.message, 'Stopping container c');
  });
});

function pick(t: any): { exitCode: number; reason: string } {
  return { exitCode: t?.exitCode, reason: t?.reason };
}
