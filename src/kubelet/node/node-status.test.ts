// NodeStatusManager against a real Skiff API server (the control plane run
// in-process), talking as the node itself (a system:node:<name> token), with a
// fake CRI runtime and fixed host facts so every reported value is known.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { resources } from '../../api/resources.js';
import { EventRecorder, RestClient, type KubeObject } from '../../client/index.js';
import { ensureNodeToken } from '../../apiserver/tokens.js';
import { startControlPlane, type ControlPlane } from '../../cli/control-plane.js';
import { cleanupTempDirs, kubectl } from '../../testing/kubectl.js';
import type { CriRuntime, RuntimeCondition } from '../cri/api.js';
import type { KubeletContext } from '../contracts.js';
import type { HostFacts } from './host-info.js';
import { NodeStatusManager, sameJson } from './node-status.js';
import type { NodeImage } from './node-object.js';
import type { NodeSignals } from './signals.js';

const nodesDef = resources.find((r) => r.group === '' && r.plural === 'nodes')!;
const leasesDef = resources.find((r) => r.group === 'coordination.k8s.io' && r.plural === 'leases')!;
const eventsDef = resources.find((r) => r.group === '' && r.plural === 'events')!;

const FACTS: HostFacts = {
  hostname: 'vm',
  cpuCount: 2,
  memoryBytes: 24684084 * 1024,
  ephemeralStorageBytes: 105152176128,
  machineID: '3d1219c7c4c5404aaa1f6d2a48adfda4',
  systemUUID: '3d1219c7c4c5404aaa1f6d2a48adfda4',
  bootID: 'b3c1f1a6-0d7e-4f39-9d9b-4f2b2f1d2a11',
  kernelVersion: '6.1.0-test',
  osImage: 'Debian GNU/Linux 12 (bookworm)',
  operatingSystem: 'linux',
  architecture: 'amd64',
};
const Gi = 1024 ** 3;
const SIGNALS: NodeSignals = {
  memory: { availableBytes: 20 * Gi, capacityBytes: 24 * Gi },
  nodefs: { availableBytes: 80 * Gi, capacityBytes: 98 * Gi, inodesFree: 1e6, inodes: 2e6 },
};

/** A CRI runtime that only answers Version and Status. */
class FakeCri {
  conditions: RuntimeCondition[] = [
    { type: 'RuntimeReady', status: true, reason: '', message: '' },
    { type: 'NetworkReady', status: true, reason: '', message: '' },
  ];
  async version() {
    return { version: '0.1.0', runtime_name: 'containerd', runtime_version: '1.6.20~ds1', runtime_api_version: 'v1' };
  }
  async status() {
    return this.conditions.map((c) => ({ ...c }));
  }
}

class Clock {
  t = Date.parse('2026-11-25T10:00:00.123Z');
  now = () => new Date(this.t);
  advance(ms: number) {
    this.t += ms;
  }
}

interface Agent {
  mgr: NodeStatusManager;
  cri: FakeCri;
  clock: Clock;
  recorder: EventRecorder;
  images: NodeImage[];
  signals: NodeSignals;
}

describe('NodeStatusManager against a real API server', () => {
  let s: ControlPlane;
  let admin: RestClient;
  const tokens: Record<string, string> = {};
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'skiff-node-status-'));
  const kubeletDir = fs.mkdtempSync(path.join(os.tmpdir(), 'skiff-kubelet-'));
  const agents: Agent[] = [];

  function agent(nodeName: string, o: Partial<ConstructorParameters<typeof NodeStatusManager>[0]> = {}): Agent {
    const client = new RestClient({ server: s.url, token: tokens[nodeName], caCertPem: s.caCertPem }, { component: 'kubelet' });
    const clock = new Clock();
    const cri = new FakeCri();
    const recorder = new EventRecorder(client, { component: 'kubelet', host: nodeName, now: clock.now });
    const ctx: KubeletContext = {
      nodeName,
      nodeIP: '10.9.8.7',
      client,
      cri: cri as unknown as CriRuntime,
      recorder,
      paths: { dataDir: kubeletDir, podsDir: path.join(kubeletDir, 'pods'), podLogsDir: path.join(kubeletDir, 'logs') },
      clusterDNS: [],
      clusterDomain: 'cluster.local',
      pauseImage: 'localhost/skiff/pause:1.0',
      now: clock.now,
    };
    const a: Agent = { mgr: undefined as unknown as NodeStatusManager, cri, clock, recorder, images: [{ names: ['localhost/skiff/pause:1.0'], sizeBytes: 300_000 }], signals: SIGNALS };
    a.mgr = new NodeStatusManager({
      ctx,
      kubeletPort: 10250,
      podCIDR: '10.77.1.0/24',
      images: async () => a.images,
      hostFacts: async () => FACTS,
      signals: async () => a.signals,
      pressureTransitionMs: 0,
      ...o,
    });
    agents.push(a);
    return a;
  }

  before(async () => {
    for (const n of ['n1', 'n2', 'n3']) tokens[n] = await ensureNodeToken(dataDir, n);
    s = await startControlPlane({ dataDir, port: 0, bind: '127.0.0.1', store: 'sqlite', disable: ['scheduler'] });
    admin = new RestClient({ kubeconfig: s.kubeconfigPath }, { component: 'test' });
  });

  after(async () => {
    for (const a of agents) {
      await a.mgr.stop();
      await a.recorder.stop();
    }
    admin?.close();
    await s?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
    fs.rmSync(kubeletDir, { recursive: true, force: true });
    cleanupTempDirs();
  });

  test('register creates the Node with everything a kubelet reports, its Lease, and the startup events', async () => {
    const a = agent('n1');
    await a.mgr.register();
    const node = await admin.get<KubeObject>(nodesDef, undefined, 'n1');
    assert.equal(node.metadata.uid, a.mgr.uid);
    assert.deepEqual(node.metadata.labels, {
      'beta.kubernetes.io/arch': 'amd64',
      'beta.kubernetes.io/os': 'linux',
      'kubernetes.io/arch': 'amd64',
      'kubernetes.io/hostname': 'n1',
      'kubernetes.io/os': 'linux',
    });
    assert.equal(node.metadata.annotations?.['volumes.kubernetes.io/controller-managed-attach-detach'], 'true');
    assert.equal(node.spec.podCIDR, '10.77.1.0/24');
    assert.deepEqual(node.spec.podCIDRs, ['10.77.1.0/24']);
    assert.equal(node.spec.taints, undefined);
    const st = node.status;
    assert.deepEqual(st.capacity, { cpu: '2', 'ephemeral-storage': '102687672Ki', 'hugepages-1Gi': '0', 'hugepages-2Mi': '0', memory: '24684084Ki', pods: '110' });
    assert.deepEqual(st.allocatable, { cpu: '2', 'ephemeral-storage': '94636958359', 'hugepages-1Gi': '0', 'hugepages-2Mi': '0', memory: '24581684Ki', pods: '110' });
    assert.deepEqual(st.addresses, [
      { type: 'InternalIP', address: '10.9.8.7' },
      { type: 'Hostname', address: 'n1' },
    ]);
    assert.deepEqual(st.daemonEndpoints, { kubeletEndpoint: { Port: 10250 } });
    assert.deepEqual(st.nodeInfo, {
      machineID: FACTS.machineID,
      systemUUID: FACTS.systemUUID,
      bootID: FACTS.bootID,
      kernelVersion: '6.1.0-test',
      osImage: 'Debian GNU/Linux 12 (bookworm)',
      containerRuntimeVersion: 'containerd://1.6.20~ds1',
      kubeletVersion: 'v1.32.0',
      kubeProxyVersion: 'v1.32.0',
      operatingSystem: 'linux',
      architecture: 'amd64',
    });
    assert.deepEqual(st.images, [{ names: ['localhost/skiff/pause:1.0'], sizeBytes: 300000 }]);
    assert.deepEqual(
      st.conditions.map((c: any) => [c.type, c.status, c.reason, c.message, c.lastHeartbeatTime, c.lastTransitionTime]),
      [
        ['MemoryPressure', 'False', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available', '2026-11-25T10:00:00Z', '2026-11-25T10:00:00Z'],
        ['DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure', '2026-11-25T10:00:00Z', '2026-11-25T10:00:00Z'],
        ['PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available', '2026-11-25T10:00:00Z', '2026-11-25T10:00:00Z'],
        ['Ready', 'True', 'KubeletReady', 'kubelet is posting ready status', '2026-11-25T10:00:00Z', '2026-11-25T10:00:00Z'],
      ],
    );

    const lease = await admin.get<KubeObject>(leasesDef, 'kube-node-lease', 'n1');
    assert.deepEqual(lease.spec, { holderIdentity: 'n1', leaseDurationSeconds: 40, renewTime: '2026-11-25T10:00:00.123000Z' });
    assert.deepEqual(lease.metadata.ownerReferences, [{ apiVersion: 'v1', kind: 'Node', name: 'n1', uid: node.metadata.uid }]);

    await a.recorder.flush();
    const events = await admin.list<KubeObject>(eventsDef, 'default', { fieldSelector: 'involvedObject.name=n1' });
    const seen = events.items
      .sort((x: any, y: any) => x.metadata.creationTimestamp.localeCompare(y.metadata.creationTimestamp) || 0)
      .map((e: any) => [e.reason, e.message, e.type, e.involvedObject.kind, e.involvedObject.uid, e.source.component]);
    assert.deepEqual(
      seen.map((e) => e[0]).sort(),
      ['NodeAllocatableEnforced', 'NodeHasNoDiskPressure', 'NodeHasSufficientMemory', 'NodeHasSufficientPID', 'NodeReady', 'Starting'],
    );
    const byReason = Object.fromEntries(seen.map((e) => [e[0], e.slice(1)]));
    assert.deepEqual(byReason['Starting'], ['Starting kubelet.', 'Normal', 'Node', 'n1', 'kubelet']);
    assert.deepEqual(byReason['NodeHasSufficientMemory'], ['Node n1 status is now: NodeHasSufficientMemory', 'Normal', 'Node', 'n1', 'kubelet']);
    assert.deepEqual(byReason['NodeReady'], ['Node n1 status is now: NodeReady', 'Normal', 'Node', 'n1', 'kubelet']);
    assert.deepEqual(byReason['NodeAllocatableEnforced'], ['Updated Node Allocatable limit across pods', 'Normal', 'Node', 'n1', 'kubelet']);
  });

  test('a status round with nothing new writes nothing; a change or the report interval writes', async () => {
    const a = agents[0];
    const before = await admin.get<KubeObject>(nodesDef, undefined, 'n1');
    a.clock.advance(10_000);
    assert.equal(await a.mgr.syncStatus(), false);
    const same = await admin.get<KubeObject>(nodesDef, undefined, 'n1');
    assert.equal(same.metadata.resourceVersion, before.metadata.resourceVersion);

    a.images = [...a.images, { names: ['127.0.0.1:5000/app@sha256:ab', '127.0.0.1:5000/app:v1'], sizeBytes: 9_000_000 }];
    a.clock.advance(10_000);
    assert.equal(await a.mgr.syncStatus(), true);
    const changed = await admin.get<KubeObject>(nodesDef, undefined, 'n1');
    assert.notEqual(changed.metadata.resourceVersion, before.metadata.resourceVersion);
    assert.deepEqual(changed.status.images[0], { names: ['127.0.0.1:5000/app@sha256:ab', '127.0.0.1:5000/app:v1'], sizeBytes: 9000000 });
    const ready = changed.status.conditions.find((c: any) => c.type === 'Ready');
    assert.equal(ready.lastHeartbeatTime, '2026-11-25T10:00:20Z');
    assert.equal(ready.lastTransitionTime, '2026-11-25T10:00:00Z');

    a.clock.advance(299_000);
    assert.equal(await a.mgr.syncStatus(), false, 'under 5 minutes since the last write');
    a.clock.advance(1_000);
    assert.equal(await a.mgr.syncStatus(), true, '5 minutes since the last write');
    const beat = (await admin.get<KubeObject>(nodesDef, undefined, 'n1')).status.conditions.find((c: any) => c.type === 'Ready');
    assert.equal(beat.lastHeartbeatTime, '2026-11-25T10:05:20Z');
  });

  test('runtime network not ready makes the node NotReady with the kubelet message, and back', async () => {
    const a = agents[0];
    a.cri.conditions[1] = { type: 'NetworkReady', status: false, reason: 'NetworkPluginNotReady', message: 'Network plugin returns error: cni plugin not initialized' };
    a.clock.advance(10_000);
    assert.equal(await a.mgr.syncStatus(), true);
    let ready = (await admin.get<KubeObject>(nodesDef, undefined, 'n1')).status.conditions.find((c: any) => c.type === 'Ready');
    assert.equal(ready.status, 'False');
    assert.equal(ready.reason, 'KubeletNotReady');
    assert.equal(ready.message, 'container runtime network not ready: NetworkReady=false reason:NetworkPluginNotReady message:Network plugin returns error: cni plugin not initialized');
    assert.equal(ready.lastTransitionTime, '2026-11-25T10:05:30Z');

    a.cri.conditions[1] = { type: 'NetworkReady', status: true, reason: '', message: '' };
    a.signals = { ...SIGNALS, memory: { availableBytes: 50 * 1024 * 1024, capacityBytes: 24 * Gi } };
    a.clock.advance(10_000);
    assert.equal(await a.mgr.syncStatus(), true);
    const conds = (await admin.get<KubeObject>(nodesDef, undefined, 'n1')).status.conditions;
    ready = conds.find((c: any) => c.type === 'Ready');
    assert.equal(ready.status, 'True');
    assert.equal(ready.lastTransitionTime, '2026-11-25T10:05:40Z');
    const mem = conds.find((c: any) => c.type === 'MemoryPressure');
    assert.deepEqual([mem.status, mem.reason, mem.message], ['True', 'KubeletHasInsufficientMemory', 'kubelet has insufficient memory available']);
    a.signals = SIGNALS;

    await a.recorder.flush();
    const events = await admin.list<KubeObject>(eventsDef, 'default', { fieldSelector: 'involvedObject.name=n1' });
    const reasons = events.items.map((e: any) => e.reason);
    assert.ok(reasons.includes('NodeNotReady'), reasons.join(','));
    assert.ok(reasons.includes('NodeHasInsufficientMemory'), reasons.join(','));
    const notReady: any = events.items.find((e: any) => e.reason === 'NodeNotReady');
    assert.equal(notReady.message, 'Node n1 status is now: NodeNotReady');
    const readyEvent: any = events.items.find((e: any) => e.reason === 'NodeReady');
    assert.equal(readyEvent.count, 2, 'NodeReady again after recovering');
  });

  test('renewing the Lease moves renewTime forward and keeps holder and duration', async () => {
    const a = agents[0];
    const before = await admin.get<KubeObject>(leasesDef, 'kube-node-lease', 'n1');
    a.clock.advance(10_000);
    await a.mgr.renewLease();
    const after = await admin.get<KubeObject>(leasesDef, 'kube-node-lease', 'n1');
    assert.ok(after.spec.renewTime > before.spec.renewTime, `${after.spec.renewTime} > ${before.spec.renewTime}`);
    assert.match(after.spec.renewTime, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    assert.equal(after.spec.holderIdentity, 'n1');
    assert.equal(after.spec.leaseDurationSeconds, 40);

    // Someone else writes the Lease: the next renewal recovers from the conflict.
    await admin.patch(leasesDef, 'kube-node-lease', 'n1', { metadata: { labels: { touched: 'yes' } } }, 'merge');
    a.clock.advance(10_000);
    await a.mgr.renewLease();
    const again = await admin.get<KubeObject>(leasesDef, 'kube-node-lease', 'n1');
    assert.ok(again.spec.renewTime > after.spec.renewTime);
    assert.equal(again.metadata.labels?.touched, 'yes');

    // Deleted: recreated.
    await admin.delete(leasesDef, 'kube-node-lease', 'n1');
    a.clock.advance(10_000);
    await a.mgr.renewLease();
    const recreated = await admin.get<KubeObject>(leasesDef, 'kube-node-lease', 'n1');
    assert.notEqual(recreated.metadata.uid, again.metadata.uid);
    assert.ok(recreated.spec.renewTime > again.spec.renewTime);
  });

  test('a restarted kubelet adopts its Node: keeps user taints/unschedulable/labels, restores its own labels', async () => {
    await admin.patch(
      nodesDef,
      undefined,
      'n1',
      { metadata: { labels: { 'kubernetes.io/hostname': 'wrong', team: 'blue' } }, spec: { unschedulable: true, taints: [{ key: 'k', value: 'v', effect: 'NoSchedule' }] } },
      'merge',
    );
    const old = await admin.get<KubeObject>(nodesDef, undefined, 'n1');
    await agents[0].mgr.stop();
    const b = agent('n1', { labels: { 'extra/label': 'x' } });
    await b.mgr.register();
    const node = await admin.get<KubeObject>(nodesDef, undefined, 'n1');
    assert.equal(node.metadata.uid, old.metadata.uid);
    assert.equal(node.metadata.labels?.['kubernetes.io/hostname'], 'n1');
    assert.equal(node.metadata.labels?.['team'], 'blue');
    assert.equal(node.metadata.labels?.['extra/label'], 'x');
    assert.equal(node.spec.unschedulable, true);
    assert.deepEqual(node.spec.taints, [{ key: 'k', value: 'v', effect: 'NoSchedule' }]);
    const ready = node.status.conditions.find((c: any) => c.type === 'Ready');
    assert.equal(ready.lastHeartbeatTime, '2026-11-25T10:00:00Z', 'the new kubelet wrote its heartbeat');
  });

  test('registerWithTaints are set at creation', async () => {
    const c = agent('n2', { registerWithTaints: [{ key: 'skiff.dev/new', effect: 'NoSchedule' }], podCIDR: undefined });
    await c.mgr.register();
    const node = await admin.get<KubeObject>(nodesDef, undefined, 'n2');
    assert.deepEqual(node.spec.taints, [{ key: 'skiff.dev/new', effect: 'NoSchedule' }]);
    assert.equal(node.spec.podCIDR, undefined);
  });

  test('start() renews the Lease and posts status on its own; stop() ends it', async () => {
    const d = agent('n3', { leaseIntervalMs: 50, statusIntervalMs: 50 });
    await d.mgr.register();
    const first = await admin.get<KubeObject>(leasesDef, 'kube-node-lease', 'n3');
    d.clock.advance(10_000);
    d.mgr.start();
    const deadline = Date.now() + 5000;
    let renewed = first;
    while (Date.now() < deadline && renewed.spec.renewTime === first.spec.renewTime) {
      await new Promise((r) => setTimeout(r, 50));
      renewed = await admin.get<KubeObject>(leasesDef, 'kube-node-lease', 'n3');
    }
    assert.notEqual(renewed.spec.renewTime, first.spec.renewTime);
    await d.mgr.stop();
    const stopped = await admin.get<KubeObject>(leasesDef, 'kube-node-lease', 'n3');
    d.clock.advance(10_000);
    await new Promise((r) => setTimeout(r, 200));
    const later = await admin.get<KubeObject>(leasesDef, 'kube-node-lease', 'n3');
    assert.equal(later.metadata.resourceVersion, stopped.metadata.resourceVersion);
  });

  test('kubectl get nodes -o wide shows the node as a kubelet reports it', async () => {
    const r = await kubectl(['get', 'nodes', 'n1', 'n2', '-o', 'wide'], { kubeconfig: s.kubeconfigPath });
    assert.equal(r.code, 0, r.stderr);
    const [header, ...rows] = r.stdout.trim().split('\n');
    assert.match(header, /^NAME\s+STATUS\s+ROLES\s+AGE\s+VERSION\s+INTERNAL-IP\s+EXTERNAL-IP\s+OS-IMAGE\s+KERNEL-VERSION\s+CONTAINER-RUNTIME$/);
    assert.match(rows[0], /^n1\s+Ready,SchedulingDisabled\s+<none>\s+\S+\s+v1\.32\.0\s+10\.9\.8\.7\s+<none>\s+Debian GNU\/Linux 12 \(bookworm\)\s+6\.1\.0-test\s+containerd:\/\/1\.6\.20~ds1$/);
    assert.match(rows[1], /^n2\s+Ready\s+<none>\s+\S+\s+v1\.32\.0\s+10\.9\.8\.7\s+<none>\s+Debian GNU\/Linux 12 \(bookworm\)\s+6\.1\.0-test\s+containerd:\/\/1\.6\.20~ds1$/);
  });
});

test('sameJson ignores key order and undefined members', () => {
  assert.equal(sameJson({ a: 1, b: [1, { c: 2 }] }, { b: [1, { c: 2 }], a: 1 }), true);
  assert.equal(sameJson({ a: 1, x: undefined }, { a: 1 }), true);
  assert.equal(sameJson({ a: [1, 2] }, { a: [2, 1] }), false);
  assert.equal(sameJson({ a: 1 }, { a: '1' }), false);
  assert.equal(sameJson([], {}), false);
});
