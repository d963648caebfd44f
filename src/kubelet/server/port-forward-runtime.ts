// Port forwarding as a client of the runtime's streaming server (the URL CRI
// PortForward returns), over SPDY/3.1 with protocol portforward.k8s.io — the
// transport with a half-close, so a client's FIN reaches the runtime as it
// does in Kubernetes. Per forwarded connection: an error stream (closed for
// writing at once, as client-go does) and a data stream, sharing a request ID.

import { spdyUpgrade } from './spdy-upgrade.js';
import type { Socket } from 'node:net';
import {
  controlStreamId,
  dataFrame,
  FLAG_FIN,
  FrameType,
  pingFrame,
  rstStreamFrame,
  RstStatus,
  SpdyFrameReader,
  StoredZlibWriter,
  synStreamFrame,
} from './spdy-frames.js';
import { PORT_FORWARD_PROTOCOL, type Forward, type ForwardHandlers } from './port-forward-types.js';

export interface RuntimePortForward {
  /** Opens one forwarded connection to the pod's `port`. */
  forward(port: number, h: ForwardHandlers): Forward;
  /** Closes the connection (aborting open forwards). */
  close(): void;
}

/** Upgrades to SPDY at the runtime's URL. Rejects with the runtime's answer if it refuses. */
export async function openRuntimePortForward(url: string, timeoutMs = 30_000): Promise<RuntimePortForward> {
  const { socket, head } = await spdyUpgrade(url, PORT_FORWARD_PROTOCOL, timeoutMs);
  const conn = new SpdyPortForwardClient(socket);
  if (head.length) conn.onBytes(head);
  return conn;
}

interface ClientStream {
  id: number;
  replied: boolean;
  /** Frames waiting for the SYN_REPLY (data sent before it would be dropped). */
  queued: Buffer[];
  remoteDone: boolean;
  localDone: boolean;
  pair: ClientPair;
}

interface ClientPair {
  error: ClientStream;
  data: ClientStream;
  h: ForwardHandlers;
  ended: boolean;
}

class SpdyPortForwardClient implements RuntimePortForward {
  private readonly reader = new SpdyFrameReader();
  private readonly zlib = new StoredZlibWriter();
  private readonly streams = new Map<number, ClientStream>();
  private nextStreamId = 1;
  private nextRequestId = 0;
  private closed = false;

  constructor(private readonly socket: Socket) {
    socket.setNoDelay(true);
    socket.on('data', (c: Buffer) => this.onBytes(c));
    socket.on('close', () => this.dropAll());
    socket.on('error', () => this.dropAll());
  }

  forward(port: number, h: ForwardHandlers): Forward {
    const requestId = String(this.nextRequestId++);
    const pair = { h, ended: false } as ClientPair;
    const mk = (): ClientStream => {
      const s: ClientStream = { id: this.nextStreamId, replied: false, queued: [], remoteDone: false, localDone: false, pair };
      this.nextStreamId += 2;
      this.streams.set(s.id, s);
      return s;
    };
    pair.error = mk();
    pair.data = mk();
    if (this.closed) {
      queueMicrotask(() => this.end(pair, 'the connection to the runtime is closed'));
    } else {
      const headers = (type: string) => ({ streamtype: type, port: String(port), requestid: requestId });
      this.write(synStreamFrame(this.zlib, pair.error.id, headers('error')));
      this.write(synStreamFrame(this.zlib, pair.data.id, headers('data')));
      // We never write on the error stream.
      this.sendOn(pair.error, dataFrame(pair.error.id, Buffer.alloc(0), true));
      pair.error.localDone = true;
    }
    return {
      write: (data) => {
        if (!pair.ended && !pair.data.localDone && data.length) this.sendOn(pair.data, dataFrame(pair.data.id, data));
      },
      end: () => {
        if (pair.ended || pair.data.localDone) return;
        pair.data.localDone = true;
        this.sendOn(pair.data, dataFrame(pair.data.id, Buffer.alloc(0), true));
      },
      close: () => {
        if (pair.ended) return;
        pair.ended = true;
        for (const s of [pair.error, pair.data]) {
          if (!s.remoteDone || !s.localDone) this.write(rstStreamFrame(s.id, RstStatus.Cancel));
          this.streams.delete(s.id);
        }
      },
    };
  }

  close(): void {
    if (this.closed) return;
    this.socket.destroy();
    this.dropAll();
  }

  private write(b: Buffer): void {
    if (!this.closed) this.socket.write(b);
  }

  private sendOn(s: ClientStream, frame: Buffer): void {
    if (s.replied) this.write(frame);
    else s.queued.push(frame);
  }

  onBytes(chunk: Buffer): void {
    let frames;
    try {
      frames = this.reader.push(chunk);
    } catch {
      this.close();
      return;
    }
    for (const f of frames) {
      if (f.kind === 'data') {
        const s = this.streams.get(f.streamId);
        if (!s || s.pair.ended) continue;
        if (f.data.length) {
          if (s === s.pair.data) s.pair.h.onData(f.data);
          else s.pair.h.onError(f.data);
        }
        if (f.flags & FLAG_FIN) this.remoteDone(s);
        continue;
      }
      switch (f.type) {
        case FrameType.SynReply: {
          const s = this.streams.get(controlStreamId(f));
          if (!s || s.replied) break;
          s.replied = true;
          for (const q of s.queued.splice(0)) this.write(q);
          if (f.flags & FLAG_FIN) this.remoteDone(s);
          break;
        }
        case FrameType.RstStream: {
          const s = this.streams.get(controlStreamId(f));
          if (s) this.end(s.pair);
          break;
        }
        case FrameType.Ping:
          // Server pings have even ids; answer them.
          if ((f.payload.readUInt32BE(0) & 1) === 0) this.write(pingFrame(f.payload.readUInt32BE(0)));
          break;
        default:
          // SETTINGS, HEADERS, WINDOW_UPDATE, GOAWAY: nothing port forwarding needs.
          break;
      }
    }
  }

  private remoteDone(s: ClientStream): void {
    s.remoteDone = true;
    // Forwarding is over once the runtime finished both streams (its error text is complete by then).
    if (s.pair.error.remoteDone && s.pair.data.remoteDone) this.end(s.pair);
  }

  private end(pair: ClientPair, error?: string): void {
    if (pair.ended) return;
    pair.ended = true;
    this.streams.delete(pair.error.id);
    this.streams.delete(pair.data.id);
    if (error) pair.h.onError(Buffer.from(error));
    pair.h.onEnd();
  }

  private dropAll(): void {
    if (this.closed) return;
    this.closed = true;
    const pairs = new Set([...this.streams.values()].map((s) => s.pair));
    for (const p of pairs) this.end(p);
  }
}
