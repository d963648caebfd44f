// Registry credentials from a pod's imagePullSecrets, matched against an image
// the way the kubelet's credentialprovider keyring does: each docker config key
// (`https://host/path`, `host:port`, `*.example.com`) becomes a schemeless
// host+path; keys are tried most specific first (reverse lexical order), a key
// matches when the port is equal, the host has the same number of dot-parts
// and each part glob-matches, and the key's path is a prefix of the image's.
// Docker Hub images fall back to the `index.docker.io` entry.

import type { AuthConfig } from '../cri/api.js';

/** One registry credential, as the docker config entry gives it. */
export interface RegistryCredential {
  username: string;
  password: string;
  email?: string;
}

/** host-or-URL key → credential (the inside of `.dockercfg`, or `auths` of `.dockerconfigjson`). */
export type DockerConfig = Record<string, RegistryCredential>;

export const SECRET_TYPE_DOCKER_CONFIG_JSON = 'kubernetes.io/dockerconfigjson';
export const SECRET_TYPE_DOCKERCFG = 'kubernetes.io/dockercfg';
const DEFAULT_REGISTRY_HOST = 'index.docker.io';

/** Reads one entry: a non-empty `auth` (base64 "user:pass") wins over username/password. */
function parseEntry(raw: any): RegistryCredential {
  if (!raw || typeof raw !== 'object') throw new Error('docker config entry is not an object');
  const cred: RegistryCredential = { username: str(raw.username), password: str(raw.password) };
  if (raw.email) cred.email = str(raw.email);
  const auth = str(raw.auth);
  if (auth) {
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(auth) || auth.length % 4 !== 0) throw new Error('illegal base64 data in auth field');
    const decoded = Buffer.from(auth, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) throw new Error('unable to parse auth field, must be formatted as base64(username:password)');
    cred.username = decoded.slice(0, colon);
    cred.password = decoded.slice(colon + 1);
  }
  return cred;
}

const str = (v: unknown): string => (typeof v === 'string' ? v : '');

function parseEntries(obj: unknown): DockerConfig {
  if (!obj || typeof obj !== 'object' || Array.isArray(obj)) throw new Error('docker config is not an object');
  const out: DockerConfig = {};
  for (const [key, raw] of Object.entries(obj as Record<string, unknown>)) out[key] = parseEntry(raw);
  return out;
}

/**
 * The docker config carried by a pull secret, or undefined when the secret is
 * of another type or lacks its key (the kubelet ignores such secrets). Throws
 * when the content is not valid.
 */
export function dockerConfigFromSecret(secret: { type?: string; data?: Record<string, string> }): DockerConfig | undefined {
  const data = secret.data ?? {};
  const decode = (k: string): string | undefined => (data[k] ? Buffer.from(data[k], 'base64').toString('utf8') : undefined);
  if (secret.type === SECRET_TYPE_DOCKER_CONFIG_JSON) {
    const text = decode('.dockerconfigjson');
    if (!text) return undefined;
    const parsed = JSON.parse(text);
    return parseEntries(parsed?.auths ?? {});
  }
  if (secret.type === SECRET_TYPE_DOCKERCFG) {
    const text = decode('.dockercfg');
    if (!text) return undefined;
    return parseEntries(JSON.parse(text));
  }
  return undefined;
}

/** A schemeless URL split into host (with port) and path. */
interface SchemelessUrl {
  host: string;
  path: string;
}

function splitSchemeless(s: string): SchemelessUrl {
  const rest = s.replace(/^[a-zA-Z][a-zA-Z0-9+.-]*:\/\//, '');
  // Query and fragment are not part of what is matched.
  const cut = rest.search(/[?#]/);
  const trimmed = cut >= 0 ? rest.slice(0, cut) : rest;
  const slash = trimmed.indexOf('/');
  return slash < 0 ? { host: trimmed, path: '' } : { host: trimmed.slice(0, slash), path: trimmed.slice(slash) };
}

/** host:port → dot-separated host parts and the port ('' when none). */
function splitHostPort(host: string): { parts: string[]; port: string } {
  const m = /^\[([^\]]*)\]:(\d*)$/.exec(host) ?? /^([^:[\]]*):(\d*)$/.exec(host);
  if (m) return { parts: m[1].split('.'), port: m[2] };
  return { parts: host.split('.'), port: '' };
}

/** A shell-style glob for one host part (* ? [...]) as a regular expression; undefined when malformed. */
function globToRegExp(glob: string): RegExp | undefined {
  let re = '^';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '\\') {
      if (i + 1 >= glob.length) return undefined;
      re += escapeRe(glob[++i]);
    } else if (c === '[') {
      const end = glob.indexOf(']', i + 2);
      if (end < 0) return undefined;
      let body = glob.slice(i + 1, end);
      if (body.startsWith('^')) body = '^' + body.slice(1).replace(/[\]\\]/g, '\\$&');
      else body = body.replace(/[\]\\^]/g, '\\$&');
      re += `[${body}]`;
      i = end;
    } else re += escapeRe(c);
  }
  try {
    return new RegExp(re + '$');
  } catch {
    return undefined;
  }
}

const escapeRe = (s: string): string => s.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');

/** Whether a credential key (possibly with globs in the host) applies to the target image name. */
export function urlsMatch(glob: string, target: string): boolean {
  const g = splitSchemeless(glob);
  const t = splitSchemeless(target);
  const gh = splitHostPort(g.host);
  const th = splitHostPort(t.host);
  if (gh.port !== th.port) return false;
  if (gh.parts.length !== th.parts.length) return false;
  if (!t.path.startsWith(g.path)) return false;
  return gh.parts.every((part, k) => globToRegExp(part)?.test(th.parts[k]) ?? false);
}

/** Whether an image name pulls from Docker Hub (so the index.docker.io credential applies). */
export function isDefaultRegistryMatch(image: string): boolean {
  const slash = image.indexOf('/');
  const first = slash < 0 ? image : image.slice(0, slash);
  if (first.length === 0) return false;
  if (slash < 0) return true;
  if (first === 'docker.io' || first === 'index.docker.io') return true;
  return !/[.:]/.test(first);
}

/** The normalised key a docker config entry is filed under. */
export function keyringKey(location: string): string {
  const withScheme = /^https?:\/\//.test(location) ? location : `https://${location}`;
  const { host, path } = splitSchemeless(withScheme);
  // /v1/ and /v2/ mean the registry root, as in the docker client.
  const effective = path.startsWith('/v1/') || path.startsWith('/v2/') ? path.slice(3) : path;
  return effective.length > 0 && effective !== '/' ? host + effective : host;
}

export class DockerKeyring {
  private readonly creds = new Map<string, RegistryCredential[]>();
  private index: string[] = [];

  /** Adds every entry of a docker config; later additions for the same key come after earlier ones. */
  add(config: DockerConfig): void {
    for (const [location, cred] of Object.entries(config)) {
      const key = keyringKey(location);
      const list = this.creds.get(key) ?? [];
      list.push(cred);
      this.creds.set(key, list);
    }
    // Reverse lexical order puts more specific paths of one host first.
    this.index = [...this.creds.keys()].sort().reverse();
  }

  /** Candidate credentials for an image name (domain/path, no tag), best first; empty when none apply. */
  lookup(imageName: string): RegistryCredential[] {
    const out: RegistryCredential[] = [];
    for (const key of this.index) {
      if (urlsMatch(key, imageName)) out.push(...this.creds.get(key)!);
    }
    if (out.length > 0) return out;
    if (isDefaultRegistryMatch(imageName)) return [...(this.creds.get(DEFAULT_REGISTRY_HOST) ?? [])];
    return [];
  }
}

/** The CRI form of a credential (server_address left empty: containerd rejects a bare host, cri-notes P13). */
export function toCriAuth(cred: RegistryCredential): AuthConfig {
  return { username: cred.username, password: cred.password };
}
