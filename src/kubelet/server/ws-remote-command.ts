// Remote command over WebSocket with v4.channel.k8s.io, as a client of the
// runtime's streaming server (containerd refuses v5). v4 has no stdin
// half-close: closing stdin is only possible by closing the whole socket.

import WebSocket from 'ws';
import { REMOTE_COMMAND_V4 } from './spdy-remote-command.js';
import type { UpstreamHandlers, UpstreamSession } from './upstream-session.js';

export function openWsRemoteCommand(url: string, h: UpstreamHandlers, timeoutMs = 30_000): Promise<UpstreamSession> {
  return new Promise((resolve, reject) => {
    // Always offer a subprotocol: containerd answers an empty one otherwise (cri-notes P18).
    const ws = new WebSocket(url, [REMOTE_COMMAND_V4], { handshakeTimeout: timeoutMs, perMessageDeflate: false });
    let status: Buffer | undefined;
    let opened = false;
    let ended = false;
    const end = (err?: Error) => {
      if (ended) return;
      ended = true;
      h.onEnd(status, status ? undefined : err);
    };
    ws.on('open', () => {
      opened = true;
      resolve(session);
    });
    ws.on('unexpected-response', (_req, res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => reject(new Error(`unable to upgrade connection: ${Buffer.concat(chunks).toString().trim() || res.statusMessage}`)));
    });
    ws.on('error', (e) => {
      if (!opened) reject(e);
      else end(e);
    });
    ws.on('message', (data: Buffer, isBinary) => {
      if (!isBinary || data.length === 0) return;
      const payload = data.subarray(1);
      switch (data[0]) {
        case 1:
          if (payload.length) h.onStdout(payload);
          break;
        case 2:
          if (payload.length) h.onStderr(payload);
          break;
        case 3:
          status = status ? Buffer.concat([status, payload]) : Buffer.from(payload);
          break;
      }
    });
    ws.on('close', () => end());
    const send = (channel: number, data: Buffer) => {
      if (ws.readyState === WebSocket.OPEN) ws.send(Buffer.concat([Buffer.from([channel]), data]), { binary: true });
    };
    const session: UpstreamSession = {
      supportsStdinClose: false,
      writeStdin: (d) => send(0, d),
      closeStdin: () => ws.close(1000),
      resize: (json) => send(4, json),
      close: () => ws.terminate(),
    };
  });
}
