// Joins a client's channel websocket (v5.channel.k8s.io or v4.channel.k8s.io,
// binary frames: first byte = channel) to an upstream runtime session.

import WebSocket from 'ws';
import { SUCCESS_STATUS, type UpstreamHandlers, type UpstreamSession } from './upstream-session.js';

export const V5_PROTOCOL = 'v5.channel.k8s.io';
export const V4_PROTOCOL = 'v4.channel.k8s.io';
export const CLIENT_PROTOCOLS = [V5_PROTOCOL, V4_PROTOCOL];

const STDIN = 0;
const STDOUT = 1;
const STDERR = 2;
const ERROR = 3;
const RESIZE = 4;
const CLOSE = 255;

/** How long output must stay quiet before a v4 runtime socket is closed to signal stdin EOF. */
const QUIET_MS = 300;

export function failureStatus(message: string): Buffer {
  return Buffer.from(JSON.stringify({ metadata: {}, status: 'Failure', message, reason: 'InternalError', code: 500 }));
}

/**
 * Output handlers that queue frames until the client socket is attached, so a
 * runtime session can be opened (and fail with an HTTP error) before the
 * client's upgrade is accepted.
 */
export class ChannelBridge implements UpstreamHandlers {
  private client?: WebSocket;
  private queued: Buffer[] = [];
  private upstream?: UpstreamSession;
  private ended = false;
  private lastOutput = 0;
  private eofTimer?: NodeJS.Timeout;

  onStdout(data: Buffer): void {
    this.lastOutput = Date.now();
    this.send(Buffer.concat([Buffer.from([STDOUT]), data]));
  }

  onStderr(data: Buffer): void {
    this.lastOutput = Date.now();
    this.send(Buffer.concat([Buffer.from([STDERR]), data]));
  }

  onEnd(status: Buffer | undefined, error?: Error): void {
    if (this.ended) return;
    this.ended = true;
    clearTimeout(this.eofTimer);
    // No status without an error: the runtime closed normally (v4 after stdin EOF), which v4 clients read as success.
    const payload = status ?? (error ? failureStatus(error.message) : SUCCESS_STATUS);
    this.send(Buffer.concat([Buffer.from([ERROR]), payload]));
    this.closeClient();
  }

  private send(frame: Buffer): void {
    if (!this.client) {
      this.queued.push(frame);
      return;
    }
    if (this.client.readyState === WebSocket.OPEN) this.client.send(frame, { binary: true });
  }

  private closeClient(): void {
    if (!this.client) return;
    if (this.client.readyState === WebSocket.OPEN) this.client.close(1000);
  }

  /** Attaches the accepted client socket to an opened upstream session. */
  attach(client: WebSocket, upstream: UpstreamSession): void {
    this.client = client;
    this.upstream = upstream;
    for (const f of this.queued.splice(0)) client.send(f, { binary: true });
    if (this.ended) {
      this.closeClient();
      return;
    }
    client.on('message', (data: Buffer, isBinary) => {
      if (!isBinary || data.length === 0) return;
      const payload = data.subarray(1);
      switch (data[0]) {
        case STDIN:
          upstream.writeStdin(Buffer.from(payload));
          break;
        case RESIZE:
          upstream.resize(Buffer.from(payload));
          break;
        case CLOSE:
          if (client.protocol === V5_PROTOCOL && payload[0] === STDIN) this.stdinEof();
          break;
      }
    });
    client.on('close', () => {
      clearTimeout(this.eofTimer);
      if (!this.ended) {
        this.ended = true;
        upstream.close();
      }
    });
    client.on('error', () => {});
  }

  private stdinEof(): void {
    const up = this.upstream!;
    if (up.supportsStdinClose) {
      up.closeStdin();
      return;
    }
    // v4 runtime sockets cannot half-close: wait until the output the process
    // produced from its stdin has arrived, then close; the exit code is lost.
    const check = () => {
      const idle = Date.now() - this.lastOutput;
      if (idle >= QUIET_MS) up.closeStdin();
      else this.eofTimer = setTimeout(check, QUIET_MS - idle);
    };
    this.eofTimer = setTimeout(check, QUIET_MS);
  }
}
