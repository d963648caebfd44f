// The eviction signals the kubelet watches, read from the host: memory
// available, free bytes and inodes of the node and image filesystems, and
// free process IDs.

import fs from 'node:fs/promises';
import path from 'node:path';
import { meminfoKiB } from './host-info.js';

export interface FsSignal {
  availableBytes: number;
  capacityBytes: number;
  inodesFree: number;
  inodes: number;
}

export interface NodeSignals {
  memory?: { availableBytes: number; capacityBytes: number };
  nodefs?: FsSignal;
  imagefs?: FsSignal;
  pid?: { available: number; max: number };
}

export interface SignalSources {
  /** The kubelet's data dir (node filesystem). */
  nodefsPath: string;
  /** Where images live (containerd root); the node filesystem when unset. */
  imagefsPath?: string;
  /** Prefix for /proc (tests). */
  root?: string;
}

/** Total tasks from /proc/loadavg ("0.67 0.29 0.13 1/94 22180" → 94). */
export function loadavgTasks(text: string): number | undefined {
  const m = text.match(/^\S+\s+\S+\s+\S+\s+\d+\/(\d+)\s/);
  return m ? Number(m[1]) : undefined;
}

export async function fsSignal(dir: string): Promise<FsSignal> {
  const s = await fs.statfs(dir);
  return { availableBytes: s.bavail * s.bsize, capacityBytes: s.blocks * s.bsize, inodesFree: s.ffree, inodes: s.files };
}

async function readOr(file: string): Promise<string> {
  try {
    return await fs.readFile(file, 'utf8');
  } catch {
    return '';
  }
}

/** Reads what it can; a signal that cannot be read is left out (and so never causes pressure). */
export async function readNodeSignals(src: SignalSources): Promise<NodeSignals> {
  const root = src.root ?? '/';
  const out: NodeSignals = {};
  const meminfo = await readOr(path.join(root, 'proc/meminfo'));
  const total = meminfoKiB(meminfo, 'MemTotal');
  const avail = meminfoKiB(meminfo, 'MemAvailable');
  if (total !== undefined && avail !== undefined) out.memory = { availableBytes: avail * 1024, capacityBytes: total * 1024 };
  try {
    out.nodefs = await fsSignal(src.nodefsPath);
    out.imagefs = src.imagefsPath ? await fsSignal(src.imagefsPath) : out.nodefs;
  } catch {
    // a missing dir: no disk signals this round
  }
  const max = Number((await readOr(path.join(root, 'proc/sys/kernel/pid_max'))).trim());
  const tasks = loadavgTasks(await readOr(path.join(root, 'proc/loadavg')));
  if (Number.isFinite(max) && max > 0 && tasks !== undefined) out.pid = { available: max - tasks, max };
  return out;
}
