// The server side of Kubernetes' SPDY port-forward protocol (portforward.k8s.io),
// as the kubelet's streaming server implements it: the client opens an error
// stream and a data stream per forwarded connection, both tagged with
// `streamType`, `port` and `requestID`; once both of a request ID are there the
// pair is forwarded to the port. Bytes for the port travel on the data stream;
// a failure is written as text on the error stream. Every stream is answered
// with an empty SYN_REPLY, invalid ones with RST_STREAM.
//
// The transport is anything that carries the SPDY byte stream: an upgraded
// socket, or a websocket tunnel (kubectl's SPDY/3.1+portforward.k8s.io).

import {
  controlStreamId,
  dataFrame,
  FLAG_FIN,
  FrameType,
  goAwayFrame,
  HeaderBlockInflater,
  parseSynStream,
  pingFrame,
  rstStreamFrame,
  RstStatus,
  SpdyFrameReader,
  StoredZlibWriter,
  synReplyFrame,
  type SpdyFrame,
} from './spdy-frames.js';
import type { Forward, ForwardDialer } from './port-forward-types.js';

export interface SpdyTransport {
  write(bytes: Buffer): void;
  close(): void;
}

export interface SpdyPortForwardOptions {
  /** How long the second stream of a pair may take (Kubernetes' default: 30 s). */
  streamCreationTimeoutMs?: number;
  /** Names the connection in the "timed out waiting for streams" message. */
  connectionName?: string;
}

type StreamType = 'error' | 'data';

interface Stream {
  id: number;
  type: StreamType;
  port: number;
  pair: Pair;
  /** We sent FIN or RST: nothing more goes out on it. */
  closed: boolean;
}

interface Pair {
  requestId: string;
  error?: Stream;
  data?: Stream;
  forward?: Forward;
  /** Client bytes (and FIN) that arrived before the pair was complete. */
  early: Buffer[];
  earlyFin: boolean;
  timer?: NodeJS.Timeout;
  ended: boolean;
}

/** Largest data frame payload we send (the format allows 16 MiB; smaller frames interleave better). */
const MAX_FRAME_DATA = 64 * 1024;

/** Checks a new stream's headers like the kubelet does; returns why it is refused. */
export function invalidStreamReason(headers: Record<string, string>): string | undefined {
  const port = first(headers['port']);
  if (!port) return '"port" header is required';
  if (!/^\d+$/.test(port) || Number(port) > 65535) return `unable to parse "${port}" as a port`;
  if (Number(port) < 1) return `port "${port}" must be > 0`;
  const type = first(headers['streamtype']);
  if (!type) return '"streamType" header is required';
  if (type !== 'error' && type !== 'data') return `invalid stream type "${type}"`;
  return undefined;
}

/** Go joins repeated header values with NUL; the first one counts. */
function first(v: string | undefined): string {
  return (v ?? '').split('\0')[0]!;
}

export class SpdyPortForwardServer {
  private readonly reader = new SpdyFrameReader();
  private readonly inflater = new HeaderBlockInflater();
  private readonly zlib = new StoredZlibWriter();
  private readonly streams = new Map<number, Stream>();
  private readonly pairs = new Map<string, Pair>();
  private readonly active = new Set<Pair>();
  private chain: Promise<void> = Promise.resolve();
  private lastStreamId = 0;
  private closed = false;

  constructor(
    private readonly transport: SpdyTransport,
    private readonly dial: ForwardDialer,
    private readonly opts: SpdyPortForwardOptions = {},
  ) {}

  /** Bytes from the client. */
  receive(chunk: Buffer): void {
    if (this.closed) return;
    let frames: SpdyFrame[];
    try {
      frames = this.reader.push(chunk);
    } catch {
      return this.fail();
    }
    for (const f of frames) {
      // Header blocks inflate asynchronously; frames are handled strictly in order.
      this.chain = this.chain.then(() => this.handle(f)).catch(() => this.fail());
    }
  }

  /** The transport closed: abort every forwarding. */
  transportClosed(): void {
    if (this.closed) return;
    this.closed = true;
    for (const p of this.pairs.values()) clearTimeout(p.timer);
    for (const p of [...this.active]) {
      p.ended = true;
      p.forward?.close();
    }
    this.active.clear();
    this.pairs.clear();
    this.inflater.close();
  }

  private fail(): void {
    if (this.closed) return;
    this.send(goAwayFrame(this.lastStreamId, 1));
    this.transport.close();
    this.transportClosed();
  }

  private send(bytes: Buffer): void {
    if (!this.closed) this.transport.write(bytes);
  }

  private async handle(f: SpdyFrame): Promise<void> {
    if (this.closed) return;
    if (f.kind === 'data') return this.onData(f.streamId, f.flags, f.data);
    switch (f.type) {
      case FrameType.SynStream:
        return this.onSynStream(f.flags, f.payload);
      case FrameType.RstStream:
        return this.onReset(controlStreamId(f));
      case FrameType.Ping:
        // Client pings have odd ids and are echoed; we never ping.
        if (f.payload.readUInt32BE(0) & 1) this.send(pingFrame(f.payload.readUInt32BE(0)));
        return;
      default:
        // SETTINGS, WINDOW_UPDATE, HEADERS, GOAWAY: nothing to do; the client closes the transport when it is done.
        return;
    }
  }

  private async onSynStream(flags: number, payload: Buffer): Promise<void> {
    const syn = parseSynStream(payload);
    const headers = await this.inflater.headers(syn.block);
    if (this.closed) return;
    this.lastStreamId = Math.max(this.lastStreamId, syn.streamId);
    if (invalidStreamReason(headers)) {
      this.send(rstStreamFrame(syn.streamId, RstStatus.Cancel));
      return;
    }
    const type = first(headers['streamtype']) as StreamType;
    // Old clients send no request ID: pair consecutive error/data stream ids, as Kubernetes does.
    const requestId = first(headers['requestid']) || String(type === 'error' ? syn.streamId : syn.streamId - 2);
    let pair = this.pairs.get(requestId);
    if (!pair) {
      pair = { requestId, early: [], earlyFin: false, ended: false };
      this.pairs.set(requestId, pair);
      const p = pair;
      pair.timer = setTimeout(() => this.pairTimedOut(p), this.opts.streamCreationTimeoutMs ?? 30_000);
    }
    const stream: Stream = { id: syn.streamId, type, port: Number(first(headers['port'])), pair, closed: false };
    this.send(synReplyFrame(this.zlib, syn.streamId, {}));
    if (pair[type]) {
      this.writeError(pair, `error processing stream for request ${requestId}: ${type} stream already assigned`);
      return;
    }
    pair[type] = stream;
    this.streams.set(stream.id, stream);
    if (type === 'data' && flags & FLAG_FIN) pair.earlyFin = true;
    if (pair.error && pair.data) this.start(pair, pair.data.port);
  }

  private pairTimedOut(pair: Pair): void {
    if (this.closed || pair.forward) return;
    this.pairs.delete(pair.requestId);
    this.writeError(pair, `(conn=${this.opts.connectionName ?? 'spdy'}, request=${pair.requestId}) timed out waiting for streams`);
    this.finish(pair);
  }

  private start(pair: Pair, port: number): void {
    clearTimeout(pair.timer);
    this.pairs.delete(pair.requestId);
    this.active.add(pair);
    pair.forward = this.dial(port, pair.requestId, {
      onData: (data) => {
        const s = pair.data!;
        if (pair.ended || s.closed) return;
        for (let off = 0; off < data.length; off += MAX_FRAME_DATA) this.send(dataFrame(s.id, data.subarray(off, off + MAX_FRAME_DATA)));
      },
      onError: (message) => {
        if (!pair.ended) this.writeError(pair, message);
      },
      onEnd: () => {
        if (!pair.ended) this.finish(pair);
      },
    });
    for (const b of pair.early.splice(0)) pair.forward.write(b);
    if (pair.earlyFin) pair.forward.end();
  }

  private writeError(pair: Pair, message: string | Buffer): void {
    const s = pair.error;
    if (!s || s.closed) return;
    this.send(dataFrame(s.id, Buffer.isBuffer(message) ? message : Buffer.from(message)));
  }

  /** The forwarding is over: close both streams (error first, so the client has the whole message). */
  private finish(pair: Pair): void {
    pair.ended = true;
    this.active.delete(pair);
    for (const s of [pair.error, pair.data]) {
      if (!s) continue;
      if (!s.closed) this.send(dataFrame(s.id, Buffer.alloc(0), true));
      s.closed = true;
      this.streams.delete(s.id);
    }
  }

  private onData(streamId: number, flags: number, data: Buffer): void {
    const s = this.streams.get(streamId);
    if (!s || s.type !== 'data') return; // the client never writes on the error stream
    const pair = s.pair;
    if (pair.ended) return;
    if (!pair.forward) {
      if (data.length) pair.early.push(data);
      if (flags & FLAG_FIN) pair.earlyFin = true;
      return;
    }
    if (data.length) pair.forward.write(data);
    if (flags & FLAG_FIN) pair.forward.end();
  }

  private onReset(streamId: number): void {
    const s = this.streams.get(streamId);
    if (!s) return;
    s.closed = true;
    this.streams.delete(streamId);
    const pair = s.pair;
    // A reset data stream means the client gave up on this connection; a reset error stream alone is just cleanup.
    if (s.type !== 'data' || pair.ended) return;
    clearTimeout(pair.timer);
    this.pairs.delete(pair.requestId);
    pair.forward?.close();
    this.finish(pair);
  }
}
