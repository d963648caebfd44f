// The pod's fsGroup applied to a volume, as the kubelet does when it sets a
// volume up: every file and folder gets the fsGroup as its group; files gain
// group read (read-only volumes) or read/write (writable ones); folders also
// gain group search and the setgid bit, so files created later inherit the
// group. Symlinks only change group (their mode means nothing).

import fs from 'node:fs/promises';
import path from 'node:path';

const RW_MASK = 0o660;
const RO_MASK = 0o440;
const EXEC_MASK = 0o110;
const SETGID = 0o2000;

/** The fsGroup from the pod's securityContext, if it is set. */
export function podFsGroup(pod: { [field: string]: any }): number | undefined {
  const g = pod.spec?.securityContext?.fsGroup;
  return typeof g === 'number' && Number.isInteger(g) && g >= 0 ? g : undefined;
}

/** The mode a path gets: its current bits plus the group bits (and setgid for folders). */
export function fsGroupMode(mode: number, isDir: boolean, readOnly: boolean): number {
  let mask = readOnly ? RO_MASK : RW_MASK;
  if (isDir) mask |= SETGID | EXEC_MASK;
  return (mode & 0o7777) | mask;
}

/** Walks dir (itself included, symlinks not followed) giving everything the group fsGroup. */
export async function setVolumeOwnership(dir: string, fsGroup: number, readOnly: boolean): Promise<void> {
  const visit = async (p: string): Promise<void> => {
    const st = await fs.lstat(p);
    await fs.lchown(p, -1, fsGroup);
    if (st.isSymbolicLink()) return;
    const want = fsGroupMode(st.mode, st.isDirectory(), readOnly);
    // chown may clear setgid/setuid bits, so set the mode after it.
    await fs.chmod(p, want);
    if (st.isDirectory()) {
      for (const name of await fs.readdir(p)) await visit(path.join(p, name));
    }
  };
  await visit(dir);
}
