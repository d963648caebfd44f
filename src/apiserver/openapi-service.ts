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
      // kubectl asks for the protobuf form only. It gets a document without definitions: kubectl
      // then treats every kind as having no v2 schema — apply falls back to its built-in types
      // (wire contract §5.2) and create/apply of an unknown kind or version reaches kubectl's own
      // "no matches for kind" error, as against a real server (a 404 here fails every such command
      // with "failed to download openapi").
      const accept = req.headers.accept ?? '';
      if (accept.includes('protobuf') && !accept.includes('json')) return sendProtobuf(res, EMPTY_V2_PROTOBUF);
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

/** openapi_v2.Document with only `swagger: "2.0"` (field 1). */
const EMPTY_V2_PROTOBUF = Buffer.from([0x0a, 0x03, 0x32, 0x2e, 0x30]);

function sendProtobuf(res: ServerResponse, body: Buffer): void {
  res.writeHead(200, { 'Content-Type': 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf', 'Cache-Control': 'no-cache, private', 'Content-Length': body.length });
  res.end(body);
}

function send(res: ServerResponse, text: string, cache: string, etag?: string): void {
  const headers: Record<string, string | number> = { 'Content-Type': 'application/json', 'Cache-Control': cache, 'Content-Length': Buffer.byteLength(text) };
  if (etag) headers.Etag = `"${etag}"`;
  res.writeHead(200, headers);
  res.end(text);
}
