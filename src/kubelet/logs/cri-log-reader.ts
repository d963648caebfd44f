// Reads a CRI container log file the way the kubelet serves `kubectl logs`:
// tail by file lines, since-filter, optional timestamps, a byte limit, and
// follow mode that keeps reading appended data until the container stops.
// stdout and stderr records are written to one sink in file order.

import fs from 'node:fs';
import { open, stat, type FileHandle } from 'node:fs/promises';
import { formatLogTime, isBefore, parseCriLogLine, type LogTime } from './cri-log-line.js';

export interface ReadLogOptions {
  /** Last N lines of the file (undefined: all). */
  tailLines?: number;
  /** Stop after this many bytes of output. */
  limitBytes?: number;
  /** Skip records older than this. */
  since?: LogTime;
  timestamps?: boolean;
  follow?: boolean;
}

export interface FollowControl {
  /** Asked each time the reader reaches the end of the file; false = drain what is left, then stop. */
  isRunning(): Promise<boolean>;
  /** Ends the read early (client went away). */
  signal?: AbortSignal;
  /** Longest wait for new data before checking again (the kubelet uses 1 s). */
  pollMs?: number;
}

/** Where output goes; resolves when the bytes may be followed by more (backpressure). */
export type LogSink = (chunk: Buffer) => Promise<void>;

const CHUNK = 64 * 1024;
const NEWLINE = 0x0a;

/**
 * Byte offset after which exactly `n` newline characters remain (0 if the file
 * has fewer) — the kubelet's tail rule, which counts raw file lines.
 */
export async function tailStartOffset(fh: FileHandle, n: number): Promise<number> {
  if (n < 0) return 0;
  const { size } = await fh.stat();
  let count = 0;
  let right = size;
  const buf = Buffer.alloc(CHUNK);
  while (right > 0) {
    const left = Math.max(0, right - CHUNK);
    const len = right - left;
    await fh.read(buf, 0, len, left);
    for (let i = len - 1; i >= 0; i--) {
      if (buf[i] !== NEWLINE) continue;
      count++;
      // The (n+1)-th newline from the end closes the line before the tail.
      if (count > n) return left + i + 1;
    }
    right = left;
  }
  return 0;
}

class StopReading extends Error {}

/** Writes the container log to `sink` per `opts`. Resolves when done; rejects if the file can't be read. */
export async function readCriLog(path: string, opts: ReadLogOptions, sink: LogSink, follow?: FollowControl): Promise<void> {
  let fh = await open(path, 'r');
  let ino = (await fh.stat()).ino;
  const following = !!opts.follow && !!follow;
  let remaining = opts.limitBytes ?? Infinity;
  // Without follow, a tail also caps the number of records (matters when the last line has no newline).
  let linesLeft = opts.tailLines !== undefined && opts.tailLines >= 0 && !following ? opts.tailLines : Infinity;
  if (linesLeft === 0) {
    await fh.close();
    return;
  }

  const emit = async (line: Buffer): Promise<void> => {
    const rec = parseCriLogLine(line);
    if (rec) {
      if (!opts.since || !isBefore(rec.time, opts.since)) {
        let out = opts.timestamps ? Buffer.concat([Buffer.from(`${formatLogTime(rec.time)} `), rec.content]) : rec.content;
        if (out.length > remaining) out = out.subarray(0, remaining);
        if (out.length) await sink(out);
        remaining -= out.length;
        if (remaining <= 0) throw new StopReading();
      }
    }
    if (--linesLeft <= 0) throw new StopReading();
  };

  let pos = opts.tailLines !== undefined ? await tailStartOffset(fh, opts.tailLines) : 0;
  let pending: Buffer = Buffer.alloc(0);
  const buf = Buffer.alloc(CHUNK);
  let watcher: fs.FSWatcher | undefined;
  let wake: (() => void) | undefined;
  const onAbort = () => wake?.();
  follow?.signal?.addEventListener('abort', onAbort);

  /** Reads and emits every complete line up to the current end of the file. */
  const drain = async (): Promise<void> => {
    for (;;) {
      if (follow?.signal?.aborted) throw new StopReading();
      const { bytesRead } = await fh.read(buf, 0, CHUNK, pos);
      if (bytesRead === 0) return;
      pos += bytesRead;
      let data = pending.length ? Buffer.concat([pending, buf.subarray(0, bytesRead)]) : Buffer.from(buf.subarray(0, bytesRead));
      let nl: number;
      while ((nl = data.indexOf(NEWLINE)) >= 0) {
        await emit(data.subarray(0, nl + 1));
        data = data.subarray(nl + 1);
      }
      pending = data;
    }
  };

  try {
    await drain();
    if (!following) {
      // A last line without its newline is still printed once.
      if (pending.length) await emit(pending);
      return;
    }
    for (;;) {
      if (!(await follow!.isRunning())) {
        // The container stopped: print what it wrote before exiting, then end.
        await drain();
        return;
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, follow!.pollMs ?? 1000);
        function done() {
          clearTimeout(timer);
          wake = undefined;
          resolve();
        }
        wake = done;
        if (!watcher) {
          try {
            watcher = fs.watch(path, { persistent: false }, () => wake?.());
            watcher.on('error', () => {});
          } catch {
            // No inotify: the timer alone drives polling.
          }
        }
      });
      if (follow!.signal?.aborted) return;
      // The file may have been renamed away and re-created (log reopen): continue in the new one.
      const current = await stat(path).catch(() => undefined);
      if (current && current.ino !== ino) {
        await drain();
        await fh.close();
        fh = await open(path, 'r');
        ino = (await fh.stat()).ino;
        pos = 0;
        pending = Buffer.alloc(0);
        watcher?.close();
        watcher = undefined;
      }
      await drain();
    }
  } catch (e) {
    if (!(e instanceof StopReading)) throw e;
  } finally {
    follow?.signal?.removeEventListener('abort', onAbort);
    watcher?.close();
    await fh.close();
  }
}
