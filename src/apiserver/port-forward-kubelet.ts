// One forwarded connection from the API server to a pod's port, through the
// pod's kubelet: a websocket to /portForward/{ns}/{pod}?port=N (the kubelet's
// own port-forward API, channels 0 = data and 1 = error, each starting with
// the port as two little-endian bytes). v5.channel.k8s.io is offered first so
// a half-close can be passed on as the close signal [255, 0].

import WebSocket from 'ws';
import type { Forward, ForwardDialer } from '../kubelet/server/port-forward-types.js';

const V5 = 'v5.channel.k8s.io';
const V4 = 'v4.channel.k8s.io';
const DATA = 0;
const ERROR = 1;
const CLOSE_SIGNAL = 255;

export interface KubeletTarget {
  host: string;
  port: number;
  namespace: string;
  pod: string;
  /** The API server's kubelet client certificate. */
  certPem: string;
  keyPem: string;
}

function dialFailure(e: NodeJS.ErrnoException, host: string, port: number): string {
  const target = host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
  if (e.code === 'ECONNREFUSED') return `error dialing backend: dial tcp ${target}: connect: connection refused`;
  if (e.code === 'EHOSTUNREACH') return `error dialing backend: dial tcp ${target}: connect: no route to host`;
  return `error dialing backend: ${e.message}`;
}

export function kubeletPortDialer(t: KubeletTarget): ForwardDialer {
  const host = t.host.includes(':') ? `[${t.host}]` : t.host;
  const base = `wss://${host}:${t.port}/portForward/${encodeURIComponent(t.namespace)}/${encodeURIComponent(t.pod)}`;
  return (port, _requestId, h): Forward => {
    const ws = new WebSocket(`${base}?port=${port}`, [V5, V4], {
      cert: t.certPem,
      key: t.keyPem,
      rejectUnauthorized: false,
      perMessageDeflate: false,
      handshakeTimeout: 30_000,
    });
    let ended = false;
    let pending: Buffer[] | undefined = [];
    // The kubelet opens each channel with the port number; that is not pod data.
    const prefix = [2, 2];
    const finish = () => {
      if (ended) return;
      ended = true;
      h.onEnd();
    };
    const send = (frame: Buffer) => {
      if (pending) pending.push(frame);
      else if (ws.readyState === WebSocket.OPEN) ws.send(frame, { binary: true });
    };
    ws.on('open', () => {
      const queued = pending ?? [];
      pending = undefined;
      for (const f of queued) {
        if (f[0] === CLOSE_SIGNAL && ws.protocol !== V5) continue;
        ws.send(f, { binary: true });
      }
    });
    ws.on('unexpected-response', (req, res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        req.destroy();
        if (ended) return;
        const body = Buffer.concat(chunks).toString('utf8').trim() || res.statusMessage || `status ${res.statusCode}`;
        h.onError(Buffer.from(`error upgrading connection: ${body}`));
        finish();
      });
    });
    ws.on('error', (e: NodeJS.ErrnoException) => {
      if (ended) return;
      if (ws.readyState !== WebSocket.OPEN) h.onError(Buffer.from(dialFailure(e, t.host, t.port)));
      finish();
    });
    ws.on('message', (data: Buffer, isBinary) => {
      if (!isBinary || data.length === 0 || ended) return;
      const channel = data[0]!;
      if (channel !== DATA && channel !== ERROR) return;
      let payload = data.subarray(1);
      const skip = Math.min(prefix[channel]!, payload.length);
      prefix[channel]! -= skip;
      payload = payload.subarray(skip);
      if (!payload.length) return;
      if (channel === DATA) h.onData(Buffer.from(payload));
      else h.onError(Buffer.from(payload));
    });
    ws.on('close', finish);
    return {
      write(data) {
        if (!ended && data.length) send(Buffer.concat([Buffer.from([DATA]), data]));
      },
      end() {
        if (ended) return;
        if (pending) pending.push(Buffer.from([CLOSE_SIGNAL, DATA]));
        else if (ws.protocol === V5) send(Buffer.from([CLOSE_SIGNAL, DATA]));
      },
      close() {
        ended = true;
        ws.terminate();
      },
    };
  };
}
