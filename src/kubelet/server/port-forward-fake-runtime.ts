// Test helper: a stand-in for the runtime's port-forward streaming server.
// It accepts the SPDY upgrade on /portforward/<token>, runs the SPDY
// port-forward server, and forwards each pair to 127.0.0.1:<port> on this
// host (as containerd dials localhost inside the pod's network namespace),
// with a real half-close. Refused ports are reported in containerd's words.

import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { SpdyPortForwardServer } from './port-forward-spdy-server.js';
import { PORT_FORWARD_PROTOCOL, type Forward, type ForwardHandlers } from './port-forward-types.js';

export class FakePortForwardRuntime {
  private server?: http.Server;
  private readonly sockets = new Set<net.Socket>();
  private readonly tokens = new Map<string, { sandboxId: string; ports: number[] }>();
  private seq = 0;
  /** Every pair forwarded so far. */
  readonly dials: Array<{ sandboxId: string; port: number; requestId: string }> = [];
  /** Ports → the target port on 127.0.0.1 (default: the same number). */
  readonly portMap = new Map<number, number>();

  async start(): Promise<this> {
    this.server = http.createServer((_req, res) => {
      res.writeHead(400);
      res.end('upgrade required');
    });
    this.server.on('upgrade', (req, socket: net.Socket, head) => this.upgrade(req, socket, head));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return this;
  }

  /** What CRI PortForward would return for this sandbox. */
  url(sandboxId: string, ports: number[]): string {
    const token = `tok${++this.seq}`;
    this.tokens.set(token, { sandboxId, ports });
    return `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}/portforward/${token}`;
  }

  private upgrade(req: http.IncomingMessage, socket: net.Socket, head: Buffer): void {
    const token = (req.url ?? '').split('/').pop() ?? '';
    const entry = this.tokens.get(token);
    this.tokens.delete(token); // single use, like containerd's
    if (!entry || req.headers['x-stream-protocol-version'] !== PORT_FORWARD_PROTOCOL) {
      socket.end('HTTP/1.1 404 Not Found\r\nContent-Length: 9\r\nConnection: close\r\n\r\nnot found');
      return;
    }
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    socket.on('error', () => {});
    socket.write(`HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\nX-Stream-Protocol-Version: ${PORT_FORWARD_PROTOCOL}\r\n\r\n`);
    const session = new SpdyPortForwardServer(
      { write: (b) => !socket.destroyed && socket.write(b), close: () => socket.destroy() },
      (port, requestId, h) => {
        this.dials.push({ sandboxId: entry.sandboxId, port, requestId });
        return this.dialLocal(entry.sandboxId, port, h);
      },
    );
    socket.on('data', (c: Buffer) => session.receive(c));
    socket.on('close', () => session.transportClosed());
    if (head.length) session.receive(head);
  }

  private dialLocal(sandboxId: string, port: number, h: ForwardHandlers): Forward {
    const target = this.portMap.get(port) ?? port;
    const sock = net.connect({ host: '127.0.0.1', port: target, allowHalfOpen: true });
    this.sockets.add(sock);
    let ended = false;
    const finish = () => {
      if (ended) return;
      ended = true;
      h.onEnd();
    };
    sock.on('data', (d: Buffer) => !ended && h.onData(d));
    sock.on('end', () => {
      sock.destroy();
      finish();
    });
    sock.on('close', () => {
      this.sockets.delete(sock);
      finish();
    });
    sock.on('error', (e: NodeJS.ErrnoException) => {
      if (ended) return;
      const why = `dial tcp4 127.0.0.1:${port}: connect: ${e.code === 'ECONNREFUSED' ? 'connection refused' : e.message}`;
      h.onError(
        Buffer.from(
          `error forwarding port ${port} to pod ${sandboxId}, uid : failed to execute portforward in network namespace "/var/run/netns/fake": ` +
            `failed to connect to localhost:${port} inside namespace "${sandboxId}", IPv4: ${why} IPv6 dial tcp6 [::1]:${port}: connect: connection refused `,
        ),
      );
      finish();
    });
    return {
      write: (d) => sock.write(d),
      end: () => sock.end(),
      close: () => {
        ended = true;
        sock.destroy();
      },
    };
  }

  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
