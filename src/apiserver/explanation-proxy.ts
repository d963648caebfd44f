// GET /apis/skiff.dev/v1/namespaces/NS/schedulingexplanations/NAME: the API
// server forwards to the scheduler that holds the explanations in memory. The
// scheduler advertises where through annotations on its Lease (kube-system/kube-scheduler),
// so the two components meet only through the API.

import http from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ExtraRoute } from './server.js';
import type { ResourceStorage } from './registry.js';
import { errors, ApiError } from './status.js';
import { sendJson } from './http-util.js';

export const EXPLAIN_URL_ANNOTATION = 'skiff.dev/explanations-url';
export const EXPLAIN_TOKEN_ANNOTATION = 'skiff.dev/explanations-token';
export const SCHEDULER_LEASE = { namespace: 'kube-system', name: 'kube-scheduler' };

const PREFIX = '/apis/skiff.dev/v1';

export function explanationRoute(leases: () => ResourceStorage): ExtraRoute {
  return {
    resource: {
      group: 'skiff.dev',
      version: 'v1',
      plural: 'schedulingexplanations',
      singular: 'schedulingexplanation',
      kind: 'SchedulingExplanation',
      namespaced: true,
      verbs: ['get', 'list'],
    },
    async handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean> {
      if (!url.pathname.startsWith(PREFIX + '/')) return false;
      const m = url.pathname.slice(PREFIX.length).match(/^\/(?:namespaces\/([^/]+)\/)?schedulingexplanations(?:\/([^/]+))?\/?$/);
      if (!m) throw errors.notFoundPath();
      if (req.method !== 'GET') throw errors.methodNotSupported({ group: 'skiff.dev', resource: 'schedulingexplanations' }, (req.method ?? '').toLowerCase());
      const lease = leases().peek(SCHEDULER_LEASE.namespace, SCHEDULER_LEASE.name);
      const target = lease?.metadata?.annotations?.[EXPLAIN_URL_ANNOTATION];
      if (!target) {
        throw new ApiError(503, 'ServiceUnavailable', 'no scheduler is publishing scheduling explanations (is the scheduler running?)');
      }
      const path = `/${m[1] ? `namespaces/${m[1]}/` : ''}schedulingexplanations${m[2] ? `/${m[2]}` : ''}`;
      await forward(res, new URL(path, target), lease.metadata.annotations[EXPLAIN_TOKEN_ANNOTATION] ?? '');
      return true;
    },
  };
}

function forward(res: ServerResponse, url: URL, token: string): Promise<void> {
  return new Promise((resolve) => {
    const req = http.get(url, { headers: { Authorization: `Bearer ${token}` }, timeout: 10_000 }, (up) => {
      const chunks: Buffer[] = [];
      up.on('data', (c) => chunks.push(c));
      up.on('end', () => {
        const body = Buffer.concat(chunks);
        res.writeHead(up.statusCode ?? 502, { 'Content-Type': 'application/json', 'Content-Length': body.length });
        res.end(body);
        resolve();
      });
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', (e) => {
      sendJson(res, 503, new ApiError(503, 'ServiceUnavailable', `the scheduler did not answer: ${e.message}`).toStatus());
      resolve();
    });
  });
}
