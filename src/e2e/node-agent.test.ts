// `skiff agent` as its own process: joins with a node token, runs pods,
// restarts without disturbing them, and may only act as its own node.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startSkiff, apiRequest, type SkiffProcess } from '../testing/server-process.js';
import { canRunNode, kubectlRunner, podHelpers, randomNet, startAgent, waitFor, type AgentProcess } from '../testing/node-cluster.js';
import { startRegistry, type TestRegistry } from '../testing/registry.js';
import { pushTestImages } from '../testing/test-images.js';
import { kubectl } from '../testing/kubectl.js';
import { connectCri } from '../kubelet/cri/cri-client.js';

const skip = canRunNode();
let s: SkiffProcess;
let reg: TestRegistry;
let images: Record<string, string>;
let agent: AgentProcess | undefined;
const agentDir = fs.mkdtempSync(path.join(os.tmpdir(), 'skiff-agent-'));
const net = randomNet();

const k = async (args: string[], opts: { stdin?: string; token?: string } = {}) => kubectl(opts.token ? ['--token', opts.token, ...args] : args, { kubeconfig: s.kubeconfig, stdin: opts.stdin });
const { getPod } = podHelpers(() => kubectlRunner(s.kubeconfig));

describe('skiff agent', { skip }, () => {
  before(async () => {
    s = await startSkiff({ scheduler: true });
    reg = await startRegistry({ dir: path.join(agentDir, 'registry') });
    images = await pushTestImages(reg, ['busybox:1.36']);
    agent = await startAgent(s, { nodeName: 'worker-1', dataDir: path.join(agentDir, 'node'), net });
  });
  after(async () => {
    // Last run cleans everything up.
    await agent?.stop();
    agent = await startAgent(s, { nodeName: 'worker-1', dataDir: path.join(agentDir, 'node'), token: agent?.token, cleanupOnExit: true, net }).catch((e) => {
      console.error('cleanup agent did not start:', e);
      return undefined;
    });
    await agent?.stop();
    await s?.stop();
    await reg?.stop();
  });

  it('registers a Ready node with real capacity and a lease', async () => {
    await waitFor(async () => (await k(['get', 'node', 'worker-1', '-o', 'jsonpath={.status.conditions[?(@.type=="Ready")].status}'])).stdout === 'True', 30_000, 'Ready');
    const node = JSON.parse((await k(['get', 'node', 'worker-1', '-o', 'json'])).stdout);
    assert.equal(node.status.capacity.cpu, String(os.cpus().length));
    assert.equal(node.status.capacity.pods, '110');
    assert.match(node.status.capacity.memory, /^\d+Ki$/);
    assert.match(node.status.nodeInfo.containerRuntimeVersion, /^containerd:\/\/1\./);
    assert.equal(node.status.nodeInfo.kubeletVersion.startsWith('v1.32'), true);
    assert.ok(node.status.daemonEndpoints.kubeletEndpoint.Port > 0);
    const lease = JSON.parse((await k(['get', 'lease', '-n', 'kube-node-lease', 'worker-1', '-o', 'json'])).stdout);
    assert.equal(lease.spec.holderIdentity, 'worker-1');
    const wide = (await k(['get', 'nodes', '-o', 'wide'])).stdout;
    assert.match(wide, /worker-1\s+Ready\s+<none>\s+\S+\s+v1\.32\.\d+\s+127\.0\.0\.1\s+<none>\s+.+containerd:\/\/1\./);
  });

  it('a restarted agent re-adopts running containers without restarting them', async () => {
    await k(['apply', '-f', '-'], { stdin: JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'survivor' }, spec: { containers: [{ name: 'c', image: images['busybox:1.36'], command: ['sleep', '3600'] }] } }) });
    let before: any;
    await waitFor(async () => (before = await getPod('survivor')).status?.containerStatuses?.[0]?.state?.running !== undefined, 60_000, 'survivor running');
    await agent!.stop();
    agent = await startAgent(s, { nodeName: 'worker-1', dataDir: path.join(agentDir, 'node'), token: agent!.token, net });
    // Let the new agent sync the pod a few times.
    await new Promise((r) => setTimeout(r, 4000));
    const after = await getPod('survivor');
    assert.equal(after.status.containerStatuses[0].containerID, before.status.containerStatuses[0].containerID);
    assert.equal(after.status.containerStatuses[0].restartCount, 0);
    assert.equal(after.status.containerStatuses[0].state.running.startedAt, before.status.containerStatuses[0].state.running.startedAt);
    assert.equal(after.status.podIP, before.status.podIP);
    assert.equal((await k(['exec', 'survivor', '--', 'echo', 'still-here'])).stdout, 'still-here\n');
  });

  it('survives containerd dying under it: pods keep running, containerd comes back, new pods start', async () => {
    const pidFile = path.join(agentDir, 'node', 'containerd', 'containerd.pid');
    const pid = Number(fs.readFileSync(pidFile, 'utf8').trim());
    const before = await getPod('survivor');
    process.kill(pid, 'SIGKILL');
    await waitFor(async () => {
      try {
        const now = Number(fs.readFileSync(pidFile, 'utf8').trim());
        return now !== pid && now > 0;
      } catch {
        return false;
      }
    }, 30_000, 'containerd restarted by the agent');
    assert.match(agent!.output(), /containerd exited; restarting it/);
    await waitFor(async () => (await k(['exec', 'survivor', '--', 'echo', 'alive'])).stdout === 'alive\n', 30_000, 'exec after the containerd restart');
    const after = await getPod('survivor');
    assert.equal(after.status.containerStatuses[0].containerID, before.status.containerStatuses[0].containerID);
    assert.equal(after.status.containerStatuses[0].restartCount, 0);
    await k(['apply', '-f', '-'], { stdin: JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'newcomer' }, spec: { containers: [{ name: 'c', image: images['busybox:1.36'], command: ['sleep', '3600'] }] } }) });
    await waitFor(async () => (await getPod('newcomer')).status?.containerStatuses?.[0]?.state?.running !== undefined, 60_000, 'newcomer running');
  });

  it('containers of pods force-deleted while the agent was down are removed when it comes back', async () => {
    const socket = path.join(agentDir, 'node', 'containerd', 'containerd.sock');
    const cri = connectCri(socket);
    try {
      const mine = async () => cri.listContainers({ label_selector: { 'io.kubernetes.pod.name': 'newcomer' } });
      assert.equal((await mine()).length, 1);
      await agent!.stop();
      const del = await k(['delete', 'pod', 'newcomer', '--force', '--grace-period=0']);
      assert.equal(del.code, 0, del.stderr);
      // (the agent's own containerd stops with it; the pod's shim and container keep running meanwhile)
      agent = await startAgent(s, { nodeName: 'worker-1', dataDir: path.join(agentDir, 'node'), token: agent!.token, net });
      await waitFor(async () => (await mine()).length === 0 && (await cri.listPodSandbox({ label_selector: { 'io.kubernetes.pod.name': 'newcomer' } })).length === 0, 30_000, 'orphaned container and sandbox removed');
      assert.equal(fs.existsSync(path.join(agentDir, 'node', 'logs', 'pods')) && fs.readdirSync(path.join(agentDir, 'node', 'logs', 'pods')).some((d) => d.startsWith('default_newcomer_')), false, 'its log dir is gone');
      assert.equal((await getPod('survivor')).status.containerStatuses[0].restartCount, 0, 'other pods untouched');
    } finally {
      cri.close();
    }
  });

  it('the node token may only act as its own node', async () => {
    const token = agent!.token;
    const own = await k(['label', 'node', 'worker-1', 'team=a', '--overwrite'], { token });
    assert.equal(own.code, 0, own.stderr);
    await apiRequest(s, 'POST', '/api/v1/nodes', { apiVersion: 'v1', kind: 'Node', metadata: { name: 'other-node' } });
    const other = await k(['label', 'node', 'other-node', 'team=a'], { token });
    assert.equal(other.code, 1);
    assert.match(other.stderr, /nodes "other-node" is forbidden: node "worker-1" is not allowed to modify node "other-node"/);
    const create = await k(['create', 'deployment', 'x', '--image=busybox'], { token });
    assert.equal(create.code, 1);
    assert.match(create.stderr, /User "system:node:worker-1" cannot create resource "deployments" in API group "apps" in the namespace "default"/);
    await k(['create', 'secret', 'generic', 'unrelated', '--from-literal=a=b']);
    const secret = await k(['get', 'secret', 'unrelated'], { token });
    assert.equal(secret.code, 1);
    assert.match(secret.stderr, /secrets "unrelated" is forbidden: User "system:node:worker-1" cannot get resource "secrets" in API group "" in the namespace "default": no relationship found between node 'worker-1' and this object/);
    assert.equal((await k(['get', 'pods'], { token })).code, 0);
  });
});
