// The Kubernetes API server: HTTPS, token authentication, discovery, OpenAPI,
// and the REST resources over the store through the watch cache.

import https from 'node:https';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { resources, storagePrefix, type ResourceDef } from '../api/resources.js';
import type { Store } from '../storage/store.js';
import { ResourceStorage } from './registry.js';
import { WatchCacheSet } from './watch-cache.js';
import { DefaultStrategy, NamespaceStrategy, PodStrategy, WorkloadStrategy, type Strategy } from './strategy.js';
import { ServiceStrategy } from './service-strategy.js';
import { errors } from './status.js';
import { sendError, sendJson } from './http-util.js';
import { parseApiPath } from './routes.js';
import { handleResource, type RequestUser, type RestContext } from './rest.js';
import { aggregatedList, AGGREGATED_V2, AGGREGATED_V2BETA1, legacyApiVersions, legacyGroupList, resourceList, wantsAggregated, type ExtraResource } from './discovery.js';
import { OpenApiService } from './openapi-service.js';
import { versionInfo } from '../version.js';
import { NamespaceFinalizer } from './namespace-finalizer.js';
import { bootstrap } from './bootstrap.js';
import { coreToEventsV1, eventsV1ToCore } from '../api/event-conversion.js';
import { log } from '../log.js';
import { explanationRoute } from './explanation-proxy.js';
import { authorizeNodeRequest } from './node-authorizer.js';

export interface Authenticator {
  (token: string): RequestUser | undefined;
}

/** A handler for paths outside the resource table (e.g. /apis/skiff.dev/...). */
export interface ExtraRoute {
  resource: ExtraResource;
  handle(req: IncomingMessage, res: ServerResponse, url: URL, user: RequestUser): Promise<boolean>;
}

export interface ApiServerOptions {
  store: Store;
  /** PEM serving certificate and key; without them the server speaks plain HTTP (tests of internals only). */
  tls?: { cert: string; key: string };
  authenticate: Authenticator;
  /** Address advertised in discovery and used for the `kubernetes` service endpoints. */
  advertiseAddress?: string;
  /** The cluster CA, served at /cacerts so joining nodes can fetch it (as k3s does). */
  caCertPem?: string;
  now?: () => Date;
}

const PUBLIC_PATHS = new Set(['/healthz', '/readyz', '/livez', '/version', '/cacerts']);

export class ApiServer implements RestContext {
  private readonly caches: WatchCacheSet;
  private readonly storages = new Map<string, ResourceStorage>();
  private server?: http.Server | https.Server;
  private readonly openapi = new OpenApiService();
  private finalizer?: NamespaceFinalizer;
  private readonly extraRoutes: ExtraRoute[] = [];
  private ready = false;
  readonly now: () => Date;

  constructor(private readonly opts: ApiServerOptions) {
    this.caches = new WatchCacheSet(opts.store);
    this.now = opts.now ?? (() => new Date());
    const prefixes = new Map<string, ReturnType<WatchCacheSet['add']>>();
    for (const def of resources) {
      const prefix = storagePrefix(def);
      if (prefixes.has(prefix)) continue; // events.k8s.io shares core events' storage
      const cache = this.caches.add(prefix);
      prefixes.set(prefix, cache);
      const strategy = strategyFor(def, () => this.storageFor('scheduling.k8s.io', 'priorityclasses').cache.values());
      this.storages.set(this.keyOf(def), new ResourceStorage(def, opts.store, cache, this.caches, strategy, (ns) => this.namespace(ns)));
    }
  }

  private keyOf(def: { group: string; plural: string }): string {
    return `${def.group}/${def.plural}`;
  }

  storage(def: ResourceDef): ResourceStorage {
    const s = this.storages.get(this.keyOf(def)) ?? (def.group === 'events.k8s.io' ? this.storages.get('/events') : undefined);
    if (!s) throw errors.notFoundPath();
    return s;
  }

  storageFor(group: string, plural: string): ResourceStorage {
    const s = this.storages.get(`${group}/${plural}`);
    if (!s) throw new Error(`no storage for ${group}/${plural}`);
    return s;
  }

  view(def: ResourceDef) {
    if (def.group !== 'events.k8s.io') return undefined;
    return {
      present: coreToEventsV1,
      accept: eventsV1ToCore,
      fieldAliases: { 'regarding.': 'involvedObject.', reportingController: 'reportingComponent' },
    };
  }

  private namespace(name: string): any | undefined {
    return this.storageFor('', 'namespaces').peek(undefined, name);
  }

  addRoute(route: ExtraRoute): void {
    this.extraRoutes.push(route);
  }

  /** Load caches, create the built-in namespaces, start background loops. */
  async start(): Promise<void> {
    this.addRoute(explanationRoute(() => this.storageFor('coordination.k8s.io', 'leases')));
    await this.caches.start();
    const services = this.storageFor('', 'services').cache;
    this.caches.onBatch.add((events) => {
      for (const { cache, event } of events) {
        if (cache !== services) continue;
        if (event.type === 'DELETED') ServiceStrategy.allocator.release(event.obj);
        else ServiceStrategy.allocator.observe(event.obj);
      }
    });
    await bootstrap(this, this.opts.advertiseAddress);
    this.finalizer = new NamespaceFinalizer(this, this.caches);
    this.finalizer.start();
    this.ready = true;
  }

  async listen(port: number, host = '127.0.0.1'): Promise<number> {
    const handler = (req: IncomingMessage, res: ServerResponse) => void this.handle(req, res);
    this.server = this.opts.tls ? https.createServer({ cert: this.opts.tls.cert, key: this.opts.tls.key }, handler) : http.createServer(handler);
    this.server.keepAliveTimeout = 65_000;
    this.server.headersTimeout = 70_000;
    this.server.requestTimeout = 0; // watches and log streams stay open
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(port, host, () => resolve());
    });
    return (this.server.address() as AddressInfo).port;
  }

  /** The raw server, for upgrade handlers (exec) added by later components. */
  get httpServer(): http.Server | https.Server | undefined {
    return this.server;
  }

  async close(): Promise<void> {
    this.finalizer?.stop();
    this.caches.stop();
    if (this.server) {
      this.server.closeAllConnections?.();
      await new Promise<void>((resolve) => this.server!.close(() => resolve()));
    }
  }

  authenticate(req: IncomingMessage): RequestUser | undefined {
    const h = req.headers.authorization;
    if (!h) return undefined;
    const m = h.match(/^Bearer\s+(.+)$/i);
    if (!m) return undefined;
    return this.opts.authenticate(m[1].trim());
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = Date.now();
    try {
      const url = new URL(req.url ?? '/', 'https://localhost');
      const path = url.pathname.length > 1 ? url.pathname.replace(/\/+$/, '') : url.pathname;
      const user = this.authenticate(req);
      if (!user && !PUBLIC_PATHS.has(path)) throw errors.unauthorized();
      await this.route(req, res, url, path, user!);
    } catch (e) {
      sendError(res, e);
    } finally {
      log.debug('request', { method: req.method, url: req.url, code: res.statusCode, ms: Date.now() - started });
    }
  }

  private async route(req: IncomingMessage, res: ServerResponse, url: URL, path: string, user: RequestUser): Promise<void> {
    const method = req.method ?? 'GET';
    switch (path) {
      case '/healthz':
      case '/livez':
      case '/readyz':
        res.writeHead(this.ready || path === '/livez' ? 200 : 500, { 'Content-Type': 'text/plain; charset=utf-8' });
        res.end(this.ready || path === '/livez' ? 'ok' : 'not ready');
        return;
      case '/version':
        return sendJson(res, 200, versionInfo());
      case '/cacerts':
        if (!this.opts.caCertPem) throw errors.notFoundPath();
        res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8' });
        res.end(this.opts.caCertPem);
        return;
      case '/api':
      case '/apis': {
        const agg = wantsAggregated(req.headers.accept);
        const extra = this.extraRoutes.map((r) => r.resource);
        if (agg) {
          const ct = agg === 'v2' ? AGGREGATED_V2 : AGGREGATED_V2BETA1;
          const body = aggregatedList(path === '/api', extra, `apidiscovery.k8s.io/${agg}`);
          return sendJson(res, 200, body, { 'Content-Type': ct, Vary: 'Accept' });
        }
        return sendJson(res, 200, path === '/api' ? legacyApiVersions(this.opts.advertiseAddress ?? '127.0.0.1:6443') : legacyGroupList(extra), { Vary: 'Accept' });
      }
    }
    if (path === '/openapi/v2' || path.startsWith('/openapi/v3')) {
      if (method !== 'GET') throw errors.methodNotSupported({ group: '', resource: 'openapi' }, method.toLowerCase());
      return this.openapi.serve(req, res, path, url);
    }
    for (const r of this.extraRoutes) if (await r.handle(req, res, url, user)) return;
    const parsed = parseApiPath(path);
    if (parsed.kind === 'groupVersion') {
      const list = resourceList({ group: parsed.group, version: parsed.version }, this.extraRoutes.map((r) => r.resource));
      if (!list) throw errors.notFoundPath();
      return sendJson(res, 200, list);
    }
    if (parsed.kind === 'resource') {
      const admitted = await authorizeNodeRequest(this, req, parsed.route, url, user);
      return handleResource(this, admitted, res, parsed.route, url, user);
    }
    throw errors.notFoundPath();
  }
}

function strategyFor(def: ResourceDef, priorityClasses: () => Iterable<any>): Strategy {
  switch (def.kind) {
    case 'Pod':
      return new PodStrategy(def, priorityClasses);
    case 'Namespace':
      return new NamespaceStrategy(def);
    case 'Service':
      return new ServiceStrategy(def);
    case 'Deployment':
    case 'ReplicaSet':
    case 'Job':
      return new WorkloadStrategy(def);
    default:
      return new DefaultStrategy(def);
  }
}
