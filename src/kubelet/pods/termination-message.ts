// A terminated container's message, as the kubelet reports it: the contents
// of its terminationMessagePath file (found through the container's mounts,
// at most 4096 bytes), or — with FallbackToLogsOnError and a failed exit and
// an empty file — the tail of its log (80 lines, 2048 bytes).

import { open, readFile } from 'node:fs/promises';

export const MAX_TERMINATION_MESSAGE_BYTES = 4096;
export const MAX_FALLBACK_LOG_LINES = 80;
export const MAX_FALLBACK_LOG_BYTES = 2048;

async function readAtMostTail(path: string, max: number): Promise<Buffer> {
  const fh = await open(path, 'r');
  try {
    const { size } = await fh.stat();
    const len = Math.min(size, max);
    const buf = Buffer.alloc(len);
    await fh.read(buf, 0, len, size - len);
    return buf;
  } finally {
    await fh.close();
  }
}

/** The message the container wrote: '' when there is no file; `checkLogs` when the log tail should be used instead. */
export async function readTerminationFile(
  mounts: { container_path: string; host_path: string }[],
  terminationMessagePath: string,
  fallbackToLogs: boolean,
  fallbackFile?: string,
): Promise<{ message: string; checkLogs: boolean }> {
  if (!terminationMessagePath) return { message: '', checkLogs: fallbackToLogs };
  const mount = mounts.find((m) => m.container_path === terminationMessagePath);
  const path = mount?.host_path ?? fallbackFile;
  if (!path) return { message: '', checkLogs: fallbackToLogs };
  try {
    const data = await readAtMostTail(path, MAX_TERMINATION_MESSAGE_BYTES);
    return { message: data.toString('utf8'), checkLogs: fallbackToLogs && data.length === 0 };
  } catch (e: any) {
    if (e?.code === 'ENOENT') return { message: '', checkLogs: fallbackToLogs };
    return { message: `Error on reading termination log ${path}: ${e?.message ?? e}`, checkLogs: false };
  }
}

/** The message part of CRI log lines ("<time> <stream> <F|P> <text>"), P fragments joined to the next line. */
export function criLogText(raw: string): string {
  let out = '';
  for (const line of raw.split('\n')) {
    if (!line) continue;
    const m = /^\S+ (?:stdout|stderr) ([FP])(?: (.*))?$/.exec(line);
    if (!m) continue;
    out += (m[2] ?? '') + (m[1] === 'F' ? '\n' : '');
  }
  return out;
}

/** The last lines of a container's CRI log, at most 80 lines and 2048 bytes. */
export async function readLogTail(path: string): Promise<string> {
  let raw: string;
  try {
    raw = await readFile(path, 'utf8');
  } catch (e: any) {
    return `Error on reading termination message from logs: ${e?.message ?? e}`;
  }
  const text = criLogText(raw);
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  const tail = lines.slice(-MAX_FALLBACK_LOG_LINES).map((l, i, all) => (i < all.length - 1 || text.endsWith('\n') ? `${l}\n` : l)).join('');
  const bytes = Buffer.from(tail);
  return bytes.length > MAX_FALLBACK_LOG_BYTES ? bytes.subarray(bytes.length - MAX_FALLBACK_LOG_BYTES).toString('utf8') : tail;
}
