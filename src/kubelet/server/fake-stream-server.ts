// Test double for containerd's streaming server (cri-notes §6): single-use
// /exec/<token> URLs served over WebSocket v4.channel.k8s.io (v5 refused, an
// empty stdout frame first, one status frame then close 1000, no stdin
// half-close) and over SPDY/3.1 with v4.channel.k8s.io (stdin FIN = EOF).

import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { randomBytes } from 'node:crypto';
import zlib from 'node:zlib';
import { WebSocketServer, WebSocket } from 'ws';
import {
  controlStreamId,
  dataFrame,
  FLAG_FIN,
  FrameType,
  goAwayFrame,
  parseHeaderBlock,
  rstStreamFrame,
  SpdyFrameReader,
  StoredZlibWriter,
  synReplyFrame,
} from './spdy-frames.js';

/** What a fake process sees and does. */
export interface FakeProcess {
  readonly transport: 'websocket' | 'spdy';
  /** Every SPDY stream type the client opened (empty for websocket). */
  readonly streamTypes: string[];
  onStdin(cb: (data: Buffer) => void): void;
  /** Stdin EOF: SPDY FIN on the stdin stream, or (websocket) the client closed the socket. */
  onStdinEnd(cb: () => void): void;
  onResize(cb: (json: Buffer) => void): void;
  stdout(data: string | Buffer): void;
  stderr(data: string | Buffer): void;
  /** Sends the v4 status and ends the session like the runtime does. */
  exit(code: number, cmd?: string[]): void;
}

export type FakeBehaviour = (p: FakeProcess) => void;

export function v4Status(code: number, cmd: string[] = []): Buffer {
  if (code === 0) return Buffer.from('{"metadata":{},"status":"Success"}');
  return Buffer.from(
    JSON.stringify({
      metadata: {},
      status: 'Failure',
      message: `command terminated with non-zero exit code: error executing command [${cmd.join(' ')}], exit code ${code}`,
      reason: 'NonZeroExitCode',
      details: { causes: [{ reason: 'ExitCode', message: String(code) }] },
    }),
  );
}

export class FakeStreamServer {
  private readonly server = http.createServer((_req, res) => {
    res.writeHead(400, { 'Content-Type': 'text/plain' });
    res.end('unable to upgrade: X-Stream-Protocol-Version is required');
  });
  private readonly wss = new WebSocketServer({ noServer: true, handleProtocols: (p) => (p.has('v4.channel.k8s.io') ? 'v4.channel.k8s.io' : false) });
  private readonly tokens = new Map<string, FakeBehaviour>();
  private readonly sockets = new Set<Socket>();
  port = 0;
  /** Transports actually used, in order (for assertions). */
  readonly used: Array<'websocket' | 'spdy'> = [];

  async start(): Promise<this> {
    this.server.on('connection', (s: Socket) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    this.server.on('upgrade', (req, socket, head) => this.onUpgrade(req, socket as Socket, head));
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', () => r()));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  /** A single-use URL running `behaviour`. */
  url(kind: 'exec' | 'attach', behaviour: FakeBehaviour): string {
    const token = randomBytes(4).toString('hex');
    this.tokens.set(token, behaviour);
    return `http://127.0.0.1:${this.port}/${kind}/${token}`;
  }

  async close(): Promise<void> {
    for (const c of this.wss.clients) c.terminate();
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((r) => this.server.close(() => r()));
  }

  private onUpgrade(req: http.IncomingMessage, socket: Socket, head: Buffer): void {
    const token = (req.url ?? '').split('/')[2] ?? '';
    const behaviour = this.tokens.get(token);
    this.tokens.delete(token); // single use, even when the request fails
    if (!behaviour) {
      socket.end('HTTP/1.1 404 Not Found\r\nContent-Type: text/plain\r\nContent-Length: 19\r\n\r\n404 page not found\n');
      return;
    }
    const upgrade = String(req.headers.upgrade ?? '').toLowerCase();
    if (upgrade === 'websocket') {
      const offered = String(req.headers['sec-websocket-protocol'] ?? '');
      if (!offered.includes('v4.channel.k8s.io')) {
        socket.end('HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n');
        return;
      }
      this.wss.handleUpgrade(req, socket, head, (ws) => this.runWebSocket(ws, behaviour));
      return;
    }
    if (upgrade === 'spdy/3.1') {
      const versions = String(req.headers['x-stream-protocol-version'] ?? '');
      if (!versions.includes('v4.channel.k8s.io')) {
        socket.end('HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n');
        return;
      }
      socket.write('HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\nX-Stream-Protocol-Version: v4.channel.k8s.io\r\n\r\n');
      this.runSpdy(socket, head, behaviour);
      return;
    }
    socket.end('HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n');
  }

  private runWebSocket(ws: WebSocket, behaviour: FakeBehaviour): void {
    this.used.push('websocket');
    const stdin: Array<(d: Buffer) => void> = [];
    const stdinEnd: Array<() => void> = [];
    const resize: Array<(d: Buffer) => void> = [];
    const send = (ch: number, d: string | Buffer) => {
      if (ws.readyState === WebSocket.OPEN) ws.send(Buffer.concat([Buffer.from([ch]), Buffer.from(d)]));
    };
    send(1, Buffer.alloc(0)); // containerd's "connected" frame
    ws.on('message', (data: Buffer) => {
      if (data[0] === 0) for (const cb of stdin) cb(data.subarray(1));
      if (data[0] === 4) for (const cb of resize) cb(data.subarray(1));
    });
    ws.on('close', () => {
      for (const cb of stdinEnd) cb();
    });
    behaviour({
      transport: 'websocket',
      streamTypes: [],
      onStdin: (cb) => stdin.push(cb),
      onStdinEnd: (cb) => stdinEnd.push(cb),
      onResize: (cb) => resize.push(cb),
      stdout: (d) => send(1, d),
      stderr: (d) => send(2, d),
      exit: (code, cmd) => {
        send(3, v4Status(code, cmd));
        if (ws.readyState === WebSocket.OPEN) ws.close(1000);
      },
    });
  }

  private runSpdy(socket: Socket, head: Buffer, behaviour: FakeBehaviour): void {
    this.used.push('spdy');
    const reader = new SpdyFrameReader();
    const z = new StoredZlibWriter();
    const streams = new Map<string, number>();
    const types = new Map<number, string>();
    const streamTypes: string[] = [];
    let compressed: Buffer = Buffer.alloc(0);
    let inflatedSoFar = 0;
    const stdin: Array<(d: Buffer) => void> = [];
    const stdinEnd: Array<() => void> = [];
    const resize: Array<(d: Buffer) => void> = [];
    let started = false;
    const pendingStart: Array<() => void> = [];
    const proc: FakeProcess = {
      transport: 'spdy',
      streamTypes,
      onStdin: (cb) => stdin.push(cb),
      onStdinEnd: (cb) => stdinEnd.push(cb),
      onResize: (cb) => resize.push(cb),
      stdout: (d) => whenStarted(() => send('stdout', Buffer.from(d))),
      stderr: (d) => whenStarted(() => send('stderr', Buffer.from(d))),
      exit: (code, cmd) =>
        whenStarted(() => {
          const errId = streams.get('error');
          if (errId !== undefined) socket.write(dataFrame(errId, v4Status(code, cmd), true));
          for (const id of streams.values()) socket.write(rstStreamFrame(id, 5));
          socket.write(goAwayFrame(0));
          socket.end();
        }),
    };
    function whenStarted(fn: () => void) {
      if (started) fn();
      else pendingStart.push(fn);
    }
    function send(type: string, d: Buffer) {
      const id = streams.get(type);
      if (id !== undefined && !socket.destroyed) socket.write(dataFrame(id, d));
    }
    const onBytes = (chunk: Buffer) => {
      for (const f of reader.push(chunk)) {
        if (f.kind === 'control' && f.type === FrameType.SynStream) {
          const id = controlStreamId(f);
          // Header blocks form one zlib stream per direction: inflate everything so far, take the new part.
          compressed = Buffer.concat([compressed, f.payload.subarray(10)]);
          const all = zlib.inflateSync(compressed, { finishFlush: zlib.constants.Z_SYNC_FLUSH });
          const headers = parseHeaderBlock(all.subarray(inflatedSoFar));
          inflatedSoFar = all.length;
          const type = headers['streamtype'] ?? '';
          streams.set(type, id);
          types.set(id, type);
          streamTypes.push(type);
          socket.write(synReplyFrame(z, id, {}));
        } else if (f.kind === 'data') {
          const type = types.get(f.streamId);
          if (type === 'stdin' && f.data.length) for (const cb of stdin) cb(f.data);
          if (type === 'resize' && f.data.length) for (const cb of resize) cb(f.data);
          if (type === 'stdin' && f.flags & FLAG_FIN) for (const cb of stdinEnd) cb();
        }
      }
      // Behaviour starts once the error stream exists (the client opens it first).
      if (!started && streams.has('error')) {
        started = true;
        setTimeout(() => {
          for (const fn of pendingStart.splice(0)) fn();
        }, 20);
      }
    };
    socket.on('data', onBytes);
    socket.on('error', () => {});
    behaviour(proc);
    if (head.length) onBytes(head);
  }
}
