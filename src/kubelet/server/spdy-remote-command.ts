// Remote command (exec/attach) over SPDY/3.1 with protocol v4.channel.k8s.io,
// as a client of the runtime's streaming server: one SPDY stream per channel
// (error, stdin, stdout, stderr, resize), each tagged with a streamType header.

import { spdyUpgrade } from './spdy-upgrade.js';
import type { Socket } from 'node:net';
import {
  controlStreamId,
  dataFrame,
  FLAG_FIN,
  FrameType,
  pingFrame,
  SpdyFrameReader,
  StoredZlibWriter,
  synStreamFrame,
} from './spdy-frames.js';
import type { StreamOptions, UpstreamHandlers, UpstreamSession } from './upstream-session.js';

export const REMOTE_COMMAND_V4 = 'v4.channel.k8s.io';

type Channel = 'error' | 'stdin' | 'stdout' | 'stderr' | 'resize';

/** Opens the session; resolves once every stream was acknowledged by the server. */
export async function openSpdyRemoteCommand(url: string, opts: StreamOptions, h: UpstreamHandlers, timeoutMs = 30_000): Promise<UpstreamSession> {
  const { socket, head, remainingMs } = await spdyUpgrade(url, REMOTE_COMMAND_V4, timeoutMs);
  const session = new SpdySession(socket, opts, h);
  if (head.length) session.onBytes(head);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`timed out after ${timeoutMs} ms waiting for the runtime's streaming server`));
    }, remainingMs);
  });
  try {
    await Promise.race([session.ready, timeout]);
    return session;
  } finally {
    clearTimeout(timer);
  }
}

class SpdySession implements UpstreamSession {
  readonly supportsStdinClose = true;
  readonly ready: Promise<void>;
  private readonly reader = new SpdyFrameReader();
  private readonly zlib = new StoredZlibWriter();
  private readonly ids = new Map<Channel, number>();
  private readonly channels = new Map<number, Channel>();
  private readonly unreplied = new Set<number>();
  private readonly errorData: Buffer[] = [];
  private ended = false;
  private settle!: { resolve: () => void; reject: (e: Error) => void };

  constructor(private readonly socket: Socket, opts: StreamOptions, private readonly h: UpstreamHandlers) {
    this.ready = new Promise((resolve, reject) => (this.settle = { resolve, reject }));
    socket.setNoDelay(true);
    socket.on('data', (c: Buffer) => this.onBytes(c));
    socket.on('close', () => this.finish());
    socket.on('error', (e) => this.finish(e));
    // Same order as client-go: error first, then the requested channels.
    const wanted: Channel[] = ['error'];
    if (opts.stdin) wanted.push('stdin');
    if (opts.stdout) wanted.push('stdout');
    if (opts.stderr && !opts.tty) wanted.push('stderr');
    if (opts.tty) wanted.push('resize');
    let id = 1;
    for (const ch of wanted) {
      this.ids.set(ch, id);
      this.channels.set(id, ch);
      this.unreplied.add(id);
      socket.write(synStreamFrame(this.zlib, id, { streamtype: ch }));
      id += 2;
    }
  }

  onBytes(chunk: Buffer): void {
    for (const f of this.reader.push(chunk)) {
      if (f.kind === 'data') {
        const ch = this.channels.get(f.streamId);
        if (f.data.length) {
          if (ch === 'stdout') this.h.onStdout(f.data);
          else if (ch === 'stderr') this.h.onStderr(f.data);
          else if (ch === 'error') this.errorData.push(f.data);
        }
        continue;
      }
      switch (f.type) {
        case FrameType.SynReply: {
          this.unreplied.delete(controlStreamId(f));
          if (this.unreplied.size === 0) this.settle.resolve();
          if (f.flags & FLAG_FIN) this.remoteFinished(controlStreamId(f));
          break;
        }
        case FrameType.Ping:
          // Server pings have even ids; answer them with the same id.
          if ((f.payload.readUInt32BE(0) & 1) === 0) this.socket.write(pingFrame(f.payload.readUInt32BE(0)));
          break;
        case FrameType.RstStream:
          this.remoteFinished(controlStreamId(f));
          break;
        case FrameType.GoAway:
          // The server is done; it closes the TCP connection once its streams are torn down.
          break;
        default:
          // SETTINGS, HEADERS, WINDOW_UPDATE: nothing remote-command needs.
          break;
      }
    }
  }

  private remoteFinished(id: number): void {
    if (this.channels.get(id) === 'error') {
      // The status is complete; output frames sent before it are already here. The
      // server normally closes the connection right away; don't wait on it forever.
      setTimeout(() => this.finish(), 1000).unref();
    }
  }

  private finish(err?: Error): void {
    if (this.ended) return;
    this.ended = true;
    if (this.unreplied.size) this.settle.reject(err ?? new Error('runtime closed the stream before accepting it'));
    const status = this.errorData.length ? Buffer.concat(this.errorData) : undefined;
    this.socket.destroy();
    this.h.onEnd(status, status ? undefined : err);
  }

  private send(ch: Channel, data: Buffer, fin = false): void {
    const id = this.ids.get(ch);
    if (id === undefined || this.ended) return;
    this.socket.write(dataFrame(id, data, fin));
  }

  writeStdin(data: Buffer): void {
    if (data.length) this.send('stdin', data);
  }

  closeStdin(): void {
    this.send('stdin', Buffer.alloc(0), true);
  }

  resize(json: Buffer): void {
    this.send('resize', json);
  }

  close(): void {
    if (this.ended) return;
    this.ended = true;
    this.socket.destroy();
  }
}
