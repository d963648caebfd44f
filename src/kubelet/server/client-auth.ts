// Who may talk to the kubelet API: clients presenting a certificate signed by
// the cluster CA whose CN is an allowed name (the API server's
// kube-apiserver-kubelet-client) or whose O includes system:masters.

import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { HttpTextError } from './http-text.js';

export const DEFAULT_ALLOWED_CNS = ['kube-apiserver-kubelet-client'];

function asList(v: string | string[] | undefined): string[] {
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
}

/** Kubernetes' kubelet maps paths to a nodes subresource for authorization messages. */
function subresourceFor(path: string): string {
  if (path.startsWith('/stats')) return 'stats';
  if (path.startsWith('/metrics')) return 'metrics';
  if (path.startsWith('/logs/')) return 'log';
  if (path.startsWith('/spec/')) return 'spec';
  return 'proxy';
}

/** Throws HttpTextError 401 (no valid client cert) or 403 (cert of someone else). Returns the user name. */
export function authorizeClient(req: IncomingMessage, allowedCNs: string[]): string {
  const socket = req.socket as TLSSocket;
  const cert = typeof socket.getPeerCertificate === 'function' ? socket.getPeerCertificate() : undefined;
  if (!socket.authorized || !cert || !cert.subject) throw new HttpTextError(401, 'Unauthorized');
  const cn = asList(cert.subject.CN)[0] ?? '';
  const orgs = asList(cert.subject.O);
  if (allowedCNs.includes(cn) || orgs.includes('system:masters')) return cn;
  const verb = req.method === 'POST' ? 'create' : req.method === 'PUT' ? 'update' : req.method === 'DELETE' ? 'delete' : 'get';
  const path = new URL(req.url ?? '/', 'https://kubelet').pathname;
  throw new HttpTextError(403, `Forbidden (user=${cn}, verb=${verb}, resource=nodes, subresource=${subresourceFor(path)})`);
}
