// Splits a watch response body into events. The server writes one JSON object
// per line, but TCP chunks cut anywhere: mid-line, mid-object, even inside a
// multi-byte UTF-8 character. Only newly arrived text is scanned for newlines,
// so one huge event spread over many chunks costs linear time.

import { StringDecoder } from 'node:string_decoder';

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';

export interface WatchEvent<T = any> {
  type: WatchEventType;
  object: T;
}

export class WatchDecodeError extends Error {
  constructor(message: string, readonly line: string) {
    super(message);
    this.name = 'WatchDecodeError';
  }
}

const knownTypes = new Set<string>(['ADDED', 'MODIFIED', 'DELETED', 'BOOKMARK', 'ERROR']);

function parseEvent(line: string): WatchEvent {
  let ev: any;
  try {
    ev = JSON.parse(line);
  } catch (e) {
    throw new WatchDecodeError(`unable to decode watch event: ${(e as Error).message}`, line);
  }
  if (!ev || typeof ev !== 'object' || !knownTypes.has(ev.type) || typeof ev.object !== 'object' || ev.object === null) {
    throw new WatchDecodeError(`malformed watch event: ${line.slice(0, 200)}`, line);
  }
  return ev as WatchEvent;
}

export class WatchDecoder {
  private readonly text = new StringDecoder('utf8');
  /** Pieces of the current, unfinished line. */
  private pending: string[] = [];

  /** Feeds one chunk; returns the events completed by it, in order. */
  push(chunk: Buffer | string): WatchEvent[] {
    const s = typeof chunk === 'string' ? chunk : this.text.write(chunk);
    const out: WatchEvent[] = [];
    let start = 0;
    for (let nl = s.indexOf('\n'); nl !== -1; nl = s.indexOf('\n', start)) {
      this.pending.push(s.slice(start, nl));
      start = nl + 1;
      this.flushLine(out);
    }
    if (start < s.length) this.pending.push(s.slice(start));
    return out;
  }

  /** Ends the stream: a final line without a trailing newline still counts. */
  end(): WatchEvent[] {
    const rest = this.text.end();
    if (rest) this.pending.push(rest);
    const out: WatchEvent[] = [];
    this.flushLine(out);
    return out;
  }

  private flushLine(out: WatchEvent[]): void {
    const line = (this.pending.length === 1 ? this.pending[0] : this.pending.join('')).trim();
    this.pending = [];
    if (line) out.push(parseEvent(line));
  }
}
