// The typed REST client every Skiff component uses to reach the API server
// (the role of client-go's rest/dynamic clients): JSON over HTTPS with one
// keep-alive agent, bearer-token auth, an optional QPS limiter, Status errors
// as ApiStatusError, and streaming watches.

import http from 'node:http';
import https from 'node:https';
import { collectionPath, itemPath, resources, type ResourceDef } from '../api/resources.js';
import { readKubeconfig } from '../cli/kubeconfig.js';
import { ApiStatusError, type Status } from './api-status-error.js';
import type { KubeObject, ObjectList } from './kube-object.js';
import { TokenBucket } from './token-bucket.js';
import { WatchDecoder, type WatchEvent } from './watch-decoder.js';

export type RestClientTarget =
  | { kubeconfig: string; context?: string }
  | { server: string; token?: string; caCertPem?: string; insecureSkipTLSVerify?: boolean };

export interface RestClientOptions {
  /** Names the caller in the default User-Agent, `skiff/<component>`. Default 'client'. */
  component?: string;
  userAgent?: string;
  /** Client-side rate limit (client-go's QPS/Burst). Off unless qps > 0. */
  qps?: number;
  /** Default: qps rounded up, at least 1. */
  burst?: number;
  /** Per-request timeout for everything but watches. Default 60 000 ms. */
  timeoutMs?: number;
}

export interface ListOptions {
  labelSelector?: string;
  fieldSelector?: string;
  limit?: number;
  continue?: string;
  resourceVersion?: string;
  resourceVersionMatch?: 'Exact' | 'NotOlderThan';
}

export interface WatchOptions {
  resourceVersion?: string;
  labelSelector?: string;
  fieldSelector?: string;
  allowWatchBookmarks?: boolean;
  timeoutSeconds?: number;
}

export interface WriteOptions {
  fieldManager?: string;
  dryRun?: boolean;
}

export type PatchType = 'merge' | 'strategic' | 'json' | 'apply';

export interface PatchOptions extends WriteOptions {
  /** Server-side apply: take ownership of conflicting fields. */
  force?: boolean;
  subresource?: string;
}

export interface DeleteOptions {
  propagationPolicy?: 'Orphan' | 'Background' | 'Foreground';
  gracePeriodSeconds?: number;
  preconditions?: { uid?: string; resourceVersion?: string };
  dryRun?: boolean;
}

export interface WatchHandle {
  /** Closes the stream; `done` then resolves. Safe to call more than once. */
  stop(): void;
  /** Resolves when the stream ends (server closed it, or stop()); rejects on HTTP or network errors. */
  readonly done: Promise<void>;
}

export const patchContentTypes: Record<PatchType, string> = {
  merge: 'application/merge-patch+json',
  strategic: 'application/strategic-merge-patch+json',
  json: 'application/json-patch+json',
  apply: 'application/apply-patch+yaml',
};

const podsDef = resources.find((r) => r.group === '' && r.plural === 'pods')!;

type Query = Record<string, string | number | boolean | undefined>;

function queryString(q: Query | undefined): string {
  if (!q) return '';
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(q)) {
    if (v === undefined || v === '' || v === false) continue;
    p.set(k, String(v));
  }
  const s = p.toString();
  return s ? `?${s}` : '';
}

interface RawResponse {
  status: number;
  contentType: string;
  text: string;
}

export class RestClient {
  readonly server: string;
  /** The kubeconfig context's namespace ('default' when none or not from a kubeconfig). */
  readonly namespace: string;
  readonly userAgent: string;
  private readonly token?: string;
  private readonly transport: typeof http | typeof https;
  private readonly agent: http.Agent;
  private readonly limiter?: TokenBucket;
  private readonly timeoutMs: number;

  constructor(target: RestClientTarget, opts: RestClientOptions = {}) {
    let ca: string | undefined;
    let insecure = false;
    if ('kubeconfig' in target) {
      const kc = readKubeconfig(target.kubeconfig, { context: target.context });
      this.server = kc.server;
      this.token = kc.token;
      this.namespace = kc.namespace;
      ca = kc.caCertPem;
      insecure = kc.insecureSkipTLSVerify;
    } else {
      this.server = target.server;
      this.token = target.token;
      this.namespace = 'default';
      ca = target.caCertPem;
      insecure = target.insecureSkipTLSVerify === true;
    }
    this.server = this.server.replace(/\/+$/, '');
    const isHttps = new URL(this.server).protocol === 'https:';
    this.transport = isHttps ? https : http;
    this.agent = isHttps
      ? new https.Agent({ keepAlive: true, ca, rejectUnauthorized: !insecure })
      : new http.Agent({ keepAlive: true });
    this.userAgent = opts.userAgent ?? `skiff/${opts.component ?? 'client'}`;
    if (opts.qps && opts.qps > 0) this.limiter = new TokenBucket(opts.qps, opts.burst ?? Math.max(1, Math.ceil(opts.qps)));
    this.timeoutMs = opts.timeoutMs ?? 60_000;
  }

  /** Closes idle keep-alive connections (open watches are not affected). */
  close(): void {
    this.agent.destroy();
  }

  // ---------------------------------------------------------------- reads

  get<T extends KubeObject = KubeObject>(def: ResourceDef, ns: string | undefined, name: string): Promise<T> {
    return this.call('GET', itemPath(def, ns, name));
  }

  list<T extends KubeObject = KubeObject>(def: ResourceDef, ns?: string, opts: ListOptions = {}): Promise<ObjectList<T>> {
    return this.call('GET', collectionPath(def, ns), { query: { ...opts } });
  }

  /** Follows continue tokens until the whole list is read. */
  async listAll<T extends KubeObject = KubeObject>(def: ResourceDef, ns?: string, opts: ListOptions = {}): Promise<ObjectList<T>> {
    const first = await this.list<T>(def, ns, { limit: 500, ...opts });
    const items = [...first.items];
    let cont = first.metadata.continue;
    while (cont) {
      const page = await this.list<T>(def, ns, { ...opts, limit: opts.limit ?? 500, continue: cont });
      items.push(...page.items);
      cont = page.metadata.continue;
    }
    return { ...first, metadata: { resourceVersion: first.metadata.resourceVersion }, items };
  }

  // ---------------------------------------------------------------- writes

  create<T extends KubeObject = KubeObject>(def: ResourceDef, ns: string | undefined, obj: NoInfer<T>, opts: WriteOptions = {}): Promise<T> {
    return this.call('POST', collectionPath(def, ns ?? obj.metadata?.namespace), { body: obj, query: writeQuery(opts) });
  }

  update<T extends KubeObject = KubeObject>(def: ResourceDef, ns: string | undefined, obj: NoInfer<T>, opts: WriteOptions = {}): Promise<T> {
    return this.call('PUT', itemPath(def, ns ?? obj.metadata?.namespace, nameOf(obj)), { body: obj, query: writeQuery(opts) });
  }

  updateStatus<T extends KubeObject = KubeObject>(def: ResourceDef, ns: string | undefined, obj: NoInfer<T>, opts: WriteOptions = {}): Promise<T> {
    return this.call('PUT', itemPath(def, ns ?? obj.metadata?.namespace, nameOf(obj), 'status'), { body: obj, query: writeQuery(opts) });
  }

  patch<T extends KubeObject = KubeObject>(
    def: ResourceDef,
    ns: string | undefined,
    name: string,
    patch: unknown,
    type: PatchType,
    opts: PatchOptions = {},
  ): Promise<T> {
    return this.call('PATCH', itemPath(def, ns, name, opts.subresource), {
      body: patch,
      contentType: patchContentTypes[type],
      query: { ...writeQuery(opts), force: opts.force },
    });
  }

  /** Returns what the server answers: the object (when deletion is pending or finished) or a Status. */
  delete(def: ResourceDef, ns: string | undefined, name: string, opts?: DeleteOptions): Promise<KubeObject | Status> {
    return this.call('DELETE', itemPath(def, ns, name), { body: opts ? deleteBody(opts) : undefined });
  }

  deleteCollection(def: ResourceDef, ns: string | undefined, list: ListOptions = {}, opts?: DeleteOptions): Promise<ObjectList<KubeObject> | Status> {
    return this.call('DELETE', collectionPath(def, ns), { query: { ...list }, body: opts ? deleteBody(opts) : undefined });
  }

  // ---------------------------------------------------------------- subresources

  /** GET a subresource (e.g. scale, log); JSON bodies are parsed, anything else returned as text. */
  getSubresource(def: ResourceDef, ns: string | undefined, name: string, sub: string, query?: Query): Promise<any> {
    return this.call('GET', itemPath(def, ns, name, sub), { query });
  }

  postSubresource(def: ResourceDef, ns: string | undefined, name: string, sub: string, body: unknown, opts: WriteOptions = {}): Promise<any> {
    return this.call('POST', itemPath(def, ns, name, sub), { body, query: writeQuery(opts) });
  }

  /** Assigns a pod to a node through pods/binding, as the scheduler does. */
  bind(ns: string, podName: string, nodeName: string, opts: { podUid?: string } = {}): Promise<Status> {
    const binding = {
      apiVersion: 'v1',
      kind: 'Binding',
      metadata: { name: podName, namespace: ns, ...(opts.podUid ? { uid: opts.podUid } : {}) },
      target: { apiVersion: 'v1', kind: 'Node', name: nodeName },
    };
    return this.postSubresource(podsDef, ns, podName, 'binding', binding);
  }

  // ---------------------------------------------------------------- watch

  watch<T = any>(def: ResourceDef, ns: string | undefined, opts: WatchOptions, onEvent: (ev: WatchEvent<T>) => void): WatchHandle {
    const url = this.server + collectionPath(def, ns) + queryString({ ...opts, watch: true });
    let stopped = false;
    let req: http.ClientRequest | undefined;
    const done = (async () => {
      await this.limiter?.wait();
      if (stopped) return;
      await new Promise<void>((resolve, reject) => {
        let settled = false;
        const finish = (err?: unknown) => {
          if (settled) return;
          settled = true;
          if (err && !stopped) reject(err);
          else resolve();
        };
        req = this.transport.request(url, { method: 'GET', agent: this.agent, headers: this.headers() }, (res) => {
          if (res.statusCode !== 200) {
            const chunks: Buffer[] = [];
            res.on('data', (c: Buffer) => chunks.push(c));
            res.on('end', () => finish(ApiStatusError.fromResponse(res.statusCode ?? 0, Buffer.concat(chunks).toString('utf8'))));
            res.on('error', finish);
            return;
          }
          const decoder = new WatchDecoder();
          const deliver = (events: WatchEvent[]) => {
            for (const ev of events) {
              if (stopped) return;
              onEvent(ev as WatchEvent<T>);
            }
          };
          res.on('data', (chunk: Buffer) => {
            try {
              deliver(decoder.push(chunk));
            } catch (e) {
              finish(e);
              req?.destroy();
            }
          });
          res.on('end', () => {
            try {
              deliver(decoder.end());
              finish();
            } catch (e) {
              finish(e);
            }
          });
          res.on('error', finish);
          // A connection cut mid-stream closes without 'end'.
          res.on('close', () => finish(res.complete ? undefined : new Error('watch stream closed unexpectedly')));
        });
        req.on('error', finish);
        req.end();
      });
    })();
    return {
      stop() {
        if (stopped) return;
        stopped = true;
        req?.destroy();
      },
      done,
    };
  }

  // ---------------------------------------------------------------- transport

  private headers(extra: Record<string, string> = {}): Record<string, string> {
    return {
      Accept: 'application/json',
      'User-Agent': this.userAgent,
      ...(this.token ? { Authorization: `Bearer ${this.token}` } : {}),
      ...extra,
    };
  }

  private async call(method: string, path: string, opts: { query?: Query; body?: unknown; contentType?: string } = {}): Promise<any> {
    await this.limiter?.wait();
    const res = await this.send(method, path + queryString(opts.query), opts.body, opts.contentType);
    if (res.status < 200 || res.status > 299) throw ApiStatusError.fromResponse(res.status, res.text);
    if (res.text === '') return undefined;
    if (res.contentType.includes('json')) return JSON.parse(res.text);
    return res.text;
  }

  private send(method: string, pathAndQuery: string, body: unknown, contentType = 'application/json'): Promise<RawResponse> {
    const payload = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
    const headers = this.headers(payload !== undefined ? { 'Content-Type': contentType, 'Content-Length': String(Buffer.byteLength(payload)) } : {});
    return new Promise((resolve, reject) => {
      const req = this.transport.request(this.server + pathAndQuery, { method, agent: this.agent, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, contentType: String(res.headers['content-type'] ?? ''), text: Buffer.concat(chunks).toString('utf8') }),
        );
        res.on('error', reject);
      });
      req.setTimeout(this.timeoutMs, () => req.destroy(new Error(`${method} ${pathAndQuery}: no response within ${this.timeoutMs} ms`)));
      req.on('error', reject);
      if (payload !== undefined) req.write(payload);
      req.end();
    });
  }
}

function nameOf(obj: KubeObject): string {
  const name = obj.metadata?.name;
  if (!name) throw new Error('object has no metadata.name');
  return name;
}

function writeQuery(opts: WriteOptions): Query {
  return { fieldManager: opts.fieldManager, dryRun: opts.dryRun ? 'All' : undefined };
}

function deleteBody(opts: DeleteOptions): Record<string, unknown> {
  const body: Record<string, unknown> = { kind: 'DeleteOptions', apiVersion: 'v1' };
  if (opts.propagationPolicy) body.propagationPolicy = opts.propagationPolicy;
  if (opts.gracePeriodSeconds !== undefined) body.gracePeriodSeconds = opts.gracePeriodSeconds;
  if (opts.preconditions) body.preconditions = opts.preconditions;
  if (opts.dryRun) body.dryRun = ['All'];
  return body;
}
