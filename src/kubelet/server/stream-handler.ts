// /exec/{namespace}/{pod}[/{uid}]/{container} and /attach/...: resolves the
// running container, asks the runtime for a streaming URL, opens the runtime
// session, and then upgrades the client to a channel websocket bridged to it.

import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { WebSocketServer } from 'ws';
import type { CriRuntime } from '../cri/api.js';
import { ChannelBridge, CLIENT_PROTOCOLS } from './channel-bridge.js';
import { containerInstances } from './container-lookup.js';
import { HttpTextError } from './http-text.js';
import { openSpdyRemoteCommand } from './spdy-remote-command.js';
import type { StreamOptions, UpstreamSession } from './upstream-session.js';
import { openWsRemoteCommand } from './ws-remote-command.js';

export type RuntimeStreaming = 'auto' | 'spdy' | 'websocket';

export interface StreamDeps {
  cri: CriRuntime;
  getPod(namespace: string, name: string): Promise<any | undefined>;
  /** auto: SPDY (with stdin half-close) when stdin is requested, WebSocket v4 otherwise. */
  runtimeStreaming: RuntimeStreaming;
  wss: WebSocketServer;
}

export interface StreamRequest {
  kind: 'exec' | 'attach';
  namespace: string;
  pod: string;
  uid?: string;
  container: string;
  command: string[];
  opts: StreamOptions;
}

function flag(q: URLSearchParams, ...names: string[]): boolean {
  return names.some((n) => {
    const v = q.get(n);
    return v === '1' || v === 'true';
  });
}

/** Parses path segments after /exec or /attach plus the query (kubelet names input/output/error, API names accepted too). */
export function parseStreamRequest(kind: 'exec' | 'attach', segments: string[], q: URLSearchParams): StreamRequest {
  if (segments.length !== 3 && segments.length !== 4) throw new HttpTextError(404, '404 page not found\n');
  const [namespace, pod] = segments as [string, string];
  const uid = segments.length === 4 ? segments[2] : undefined;
  const container = segments[segments.length - 1]!;
  const tty = flag(q, 'tty');
  const opts: StreamOptions = {
    stdin: flag(q, 'input', 'stdin'),
    stdout: flag(q, 'output', 'stdout'),
    // A terminal merges stderr into stdout.
    stderr: !tty && flag(q, 'error', 'stderr'),
    tty,
  };
  if (!opts.stdin && !opts.stdout && !opts.stderr) throw new HttpTextError(400, 'you must specify at least 1 of stdin, stdout, stderr');
  return { kind, namespace, pod, uid, container, command: q.getAll('command'), opts };
}

/** The runtime ID of the running container the session targets. */
export async function runningContainerId(d: StreamDeps, r: StreamRequest): Promise<string> {
  const pod = await d.getPod(r.namespace, r.pod);
  if (!pod || (r.uid && pod.metadata?.uid !== r.uid)) throw new HttpTextError(404, 'pod does not exist');
  const [running] = await containerInstances(d.cri, r.namespace, r.pod, r.container, true);
  if (!running) throw new HttpTextError(500, `container not found (${JSON.stringify(r.container)})`);
  return running.id;
}

function pickProtocol(req: IncomingMessage): string | undefined {
  const offered = String(req.headers['sec-websocket-protocol'] ?? '')
    .split(',')
    .map((s) => s.trim());
  return CLIENT_PROTOCOLS.find((p) => offered.includes(p));
}

/** Handles the upgrade request. Errors before the upgrade are thrown as HttpTextError. */
export async function serveStream(d: StreamDeps, req: IncomingMessage, socket: Duplex, head: Buffer, r: StreamRequest): Promise<void> {
  const id = await runningContainerId(d, r);
  if (String(req.headers.upgrade ?? '').toLowerCase() !== 'websocket') {
    throw new HttpTextError(400, 'unable to upgrade: this kubelet serves exec and attach over websocket (v5.channel.k8s.io, v4.channel.k8s.io) only');
  }
  if (!pickProtocol(req)) throw new HttpTextError(400, `unable to upgrade: none of the offered subprotocols is supported (want one of ${CLIENT_PROTOCOLS.join(', ')})`);
  if (r.kind === 'exec' && r.command.length === 0) throw new HttpTextError(400, 'you must specify at least one command for the container');

  let url: string;
  try {
    url =
      r.kind === 'exec'
        ? await d.cri.exec({ container_id: id, cmd: r.command, ...r.opts })
        : await d.cri.attach({ container_id: id, ...r.opts });
  } catch (e) {
    throw new HttpTextError(500, (e as Error).message);
  }

  const bridge = new ChannelBridge();
  const useSpdy = d.runtimeStreaming === 'spdy' || (d.runtimeStreaming === 'auto' && r.opts.stdin);
  let upstream: UpstreamSession;
  try {
    upstream = useSpdy ? await openSpdyRemoteCommand(url, r.opts, bridge) : await openWsRemoteCommand(url, bridge);
  } catch (e) {
    throw new HttpTextError(500, (e as Error).message);
  }
  if (socket.destroyed) {
    upstream.close();
    return;
  }
  d.wss.handleUpgrade(req, socket, head, (client) => bridge.attach(client, upstream));
}
