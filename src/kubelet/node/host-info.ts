// Facts about the machine the node agent runs on, as a kubelet reports them in
// Node.status.capacity and Node.status.nodeInfo. Every file is read under a
// root directory so tests can point it at a fake tree.

import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { VersionResponse } from '../cri/api.js';

export interface HostFacts {
  hostname: string;
  cpuCount: number;
  /** MemTotal in bytes. */
  memoryBytes: number;
  /** Size of the filesystem holding the data dir, in bytes. */
  ephemeralStorageBytes: number;
  machineID: string;
  systemUUID: string;
  bootID: string;
  kernelVersion: string;
  osImage: string;
  operatingSystem: string;
  architecture: string;
}

export interface HostInfoOptions {
  /** Prefix for /proc, /etc and /sys (default '/'). */
  root?: string;
  /** Overrides for tests. */
  cpuCount?: number;
  kernelVersion?: string;
  hostname?: string;
  arch?: string;
}

/** A kB field of /proc/meminfo ("MemTotal:  24684084 kB") in KiB, or undefined when absent. */
export function meminfoKiB(meminfo: string, field: string): number | undefined {
  for (const line of meminfo.split('\n')) {
    const m = line.match(/^([^:]+):\s+(\d+)(?:\s+kB)?\s*$/);
    if (m && m[1] === field) return Number(m[2]);
  }
  return undefined;
}

/** PRETTY_NAME of os-release (quotes and escapes removed); "Linux" when missing, as cadvisor does. */
export function osImageFrom(osRelease: string): string {
  for (const line of osRelease.split('\n')) {
    const m = line.match(/^\s*PRETTY_NAME=(.*)$/);
    if (!m) continue;
    let v = m[1].trim();
    if ((v.startsWith('"') && v.endsWith('"')) || (v.startsWith("'") && v.endsWith("'"))) v = v.slice(1, -1);
    return v.replace(/\\(.)/g, '$1');
  }
  return 'Linux';
}

/** Node's process.arch in Go's GOARCH spelling. */
export function goArch(nodeArch: string = process.arch): string {
  const map: Record<string, string> = { x64: 'amd64', ia32: '386', arm64: 'arm64', arm: 'arm', ppc64: 'ppc64le', s390x: 's390x', riscv64: 'riscv64', loong64: 'loong64' };
  return map[nodeArch] ?? nodeArch;
}

/** "containerd://1.6.20~ds1": how the kubelet names the runtime in nodeInfo. */
export function containerRuntimeVersion(v: Pick<VersionResponse, 'runtime_name' | 'runtime_version'>): string {
  return `${v.runtime_name}://${v.runtime_version}`;
}

/** The first non-internal IPv4 address of the host's interfaces (sorted by interface name for stability). */
export function firstHostIPv4(ifaces: NodeJS.Dict<os.NetworkInterfaceInfo[]> = os.networkInterfaces()): string | undefined {
  for (const name of Object.keys(ifaces).sort()) {
    for (const a of ifaces[name] ?? []) {
      if (a.family === 'IPv4' && !a.internal) return a.address;
    }
  }
  return undefined;
}

async function readTrimmed(file: string): Promise<string | undefined> {
  try {
    const v = (await fs.readFile(file, 'utf8')).trim();
    return v === '' ? undefined : v;
  } catch {
    return undefined;
  }
}

/** Total size of the filesystem holding dir, in bytes. */
export async function filesystemBytes(dir: string): Promise<number> {
  const s = await fs.statfs(dir);
  return s.blocks * s.bsize;
}

export async function readHostFacts(dataDir: string, o: HostInfoOptions = {}): Promise<HostFacts> {
  const root = o.root ?? '/';
  const at = (p: string) => path.join(root, p);
  const meminfo = (await readTrimmed(at('proc/meminfo'))) ?? '';
  const machineID = (await readTrimmed(at('etc/machine-id'))) ?? (await readTrimmed(at('var/lib/dbus/machine-id'))) ?? '';
  const osRelease = (await readTrimmed(at('etc/os-release'))) ?? (await readTrimmed(at('usr/lib/os-release'))) ?? '';
  return {
    hostname: (o.hostname ?? os.hostname()).toLowerCase(),
    cpuCount: o.cpuCount ?? os.cpus().length,
    memoryBytes: (meminfoKiB(meminfo, 'MemTotal') ?? 0) * 1024,
    ephemeralStorageBytes: await filesystemBytes(dataDir),
    machineID,
    systemUUID: (await readTrimmed(at('sys/class/dmi/id/product_uuid'))) ?? machineID,
    bootID: (await readTrimmed(at('proc/sys/kernel/random/boot_id'))) ?? '',
    kernelVersion: o.kernelVersion ?? os.release(),
    osImage: osImageFrom(osRelease),
    operatingSystem: 'linux',
    architecture: goArch(o.arch),
  };
}
