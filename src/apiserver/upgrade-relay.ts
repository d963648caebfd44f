// Relays an HTTP upgrade (websocket) from a client socket to a kubelet: the
// kubelet's 101 and headers go back verbatim, then bytes flow both ways until
// either side closes. A refusal or a dial error is handed to the caller.

import https from 'node:https';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';

/** Headers of the client's upgrade request that the kubelet needs to answer it. */
export const UPGRADE_HEADERS = ['connection', 'upgrade', 'sec-websocket-key', 'sec-websocket-version', 'sec-websocket-protocol'] as const;

export function upgradeHeaders(req: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const h of UPGRADE_HEADERS) {
    const v = req.headers[h];
    if (v !== undefined) headers[h] = Array.isArray(v) ? v.join(', ') : v;
  }
  return headers;
}

/** Go's text for a failed dial, as Kubernetes' "error dialing backend: …" carries it. */
export function dialErrorText(host: string, port: number, e: NodeJS.ErrnoException): string {
  const target = host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
  return e.code === 'ECONNREFUSED' ? `dial tcp ${target}: connect: connection refused` : e.message;
}

export interface RelayTarget {
  options: https.RequestOptions;
  /** The kubelet answered without upgrading: relay its answer. */
  onRefused(res: IncomingMessage, body: Buffer): void;
  /** The kubelet could not be reached. */
  onDialError(e: NodeJS.ErrnoException): void;
}

/** Resolves when the relayed session (or the refusal/error) is over. */
export function relayUpgrade(socket: Duplex, head: Buffer, target: RelayTarget): Promise<void> {
  return new Promise<void>((resolve) => {
    const up = https.request(target.options);
    up.on('upgrade', (kres, ksock, khead) => {
      const lines = [`HTTP/1.1 101 ${kres.statusMessage || 'Switching Protocols'}`];
      for (let i = 0; i < kres.rawHeaders.length; i += 2) lines.push(`${kres.rawHeaders[i]}: ${kres.rawHeaders[i + 1]}`);
      socket.write(lines.join('\r\n') + '\r\n\r\n');
      if (khead.length) socket.write(khead);
      if (head.length) ksock.write(head);
      ksock.pipe(socket);
      socket.pipe(ksock);
      const end = () => {
        ksock.destroy();
        socket.destroy();
        resolve();
      };
      ksock.on('close', end);
      ksock.on('error', end);
      socket.on('close', end);
    });
    up.on('response', (kres) => {
      const chunks: Buffer[] = [];
      kres.on('data', (c: Buffer) => chunks.push(c));
      kres.on('end', () => {
        target.onRefused(kres, Buffer.concat(chunks));
        resolve();
      });
    });
    up.on('error', (e: NodeJS.ErrnoException) => {
      target.onDialError(e);
      resolve();
    });
    up.end();
  });
}
