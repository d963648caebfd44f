// Writes and reads the kubeconfig that points kubectl at a Skiff API server
// (HTTPS with our CA embedded, bearer-token user, one context).
import { randomBytes } from 'node:crypto';
import { readFileSync, renameSync, writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';

export interface KubeconfigSpec {
  server: string;
  caCertPem: string;
  token: string;
  /** Default 'skiff'. */
  clusterName?: string;
  /** Default 'admin'. */
  userName?: string;
  /** Default 'skiff'. */
  contextName?: string;
  /** Written into the context only when given. */
  namespace?: string;
}

export interface KubeconfigConnection {
  server: string;
  /** Undefined when the cluster entry names no CA (system roots would apply). */
  caCertPem: string | undefined;
  /** Undefined when the user entry has neither token nor tokenFile. */
  token: string | undefined;
  /** The context's namespace, or 'default' as kubectl assumes. */
  namespace: string;
  insecureSkipTLSVerify: boolean;
  /** The context that was used. */
  context: string;
}

/** Builds the kubeconfig document as a plain object (same shape kubectl writes). */
export function kubeconfigObject(spec: KubeconfigSpec): Record<string, unknown> {
  const cluster = spec.clusterName ?? 'skiff';
  const user = spec.userName ?? 'admin';
  const context = spec.contextName ?? 'skiff';
  return {
    apiVersion: 'v1',
    kind: 'Config',
    preferences: {},
    clusters: [
      {
        name: cluster,
        cluster: {
          server: spec.server,
          'certificate-authority-data': Buffer.from(spec.caCertPem, 'utf8').toString('base64'),
        },
      },
    ],
    users: [{ name: user, user: { token: spec.token } }],
    contexts: [
      {
        name: context,
        context: { cluster, user, ...(spec.namespace ? { namespace: spec.namespace } : {}) },
      },
    ],
    'current-context': context,
  };
}

/** Writes the kubeconfig (replacing any existing file) with mode 0600, atomically. */
export function writeKubeconfig(file: string, spec: KubeconfigSpec): void {
  mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const text = YAML.stringify(kubeconfigObject(spec), { lineWidth: 0 });
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  writeFileSync(tmp, text, { mode: 0o600 });
  renameSync(tmp, file);
}

/** Finds `{name, <field>: {...}}` in a kubeconfig list and returns the inner map. */
function findNamed(list: unknown, name: string, field: string): Record<string, unknown> | undefined {
  if (!Array.isArray(list)) return undefined;
  for (const entry of list as unknown[]) {
    if (entry && typeof entry === 'object' && (entry as Record<string, unknown>)['name'] === name) {
      const inner = (entry as Record<string, unknown>)[field];
      return inner && typeof inner === 'object' ? (inner as Record<string, unknown>) : {};
    }
  }
  return undefined;
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/**
 * Reads the connection details of one context (default: current-context).
 * Relative certificate-authority and tokenFile paths are resolved against the
 * kubeconfig's directory, as kubectl does.
 */
export function readKubeconfig(file: string, opts: { context?: string } = {}): KubeconfigConnection {
  const doc = (YAML.parse(readFileSync(file, 'utf8')) ?? {}) as Record<string, unknown>;
  const contextName = opts.context ?? str(doc['current-context']);
  if (!contextName) throw new Error(`kubeconfig ${file}: no current-context is set`);
  const ctx = findNamed(doc['contexts'], contextName, 'context');
  if (!ctx) throw new Error(`kubeconfig ${file}: context "${contextName}" does not exist`);
  const clusterName = str(ctx['cluster']);
  const cluster = clusterName ? findNamed(doc['clusters'], clusterName, 'cluster') : undefined;
  if (!cluster) throw new Error(`kubeconfig ${file}: cluster "${clusterName ?? ''}" of context "${contextName}" does not exist`);
  const server = str(cluster['server']);
  if (!server) throw new Error(`kubeconfig ${file}: cluster "${clusterName}" has no server`);
  const userName = str(ctx['user']);
  const user = (userName ? findNamed(doc['users'], userName, 'user') : undefined) ?? {};

  const base = path.dirname(path.resolve(file));
  const resolve = (p: string) => (path.isAbsolute(p) ? p : path.join(base, p));

  let caCertPem: string | undefined;
  const caData = str(cluster['certificate-authority-data']);
  const caFile = str(cluster['certificate-authority']);
  if (caData) caCertPem = Buffer.from(caData, 'base64').toString('utf8');
  else if (caFile) caCertPem = readFileSync(resolve(caFile), 'utf8');

  let token = str(user['token']);
  const tokenFile = str(user['tokenFile']);
  if (!token && tokenFile) token = readFileSync(resolve(tokenFile), 'utf8').trim();

  return {
    server,
    caCertPem,
    token,
    namespace: str(ctx['namespace']) ?? 'default',
    insecureSkipTLSVerify: cluster['insecure-skip-tls-verify'] === true,
    context: contextName,
  };
}
