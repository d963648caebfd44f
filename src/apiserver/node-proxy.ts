// The API server's side of pods/log, pods/exec and pods/attach: validates the
// pod and container like Kubernetes' LogLocation/streamLocation, finds the
// node's kubelet (InternalIP + daemonEndpoints port) and proxies to it with the
// API server's kubelet-client certificate. Logs are streamed through; exec and
// attach upgrades are passed through byte for byte (websocket or not), with
// the kubelet's non-101 answers relayed as they are, as Kubernetes does.

import { dialErrorText, relayUpgrade } from './upgrade-relay.js';
import http from 'node:http';
import https from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { ApiServer } from './server.js';
import type { RequestUser, RestContext } from './rest.js';
import { ApiError, errors } from './status.js';
import { sendError, toApiError } from './http-util.js';
import { parseApiPath } from './routes.js';
import { ensureKubeletClientCert } from './tls.js';
import { LogQueryError, logOptionsQuery, parseLogQuery, validateLogOptions } from '../kubelet/logs/log-options.js';
import { PortForwardProxy } from './port-forward.js';

export interface NodeProxyOptions {
  /** Where ensureKubeletClientCert finds the CA (unless kubeletClientCert is given). */
  dataDir?: string;
  kubeletClientCert?: { certPem: string; keyPem: string };
  /** Optional authorization; return a reason to refuse (403). */
  authorize?(user: RequestUser, attrs: { verb: string; namespace: string; name: string; subresource: string }): string | undefined;
}

const proxies = new WeakMap<object, NodeProxy>();

/** The node proxy installed on this API server, if any (rest.ts delegates to it). */
export function nodeProxyFor(ctx: RestContext): NodeProxy | undefined {
  return proxies.get(ctx);
}

/** Registers the proxy on a listening ApiServer (call after listen()). */
export async function installNodeProxy(api: ApiServer, opts: NodeProxyOptions): Promise<NodeProxy> {
  const server = api.httpServer;
  if (!server) throw new Error('installNodeProxy: the API server must be listening first');
  let cert = opts.kubeletClientCert;
  if (!cert) {
    if (!opts.dataDir) throw new Error('installNodeProxy: dataDir or kubeletClientCert is required');
    cert = await ensureKubeletClientCert(opts.dataDir);
  }
  const proxy = new NodeProxy(api, cert, opts.authorize);
  proxies.set(api, proxy);
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => proxy.handleUpgrade(req, socket, head, server));
  return proxy;
}

type StreamKind = 'exec' | 'attach';

// Go's strconv.ParseBool spellings, for PodExecOptions/PodAttachOptions.
function boolParam(q: URLSearchParams, name: string): boolean {
  const v = q.get(name);
  if (v === null || v === '') return false;
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(v)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(v)) return false;
  throw errors.badRequest(`strconv.ParseBool: parsing ${JSON.stringify(v)}: invalid syntax`);
}

function allContainerNames(pod: any): string[] {
  const s = pod?.spec ?? {};
  return [...(s.initContainers ?? []), ...(s.containers ?? []), ...(s.ephemeralContainers ?? [])].map((c: any) => c.name);
}

/** Kubernetes' validateContainer: the named container must exist; none named is fine only for one container. */
export function validateContainer(container: string | null | undefined, pod: any): string {
  if (!container) {
    const containers = pod?.spec?.containers ?? [];
    if (containers.length === 1) return containers[0].name;
    if (containers.length === 0) throw errors.badRequest(`a container name must be specified for pod ${pod.metadata.name}`);
    throw errors.badRequest(`a container name must be specified for pod ${pod.metadata.name}, choose one of: [${allContainerNames(pod).join(' ')}]`);
  }
  if (!allContainerNames(pod).includes(container)) throw errors.badRequest(`container ${container} is not valid for pod ${pod.metadata.name}`);
  return container;
}

/** The kubelet of a node: preferred address (InternalIP, Hostname, ExternalIP) and daemon endpoint port. */
export function kubeletEndpoint(node: any): { host: string; port: number } {
  const addrs: Array<{ type: string; address: string }> = node?.status?.addresses ?? [];
  let host: string | undefined;
  for (const type of ['InternalIP', 'Hostname', 'InternalDNS', 'ExternalIP', 'ExternalDNS']) {
    host = addrs.find((a) => a.type === type && a.address)?.address;
    if (host) break;
  }
  if (!host) {
    const known = addrs.map((a) => `{${a.type} ${a.address}}`).join(' ');
    throw new ApiError(500, 'InternalError', `Internal error occurred: no preferred addresses found; known addresses: [${known}]`);
  }
  const port = Number(node?.status?.daemonEndpoints?.kubeletEndpoint?.Port) || 10250;
  return { host, port };
}

/** Kubernetes' errors for a kubelet answer that is not 2xx (GenericHttpResponseChecker). */
export function kubeletErrorToApiError(code: number, body: string, podName: string): ApiError {
  if (code === 500) return new ApiError(500, 'InternalError', `Internal error occurred: ${body}`, { causes: [{ message: body }] });
  if (code === 400) return errors.badRequest(body);
  const generic: Record<number, [string, string]> = {
    401: ['Unauthorized', 'the server has asked for the client to provide credentials'],
    403: ['Forbidden', body],
    404: ['NotFound', 'the server could not find the requested resource'],
    405: ['MethodNotAllowed', 'the server does not allow this method on the requested resource'],
    409: ['Conflict', 'the server reported a conflict'],
    422: ['Invalid', 'the server rejected our request due to an error in our request'],
    429: ['TooManyRequests', 'the server has received too many requests and has asked us to try again later'],
    504: ['Timeout', 'the server was unable to return a response in the time allotted, but may still be processing the request'],
  };
  let [reason, message] = generic[code] ?? ['', `the server responded with the status code ${code} but did not return more information`];
  if (!generic[code] && code >= 500) {
    reason = 'InternalError';
    message = `an error on the server (${JSON.stringify(body)}) has prevented the request from succeeding`;
  }
  return new ApiError(code, reason, `${message} ( pods/log ${podName})`, { name: podName, kind: 'pods/log' });
}

function dialError(method: string, url: string, e: NodeJS.ErrnoException, host: string, port: number): ApiError {
  const target = host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
  const detail =
    e.code === 'ECONNREFUSED' ? `dial tcp ${target}: connect: connection refused` : e.code === 'EHOSTUNREACH' ? `dial tcp ${target}: connect: no route to host` : e.message;
  // Kubernetes reports transport failures as a reasonless 500 ("Error from server: Get ...").
  return new ApiError(500, '', `${method} ${JSON.stringify(url)}: ${detail}`);
}

function rawStatus(socket: Duplex, err: ApiError): void {
  if (socket.destroyed) return;
  const body = JSON.stringify(err.toStatus());
  socket.end(
    `HTTP/1.1 ${err.code} ${http.STATUS_CODES[err.code] ?? 'Error'}\r\nContent-Type: application/json\r\nCache-Control: no-cache, private\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

export class NodeProxy {
  /** pods/portforward: the API server is the SPDY server (port-forward.ts). */
  readonly portForward: PortForwardProxy;

  constructor(
    private readonly api: ApiServer,
    private readonly cert: { certPem: string; keyPem: string },
    private readonly authorize?: NodeProxyOptions['authorize'],
  ) {
    this.portForward = new PortForwardProxy({ api, kubeletClientCert: cert, authorize });
  }

  private async locate(namespace: string, name: string, container: string | null, needsHost: boolean): Promise<{ pod: any; container: string; endpoint?: { host: string; port: number } }> {
    const pod = await this.api.storageFor('', 'pods').get(namespace, name);
    const c = validateContainer(container, pod);
    const nodeName: string | undefined = pod.spec?.nodeName;
    if (!nodeName) {
      if (needsHost) throw errors.badRequest(`pod ${name} does not have a host assigned`);
      return { pod, container: c };
    }
    const node = await this.api.storageFor('', 'nodes').get(undefined, nodeName);
    return { pod, container: c, endpoint: kubeletEndpoint(node) };
  }

  private check(user: RequestUser, verb: string, namespace: string, name: string, subresource: string): void {
    const why = this.authorize?.(user, { verb, namespace, name, subresource });
    if (why) throw errors.forbidden({ group: '', resource: `pods/${subresource}` }, name, why);
  }

  private tls() {
    return { cert: this.cert.certPem, key: this.cert.keyPem, rejectUnauthorized: false, agent: false as const };
  }

  /** Non-upgrade requests for log/exec/attach, called from rest.ts. */
  async handleHttp(req: IncomingMessage, res: ServerResponse, subresource: string, namespace: string, name: string, url: URL, user: RequestUser): Promise<void> {
    const method = req.method ?? 'GET';
    if (subresource === 'log') {
      if (method !== 'GET') throw errors.methodNotSupported({ group: '', resource: 'pods/log' }, method.toLowerCase());
      this.check(user, 'get', namespace, name, 'log');
      return this.proxyLogs(res, namespace, name, url);
    }
    if (method !== 'GET' && method !== 'POST') throw errors.methodNotSupported({ group: '', resource: `pods/${subresource}` }, method.toLowerCase());
    this.check(user, method === 'POST' ? 'create' : 'get', namespace, name, subresource);
    await this.locate(namespace, name, url.searchParams.get('container'), true);
    throw errors.badRequest('Upgrade request required');
  }

  private async proxyLogs(res: ServerResponse, namespace: string, name: string, url: URL): Promise<void> {
    let opts;
    try {
      opts = parseLogQuery(url.searchParams);
    } catch (e) {
      if (e instanceof LogQueryError) throw errors.badRequest(e.message);
      throw e;
    }
    const invalid = validateLogOptions(opts);
    if (invalid.length) throw errors.invalid('PodLogOptions', '', name, invalid);
    const { container, endpoint } = await this.locate(namespace, name, opts.container ?? null, false);
    if (!endpoint) {
      // Kubernetes answers an unscheduled pod's logs with an empty stream.
      res.writeHead(200, { 'Content-Type': 'text/plain' });
      res.end();
      return;
    }
    const host = endpoint.host.includes(':') ? `[${endpoint.host}]` : endpoint.host;
    const path = `/containerLogs/${encodeURIComponent(namespace)}/${encodeURIComponent(name)}/${encodeURIComponent(container)}${logOptionsQuery(opts)}`;
    const target = `https://${host}:${endpoint.port}${path}`;
    await new Promise<void>((resolve) => {
      const up = https.get({ host: endpoint.host, port: endpoint.port, path, ...this.tls() }, (kres) => {
        const code = kres.statusCode ?? 500;
        if (code < 200 || code > 206) {
          const chunks: Buffer[] = [];
          let size = 0;
          kres.on('data', (c: Buffer) => {
            if (size < 50_000) chunks.push(c);
            size += c.length;
          });
          kres.on('end', () => {
            sendError(res, kubeletErrorToApiError(code, Buffer.concat(chunks).toString('utf8').slice(0, 50_000), name));
            resolve();
          });
          kres.on('error', () => resolve());
          return;
        }
        res.writeHead(200, { 'Content-Type': 'text/plain', 'Cache-Control': 'no-cache, private' });
        res.flushHeaders();
        kres.pipe(res);
        kres.on('end', resolve);
        kres.on('error', () => {
          res.destroy();
          resolve();
        });
      });
      // The client went away (kubectl logs -f interrupted): stop reading from the kubelet.
      res.on('close', () => {
        up.destroy();
        resolve();
      });
      up.on('error', (e: NodeJS.ErrnoException) => {
        if (!res.headersSent) sendError(res, dialError('Get', target, e, endpoint.host, endpoint.port));
        else res.destroy();
        resolve();
      });
    });
  }

  /** The server's 'upgrade' listener: exec/attach are proxied, portforward served, anything else goes to the normal handler. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer, server: http.Server | https.Server): void {
    socket.on('error', () => {});
    const url = new URL(req.url ?? '/', 'https://localhost');
    const parsed = parseApiPath(url.pathname);
    const route = parsed.kind === 'resource' ? parsed.route : undefined;
    const kind = route?.subresource as StreamKind | undefined;
    if (route && route.def.group === '' && route.def.plural === 'pods' && route.name && route.subresource === 'portforward') {
      this.portForward.handleUpgrade(req, socket, head, route.namespace!, route.name, url);
      return;
    }
    if (!route || route.def.group !== '' || route.def.plural !== 'pods' || !route.name || (kind !== 'exec' && kind !== 'attach')) {
      this.fallback(req, socket, head, server);
      return;
    }
    void this.proxyStream(req, socket, head, kind, route.namespace!, route.name, url).catch((e) => rawStatus(socket, toApiError(e)));
  }

  /** Lets the ordinary request handler answer an upgrade request it owns (e.g. portforward). */
  private fallback(req: IncomingMessage, socket: Duplex, head: Buffer, server: http.Server | https.Server): void {
    void head;
    const res = new http.ServerResponse(req);
    res.shouldKeepAlive = false;
    res.assignSocket(socket as import('node:net').Socket);
    res.on('finish', () => {
      res.detachSocket(socket as import('node:net').Socket);
      socket.end();
    });
    server.emit('request', req, res);
  }

  private async proxyStream(req: IncomingMessage, socket: Duplex, head: Buffer, kind: StreamKind, namespace: string, name: string, url: URL): Promise<void> {
    const user = this.api.authenticate(req);
    if (!user) throw errors.unauthorized();
    this.check(user, req.method === 'POST' ? 'create' : 'get', namespace, name, kind);
    const q = url.searchParams;
    const flags = { stdin: boolParam(q, 'stdin'), stdout: boolParam(q, 'stdout'), stderr: boolParam(q, 'stderr'), tty: boolParam(q, 'tty') };
    const { container, endpoint } = await this.locate(namespace, name, q.get('container'), true);
    // Kubernetes' streamParams: the kubelet's own names (input/output/error/tty=1), then the command.
    const params = new URLSearchParams();
    if (flags.stdin) params.append('input', '1');
    if (flags.stdout) params.append('output', '1');
    if (flags.stderr) params.append('error', '1');
    if (flags.tty) params.append('tty', '1');
    if (kind === 'exec') for (const c of q.getAll('command')) params.append('command', c);
    const query = params.toString();
    const path = `/${kind}/${encodeURIComponent(namespace)}/${encodeURIComponent(name)}/${encodeURIComponent(container)}${query ? `?${query}` : ''}`;

    const headers: Record<string, string> = {};
    for (const h of ['connection', 'upgrade', 'sec-websocket-key', 'sec-websocket-version', 'sec-websocket-protocol', 'x-stream-protocol-version', 'content-length']) {
      const v = req.headers[h];
      if (v !== undefined) headers[h] = Array.isArray(v) ? v.join(', ') : v;
    }
    const ep = endpoint!;
    await relayUpgrade(socket, head, {
      options: { host: ep.host, port: ep.port, path, method: req.method ?? 'GET', headers, ...this.tls() },
      // Not upgraded: relay the kubelet's answer (kubectl shows it as "unable to upgrade connection: …").
      onRefused: (kres, body) => {
        const ct = kres.headers['content-type'] ?? 'text/plain; charset=utf-8';
        socket.write(`HTTP/1.1 ${kres.statusCode} ${kres.statusMessage ?? ''}\r\nContent-Type: ${ct}\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n`);
        socket.end(body);
      },
      onDialError: (e) => rawStatus(socket, new ApiError(500, 'InternalError', `error dialing backend: ${dialErrorText(ep.host, ep.port, e)}`)),
    });
  }
}
