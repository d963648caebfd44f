// Test helper: a real one-node cluster — `skiff up` (API server, scheduler,
// kubelet with its own containerd) plus two loopback registries (open, and
// htpasswd-protected) holding the test images. stop() removes every pod,
// containerd, the bridge and the registries.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startSkiff, type SkiffProcess } from './server-process.js';
import { startRegistry, type TestRegistry, type RegistryAuth } from './registry.js';
import { pushTestImages } from './test-images.js';
import { kubectl, type KubectlResult } from './kubectl.js';

export interface NodeCluster {
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
  kubectl(args: string[], opts?: { stdin?: string; timeoutMs?: number; env?: Record<string, string> }): Promise<KubectlResult>;
  /** kubectl that must succeed; returns stdout. */
  k(args: string[], opts?: { stdin?: string; timeoutMs?: number }): Promise<string>;
  stop(): Promise<void>;
}

export function canRunNode(): string | undefined {
  if (process.getuid?.() !== 0) return 'needs root (containerd, CNI)';
  for (const f of ['/usr/bin/containerd', '/usr/sbin/runc', '/usr/lib/cni/bridge', '/usr/bin/busybox', '/usr/bin/docker-registry']) {
    if (!fs.existsSync(f)) return `${f} is missing (scripts/install-deps.sh installs it)`;
  }
  return undefined;
}

function randomNet(): { bridge: string; cidr: string } {
  const a = 100 + Math.floor(Math.random() * 150);
  const b = Math.floor(Math.random() * 250);
  return { bridge: `sk${Math.random().toString(16).slice(2, 8)}`, cidr: `10.${a}.${b}.0/24` };
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
  const run = (args: string[], o: { stdin?: string; timeoutMs?: number; env?: Record<string, string> } = {}) => kubectl(args, { kubeconfig: skiff.kubeconfig, ...o });
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
    kubectl: run,
    async k(args, o) {
      const r = await run(args, o);
      if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')} failed (${r.code}): ${r.stderr}${r.stdout}`);
      return r.stdout;
    },
    async stop() {
      await skiff.stop();
      await registry.stop();
      await authRegistry.stop();
    },
  };
  await waitFor(async () => (await run(['get', 'node', nodeName, '-o', 'jsonpath={.status.conditions[?(@.type=="Ready")].status}'])).stdout === 'True', 60_000, `node ${nodeName} Ready`);
  return cluster;
}

/** Polls until check() is true; throws with the label after timeoutMs. */
export async function waitFor(check: () => Promise<boolean>, timeoutMs: number, label: string, intervalMs = 250): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${label}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
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

export { randomNet };
