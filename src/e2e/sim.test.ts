// `skiff sim` end to end: the real CLI registers simulated nodes against a
// real server, and the real kubectl sees them (and their pods) as it would
// see a kubelet's.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { apiRequest, cliCommand, startSkiff, type SkiffProcess } from '../testing/server-process.js';
import { cleanupTempDirs, kubectl as run } from '../testing/kubectl.js';
import { startSim, type SimHandle } from '../kubelet/sim/sim.js';

let s: SkiffProcess;
const k = (args: string[], stdin?: string) => run(args, { kubeconfig: s.kubeconfig, stdin });

interface SimProcess {
  proc: ChildProcess;
  stdout(): string;
  stderr(): string;
  exited: Promise<number | null>;
}

function spawnSim(args: string[]): SimProcess {
  const { cmd, argv } = cliCommand(['sim', ...args]);
  const proc = spawn(cmd, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  proc.stdout!.on('data', (d) => (out += d));
  proc.stderr!.on('data', (d) => (err += d));
  const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
  return { proc, stdout: () => out, stderr: () => err, exited };
}

async function waitFor<T>(what: string, fn: () => Promise<T | undefined | false>, timeoutMs = 20_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`);
    await new Promise((r) => setTimeout(r, 150));
  }
}

async function startSimCli(args: string[]): Promise<SimProcess> {
  const sim = spawnSim(args);
  await Promise.race([
    waitFor('sim to report running', async () => sim.stdout().includes('Skiff sim running'), 60_000),
    sim.exited.then((code) => {
      throw new Error(`sim exited with ${code}: ${sim.stderr()}`);
    }),
  ]);
  return sim;
}

async function stopSim(sim: SimProcess): Promise<number | null> {
  if (sim.proc.exitCode === null) sim.proc.kill('SIGTERM');
  return sim.exited;
}

const get = async (path: string) => {
  const r = await apiRequest(s, 'GET', path);
  assert.equal(r.status, 200, `GET ${path}: ${r.text}`);
  return r.body;
};

const renewTime = async (node: string): Promise<string> =>
  (await get(`/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/${node}`)).spec.renewTime;

const podPhase = async (name: string) => (await get(`/api/v1/namespaces/default/pods/${name}`)).status?.phase;

const SIM_ARGS = [
  '--nodes',
  '5',
  '--heartbeat-seconds',
  '1',
  '--fail-node',
  'sim-4',
  '--zones',
  'z1,z2',
  '--labels',
  'team=blue',
  '--images',
  'nginx:1.25:187000000',
];

before(async () => {
  s = await startSkiff({ scheduler: true });
});

after(async () => {
  await s?.stop();
  cleanupTempDirs();
});

describe('skiff sim', () => {
  let sim: SimProcess;

  before(async () => {
    sim = await startSimCli(['--kubeconfig', s.kubeconfig, ...SIM_ARGS]);
  });

  after(async () => {
    if (sim) await stopSim(sim);
  });

  it('prints progress on stderr and one line on stdout', () => {
    assert.match(sim.stderr(), /^skiff sim: registered 5\/5 nodes$/m);
    assert.match(sim.stdout(), /^Skiff sim running 5 nodes \(sim-0 … sim-4\), registered in \d+\.\ds\n$/);
  });

  it('kubectl get nodes shows five Ready nodes, no roles, v1.32.0', async () => {
    const r = await k(['get', 'nodes']);
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.trimEnd().split('\n');
    assert.match(lines[0], /^NAME\s+STATUS\s+ROLES\s+AGE\s+VERSION$/);
    assert.equal(lines.length, 6);
    lines.slice(1).forEach((line, i) => assert.match(line, new RegExp(`^sim-${i}\\s+Ready\\s+<none>\\s+\\d+s\\s+v1\\.32\\.0$`)));
  });

  it('wide output shows addresses, OS image, kernel and runtime', async () => {
    const r = await k(['get', 'node', 'sim-2', '-o', 'wide', '--no-headers']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^sim-2\s+Ready\s+<none>\s+\S+\s+v1\.32\.0\s+10\.200\.0\.3\s+<none>\s+Skiff Simulated Linux\s+6\.1\.0-skiff-sim\s+skiff-sim:\/\/0\.1\.0\n$/);
  });

  it('label selectors find the sim nodes and their zones', async () => {
    const all = await k(['get', 'nodes', '-l', 'type=skiff-sim', '-o', 'name']);
    assert.equal(all.stdout, ['node/sim-0', 'node/sim-1', 'node/sim-2', 'node/sim-3', 'node/sim-4', ''].join('\n'));
    const z2 = await k(['get', 'nodes', '-l', 'topology.kubernetes.io/zone=z2,team=blue', '-o', 'name']);
    assert.equal(z2.stdout, 'node/sim-1\nnode/sim-3\n');
  });

  it('node status carries capacity, conditions, nodeInfo and images', async () => {
    const n = await get('/api/v1/nodes/sim-0');
    assert.deepEqual(n.status.capacity, { cpu: '32', 'ephemeral-storage': '100Gi', 'hugepages-1Gi': '0', 'hugepages-2Mi': '0', memory: '256Gi', pods: '110' });
    assert.deepEqual(
      n.status.conditions.map((c: any) => [c.type, c.status, c.reason]),
      [
        ['MemoryPressure', 'False', 'KubeletHasSufficientMemory'],
        ['DiskPressure', 'False', 'KubeletHasNoDiskPressure'],
        ['PIDPressure', 'False', 'KubeletHasSufficientPID'],
        ['Ready', 'True', 'KubeletReady'],
      ],
    );
    assert.deepEqual(n.status.images, [{ names: ['nginx:1.25'], sizeBytes: 187000000 }]);
    assert.equal(n.status.nodeInfo.containerRuntimeVersion, 'skiff-sim://0.1.0');
    assert.deepEqual(n.spec.podCIDRs, ['10.244.0.0/24']);
  });

  it('kubectl describe node shows the lease holder and conditions', async () => {
    const r = await k(['describe', 'node', 'sim-1']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^Lease:\n\s+HolderIdentity:\s+sim-1\n/m);
    assert.match(r.stdout, /Ready\s+True\s+.*KubeletReady\s+kubelet is posting ready status/);
    assert.match(r.stdout, /^\s+Container Runtime Version:\s+skiff-sim:\/\/0\.1\.0$/m);
  });

  it('leases in kube-node-lease renew every heartbeat, except the failed node', async () => {
    const lease = await get('/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/sim-0');
    assert.equal(lease.spec.holderIdentity, 'sim-0');
    assert.equal(lease.spec.leaseDurationSeconds, 40);
    assert.match(lease.spec.renewTime, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    assert.equal(lease.metadata.ownerReferences[0].kind, 'Node');
    const before0 = lease.spec.renewTime;
    const before4 = await renewTime('sim-4');
    await new Promise((r) => setTimeout(r, 2500));
    const after0 = await renewTime('sim-0');
    assert.ok(Date.parse(after0) > Date.parse(before0), `sim-0 lease not renewed: ${before0} → ${after0}`);
    assert.ok(Date.parse(after0) - Date.parse(before0) >= 1000);
    assert.equal(await renewTime('sim-4'), before4);
  });

  it('a pod bound to a sim node runs with an IP and READY 1/1', async () => {
    const r = await k(['run', 'web', '--image=nginx:1.25', '--overrides={"spec":{"nodeName":"sim-0"}}']);
    assert.equal(r.code, 0, r.stderr);
    await waitFor('web Running', async () => (await podPhase('web')) === 'Running');
    const w = await k(['get', 'pod', 'web', '-o', 'wide', '--no-headers']);
    assert.match(w.stdout, /^web\s+1\/1\s+Running\s+0\s+\S+\s+10\.244\.0\.\d+\s+sim-0\s+<none>\s+<none>\n$/);
    const p = await get('/api/v1/namespaces/default/pods/web');
    assert.equal(p.status.hostIP, '10.200.0.1');
    assert.deepEqual(p.status.podIPs, [{ ip: p.status.podIP }]);
    assert.deepEqual(
      p.status.conditions.map((c: any) => `${c.type}=${c.status}`),
      ['PodReadyToStartContainers=True', 'Initialized=True', 'Ready=True', 'ContainersReady=True', 'PodScheduled=True'],
    );
    const cs = p.status.containerStatuses[0];
    assert.equal(cs.imageID, 'sim://nginx:1.25');
    assert.match(cs.containerID, /^sim:\/\/[0-9a-f]{64}$/);
    assert.equal(cs.ready, true);
    assert.equal(cs.started, true);
    assert.equal(cs.restartCount, 0);
    assert.ok(cs.state.running.startedAt);
  });

  it('a two-container pod with an init container shows 2/2, and each pod gets its own IP', async () => {
    const manifest = JSON.stringify({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'duo' },
      spec: {
        nodeName: 'sim-0',
        initContainers: [{ name: 'setup', image: 'busybox' }],
        containers: [
          { name: 'app', image: 'nginx' },
          { name: 'log', image: 'busybox' },
        ],
      },
    });
    const c = await k(['create', '-f', '-'], manifest);
    assert.equal(c.code, 0, c.stderr);
    await waitFor('duo Running', async () => (await podPhase('duo')) === 'Running');
    const r = await k(['get', 'pod', 'duo', '--no-headers']);
    assert.match(r.stdout, /^duo\s+2\/2\s+Running\s+0\s+/);
    const duo = await get('/api/v1/namespaces/default/pods/duo');
    const web = await get('/api/v1/namespaces/default/pods/web');
    assert.notEqual(duo.status.podIP, web.status.podIP);
    assert.equal(duo.status.initContainerStatuses[0].state.terminated.reason, 'Completed');
  });

  it('a scheduled pod (no nodeName) lands on a sim node and runs', async () => {
    // Zone z2 holds sim-1 and sim-3, keeping the pod off the failed (but still Ready) sim-4.
    const r = await k(['run', 'sched', '--image=nginx', '--overrides={"spec":{"nodeSelector":{"topology.kubernetes.io/zone":"z2"}}}']);
    assert.equal(r.code, 0, r.stderr);
    await waitFor('sched Running', async () => (await podPhase('sched')) === 'Running');
    const p = await get('/api/v1/namespaces/default/pods/sched');
    assert.match(p.spec.nodeName, /^sim-[13]$/);
  });

  it('pods asking to exit after N seconds go Completed', async () => {
    const manifest = JSON.stringify({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'job-like', annotations: { 'skiff.dev/sim-exit-after-seconds': '1' } },
      spec: { nodeName: 'sim-1', restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox' }] },
    });
    assert.equal((await k(['create', '-f', '-'], manifest)).code, 0);
    await waitFor('job-like Succeeded', async () => (await podPhase('job-like')) === 'Succeeded');
    const r = await k(['get', 'pod', 'job-like', '--no-headers']);
    assert.match(r.stdout, /^job-like\s+0\/1\s+Completed\s+0\s+/);
  });

  it('kubectl delete of a bound pod returns once the sim confirms it', async () => {
    const started = Date.now();
    const r = await k(['delete', 'pod', 'web']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'pod "web" deleted\n');
    assert.ok(Date.now() - started < 15_000, 'delete waited for the whole grace period');
    const gone = await apiRequest(s, 'GET', '/api/v1/namespaces/default/pods/web');
    assert.equal(gone.status, 404);
  });

  it('pods on a failed node are left alone', async () => {
    const r = await k(['run', 'stuck', '--image=nginx', '--overrides={"spec":{"nodeName":"sim-4"}}']);
    assert.equal(r.code, 0, r.stderr);
    await new Promise((res) => setTimeout(res, 1500));
    assert.equal(await podPhase('stuck'), 'Pending');
    const p = await get('/api/v1/namespaces/default/pods/stuck');
    assert.equal(p.status.podIP, undefined);
  });

  it('a restarted sim adopts its nodes and keeps running pods; SIGTERM leaves nodes in place', async () => {
    const duoBefore = await get('/api/v1/namespaces/default/pods/duo');
    const uidBefore = (await get('/api/v1/nodes/sim-0')).metadata.uid;
    assert.equal(await stopSim(sim), 0);
    assert.match(sim.stderr(), /SIGTERM received, stopping \(nodes stay registered\)/);
    const nodes = await k(['get', 'nodes', '-o', 'name']);
    assert.equal(nodes.stdout.trimEnd().split('\n').length, 5);
    sim = await startSimCli(['--kubeconfig', s.kubeconfig, ...SIM_ARGS]);
    assert.equal((await get('/api/v1/nodes/sim-0')).metadata.uid, uidBefore);
    const duoAfter = await get('/api/v1/namespaces/default/pods/duo');
    assert.equal(duoAfter.status.podIP, duoBefore.status.podIP);
    assert.equal(duoAfter.metadata.resourceVersion, duoBefore.metadata.resourceVersion);
    // New pods on the same node do not reuse the address.
    assert.equal((await k(['run', 'late', '--image=nginx', '--overrides={"spec":{"nodeName":"sim-0"}}'])).code, 0);
    await waitFor('late Running', async () => (await podPhase('late')) === 'Running');
    const late = await get('/api/v1/namespaces/default/pods/late');
    assert.notEqual(late.status.podIP, duoAfter.status.podIP);
  });

  it('bad flags fail with a clear message', async () => {
    const bad = spawnSim(['--kubeconfig', s.kubeconfig, '--nodes', '0']);
    assert.equal(await bad.exited, 1);
    assert.match(bad.stderr(), /skiff: --nodes must be a whole number from 1 to 50000, not "0"/);
    const unknown = spawnSim(['--kubeconfig', s.kubeconfig, '--nodes', '1', '--fail-node', 'nope']);
    assert.equal(await unknown.exited, 1);
    assert.match(unknown.stderr(), /--fail-node nope: no such simulated node/);
  });
});

describe('startSim (programmatic API)', () => {
  let sim: SimHandle;

  before(async () => {
    sim = await startSim({
      kubeconfig: s.kubeconfig,
      nodes: 3,
      namePrefix: 'prog-',
      cpu: '4',
      memory: '16Gi',
      pods: 20,
      taints: [{ key: 'sim', value: 'yes', effect: 'NoSchedule' }],
      heartbeatSeconds: 0.5,
      nodeStatusReportSeconds: 1,
    });
    await sim.ready;
  });

  after(async () => {
    await sim?.stop();
  });

  it('names the nodes and registers them with the fleet shape', async () => {
    assert.deepEqual(sim.nodeNames, ['prog-0', 'prog-1', 'prog-2']);
    const n = await get('/api/v1/nodes/prog-2');
    assert.deepEqual(n.spec.taints, [{ key: 'sim', value: 'yes', effect: 'NoSchedule' }]);
    assert.equal(n.status.capacity.cpu, '4');
    assert.equal(n.status.allocatable.memory, '16Gi');
    assert.equal(n.status.capacity.pods, '20');
    assert.equal(n.status.addresses[0].address, '10.200.0.3');
  });

  it('reports node status periodically: heartbeat time moves, transition time stays', async () => {
    const ready = async () => (await get('/api/v1/nodes/prog-0')).status.conditions.find((c: any) => c.type === 'Ready');
    const first = await ready();
    const later = await waitFor('a newer heartbeat', async () => {
      const c = await ready();
      return Date.parse(c.lastHeartbeatTime) > Date.parse(first.lastHeartbeatTime) && c;
    });
    assert.equal(later.lastTransitionTime, first.lastTransitionTime);
    assert.ok(sim.stats().statusUpdates >= 1);
  });

  it('a node someone marked Unknown is reported Ready again with a new transition time', async () => {
    const n = await get('/api/v1/nodes/prog-1');
    const old = n.status.conditions.find((c: any) => c.type === 'Ready');
    await new Promise((r) => setTimeout(r, 1100)); // so the transition time (whole seconds) can move
    const conditions = n.status.conditions.map((c: any) =>
      c.type === 'Ready' ? { ...c, status: 'Unknown', reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.' } : c,
    );
    const r = await apiRequest(s, 'PATCH', '/api/v1/nodes/prog-1/status', { status: { conditions } }, { 'Content-Type': 'application/merge-patch+json' });
    assert.equal(r.status, 200, r.text);
    const back = await waitFor('Ready=True again', async () => {
      const c = (await get('/api/v1/nodes/prog-1')).status.conditions.find((x: any) => x.type === 'Ready');
      return c.status === 'True' && c;
    });
    assert.equal(back.reason, 'KubeletReady');
    assert.ok(Date.parse(back.lastTransitionTime) > Date.parse(old.lastTransitionTime), `${old.lastTransitionTime} → ${back.lastTransitionTime}`);
  });

  it('setNodeFailed stops and resumes a node: lease and pods', async () => {
    sim.setNodeFailed('prog-2', true);
    await new Promise((r) => setTimeout(r, 300)); // let a renewal already in flight land
    const frozen = await renewTime('prog-2');
    const manifest = JSON.stringify({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'on-prog-2' },
      spec: { nodeName: 'prog-2', containers: [{ name: 'c', image: 'nginx' }] },
    });
    assert.equal((await k(['create', '-f', '-'], manifest)).code, 0);
    await new Promise((r) => setTimeout(r, 1500));
    assert.equal(await renewTime('prog-2'), frozen);
    assert.equal(await podPhase('on-prog-2'), 'Pending');
    sim.setNodeFailed('prog-2', false);
    await waitFor('lease renewed again', async () => (await renewTime('prog-2')) !== frozen);
    await waitFor('pod Running after recovery', async () => (await podPhase('on-prog-2')) === 'Running');
    assert.throws(() => sim.setNodeFailed('nope', true), /no such simulated node: nope/);
  });

  it('counts its work', () => {
    const st = sim.stats();
    assert.equal(st.registered, 3);
    assert.ok(st.leaseRenewals > 3);
    assert.equal(st.leaseFailures, 0);
    assert.ok(st.podsStarted >= 1);
    assert.ok(st.peakInFlight >= 1 && st.peakInFlight <= 64);
  });
});
