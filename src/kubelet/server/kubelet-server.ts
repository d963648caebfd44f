// The kubelet's HTTPS API (port 10250): container logs, exec, attach and port forwarding, for
// clients holding a cluster-CA-signed certificate (the API server).

import https from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import { isNotFound } from '../../client/index.js';
import { findResource } from '../../api/resources.js';
import type { KubeletContext } from '../contracts.js';
import { CLIENT_PROTOCOLS } from './channel-bridge.js';
import { authorizeClient, DEFAULT_ALLOWED_CNS } from './client-auth.js';
import { serveContainerLogs } from './container-logs.js';
import { HttpTextError, sendRawResponse, sendText } from './http-text.js';
import { parseStreamRequest, runningContainerId, serveStream, type RuntimeStreaming, type StreamDeps } from './stream-handler.js';
import { parsePortForwardRequest, podSandboxId, servePortForward } from './port-forward.js';

export interface KubeletServerOptions {
  ctx: KubeletContext;
  /** Default 0.0.0.0. */
  host?: string;
  /** Default 10250; 0 = any free port. */
  port?: number;
  cert: string;
  key: string;
  /** The cluster CA that signs client certificates. */
  clientCaPem: string;
  /** Client certificate CNs allowed in (O=system:masters always is). */
  allowedClientCNs?: string[];
  /** Transport to the runtime's streaming server (default auto). */
  runtimeStreaming?: RuntimeStreaming;
  /** Pod lookup (default: GET from the API server through ctx.client). */
  getPod?(namespace: string, name: string): Promise<any | undefined>;
  /** Follow-mode recheck interval (default 1000 ms, like the kubelet). */
  logPollMs?: number;
}

export interface KubeletServer {
  port: number;
  close(): Promise<void>;
}

function apiGetPod(ctx: KubeletContext): (ns: string, name: string) => Promise<any | undefined> {
  const def = findResource('', 'v1', 'pods')!;
  return async (ns, name) => {
    try {
      return await ctx.client.get(def, ns, name);
    } catch (e) {
      if (isNotFound(e)) return undefined;
      throw e;
    }
  };
}

function segmentsOf(pathname: string): string[] {
  return pathname.split('/').filter(Boolean).map((s) => decodeURIComponent(s));
}

export async function startKubeletServer(o: KubeletServerOptions): Promise<KubeletServer> {
  const allowed = o.allowedClientCNs ?? DEFAULT_ALLOWED_CNS;
  const getPod = o.getPod ?? apiGetPod(o.ctx);
  const wss = new WebSocketServer({
    noServer: true,
    perMessageDeflate: false,
    handleProtocols: (offered) => CLIENT_PROTOCOLS.find((p) => offered.has(p)) ?? false,
  });
  const streamDeps: StreamDeps = { cri: o.ctx.cri, getPod, runtimeStreaming: o.runtimeStreaming ?? 'auto', wss };
  const logDeps = { cri: o.ctx.cri, getPod, now: () => o.ctx.now(), pollMs: o.logPollMs };

  const onRequest = async (req: IncomingMessage, res: ServerResponse) => {
    try {
      authorizeClient(req, allowed);
      const url = new URL(req.url ?? '/', 'https://kubelet');
      const seg = segmentsOf(url.pathname);
      if (url.pathname === '/healthz') return sendText(res, 200, 'ok');
      if (seg[0] === 'containerLogs' && seg.length === 4) {
        if (req.method !== 'GET') throw new HttpTextError(405, '405: Method Not Allowed');
        return await serveContainerLogs(logDeps, req, res, seg[1]!, seg[2]!, seg[3]!, url.searchParams);
      }
      if (seg[0] === 'exec' || seg[0] === 'attach') {
        // Same checks as an upgrade, then the upgrade is what's missing.
        const r = parseStreamRequest(seg[0], seg.slice(1), url.searchParams);
        await runningContainerId(streamDeps, r);
        throw new HttpTextError(400, 'Upgrade request required');
      }
      if (seg[0] === 'portForward') {
        await podSandboxId(streamDeps, parsePortForwardRequest(seg.slice(1), url.searchParams));
        throw new HttpTextError(400, 'Upgrade request required');
      }
      throw new HttpTextError(404, '404 page not found\n');
    } catch (e) {
      if (e instanceof HttpTextError) return sendText(res, e.code, e.message);
      sendText(res, 500, (e as Error).message);
    }
  };

  const onUpgrade = async (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => {});
    try {
      authorizeClient(req, allowed);
      const url = new URL(req.url ?? '/', 'https://kubelet');
      const seg = segmentsOf(url.pathname);
      if (seg[0] === 'portForward') return await servePortForward(streamDeps, req, socket, head, parsePortForwardRequest(seg.slice(1), url.searchParams));
      if (seg[0] !== 'exec' && seg[0] !== 'attach') throw new HttpTextError(404, '404 page not found\n');
      const r = parseStreamRequest(seg[0], seg.slice(1), url.searchParams);
      await serveStream(streamDeps, req, socket, head, r);
    } catch (e) {
      if (e instanceof HttpTextError) sendRawResponse(socket, e.code, e.message);
      else sendRawResponse(socket, 500, (e as Error).message);
    }
  };

  const server = https.createServer({
    cert: o.cert,
    key: o.key,
    ca: o.clientCaPem,
    requestCert: true,
    // Checked per request so an unauthenticated client gets a 401 instead of a TLS alert.
    rejectUnauthorized: false,
  });
  server.on('request', (req, res) => void onRequest(req, res));
  server.on('upgrade', (req, socket, head) => void onUpgrade(req, socket, head));
  server.requestTimeout = 0;
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port ?? 10250, o.host ?? '0.0.0.0', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    async close() {
      for (const c of wss.clients) c.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
