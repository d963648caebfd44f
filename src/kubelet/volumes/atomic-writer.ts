// Writes a set of files into a volume directory so that a reader never sees a
// half-updated set (the kubelet's AtomicWriter): the files live in a
// timestamped folder `..2026_11_25_19_17_25.<random>`, `..data` is a symlink
// to the current one and is swapped with a rename, and each top-level name is
// a symlink `name → ..data/name`. Nothing is rewritten when nothing changed.

import { randomInt } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';

export interface FileProjection {
  data: Buffer;
  /** Permission bits, e.g. 0o644. */
  mode: number;
}

export const DATA_DIR = '..data';
const NEW_DATA_DIR = '..data_tmp';
const MAX_PATH = 4096;
const MAX_NAME = 255;

/** Rejects absolute paths, `..` elements and names starting with `..` (the kubelet's messages). */
export function validatePayloadPath(p: string): void {
  if (p === '') throw new Error(`invalid path: must not be empty: "${p}"`);
  if (path.isAbsolute(p)) throw new Error(`invalid path: must be relative path: ${p}`);
  if (p.length > MAX_PATH) throw new Error(`invalid path: must be less than or equal to ${MAX_PATH} characters`);
  const items = p.split('/');
  for (const item of items) {
    if (item === '..') throw new Error(`invalid path: must not contain '..': ${p}`);
    if (item.length > MAX_NAME) throw new Error(`invalid path: filenames must be less than or equal to ${MAX_NAME} characters`);
  }
  if (items[0].startsWith('..') && items[0].length > 2) throw new Error(`invalid path: must not start with '..': ${p}`);
}

function two(n: number): string {
  return String(n).padStart(2, '0');
}

/** `..YYYY_MM_DD_HH_MM_SS.` in UTC, the prefix of every timestamped folder. */
export function timestampPrefix(d: Date): string {
  return `..${d.getUTCFullYear()}_${two(d.getUTCMonth() + 1)}_${two(d.getUTCDate())}_${two(d.getUTCHours())}_${two(d.getUTCMinutes())}_${two(d.getUTCSeconds())}.`;
}

async function readLinkOrUndefined(p: string): Promise<string | undefined> {
  try {
    return await fs.readlink(p);
  } catch (e: any) {
    if (e.code === 'ENOENT' || e.code === 'EINVAL') return undefined;
    throw e;
  }
}

/** Every path (files and folders) below dir, relative to it. */
async function walk(dir: string, rel = ''): Promise<string[]> {
  const out: string[] = [];
  for (const ent of await fs.readdir(path.join(dir, rel), { withFileTypes: true })) {
    const p = rel ? `${rel}/${ent.name}` : ent.name;
    out.push(p);
    if (ent.isDirectory()) out.push(...(await walk(dir, p)));
  }
  return out;
}

async function differs(file: string, want: FileProjection): Promise<boolean> {
  try {
    const st = await fs.lstat(file);
    if (!st.isFile() || (st.mode & 0o7777) !== want.mode) return true;
    return !(await fs.readFile(file)).equals(want.data);
  } catch (e: any) {
    if (e.code === 'ENOENT') return true;
    throw e;
  }
}

export class AtomicWriter {
  constructor(
    readonly targetDir: string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /**
   * Makes the folder hold exactly `payload`. Returns true when it wrote a new version.
   * setPerms runs on a new version before it becomes visible (the fsGroup ownership).
   */
  async write(payload: Map<string, FileProjection>, setPerms?: () => Promise<void>): Promise<boolean> {
    const clean = new Map<string, FileProjection>();
    for (const [p, f] of payload) {
      validatePayloadPath(p);
      clean.set(path.posix.normalize(p).replace(/\/+$/, ''), f);
    }
    await fs.mkdir(this.targetDir, { recursive: true });

    const dataLink = path.join(this.targetDir, DATA_DIR);
    const oldTs = await readLinkOrUndefined(dataLink);
    let toRemove: string[] = [];
    if (oldTs) {
      const oldTsPath = path.join(this.targetDir, oldTs);
      toRemove = await this.pathsToRemove(clean, oldTsPath);
      let changed = false;
      for (const [p, f] of clean) {
        if (await differs(path.join(oldTsPath, p), f)) {
          changed = true;
          break;
        }
      }
      if (!changed && toRemove.length === 0) return false;
    }

    const tsDir = await this.newTimestampDir();
    const tsName = path.basename(tsDir);
    try {
      for (const [p, f] of clean) {
        const full = path.join(tsDir, p);
        await fs.mkdir(path.dirname(full), { recursive: true, mode: 0o755 });
        await fs.writeFile(full, f.data, { mode: f.mode });
        await fs.chmod(full, f.mode); // the umask must not change the mode asked for
      }
      await this.createUserVisibleLinks(clean);
      await setPerms?.();
      const tmpLink = path.join(this.targetDir, NEW_DATA_DIR);
      await fs.rm(tmpLink, { force: true });
      await fs.symlink(tsName, tmpLink);
      await fs.rename(tmpLink, dataLink);
    } catch (e) {
      await fs.rm(tsDir, { recursive: true, force: true });
      throw e;
    }
    for (const p of toRemove) {
      if (!p.includes('/')) await fs.rm(path.join(this.targetDir, p), { force: true });
    }
    if (oldTs) await fs.rm(path.join(this.targetDir, oldTs), { recursive: true, force: true });
    return true;
  }

  private async newTimestampDir(): Promise<string> {
    const prefix = timestampPrefix(this.now());
    for (;;) {
      const dir = path.join(this.targetDir, `${prefix}${randomInt(1, 2 ** 31 - 1)}`);
      try {
        await fs.mkdir(dir, { mode: 0o755 });
        await fs.chmod(dir, 0o755);
        return dir;
      } catch (e: any) {
        if (e.code !== 'EEXIST') throw e;
      }
    }
  }

  /** Paths of the old version that are in no path (or parent folder) of the new payload. */
  private async pathsToRemove(payload: Map<string, FileProjection>, oldTsPath: string): Promise<string[]> {
    let old: string[];
    try {
      old = await walk(oldTsPath);
    } catch (e: any) {
      if (e.code === 'ENOENT') return [];
      throw e;
    }
    const keep = new Set<string>();
    for (const p of payload.keys()) {
      for (let sub = p; sub !== '' && sub !== '.'; sub = path.posix.dirname(sub)) keep.add(sub);
    }
    return old.filter((p) => !keep.has(p));
  }

  private async createUserVisibleLinks(payload: Map<string, FileProjection>): Promise<void> {
    for (const p of payload.keys()) {
      const top = p.split('/')[0];
      const visible = path.join(this.targetDir, top);
      if ((await readLinkOrUndefined(visible)) === undefined) {
        await fs.rm(visible, { recursive: true, force: true });
        await fs.symlink(`${DATA_DIR}/${top}`, visible);
      }
    }
  }
}
