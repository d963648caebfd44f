// One line of a CRI container log file:
//   <RFC3339Nano time> <stdout|stderr> <F|P>[:more tags] <content>
// containerd drops trailing zeros from the fraction, so the time is parsed
// leniently; output timestamps always carry nine digits, as the kubelet prints them.

export type LogStream = 'stdout' | 'stderr';

/** A point in time with nanosecond precision (what a JS Date cannot hold). */
export interface LogTime {
  /** Whole seconds since the epoch (UTC). */
  sec: number;
  /** 0..999 999 999 */
  nsec: number;
}

export interface CriLogRecord {
  time: LogTime;
  stream: LogStream;
  /** 'P': the content continues in the next record of the same stream. */
  partial: boolean;
  /** The bytes to print: a full line keeps its '\n', a partial one has none. */
  content: Buffer;
}

const TIME_RE = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/;

export function parseLogTime(text: string): LogTime | undefined {
  const m = TIME_RE.exec(text);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, frac, zone] = m;
  let ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
  if (Number.isNaN(ms)) return undefined;
  if (zone !== 'Z') {
    const sign = zone!.startsWith('-') ? -1 : 1;
    const offsetMin = Number(zone!.slice(1, 3)) * 60 + Number(zone!.slice(4, 6));
    ms -= sign * offsetMin * 60_000;
  }
  return { sec: Math.floor(ms / 1000), nsec: frac ? Number(frac.padEnd(9, '0')) : 0 };
}

/** RFC3339 with exactly nine fractional digits, UTC: 2026-11-25T19:17:25.267910000Z */
export function formatLogTime(t: LogTime): string {
  const base = new Date(t.sec * 1000).toISOString().slice(0, 19);
  return `${base}.${String(t.nsec).padStart(9, '0')}Z`;
}

export function logTimeFromMs(ms: number): LogTime {
  const sec = Math.floor(ms / 1000);
  return { sec, nsec: Math.round((ms - sec * 1000) * 1_000_000) };
}

export function isBefore(a: LogTime, b: LogTime): boolean {
  return a.sec < b.sec || (a.sec === b.sec && a.nsec < b.nsec);
}

const SPACE = 0x20;
const NEWLINE = 0x0a;

/**
 * Parses one raw line (with or without its trailing '\n'). Returns undefined
 * for a line that is not in CRI format; the kubelet skips those.
 */
export function parseCriLogLine(line: Buffer): CriLogRecord | undefined {
  const i1 = line.indexOf(SPACE);
  if (i1 < 0) return undefined;
  const time = parseLogTime(line.subarray(0, i1).toString('latin1'));
  if (!time) return undefined;
  const i2 = line.indexOf(SPACE, i1 + 1);
  if (i2 < 0) return undefined;
  const stream = line.subarray(i1 + 1, i2).toString('latin1');
  if (stream !== 'stdout' && stream !== 'stderr') return undefined;
  const i3 = line.indexOf(SPACE, i2 + 1);
  if (i3 < 0) return undefined;
  // Tags are ':'-separated; only the first (F or P) means anything today.
  const tag = line.subarray(i2 + 1, i3).toString('latin1').split(':')[0];
  const partial = tag === 'P';
  let content = line.subarray(i3 + 1);
  if (partial && content.length && content[content.length - 1] === NEWLINE) content = content.subarray(0, -1);
  return { time, stream, partial, content };
}
