// Serves /openapi/v3 (index + one document per group version) and /openapi/v2,
// all generated once from the schema.

import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { resources } from '../api/resources.js';
import { buildOpenApiV2, buildOpenApiV3, buildOpenApiV3Index } from '../api/schema/openapi.js';
import { typeByName } from '../api/schema/index.js';
import { groupVersions } from './discovery.js';
import { errors } from './status.js';

interface Doc {
  text: string;
  hash: string;
}

function gvPath(gv: { group: string; version: string }): string {
  return gv.group ? `apis/${gv.group}/${gv.version}` : `api/${gv.version}`;
}

function openApiResources(gv: { group: string; version: string }) {
  return resources
    .filter((r) => r.group === gv.group && r.version === gv.version && !r.verbs)
    .map((r) => ({ kind: r.kind, plural: r.plural, namespaced: r.namespaced, typeName: r.typeName, subresources: [...r.subresources] }));
}

export class OpenApiService {
  private docs?: Map<string, Doc>;
  private index?: string;
  private v2?: string;

  private build(): void {
    if (this.docs) return;
    this.docs = new Map();
    for (const gv of groupVersions()) {
      const text = JSON.stringify(buildOpenApiV3(gv, openApiResources(gv), typeByName));
      const hash = createHash('sha512').update(text).digest('hex').slice(0, 128).toUpperCase();
      this.docs.set(gvPath(gv), { text, hash });
    }
    this.index = JSON.stringify(buildOpenApiV3Index([...this.docs].map(([path, d]) => ({ path, hash: d.hash }))));
  }

  serve(req: IncomingMessage, res: ServerResponse, path: string, url: URL): void {
    this.build();
    if (path === '/openapi/v2') {
      // kubectl asks for the protobuf form only; a 404 makes it use its built-in types (wire contract §5.2).
      const accept = req.headers.accept ?? '';
      if (accept.includes('protobuf') && !accept.includes('json')) throw errors.notFoundPath();
      this.v2 ??= JSON.stringify(
        buildOpenApiV2(
          groupVersions().map((gv) => ({ ...gv, resources: openApiResources(gv) })),
          typeByName,
        ),
      );
      return send(res, this.v2, 'no-cache, private');
    }
    if (path === '/openapi/v3') return send(res, this.index!, 'no-cache, private');
    const doc = this.docs!.get(path.slice('/openapi/v3/'.length));
    if (!doc) throw errors.notFoundPath();
    const hash = url.searchParams.get('hash');
    if (hash && hash !== doc.hash) {
      // An old hash: point the client at the current document.
      res.writeHead(301, { Location: `${path}?hash=${doc.hash}`, 'Cache-Control': 'no-cache, private' });
      res.end();
      return;
    }
    send(res, doc.text, hash ? 'public, immutable, max-age=31536000' : 'no-cache, private', doc.hash);
  }
}

function send(res: ServerResponse, text: string, cache: string, etag?: string): void {
  const headers: Record<string, string | number> = { 'Content-Type': 'application/json', 'Cache-Control': cache, 'Content-Length': Buffer.byteLength(text) };
  if (etag) headers.Etag = `"${etag}"`;
  res.writeHead(200, headers);
  res.end(text);
}
