// Plain-text error answers, as the kubelet writes them (go-restful WriteError),
// either on a normal response or on a raw socket during an upgrade.

import http from 'node:http';
import type { Duplex } from 'node:stream';

export class HttpTextError extends Error {
  constructor(readonly code: number, message: string) {
    super(message);
  }
}

export function sendText(res: http.ServerResponse, code: number, text: string): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.writeHead(code, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

/** Answers an upgrade request that will not be upgraded, then closes the socket. */
export function sendRawResponse(socket: Duplex, code: number, body: string, contentType = 'text/plain; charset=utf-8'): void {
  if (socket.destroyed) return;
  const reason = http.STATUS_CODES[code] ?? 'Unknown';
  socket.end(
    `HTTP/1.1 ${code} ${reason}\r\nContent-Type: ${contentType}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}
