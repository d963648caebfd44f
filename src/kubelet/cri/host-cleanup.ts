// Host state the runtime leaves behind and the agent must remove itself:
// pod cgroups (P5) and the CNI bridge plus the shared hostPort nat chains (P10).

import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';

export const CGROUP_ROOT = '/sys/fs/cgroup';

export interface CgroupRemoval {
  /** Absolute directories removed. */
  removed: string[];
  /** Directories kept because processes are still in them (or the kernel said EBUSY). */
  busy: string[];
}

/** Mount points of every cgroup hierarchy: each v1 controller dir plus `unified`, or the root itself on pure v2. */
export function cgroupHierarchies(root = CGROUP_ROOT): string[] {
  if (fs.existsSync(path.join(root, 'cgroup.controllers'))) return [root];
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(root, { withFileTypes: true });
  } catch {
    return [];
  }
  // Symlinks (cpu -> cpu,cpuacct on some hosts) would visit a hierarchy twice.
  return entries.filter((e) => e.isDirectory()).map((e) => path.join(root, e.name)).sort();
}

function hasProcesses(dir: string): boolean {
  try {
    return fs.readFileSync(path.join(dir, 'cgroup.procs'), 'utf8').trim() !== '';
  } catch {
    return false;
  }
}

function removeDepthFirst(dir: string, out: CgroupRemoval): void {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw e;
  }
  for (const e of entries) if (e.isDirectory()) removeDepthFirst(path.join(dir, e.name), out);
  if (hasProcesses(dir)) {
    out.busy.push(dir);
    return;
  }
  try {
    fs.rmdirSync(dir);
    out.removed.push(dir);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return;
    if (code === 'EBUSY' || code === 'ENOTEMPTY') out.busy.push(dir);
    else throw e;
  }
}

/** "/kubepods/burstable/podX" checked to stay inside the hierarchy. */
function checkCgroupPath(rel: string): string {
  const parts = rel.split('/').filter((p) => p !== '');
  if (parts.length === 0 || parts.some((p) => p === '.' || p === '..')) throw new Error(`invalid cgroup path ${JSON.stringify(rel)}`);
  return parts.join('/');
}

/** Removes the cgroup `relPath` and everything below it, in every hierarchy; cgroups that still hold processes stay. */
export function removeCgroupTree(relPath: string, root = CGROUP_ROOT): CgroupRemoval {
  const rel = checkCgroupPath(relPath);
  const out: CgroupRemoval = { removed: [], busy: [] };
  for (const h of cgroupHierarchies(root)) removeDepthFirst(path.join(h, rel), out);
  return out;
}

/** The pod cgroup a cgroupfs kubelet uses: <qosParent>/pod<uid>, e.g. /kubepods/burstable/pod<uid>. */
export function podCgroupPath(uid: string, qosParent: string): string {
  return `/${checkCgroupPath(qosParent)}/pod${uid}`;
}

/** Removes a pod's cgroups after RemovePodSandbox (runc only removes the per-container leaves). */
export function removePodCgroups(uid: string, qosParent: string, root = CGROUP_ROOT): CgroupRemoval {
  if (uid === '' || uid.includes('/')) throw new Error(`invalid pod uid ${JSON.stringify(uid)}`);
  return removeCgroupTree(podCgroupPath(uid, qosParent), root);
}

// ---------------------------------------------------------------- network

/** Chains portmap shares between all pods and networks on the host. */
export const HOSTPORT_CHAINS = ['CNI-HOSTPORT-DNAT', 'CNI-HOSTPORT-MASQ', 'CNI-HOSTPORT-SETMARK'];

/** Splits one `iptables -S` line into arguments (double quotes group, backslash escapes). */
export function splitRuleArgs(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let inToken = false;
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (ch === '\\' && i + 1 < line.length) {
      cur += line[++i];
      inToken = true;
    } else if (ch === '"') {
      quoted = !quoted;
      inToken = true;
    } else if (!quoted && (ch === ' ' || ch === '\t')) {
      if (inToken) out.push(cur);
      cur = '';
      inToken = false;
    } else {
      cur += ch;
      inToken = true;
    }
  }
  if (inToken) out.push(cur);
  return out;
}

/**
 * The iptables commands (nat table) that remove the shared hostPort chains,
 * from `iptables -t nat -S` output. Empty when another CNI chain still exists:
 * those chains belong to every CNI network on the host, so they go only when
 * no pod of any network is left.
 */
export function planHostportCleanup(natRules: string): string[][] {
  const lines = natRules.split('\n').map((l) => l.trim()).filter((l) => l !== '');
  const chains = lines.filter((l) => l.startsWith('-N ')).map((l) => splitRuleArgs(l)[1]);
  const shared = HOSTPORT_CHAINS.filter((c) => chains.includes(c));
  if (shared.length === 0) return [];
  if (chains.some((c) => c.startsWith('CNI-') && !HOSTPORT_CHAINS.includes(c))) return [];
  const cmds: string[][] = [];
  for (const l of lines) {
    if (!l.startsWith('-A ')) continue;
    const args = splitRuleArgs(l);
    const j = args.indexOf('-j');
    const target = j >= 0 ? args[j + 1] : undefined;
    // Rules inside the shared chains go with -F; only jumps into them from elsewhere need -D.
    if (target && shared.includes(target) && !shared.includes(args[1])) cmds.push(['-D', ...args.slice(1)]);
  }
  for (const c of shared) cmds.push(['-F', c]);
  for (const c of shared) cmds.push(['-X', c]);
  return cmds;
}

export interface NetworkCleanup {
  bridgeRemoved: boolean;
  /** iptables argument lists that were run. */
  iptables: string[][];
}

const run = promisify(execFile);

async function iptablesNat(args: string[]): Promise<string> {
  // -w: other agents on this host change iptables at the same time.
  const { stdout } = await run('iptables', ['-w', '5', '-t', 'nat', ...args]);
  return stdout;
}

/** Deletes the CNI bridge, then the shared hostPort chains when no CNI pod is left on the host. */
export async function cleanupNetwork(bridge: string): Promise<NetworkCleanup> {
  if (!/^[A-Za-z0-9_.-]{1,15}$/.test(bridge)) throw new Error(`invalid bridge name ${JSON.stringify(bridge)}`);
  let bridgeRemoved = false;
  try {
    await run('ip', ['link', 'del', bridge]);
    bridgeRemoved = true;
  } catch (e) {
    const stderr = String((e as { stderr?: string }).stderr ?? '');
    if (!/Cannot find device|does not exist/.test(stderr)) throw new Error(`ip link del ${bridge}: ${stderr.trim() || (e as Error).message}`);
  }
  const done: string[][] = [];
  let rules: string;
  try {
    rules = await iptablesNat(['-S']);
  } catch {
    return { bridgeRemoved, iptables: done }; // no iptables here: nothing of ours can exist
  }
  for (const args of planHostportCleanup(rules)) {
    try {
      await iptablesNat(args);
      done.push(args);
    } catch {
      // Another agent may have removed it first.
    }
  }
  return { bridgeRemoved, iptables: done };
}

/** True when a network interface of that name exists. */
export function linkExists(name: string): boolean {
  return fs.existsSync(`/sys/class/net/${name}`);
}
