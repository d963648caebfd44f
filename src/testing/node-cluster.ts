// Test helper: a real one-node cluster — `skiff up` (API server, scheduler,
// kubelet with its own containerd) plus two loopback registries (open, and
// htpasswd-protected) holding the test images. stop() removes every pod,
// containerd, the bridge and the registries.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startSkiff, type SkiffProcess } from './server-process.js';
import { REGISTRY_BINARY, startRegistry, type TestRegistry, type RegistryAuth } from './registry.js';
import { missingRequirements, NODE_REQUIREMENTS } from '../cli/host-packages.js';
import { pushTestImages } from './test-images.js';
import { kubectl, type KubectlResult } from './kubectl.js';
import { randomNet } from './containerd-fixture.js';
import { waitFor } from './wait.js';

export { randomNet, waitFor };

/** kubectl against one cluster: as is, and as a command that must succeed. */
export interface KubectlRunner {
  kubectl(args: string[], opts?: { stdin?: string; timeoutMs?: number; env?: Record<string, string> }): Promise<KubectlResult>;
  /** kubectl that must succeed; returns stdout. */
  k(args: string[], opts?: { stdin?: string; timeoutMs?: number }): Promise<string>;
}

/** A KubectlRunner on a kubeconfig. */
export function kubectlRunner(kubeconfig: string): KubectlRunner {
  const run: KubectlRunner['kubectl'] = (args, o = {}) => kubectl(args, { kubeconfig, ...o });
  return {
    kubectl: run,
    async k(args, o) {
      const r = await run(args, o);
      if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')} failed (${r.code}): ${r.stderr}${r.stdout}`);
      return r.stdout;
    },
  };
}

export interface NodeCluster extends KubectlRunner {
  skiff: SkiffProcess;
  nodeName: string;
  dataDir: string;
  kubeconfig: string;
  registry: TestRegistry;
  authRegistry: TestRegistry;
  authCreds: RegistryAuth;
  /** name ('busybox:1.36', 'nginx:1.25', 'tomcat:9') → reference in the open registry */
  images: Record<string, string>;
  /** the same names in the password-protected registry */
  authImages: Record<string, string>;
  stop(): Promise<void>;
}

/** Why a real node can't run here (the agent's own requirements plus the test registry), or undefined. */
export function canRunNode(): string | undefined {
  if (process.getuid?.() !== 0) return 'needs root (containerd, CNI)';
  const missing = [...missingRequirements(NODE_REQUIREMENTS).map((r) => r.file), ...(fs.existsSync(REGISTRY_BINARY) ? [] : [REGISTRY_BINARY])];
  return missing.length > 0 ? `${missing.join(', ')} missing (scripts/install-deps.sh installs them)` : undefined;
}

export async function startNodeCluster(opts: { nodeName?: string; extraArgs?: string[]; dataDir?: string; env?: Record<string, string> } = {}): Promise<NodeCluster> {
  const dataDir = opts.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'skiff-node-'));
  const nodeName = opts.nodeName ?? 'node-1';
  const authCreds = { username: 'tester', password: `pw-${Math.random().toString(36).slice(2)}` };
  const registry = await startRegistry({ dir: path.join(dataDir, 'registry-open') });
  const authRegistry = await startRegistry({ dir: path.join(dataDir, 'registry-auth'), auth: authCreds });
  const images = await pushTestImages(registry);
  const authImages = await pushTestImages(authRegistry);
  const net = randomNet();
  const skiff = await startSkiff({
    command: 'up',
    dataDir,
    scheduler: true,
    env: opts.env,
    args: ['--node-name', nodeName, '--node-ip', '127.0.0.1', '--kubelet-port', '0', '--pod-cidr', net.cidr, '--bridge', net.bridge, '--cleanup-on-exit', ...(opts.extraArgs ?? [])],
  });
  const runner = kubectlRunner(skiff.kubeconfig);
  const cluster: NodeCluster = {
    skiff,
    nodeName,
    dataDir,
    kubeconfig: skiff.kubeconfig,
    registry,
    authRegistry,
    authCreds,
    images,
    authImages,
    ...runner,
    async stop() {
      await skiff.stop();
      await registry.stop();
      await authRegistry.stop();
    },
  };
  await waitFor(async () => (await runner.kubectl(['get', 'node', nodeName, '-o', 'jsonpath={.status.conditions[?(@.type=="Ready")].status}'])).stdout === 'True', 60_000, `node ${nodeName} Ready`);
  return cluster;
}

export interface AgentProcess {
  nodeName: string;
  dataDir: string;
  token: string;
  /** The agent process's pid (e.g. to read its RSS from /proc). */
  pid: number;
  output(): string;
  /** SIGTERM and wait for exit. */
  stop(): Promise<number | null>;
}

/** Runs `skiff agent` as its own process against a running server, like a second machine would. */
export async function startAgent(
  server: { url: string; dataDir: string },
  opts: { nodeName: string; dataDir: string; token?: string; cleanupOnExit?: boolean; net?: { bridge: string; cidr: string } },
): Promise<AgentProcess> {
  const { spawn, execFileSync } = await import('node:child_process');
  const { cliCommand } = await import('./server-process.js');
  const token = opts.token ?? execFileSync(cliCommand(['token', 'create', '--node', opts.nodeName, '--data-dir', server.dataDir]).cmd, cliCommand(['token', 'create', '--node', opts.nodeName, '--data-dir', server.dataDir]).argv, { encoding: 'utf8' }).trim();
  const net = opts.net ?? randomNet();
  const { cmd, argv } = cliCommand([
    'agent', '--server', server.url, '--token', token, '--node-name', opts.nodeName, '--data-dir', opts.dataDir,
    '--node-ip', '127.0.0.1', '--kubelet-port', '0', '--pod-cidr', net.cidr, '--bridge', net.bridge,
    ...(opts.cleanupOnExit ? ['--cleanup-on-exit'] : []),
  ]);
  // Same node flags as the `skiff` launcher gives the agent.
  const proc = spawn(cmd, ['--max-semi-space-size=1', ...argv], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  proc.stdout!.on('data', (d) => (out += d));
  proc.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`agent did not start in 60s: ${out}`)), 60_000);
    const check = () => {
      if (/Skiff node \S+ ready/.test(out)) {
        clearTimeout(timer);
        resolve();
      }
    };
    proc.stdout!.on('data', check);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`agent exited with ${code}: ${out}`));
    });
  });
  return {
    nodeName: opts.nodeName,
    dataDir: opts.dataDir,
    token,
    pid: proc.pid!,
    output: () => out,
    async stop() {
      if (proc.exitCode === null) proc.kill('SIGTERM');
      return exited;
    },
  };
}


// ---------------------------------------------------------------- pods

/** A v1 Pod manifest. */
export function podManifest(name: string, spec: Record<string, unknown>, meta: Record<string, unknown> = {}): Record<string, any> {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, ...meta }, spec };
}

/** Phase Running with every container running. */
export const isRunning = (p: any): boolean => p?.status?.phase === 'Running' && p.status.containerStatuses?.every((s: any) => s.state?.running);
/** The Ready condition is True. */
export const isReady = (p: any): boolean => p?.status?.conditions?.find((x: any) => x.type === 'Ready')?.status === 'True';
/** The first container's waiting state, if it is waiting. */
export const waitingState = (p: any): any => p?.status?.containerStatuses?.[0]?.state?.waiting;

export interface PodHelpers {
  /** kubectl apply of an object (JSON on stdin). */
  apply(obj: unknown): Promise<string>;
  /** kubectl create of an object (JSON on stdin). */
  create(obj: unknown): Promise<string>;
  getPod(name: string): Promise<any>;
  /** Events whose involvedObject is `name`. */
  events(name: string): Promise<any[]>;
  /** Polls the pod until ok(pod) holds; resolves with that pod (missing pods are passed as undefined). */
  until(name: string, label: string, ok: (p: any) => boolean, ms?: number): Promise<any>;
  waitPhase(name: string, phase: string, ms?: number): Promise<any>;
  waitReady(name: string, ms?: number): Promise<any>;
  /** kubectl exec (may fail). */
  exec(name: string, cmd: string[], container?: string): Promise<KubectlResult>;
  /** `sh -c script` in the pod, which must exit 0; returns stdout. */
  sh(name: string, script: string, container?: string): Promise<string>;
  /** Polls a shell command in the pod until its output is `want`. */
  untilOutput(name: string, script: string, want: string, ms?: number, container?: string): Promise<void>;
}

/** Pod helpers for e2e tests; `cluster` is read on each call, so it may be assigned in before(). */
export function podHelpers(cluster: () => KubectlRunner): PodHelpers {
  const getPod = async (name: string) => JSON.parse(await cluster().k(['get', 'pod', name, '-o', 'json']));
  const events = async (name: string): Promise<any[]> =>
    JSON.parse(await cluster().k(['get', 'events', '--field-selector', `involvedObject.name=${name}`, '-o', 'json'])).items;
  const exec = (name: string, cmd: string[], container?: string) => cluster().kubectl(['exec', name, ...(container ? ['-c', container] : []), '--', ...cmd]);
  const until = async (name: string, label: string, ok: (p: any) => boolean, ms = 60_000) => {
    let last: any;
    try {
      await waitFor(async () => ok((last = await getPod(name).catch(() => undefined))), ms, () => `${name}: ${label} (last status ${JSON.stringify(last?.status)})`);
    } catch (e) {
      // The pod's events usually say why: add them to the failure.
      const evs = await events(name).catch(() => []);
      throw new Error(`${(e as Error).message}\nevents: ${evs.map((x: any) => `${x.reason}: ${x.message}`).join(' | ')}`);
    }
    return last;
  };
  return {
    apply: (obj) => cluster().k(['apply', '-f', '-'], { stdin: JSON.stringify(obj) }),
    create: (obj) => cluster().k(['create', '-f', '-'], { stdin: JSON.stringify(obj) }),
    getPod,
    events,
    until,
    waitPhase: (name, phase, ms) => until(name, phase, (p) => p?.status?.phase === phase, ms),
    waitReady: (name, ms) => until(name, 'Ready', isReady, ms),
    exec,
    async sh(name, script, container) {
      const r = await exec(name, ['sh', '-c', script], container);
      if (r.code !== 0) throw new Error(`exec ${name} ${script}: exit ${r.code}: ${r.stderr}`);
      return r.stdout;
    },
    async untilOutput(name, script, want, ms = 30_000, container) {
      let last = '';
      await waitFor(async () => (last = (await exec(name, ['sh', '-c', script], container)).stdout) === want, ms, `${name}: \`${script}\` → ${JSON.stringify(want)} (last ${JSON.stringify(last)})`, 500);
    },
  };
}
