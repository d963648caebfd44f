// pods/portforward on the API server. kubectl (1.30+) opens a websocket with
// the subprotocol SPDY/3.1+portforward.k8s.io and runs SPDY inside it; older
// clients (and kubectl's fallback) upgrade the HTTP connection to SPDY/3.1
// directly. Either way the API server is the SPDY port-forward server here:
// each error+data stream pair becomes one websocket to the pod's kubelet
// (/portForward/{ns}/{pod}?port=N), whose errors go back on the error stream.
// A plain websocket client (v4.channel.k8s.io, ?ports=) is passed through to
// the kubelet unchanged, with the ports renamed to the kubelet's `port`.

import { dialErrorText, relayUpgrade, upgradeHeaders } from './upgrade-relay.js';
import http from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import type { ApiServer } from './server.js';
import type { RequestUser } from './rest.js';
import { ApiError, errors } from './status.js';
import { toApiError } from './http-util.js';
import { kubeletEndpoint } from './node-proxy.js';
import { kubeletPortDialer } from './port-forward-kubelet.js';
import { SpdyPortForwardServer } from '../kubelet/server/port-forward-spdy-server.js';
import { PORT_FORWARD_PROTOCOL, SPDY_TUNNEL_PROTOCOL } from '../kubelet/server/port-forward-types.js';

export interface PortForwardProxyOptions {
  api: ApiServer;
  kubeletClientCert: { certPem: string; keyPem: string };
  authorize?(user: RequestUser, attrs: { verb: string; namespace: string; name: string; subresource: string }): string | undefined;
}

interface Located {
  host: string;
  port: number;
}

function offeredProtocols(req: IncomingMessage): string[] {
  return String(req.headers['sec-websocket-protocol'] ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

function statusResponse(socket: Duplex, err: ApiError): void {
  if (socket.destroyed) return;
  const body = JSON.stringify(err.toStatus());
  socket.end(
    `HTTP/1.1 ${err.code} ${http.STATUS_CODES[err.code] ?? 'Error'}\r\nContent-Type: application/json\r\nCache-Control: no-cache, private\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

function textResponse(socket: Duplex, code: number, text: string): void {
  if (socket.destroyed) return;
  socket.end(
    `HTTP/1.1 ${code} ${http.STATUS_CODES[code] ?? 'Error'}\r\nContent-Type: text/plain; charset=utf-8\r\n` +
      `Content-Length: ${Buffer.byteLength(text)}\r\nConnection: close\r\n\r\n${text}`,
  );
}

export class PortForwardProxy {
  private readonly wss = new WebSocketServer({
    noServer: true,
    perMessageDeflate: false,
    handleProtocols: (offered) => (offered.has(SPDY_TUNNEL_PROTOCOL) ? SPDY_TUNNEL_PROTOCOL : false),
  });

  constructor(private readonly o: PortForwardProxyOptions) {}

  private check(user: RequestUser, method: string, namespace: string, name: string): void {
    const verb = method === 'POST' ? 'create' : 'get';
    const why = this.o.authorize?.(user, { verb, namespace, name, subresource: 'portforward' });
    if (why) throw errors.forbidden({ group: '', resource: 'pods/portforward' }, name, why);
  }

  /** Kubernetes' PortForwardLocation: the pod must exist and be bound to a node. */
  private async locate(namespace: string, name: string): Promise<Located> {
    const pod = await this.o.api.storageFor('', 'pods').get(namespace, name);
    const nodeName: string | undefined = pod.spec?.nodeName;
    if (!nodeName) throw errors.badRequest(`pod ${name} does not have a host assigned`);
    const node = await this.o.api.storageFor('', 'nodes').get(undefined, nodeName);
    return kubeletEndpoint(node);
  }

  /** A request without an upgrade (called from rest.ts). */
  async handleHttp(req: IncomingMessage, _res: ServerResponse, namespace: string, name: string, user: RequestUser): Promise<void> {
    const method = req.method ?? 'GET';
    if (method !== 'GET' && method !== 'POST') throw errors.methodNotSupported({ group: '', resource: 'pods/portforward' }, method.toLowerCase());
    this.check(user, method, namespace, name);
    await this.locate(namespace, name);
    throw errors.badRequest('Upgrade request required');
  }

  /** An upgrade request for pods/{name}/portforward. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer, namespace: string, name: string, url: URL): void {
    socket.on('error', () => {});
    void this.upgrade(req, socket, head, namespace, name, url).catch((e) => statusResponse(socket, toApiError(e)));
  }

  private async upgrade(req: IncomingMessage, socket: Duplex, head: Buffer, namespace: string, name: string, url: URL): Promise<void> {
    const user = this.o.api.authenticate(req);
    if (!user) throw errors.unauthorized();
    const method = req.method ?? 'GET';
    if (method !== 'GET' && method !== 'POST') throw errors.methodNotSupported({ group: '', resource: 'pods/portforward' }, method.toLowerCase());
    this.check(user, method, namespace, name);
    const target = await this.locate(namespace, name);
    const dial = kubeletPortDialer({ ...target, namespace, pod: name, ...this.o.kubeletClientCert });
    const label = `${namespace}/${name}`;
    const upgrade = String(req.headers.upgrade ?? '').toLowerCase();

    if (upgrade === 'websocket') {
      if (!offeredProtocols(req).includes(SPDY_TUNNEL_PROTOCOL)) return this.passThrough(req, socket, head, target, namespace, name, url);
      this.wss.handleUpgrade(req, socket, head, (ws) => {
        const session = new SpdyPortForwardServer(
          { write: (b) => ws.readyState === ws.OPEN && ws.send(b, { binary: true }), close: () => ws.close() },
          dial,
          { connectionName: label },
        );
        ws.on('message', (data: Buffer, isBinary) => {
          if (isBinary) session.receive(data);
        });
        ws.on('close', () => session.transportClosed());
        ws.on('error', () => {});
      });
      return;
    }

    if (upgrade.startsWith('spdy/')) {
      const versions = String(req.headers['x-stream-protocol-version'] ?? '')
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
      if (versions.length && !versions.includes(PORT_FORWARD_PROTOCOL)) {
        return textResponse(socket, 403, `unable to upgrade: unable to negotiate protocol: client supports [${versions.join(' ')}], server accepts [${PORT_FORWARD_PROTOCOL}]`);
      }
      socket.write(
        `HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\nX-Stream-Protocol-Version: ${PORT_FORWARD_PROTOCOL}\r\n\r\n`,
      );
      const session = new SpdyPortForwardServer({ write: (b) => !socket.destroyed && socket.write(b), close: () => socket.destroy() }, dial, { connectionName: label });
      socket.on('data', (c: Buffer) => session.receive(c));
      socket.on('close', () => session.transportClosed());
      if (head.length) session.receive(head);
      return;
    }
    throw errors.badRequest('Upgrade request required');
  }

  /** A websocket port-forward client (channel protocols, ?ports=): the kubelet serves it directly. */
  private passThrough(req: IncomingMessage, socket: Duplex, head: Buffer, target: Located, namespace: string, name: string, url: URL): Promise<void> {
    const params = new URLSearchParams();
    for (const p of url.searchParams.getAll('ports')) for (const one of p.split(',')) params.append('port', one.trim());
    const path = `/portForward/${encodeURIComponent(namespace)}/${encodeURIComponent(name)}?${params}`;
    return relayUpgrade(socket, head, {
      options: {
        host: target.host,
        port: target.port,
        path,
        method: 'GET',
        headers: upgradeHeaders(req),
        cert: this.o.kubeletClientCert.certPem,
        key: this.o.kubeletClientCert.keyPem,
        rejectUnauthorized: false,
        agent: false,
      },
      onRefused: (kres, body) => textResponse(socket, kres.statusCode ?? 500, body.toString('utf8')),
      onDialError: (e) => statusResponse(socket, new ApiError(500, 'InternalError', `error dialing backend: ${dialErrorText(target.host, target.port, e)}`)),
    });
  }

  close(): void {
    for (const c of this.wss.clients) c.terminate();
    this.wss.close();
  }
}
