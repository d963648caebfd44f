// What is mounted where (from /proc/self/mountinfo), and the two mount
// operations the volume manager needs: a tmpfs for memory-backed emptyDirs
// and unmounting them again.

import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface MountEntry {
  mountPoint: string;
  fsType: string;
  source: string;
}

/** mountinfo escapes space, tab, newline and backslash as octal `\ooo`. */
function unescapeOctal(s: string): string {
  return s.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8)));
}

export function parseMountInfo(text: string): MountEntry[] {
  const out: MountEntry[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    const fields = line.split(' ');
    const sep = fields.indexOf('-');
    if (sep < 0 || fields.length < sep + 3) continue;
    out.push({ mountPoint: unescapeOctal(fields[4]), fsType: fields[sep + 1], source: unescapeOctal(fields[sep + 2]) });
  }
  return out;
}

export async function readMounts(): Promise<MountEntry[]> {
  return parseMountInfo(await fs.readFile('/proc/self/mountinfo', 'utf8'));
}

/** mountinfo lists resolved paths, so symlinks in dir must be resolved too. */
async function realOrResolved(dir: string): Promise<string> {
  try {
    return await fs.realpath(dir);
  } catch {
    return path.resolve(dir);
  }
}

/** Mount points at or below dir, deepest first (the order to unmount them in). */
export async function mountsUnder(dir: string): Promise<MountEntry[]> {
  const root = await realOrResolved(dir);
  const all = await readMounts();
  return all
    .filter((m) => m.mountPoint === root || m.mountPoint.startsWith(root + '/'))
    .sort((a, b) => b.mountPoint.length - a.mountPoint.length);
}

export async function isMountPoint(dir: string): Promise<boolean> {
  const root = await realOrResolved(dir);
  return (await readMounts()).some((m) => m.mountPoint === root);
}

/** `mount -t tmpfs -o size=<bytes> tmpfs <dir>` (no size: the kernel's default, half the RAM). */
export async function mountTmpfs(dir: string, sizeBytes?: bigint): Promise<void> {
  const args = ['-t', 'tmpfs'];
  if (sizeBytes !== undefined && sizeBytes > 0n) args.push('-o', `size=${sizeBytes}`);
  args.push('tmpfs', dir);
  try {
    await run('mount', args);
  } catch (e: any) {
    throw new Error(`mount failed: ${String(e.stderr || e.message).trim()}`);
  }
}

export async function unmount(dir: string): Promise<void> {
  try {
    await run('umount', [dir]);
  } catch (e: any) {
    throw new Error(`unmount failed: ${String(e.stderr || e.message).trim()}`);
  }
}
