// The scheduler end to end: real server (scheduler in-process, talking HTTPS),
// real kubectl, nodes registered through the API.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startSkiff, apiRequest, type SkiffProcess } from '../testing/server-process.js';
import { kubectl as run } from '../testing/kubectl.js';
import { cliCommand } from '../testing/server-process.js';
import { spawnSync } from 'node:child_process';

let s: SkiffProcess;
const k = (args: string[], stdin?: string) => run(args, { kubeconfig: s.kubeconfig, stdin });

function node(name: string, cpu: string, labels: Record<string, string> = {}): unknown {
  const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, labels: { 'kubernetes.io/hostname': name, ...labels } },
    status: {
      capacity: { cpu, memory: '8Gi', pods: '110' },
      allocatable: { cpu, memory: '8Gi', pods: '110' },
      conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status', lastHeartbeatTime: now, lastTransitionTime: now }],
      nodeInfo: { kubeletVersion: 'v1.32.0', containerRuntimeVersion: 'fake://1', osImage: 'test', kernelVersion: '6', operatingSystem: 'linux', architecture: 'amd64', machineID: '', systemUUID: '', bootID: '', kubeProxyVersion: '' },
    },
  };
}

function pod(name: string, spec: Record<string, unknown> = {}, cpu?: string): unknown {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name },
    spec: { containers: [{ name: 'c', image: 'busybox', ...(cpu ? { resources: { requests: { cpu } } } : {}) }], ...spec },
  };
}

async function waitFor<T>(what: string, f: () => Promise<T | undefined>, ms = 15000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await f();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const nodeOf = async (name: string): Promise<string | undefined> => {
  const r = await apiRequest(s, 'GET', `/api/v1/namespaces/default/pods/${name}`);
  return r.body?.spec?.nodeName || undefined;
};

before(async () => {
  s = await startSkiff({ scheduler: true });
  for (const [n, cpu] of [['node-1', '2'], ['node-2', '2'], ['node-3', '2']] as const) {
    const r = await apiRequest(s, 'POST', '/api/v1/nodes', node(n, cpu));
    assert.equal(r.status, 201, r.text);
  }
});
after(async () => {
  await s?.stop();
});

describe('scheduler (in-process component, real kubectl)', () => {
  it('kubectl label nodes + nodeSelector: the pod lands on the labelled node, with a Scheduled event', async () => {
    const l = await k(['label', 'nodes', 'node-2', 'env_role=dev']);
    assert.equal(l.stdout.trim(), 'node/node-2 labeled', l.stderr);
    assert.equal((await apiRequest(s, 'POST', '/api/v1/namespaces/default/pods', pod('nginx', { nodeSelector: { env_role: 'dev' } }))).status, 201);
    assert.equal(await waitFor('nginx bound', () => nodeOf('nginx')), 'node-2');
    const d = await waitFor('Scheduled event', async () => {
      const r = await k(['describe', 'pod', 'nginx']);
      return /Scheduled/.test(r.stdout) ? r.stdout : undefined;
    });
    assert.match(d, /Normal\s+Scheduled\s+\S+\s+default-scheduler\s+Successfully assigned default\/nginx to node-2\n/);
    const w = await k(['get', 'pod', 'nginx', '-o', 'wide']);
    assert.match(w.stdout, /nginx\s+0\/1\s+Pending\s+0\s+\S+\s+<none>\s+node-2\s+<none>\s+<none>/);
    const cond = (await apiRequest(s, 'GET', '/api/v1/namespaces/default/pods/nginx')).body.status.conditions.find((c: any) => c.type === 'PodScheduled');
    assert.equal(cond.status, 'True');
  });

  it('a nodeName pod skips the scheduler: bound at create, no Scheduled event', async () => {
    assert.equal((await apiRequest(s, 'POST', '/api/v1/namespaces/default/pods', pod('pinned', { nodeName: 'node-3' }))).status, 201);
    assert.equal(await nodeOf('pinned'), 'node-3');
    await new Promise((r) => setTimeout(r, 1000));
    const ev = await k(['get', 'events', '--field-selector', 'involvedObject.name=pinned', '-o', 'json']);
    assert.deepEqual(JSON.parse(ev.stdout).items.map((e: any) => e.reason), []);
  });

  it('an oversized pod stays Pending with the Kubernetes FailedScheduling message, then schedules when a fitting node joins', async () => {
    assert.equal((await apiRequest(s, 'POST', '/api/v1/namespaces/default/pods', pod('big', {}, '3'))).status, 201);
    const d = await waitFor('FailedScheduling', async () => {
      const r = await k(['describe', 'pod', 'big']);
      return /FailedScheduling/.test(r.stdout) ? r.stdout : undefined;
    });
    assert.match(
      d,
      /Warning\s+FailedScheduling\s+\S+\s+default-scheduler\s+0\/3 nodes are available: 3 Insufficient cpu\. preemption: 0\/3 nodes are available: 3 No preemption victims found for incoming pod\.\n/,
    );
    assert.match(d, /Status:\s+Pending/);
    const p = (await apiRequest(s, 'GET', '/api/v1/namespaces/default/pods/big')).body;
    const cond = p.status.conditions.find((c: any) => c.type === 'PodScheduled');
    assert.equal(cond.status, 'False');
    assert.equal(cond.reason, 'Unschedulable');
    assert.equal(cond.message, '0/3 nodes are available: 3 Insufficient cpu. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.');
    // A node that fits joins: the pod is retried at once (NodeAdd event), not after minutes.
    assert.equal((await apiRequest(s, 'POST', '/api/v1/nodes', node('node-big', '8'))).status, 201);
    assert.equal(await waitFor('big bound', () => nodeOf('big'), 10000), 'node-big');
  });

  it('explains decisions: skiff explain pod and the skiff.dev API', async () => {
    const { cmd, argv } = cliCommand(['explain', 'pod', 'nginx', '--kubeconfig', s.kubeconfig]);
    const r = spawnSync(cmd, argv, { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /Result:\s+Scheduled on node-2/);
    assert.match(r.stdout, /node-1\s+ok\s+ok\s+ok\s+FAIL\s+-\s+node\(s\) didn't match Pod's node affinity\/selector/);
    const api = await apiRequest(s, 'GET', '/apis/skiff.dev/v1/namespaces/default/schedulingexplanations/big');
    assert.equal(api.status, 200, api.text);
    assert.equal(api.body.kind, 'SchedulingExplanation');
    assert.equal(api.body.result, 'Scheduled');
    assert.equal(api.body.node, 'node-big');
    const missing = await apiRequest(s, 'GET', '/apis/skiff.dev/v1/namespaces/default/schedulingexplanations/nope');
    assert.equal(missing.status, 404);
    assert.equal(missing.body.message, 'schedulingexplanations.skiff.dev "nope" not found');
  });

  it('preemption evicts the lowest-priority pod for a higher-priority one', async () => {
    for (const [name, value] of [['low', 10], ['high', 1000]] as const) {
      const r = await apiRequest(s, 'POST', '/apis/scheduling.k8s.io/v1/priorityclasses', { apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name }, value });
      assert.equal(r.status, 201, r.text);
    }
    // Fill every node's CPU with low-priority pods (2 cpu nodes: 2 × 1 cpu; the 8-cpu node: 8 × 1 cpu minus big's 3).
    await k(['delete', 'pod', 'nginx', 'pinned', 'big', '--grace-period=0', '--force']);
    await new Promise((r) => setTimeout(r, 500));
    const fillers: string[] = [];
    for (let i = 0; i < 14; i++) {
      const name = `filler-${i}`;
      fillers.push(name);
      assert.equal((await apiRequest(s, 'POST', '/api/v1/namespaces/default/pods', pod(name, { priorityClassName: 'low' }, '1'))).status, 201);
    }
    for (const f of fillers) await waitFor(`${f} bound`, () => nodeOf(f));
    assert.equal((await apiRequest(s, 'POST', '/api/v1/namespaces/default/pods', pod('vip', { priorityClassName: 'high' }, '1'))).status, 201);
    const p = await waitFor('vip nominated or bound', async () => {
      const r = (await apiRequest(s, 'GET', '/api/v1/namespaces/default/pods/vip')).body;
      return r.status?.nominatedNodeName || r.spec?.nodeName ? r : undefined;
    });
    assert.equal(p.spec.priority, 1000);
    // These nodes have no kubelet: play its part and finish the graceful deletion of the victim.
    const victims = await waitFor('a victim being deleted', async () => {
      const items = (await apiRequest(s, 'GET', '/api/v1/namespaces/default/pods')).body.items.filter((x: any) => x.metadata.deletionTimestamp);
      return items.length ? items : undefined;
    });
    assert.equal(victims.length, 1);
    assert.equal(victims[0].spec.priority, 10);
    assert.equal(victims[0].status.conditions.find((c: any) => c.type === 'DisruptionTarget')?.reason, 'PreemptionByScheduler');
    assert.equal(victims[0].spec.nodeName, p.status.nominatedNodeName);
    const gone = await apiRequest(s, 'DELETE', `/api/v1/namespaces/default/pods/${victims[0].metadata.name}`, { gracePeriodSeconds: 0 });
    assert.equal(gone.status, 200, gone.text);
    // The vip pod then lands on the nominated node.
    const bound = await waitFor('vip bound', () => nodeOf('vip'), 20000);
    assert.equal(bound, p.status.nominatedNodeName);
    assert.ok(bound);
    const pods = JSON.parse((await k(['get', 'pods', '-o', 'json'])).stdout).items;
    const remaining = pods.filter((x: any) => x.metadata.name.startsWith('filler-') && !x.metadata.deletionTimestamp);
    assert.equal(remaining.length, 13);
    assert.equal(pods.length, 14);
    const ev = await k(['get', 'events', '--field-selector', 'reason=Preempted', '-o', 'json']);
    const preempted = JSON.parse(ev.stdout).items;
    assert.equal(preempted.length, 1);
    assert.match(preempted[0].message, new RegExp(`^Preempted by pod ${p.metadata.uid} on node ${bound}$`));
  });
});

describe('scheduler as its own process (--disable scheduler + skiff scheduler)', () => {
  it('nothing schedules without it; `skiff scheduler --kubeconfig` then binds the pod', async () => {
    const { spawn } = await import('node:child_process');
    const cp = await startSkiff({ args: ['--disable', 'scheduler'] });
    try {
      assert.equal((await apiRequest(cp, 'POST', '/api/v1/nodes', node('solo', '2'))).status, 201);
      assert.equal((await apiRequest(cp, 'POST', '/api/v1/namespaces/default/pods', pod('waiting'))).status, 201);
      await new Promise((r) => setTimeout(r, 1500));
      assert.equal((await apiRequest(cp, 'GET', '/api/v1/namespaces/default/pods/waiting')).body.spec.nodeName, undefined);
      const { cmd, argv } = cliCommand(['scheduler', '--kubeconfig', cp.kubeconfig]);
      const child = spawn(cmd, argv, { stdio: 'ignore' });
      try {
        const bound = await waitFor('bound by the standalone scheduler', async () => (await apiRequest(cp, 'GET', '/api/v1/namespaces/default/pods/waiting')).body.spec.nodeName || undefined);
        assert.equal(bound, 'solo');
      } finally {
        child.kill('SIGTERM');
      }
    } finally {
      await cp.stop();
    }
  });
});
