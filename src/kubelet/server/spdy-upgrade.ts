// The SPDY/3.1 upgrade handshake with the runtime's streaming server (used for
// exec/attach and port-forward): POST with Upgrade: SPDY/3.1 and the wanted
// X-Stream-Protocol-Version; resolves with the raw socket once the server
// switched protocols and chose that version.

import http from 'node:http';
import type { Socket } from 'node:net';

export interface SpdyUpgraded {
  socket: Socket;
  /** Bytes that arrived with the 101 response. */
  head: Buffer;
  /** Time left of the caller's timeout, for what follows the handshake. */
  remainingMs: number;
}

export function spdyUpgrade(url: string, protocol: string, timeoutMs = 30_000): Promise<SpdyUpgraded> {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const u = new URL(url);
    const req = http.request({
      host: u.hostname,
      port: u.port,
      path: u.pathname + u.search,
      method: 'POST',
      headers: { Connection: 'Upgrade', Upgrade: 'SPDY/3.1', 'X-Stream-Protocol-Version': protocol, 'Content-Length': '0' },
    });
    const timer = setTimeout(() => {
      req.destroy();
      reject(new Error(`timed out after ${timeoutMs} ms waiting for the runtime's streaming server`));
    }, timeoutMs);
    req.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        clearTimeout(timer);
        reject(new Error(`unable to upgrade connection: ${Buffer.concat(chunks).toString().trim() || res.statusMessage}`));
      });
    });
    req.on('upgrade', (res, socket: Socket, head: Buffer) => {
      clearTimeout(timer);
      const proto = res.headers['x-stream-protocol-version'];
      if (proto !== protocol) {
        socket.destroy();
        reject(new Error(`runtime streaming server chose protocol ${JSON.stringify(proto ?? '')}, want ${protocol}`));
        return;
      }
      resolve({ socket, head, remainingMs: Math.max(1, deadline - Date.now()) });
    });
    req.end();
  });
}
