// hostPath volume type checks (pkg/volume/hostpath): the *OrCreate types make
// what is missing, the others require the path to be of that kind already.

import fs from 'node:fs/promises';

export type HostPathType = '' | 'DirectoryOrCreate' | 'Directory' | 'FileOrCreate' | 'File' | 'Socket' | 'CharDevice' | 'BlockDevice';

async function statOrUndefined(p: string) {
  try {
    return await fs.stat(p);
  } catch {
    return undefined;
  }
}

/** Throws Error with the kubelet's message when `p` is not of `type`. */
export async function checkHostPathType(p: string, type: string | undefined): Promise<void> {
  const t = type ?? '';
  const fail = (what: string) => new Error(`hostPath type check failed: ${p} is not a ${what}`);
  const st = await statOrUndefined(p);
  switch (t) {
    case '':
      return;
    case 'DirectoryOrCreate':
    case 'Directory':
      if (!st && t === 'DirectoryOrCreate') await fs.mkdir(p, { recursive: true, mode: 0o755 });
      else if (!st?.isDirectory()) throw fail('directory');
      return;
    case 'FileOrCreate':
    case 'File':
      if (!st && t === 'FileOrCreate') await (await fs.open(p, 'a', 0o644)).close();
      else if (!st || st.isDirectory()) throw fail('file');
      return;
    case 'Socket':
      if (!st?.isSocket()) throw fail('socket file');
      return;
    case 'CharDevice':
      if (!st?.isCharacterDevice()) throw fail('character device');
      return;
    case 'BlockDevice':
      if (!st?.isBlockDevice()) throw fail('block device');
      return;
    default:
      throw new Error(`${t} is an invalid volume type`);
  }
}
