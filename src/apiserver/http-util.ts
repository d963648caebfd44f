// Small response helpers: every answer is JSON, every error a Status.

import type { ServerResponse } from 'node:http';
import { ApiError, errors } from './status.js';
import { log } from '../log.js';

export function sendJson(res: ServerResponse, code: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(code, {
    'Content-Type': 'application/json',
    'Cache-Control': 'no-cache, private',
    'Content-Length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

export function toApiError(e: unknown): ApiError {
  if (e instanceof ApiError) return e;
  log.error('internal error', { error: (e as Error)?.stack ?? String(e) });
  return errors.internal((e as Error)?.message ?? String(e));
}

export function sendError(res: ServerResponse, e: unknown): void {
  const err = toApiError(e);
  if (res.headersSent) {
    res.destroy();
    return;
  }
  sendJson(res, err.code, err.toStatus());
}

/** Warning headers as Kubernetes formats them: 299 - "text". */
export function warningHeader(warnings: string[]): Record<string, string> | Record<string, string[]> {
  if (!warnings.length) return {};
  return { Warning: warnings.map((w) => `299 - ${JSON.stringify(w)}`) } as unknown as Record<string, string>;
}
