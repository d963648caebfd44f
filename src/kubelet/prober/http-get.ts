// httpGet handler: one GET to the pod (or loopback) with the kubelet's
// request shape (User-Agent kube-<purpose>/1.32, Accept */*, canonical
// header names, Connection: close), its redirect rule (follow only while the
// host name stays the same, at most 10) and Go-worded errors.

import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { resolveContainerPort } from './container-port.js';
import { goDialErrorText, goQuote, joinHostPort } from '../go-format.js';
import { MAX_PROBE_OUTPUT_BYTES, type ProbeOutcome } from './probe-result.js';
import { dialTarget } from './target-policy.js';

/** The Kubernetes version the User-Agent names (kube-probe/1.32). */
export const KUBE_MAJOR_MINOR = '1.32';

export interface HttpGetAction {
  scheme?: string;
  host?: string;
  port?: number | string;
  path?: string;
  httpHeaders?: { name: string; value: string }[];
}

export type HttpPurpose = 'probe' | 'lifecycle';

/** textproto.CanonicalMIMEHeaderKey: "x-custom-header" → "X-Custom-Header" (names with odd characters stay as given). */
export function canonicalHeaderKey(name: string): string {
  if (!/^[A-Za-z0-9!#$%&'*+\-.^_`|~]+$/.test(name)) return name;
  return name.toLowerCase().replace(/(^|-)([a-z])/g, (_m, dash: string, c: string) => dash + c.toUpperCase());
}

/** The request URL as Go's url.URL.String() shows it (no slash added when the path is empty). */
export function probeUrl(scheme: string, host: string, port: number, path: string | undefined): string {
  let p = path ?? '';
  if (p !== '' && !p.startsWith('/')) p = '/' + p;
  // Escape what may not appear raw in a request line, leaving existing %XX alone.
  p = p.replace(/[^\x21-\x7e]/gu, (c) => encodeURIComponent(c)).replace(/#.*$/, '');
  return `${scheme}://${joinHostPort(host, port)}${p}`;
}

/** The header set the kubelet sends, canonical names, in order. Exported for tests. */
export function probeHeaders(action: HttpGetAction, purpose: HttpPurpose): Map<string, string[]> {
  const headers = new Map<string, string[]>();
  for (const h of action.httpHeaders ?? []) {
    const key = canonicalHeaderKey(h.name);
    headers.set(key, [...(headers.get(key) ?? []), h.value]);
  }
  if (!headers.has('User-Agent')) headers.set('User-Agent', [`kube-${purpose}/${KUBE_MAJOR_MINOR}`]);
  if (!headers.has('Accept')) headers.set('Accept', ['*/*']);
  else if ((headers.get('Accept')![0] ?? '') === '') headers.delete('Accept');
  return headers;
}

const REDIRECT_CODES = new Set([301, 302, 303, 307, 308]);
const MAX_REDIRECTS = 10;

type Exchange =
  | { kind: 'response'; status: number; body: string }
  | { kind: 'error'; text: string; whileReadingBody: boolean };

interface OneRequest {
  url: URL;
  address: string;
  headers: Map<string, string[]>;
  deadline: number;
}

function errorText(err: NodeJS.ErrnoException, addr: string, connected: boolean): string {
  if (err.code === 'EPROTO' || /wrong version number|packet length too long/i.test(err.message)) return 'http: server gave HTTP response to HTTPS client';
  if (!connected) return goDialErrorText(addr, err);
  if (err.message === 'socket hang up') return 'EOF';
  if (err.code === 'ECONNRESET') return 'read: connection reset by peer';
  if (err.code?.startsWith('HPE_')) return 'net/http: HTTP/1.x transport connection broken: malformed HTTP response';
  return err.message;
}

/** One GET; resolves with the status and (up to 10 KiB of) the body, or a Go-worded error. */
function getOnce(req: OneRequest): Promise<Exchange & { location?: string }> {
  return new Promise((resolve) => {
    const port = Number(req.url.port || (req.url.protocol === 'https:' ? 443 : 80));
    const addr = joinHostPort(req.address, port);
    const headers: Record<string, string | string[]> = {};
    const custom = req.headers.get('Host')?.[0];
    // Go always names the port (the WHATWG URL drops default ones).
    headers['Host'] = custom || joinHostPort(req.url.hostname.replace(/^\[|\]$/g, ''), port);
    for (const [k, v] of req.headers) {
      if (k === 'Host') continue;
      const values = v.filter((x) => x !== '' || k !== 'User-Agent');
      if (values.length > 0) headers[k] = values;
    }
    const opts = {
      host: req.address,
      port,
      method: 'GET',
      path: (req.url.pathname || '/') + req.url.search,
      headers,
      agent: false as const,
    };
    let connected = false;
    let settled = false;
    let response: IncomingMessage | undefined;
    const settle = (e: Exchange & { location?: string }): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      r.destroy();
      response?.destroy();
      resolve(e);
    };
    // TLS is not verified (the kubelet skips verification too); no SNI for IPs.
    const r = req.url.protocol === 'https:' ? httpsRequest({ ...opts, rejectUnauthorized: false, servername: '' }) : httpRequest(opts);
    const timer = req.deadline === Infinity ? undefined : setTimeout(() => {
      if (response) settle({ kind: 'error', text: 'net/http: request canceled (Client.Timeout or context cancellation while reading body)', whileReadingBody: true });
      else if (!connected) settle({ kind: 'error', text: `dial tcp ${addr}: i/o timeout (Client.Timeout exceeded while awaiting headers)`, whileReadingBody: false });
      else settle({ kind: 'error', text: 'context deadline exceeded (Client.Timeout exceeded while awaiting headers)', whileReadingBody: false });
    }, Math.max(0, req.deadline - Date.now()));
    r.on('socket', (s) => {
      s.once('connect', () => { connected = true; });
      s.once('secureConnect', () => { connected = true; });
    });
    r.on('error', (err: NodeJS.ErrnoException) => settle({ kind: 'error', text: errorText(err, addr, connected), whileReadingBody: response !== undefined }));
    r.on('response', (res) => {
      response = res;
      const chunks: Buffer[] = [];
      let size = 0;
      const finish = (): void => {
        const body = Buffer.concat(chunks).subarray(0, MAX_PROBE_OUTPUT_BYTES).toString('utf8');
        const loc = res.headers.location;
        settle({ kind: 'response', status: res.statusCode ?? 0, body, location: typeof loc === 'string' ? loc : undefined });
      };
      res.on('data', (c: Buffer) => {
        chunks.push(c);
        size += c.length;
        // Reading stops at the limit; the rest of the body is not needed.
        if (size >= MAX_PROBE_OUTPUT_BYTES) finish();
      });
      res.on('end', finish);
      res.on('error', (err: NodeJS.ErrnoException) => settle({ kind: 'error', text: errorText(err, addr, true), whileReadingBody: true }));
    });
    r.end();
  });
}

/** The GET, following redirects the way the kubelet's probe client does. */
async function exchange(startUrl: string, podIP: string, headers: Map<string, string[]>, timeoutMs: number): Promise<Exchange & { url: string }> {
  const deadline = timeoutMs > 0 ? Date.now() + timeoutMs : Infinity;
  let url = new URL(startUrl);
  const firstHost = url.hostname;
  let shownUrl = startUrl;
  for (let hops = 0; ; hops++) {
    const hostname = url.hostname.replace(/^\[|\]$/g, '');
    const target = dialTarget(hostname, podIP);
    if (!target.ok) {
      const port = url.port || (url.protocol === 'https:' ? '443' : '80');
      return { kind: 'error', text: `Get ${goQuote(shownUrl)}: dial tcp ${joinHostPort(hostname, port)}: connect: ${target.error}`, whileReadingBody: false, url: shownUrl };
    }
    const got = await getOnce({ url, address: target.address, headers, deadline });
    if (got.kind === 'error') return { ...got, text: got.whileReadingBody ? got.text : `Get ${goQuote(shownUrl)}: ${got.text}`, url: shownUrl };
    if (!REDIRECT_CODES.has(got.status) || !got.location) return { ...got, url: shownUrl };
    let next: URL;
    try {
      next = new URL(got.location, url);
    } catch {
      return { kind: 'error', text: `Get ${goQuote(shownUrl)}: failed to parse Location header ${goQuote(got.location)}`, whileReadingBody: false, url: shownUrl };
    }
    // A redirect to another host ends the exchange with the redirect itself.
    if (next.hostname !== firstHost) return { ...got, url: shownUrl };
    if (hops + 1 >= MAX_REDIRECTS) return { kind: 'error', text: `Get ${goQuote(next.href)}: stopped after ${MAX_REDIRECTS} redirects`, whileReadingBody: false, url: next.href };
    url = next;
    shownUrl = next.href;
  }
}

export interface HttpGetOptions {
  purpose: HttpPurpose;
  /** 0 = no limit. */
  timeoutMs: number;
}

/**
 * Runs the action. Probe purpose: 2xx success (body as output), 3xx left
 * unfollowed → warning, else failure "HTTP probe failed with statuscode: N";
 * transport errors are failures. Lifecycle purpose: any response is success,
 * transport errors fail with the Go error text.
 */
export async function runHttpGet(action: HttpGetAction, container: { ports?: { name?: string; containerPort?: number }[] }, podIP: string, opts: HttpGetOptions): Promise<ProbeOutcome> {
  const scheme = (action.scheme || 'HTTP').toLowerCase();
  const port = resolveContainerPort(action.port, container);
  if (!port.ok) return { result: 'unknown', output: '', error: port.error };
  const host = action.host || podIP;
  const url = probeUrl(scheme, host, port.port, action.path);
  const headers = probeHeaders(action, opts.purpose);
  let res: Exchange & { url: string };
  try {
    res = await exchange(url, podIP, headers, opts.timeoutMs);
  } catch (e) {
    return { result: 'failure', output: `Get ${goQuote(url)}: ${(e as Error).message}` };
  }
  if (res.kind === 'error') {
    if (res.whileReadingBody) {
      // The status arrived; only the body failed. Probes report that as an
      // error, hooks don't read bodies at all.
      return opts.purpose === 'probe' ? { result: 'failure', output: '', error: res.text } : { result: 'success', output: '' };
    }
    return { result: 'failure', output: res.text };
  }
  if (opts.purpose === 'lifecycle') return { result: 'success', output: '' };
  if (res.status >= 200 && res.status < 400) {
    if (res.status >= 300) return { result: 'warning', output: `Probe terminated redirects, Response body: ${res.body}` };
    return { result: 'success', output: res.body };
  }
  return { result: 'failure', output: `HTTP probe failed with statuscode: ${res.status}` };
}
