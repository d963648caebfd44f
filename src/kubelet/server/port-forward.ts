// /portForward/{namespace}/{pod}[/{uid}]?port=N[&port=M]: the kubelet's
// websocket port-forward endpoint. Per requested port the client gets a data
// channel (2i) and an error channel (2i+1), each opened with the port as two
// little-endian bytes, as in Kubernetes. Behind it, the kubelet asks the
// runtime for a streaming URL (CRI PortForward) and forwards over SPDY.
//
// With v5.channel.k8s.io the client may also send the close signal
// [255, 2i] to half-close port i (v4 has no way to say so), which reaches the
// runtime as the data stream's FIN.

import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import WebSocket from 'ws';
import { LABEL_POD_NAME, LABEL_POD_NAMESPACE, LABEL_POD_UID } from '../cri/api.js';
import { V5_PROTOCOL } from './channel-bridge.js';
import { HttpTextError } from './http-text.js';
import { openRuntimePortForward, type RuntimePortForward } from './port-forward-runtime.js';
import type { Forward } from './port-forward-types.js';
import type { StreamDeps } from './stream-handler.js';

const CLOSE_SIGNAL = 255;

export interface PortForwardRequest {
  namespace: string;
  pod: string;
  uid?: string;
  ports: number[];
}

/** Path segments after /portForward plus the query; port rules as Kubernetes' NewV4Options. */
export function parsePortForwardRequest(segments: string[], q: URLSearchParams): PortForwardRequest {
  if (segments.length !== 2 && segments.length !== 3) throw new HttpTextError(404, '404 page not found\n');
  const values = q.getAll('port');
  if (values.length === 0) throw new HttpTextError(400, 'query parameter "port" is required');
  const ports: number[] = [];
  for (const v of values) {
    if (v === '') throw new HttpTextError(400, 'query parameter "port" cannot be empty');
    for (const p of v.split(',')) {
      if (!/^\d+$/.test(p) || Number(p) > 65535) throw new HttpTextError(400, `unable to parse "${v}" as a port: strconv.ParseUint: parsing "${p}": ${/^\d+$/.test(p) ? 'value out of range' : 'invalid syntax'}`);
      if (Number(p) < 1) throw new HttpTextError(400, `port "${v}" must be > 0`);
      ports.push(Number(p));
    }
  }
  return { namespace: segments[0]!, pod: segments[1]!, uid: segments[2], ports };
}

/** The pod's ready sandbox in the runtime. */
export async function podSandboxId(d: StreamDeps, r: PortForwardRequest): Promise<string> {
  const pod = await d.getPod(r.namespace, r.pod);
  if (!pod) throw new HttpTextError(404, 'pod does not exist');
  if (r.uid && pod.metadata?.uid !== r.uid) throw new HttpTextError(404, 'pod not found');
  const sandboxes = await d.cri.listPodSandbox({
    state: { state: 'SANDBOX_READY' },
    label_selector: { [LABEL_POD_NAMESPACE]: r.namespace, [LABEL_POD_NAME]: r.pod },
  });
  const uid = pod.metadata?.uid;
  const mine = sandboxes.filter((s) => !uid || !s.labels?.[LABEL_POD_UID] || s.labels[LABEL_POD_UID] === uid);
  mine.sort((a, b) => (BigInt(b.created_at || '0') > BigInt(a.created_at || '0') ? 1 : -1));
  if (!mine[0]) throw new HttpTextError(500, `failed to find sandboxID for pod ${r.pod}`);
  return mine[0].id;
}

function portBytes(port: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeUInt16LE(port);
  return b;
}

/** Handles the upgrade request. Errors before the upgrade are thrown as HttpTextError. */
export async function servePortForward(d: StreamDeps, req: IncomingMessage, socket: Duplex, head: Buffer, r: PortForwardRequest): Promise<void> {
  const sandboxId = await podSandboxId(d, r);
  if (String(req.headers.upgrade ?? '').toLowerCase() !== 'websocket') {
    throw new HttpTextError(400, 'unable to upgrade: this kubelet serves port forwarding over websocket (v5.channel.k8s.io, v4.channel.k8s.io) only');
  }
  let runtime: RuntimePortForward;
  try {
    runtime = await openRuntimePortForward(await d.cri.portForward(sandboxId, r.ports));
  } catch (e) {
    throw new HttpTextError(500, (e as Error).message);
  }
  if (socket.destroyed) {
    runtime.close();
    return;
  }
  d.wss.handleUpgrade(req, socket, head, (ws) => bridge(ws, runtime, r.ports));
}

function bridge(ws: WebSocket, runtime: RuntimePortForward, ports: number[]): void {
  const send = (channel: number, data: Buffer) => {
    if (ws.readyState === WebSocket.OPEN) ws.send(Buffer.concat([Buffer.from([channel]), data]), { binary: true });
  };
  let open = ports.length;
  const forwards: Forward[] = ports.map((port, i) => {
    send(2 * i, portBytes(port));
    send(2 * i + 1, portBytes(port));
    return runtime.forward(port, {
      onData: (data) => send(2 * i, data),
      onError: (message) => send(2 * i + 1, message),
      onEnd: () => {
        // Like Kubernetes, the websocket closes once every port's forwarding is over.
        if (--open === 0 && ws.readyState === WebSocket.OPEN) ws.close(1000);
      },
    });
  });
  ws.on('message', (data: Buffer, isBinary) => {
    if (!isBinary || data.length === 0) return;
    const channel = data[0]!;
    if (channel === CLOSE_SIGNAL) {
      const target = data[1];
      if (ws.protocol === V5_PROTOCOL && target !== undefined && target % 2 === 0) forwards[target / 2]?.end();
      return;
    }
    if (channel % 2 === 0 && data.length > 1) forwards[channel / 2]?.write(Buffer.from(data.subarray(1)));
  });
  ws.on('close', () => runtime.close());
  ws.on('error', () => {});
}
