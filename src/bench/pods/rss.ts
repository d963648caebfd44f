// Resident set size of a process, from /proc/<pid>/status (kB as the kernel prints it),
// and the same-run reference: an idle bare `node` process.

import { spawn } from 'node:child_process';
import fs from 'node:fs';

export interface RssKiB {
  /** VmRSS */
  total: number;
  /** RssAnon: heap, stacks, JIT code — what the process itself allocated. */
  anon?: number;
  /** RssFile: mapped files (the node binary, shared libraries). */
  file?: number;
}

function field(status: string, name: string): number | undefined {
  const m = new RegExp(`^${name}:\\s+(\\d+)\\s+kB$`, 'm').exec(status);
  return m ? Number(m[1]) : undefined;
}

/** VmRSS (and RssAnon/RssFile when present) from the text of /proc/<pid>/status; undefined without VmRSS (kernel threads, zombies). */
export function parseRss(status: string): RssKiB | undefined {
  const total = field(status, 'VmRSS');
  if (total === undefined) return undefined;
  return { total, anon: field(status, 'RssAnon'), file: field(status, 'RssFile') };
}

export interface RssMiB {
  total: number;
  anon?: number;
  file?: number;
}

const mib = (kib: number | undefined) => (kib === undefined ? undefined : kib / 1024);

/** RSS of pid in MiB; undefined when the process is gone. */
export function readRss(pid: number): RssMiB | undefined {
  let text: string;
  try {
    text = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    return undefined;
  }
  const r = parseRss(text);
  return r && { total: r.total / 1024, anon: mib(r.anon), file: mib(r.file) };
}

/** VmRSS of pid in MiB; undefined when the process is gone. */
export function readRssMiB(pid: number): number | undefined {
  return readRss(pid)?.total;
}

/** RSS of an idle `node` with nothing loaded, after settleMs: the floor any Node agent starts from. */
export async function bareNodeRss(settleMs = 1000): Promise<RssMiB | undefined> {
  const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1 << 30)'], { stdio: 'ignore' });
  try {
    await new Promise((r) => setTimeout(r, settleMs));
    return child.pid === undefined ? undefined : readRss(child.pid);
  } finally {
    child.kill('SIGKILL');
  }
}
