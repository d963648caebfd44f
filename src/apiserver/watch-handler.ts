// Streaming watch responses (?watch=true): JSON events, one per line, served
// from the watch cache with selector transitions, bookmarks and timeouts.

import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ResourceStorage } from './registry.js';
import { TooOldError, type CacheEvent } from './watch-cache.js';
import { errors } from './status.js';
import { partialMetadata, toTable, type Rendering } from './table-output.js';
import { apiVersionOf } from '../api/resources.js';

export interface WatchRequest {
  namespace?: string;
  resourceVersion?: string;
  match: (obj: any) => boolean;
  bookmarks: boolean;
  timeoutSeconds?: number;
  rendering: Rendering;
  includeObject?: string;
  /** Converts a stored object to the served form (e.g. events.k8s.io view). */
  present?: (obj: any) => any;
}

/** How often a bookmark is sent to watchers that asked for them (SKIFF_BOOKMARK_INTERVAL_MS overrides, for tests). */
export const BOOKMARK_INTERVAL_MS = positiveEnv('SKIFF_BOOKMARK_INTERVAL_MS') ?? 15_000;
/**
 * A watch without timeoutSeconds is closed after a random time in [min, 2*min), as
 * kube-apiserver does with --min-request-timeout (1800s); clients then re-watch.
 * SKIFF_MIN_REQUEST_TIMEOUT_SECONDS overrides it (tests of re-watching clients).
 */
export const MIN_REQUEST_TIMEOUT_SECONDS = positiveEnv('SKIFF_MIN_REQUEST_TIMEOUT_SECONDS') ?? 1800;

function positiveEnv(name: string): number | undefined {
  const n = Number(process.env[name]);
  return Number.isFinite(n) && n > 0 ? n : undefined;
}
/** A watcher whose unsent output passes this is too slow and is closed. */
const MAX_BUFFERED = 16 * 1024 * 1024;

// Many watchers see the same event: serialise a plain event once.
const plainLines = new WeakMap<object, Map<string, string>>();
function plainLine(type: string, obj: any): string {
  let m = plainLines.get(obj);
  if (!m) plainLines.set(obj, (m = new Map()));
  let line = m.get(type);
  if (line === undefined) m.set(type, (line = JSON.stringify({ type, object: obj }) + '\n'));
  return line;
}

export function serveWatch(req: IncomingMessage, res: ServerResponse, storage: ResourceStorage, w: WatchRequest): void {
  const keyPrefix = storage.def.namespaced && w.namespace ? `${storage.cache.prefix}${w.namespace}/` : storage.cache.prefix;
  const present = w.present ?? ((o: any) => o);
  let sentColumns = false;

  const render = (type: string, obj: any): string => {
    if (w.rendering.as === 'object' && !w.present) return plainLine(type, obj);
    const shown = present(obj);
    let object: unknown = shown;
    if (w.rendering.as === 'Table') {
      object = toTable(storage.def, [shown], {
        version: w.rendering.version,
        includeObject: w.includeObject,
        resourceVersion: shown.metadata?.resourceVersion,
        noColumns: sentColumns,
      });
      sentColumns = true;
    } else if (w.rendering.as === 'PartialObjectMetadata') {
      object = partialMetadata(shown, w.rendering.version);
    }
    return JSON.stringify({ type, object }) + '\n';
  };

  res.writeHead(200, {
    'Content-Type': 'application/json',
    'Cache-Control': 'no-cache, private',
    'Transfer-Encoding': 'chunked',
  });
  res.flushHeaders();

  let closed = false;
  let unsubscribe: (() => void) | undefined;
  const timers: NodeJS.Timeout[] = [];
  const close = () => {
    if (closed) return;
    closed = true;
    unsubscribe?.();
    for (const t of timers) clearTimeout(t), clearInterval(t);
    res.end();
  };
  req.on('close', close);
  res.on('close', close);

  const write = (chunk: string) => {
    if (closed) return;
    res.write(chunk);
    if (res.writableLength > MAX_BUFFERED) close();
  };

  const onEvents = (events: CacheEvent[]) => {
    let out = '';
    for (const ev of events) {
      if (!ev.key.startsWith(keyPrefix)) continue;
      const now = ev.type !== 'DELETED' && w.match(ev.obj);
      const before = ev.prev !== undefined && w.match(ev.prev);
      if (ev.type === 'DELETED') {
        if (w.match(ev.obj)) out += render('DELETED', ev.obj);
      } else if (now && before) out += render('MODIFIED', ev.obj);
      else if (now) out += render('ADDED', ev.obj);
      else if (before) {
        // The object left the selection: watchers see it deleted, in its last matching state at this event's rv.
        out += render('DELETED', leftSelection(ev));
      }
    }
    if (out) write(out);
  };

  const cache = storage.cache;
  const rv = w.resourceVersion;
  try {
    if (!rv || rv === '0') {
      let out = '';
      for (const { obj } of cache.list(keyPrefix)) if (w.match(obj)) out += render('ADDED', obj);
      if (out) write(out);
      unsubscribe = cache.watch(cache.rev, onEvents);
    } else {
      const from = Number(rv);
      if (!Number.isFinite(from)) throw errors.badRequest(`invalid resource version "${rv}"`);
      unsubscribe = cache.watch(from, onEvents);
    }
  } catch (e) {
    if (e instanceof TooOldError) {
      write(JSON.stringify({ type: 'ERROR', object: errors.gone(e.message).toStatus() }) + '\n');
      close();
      return;
    }
    throw e;
  }

  if (w.bookmarks) {
    const apiVersion = apiVersionOf(storage.def);
    timers.push(
      setInterval(() => {
        write(JSON.stringify({ type: 'BOOKMARK', object: { kind: storage.def.kind, apiVersion, metadata: { resourceVersion: String(cache.rev) } } }) + '\n');
      }, BOOKMARK_INTERVAL_MS),
    );
  }
  const timeoutMs = w.timeoutSeconds && w.timeoutSeconds > 0 ? w.timeoutSeconds * 1000 : MIN_REQUEST_TIMEOUT_SECONDS * 1000 * (1 + Math.random());
  timers.push(setTimeout(close, timeoutMs));
}

// One copy per event, shared by every watcher whose selection the object left.
const leftCopies = new WeakMap<CacheEvent, any>();
function leftSelection(ev: CacheEvent): any {
  let obj = leftCopies.get(ev);
  if (!obj) {
    obj = { ...ev.prev, metadata: { ...ev.prev.metadata, resourceVersion: String(ev.rv) } };
    leftCopies.set(ev, obj);
  }
  return obj;
}
