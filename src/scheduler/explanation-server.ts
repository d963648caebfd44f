// The scheduler's small loopback endpoint that serves its in-memory
// explanations; the API server proxies /apis/skiff.dev/v1/.../schedulingexplanations here.

import http from 'node:http';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { ExplanationStore } from './explanation.js';

export interface ExplanationServer {
  url: string;
  token: string;
  close(): Promise<void>;
}

function status(code: number, reason: string, message: string, name?: string): string {
  return JSON.stringify({
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message,
    reason,
    details: name ? { name, group: 'skiff.dev', kind: 'schedulingexplanations' } : undefined,
    code,
  });
}

export async function startExplanationServer(store: ExplanationStore): Promise<ExplanationServer> {
  const token = randomBytes(24).toString('hex');
  const expected = Buffer.from(`Bearer ${token}`);
  const server = http.createServer((req, res) => {
    const auth = Buffer.from(req.headers.authorization ?? '');
    const send = (code: number, body: string) => {
      res.writeHead(code, { 'Content-Type': 'application/json' });
      res.end(body);
    };
    if (auth.length !== expected.length || !timingSafeEqual(auth, expected)) return send(401, status(401, 'Unauthorized', 'Unauthorized'));
    const m = (req.url ?? '').split('?')[0].match(/^\/(?:namespaces\/([^/]+)\/)?schedulingexplanations(?:\/([^/]+))?$/);
    if (!m || req.method !== 'GET') return send(404, status(404, 'NotFound', 'the server could not find the requested resource'));
    const [, ns, name] = m;
    if (name) {
      const e = ns ? store.get(ns, name) : undefined;
      if (!e) return send(404, status(404, 'NotFound', `schedulingexplanations.skiff.dev "${name}" not found`, name));
      return send(200, JSON.stringify(e));
    }
    return send(200, JSON.stringify({ apiVersion: 'skiff.dev/v1', kind: 'SchedulingExplanationList', metadata: {}, items: store.list(ns) }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    token,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
