// Pushes a built image to a loopback registry with the Registry HTTP API v2:
// HEAD each blob, upload missing ones monolithically (POST then PUT ?digest=), then PUT the manifest.
// Answers 401 with `WWW-Authenticate: Basic` by retrying with the given credentials.

import http from 'node:http';
import type { BuiltImage } from './image-builder.js';
import { MEDIA_TYPE_OCI_INDEX, MEDIA_TYPE_OCI_MANIFEST } from './media-types.js';

export interface RegistryCredentials {
  username: string;
  password: string;
}

export interface PushTarget extends Partial<RegistryCredentials> {
  /** Base URL, e.g. `http://127.0.0.1:5000`. Only loopback hosts are accepted. */
  registry: string;
  /** e.g. `library/busybox` */
  repository: string;
  tag: string;
}

export interface PushResult {
  /** Reference pullable by containerd, e.g. `127.0.0.1:5000/library/busybox:1.36`. */
  ref: string;
  /** Manifest digest as the registry reported it (Docker-Content-Digest). */
  digest: string;
  uploadedBlobs: number;
  existingBlobs: number;
}

/** A registry answered with an unexpected status; `code` is the first v2 error code, if any. */
export class RegistryError extends Error {
  constructor(
    readonly status: number,
    readonly code: string | undefined,
    message: string,
  ) {
    super(message);
    this.name = 'RegistryError';
  }
}

interface HttpResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

const REPOSITORY_RE = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/;
const TAG_RE = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;

export function isLoopbackHost(hostname: string): boolean {
  const h = hostname.replace(/^\[|\]$/g, '');
  return h === 'localhost' || h === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
}

function basicAuth(c: RegistryCredentials): string {
  return 'Basic ' + Buffer.from(`${c.username}:${c.password}`, 'utf8').toString('base64');
}

function send(method: string, url: URL, headers: Record<string, string>, body?: Buffer): Promise<HttpResponse> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      { method, agent: false, headers: { ...headers, ...(body ? { 'Content-Length': String(body.length) } : {}) } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

function errorFrom(res: HttpResponse, what: string): RegistryError {
  let code: string | undefined;
  let detail = '';
  try {
    const parsed = JSON.parse(res.body.toString('utf8')) as { errors?: Array<{ code?: string; message?: string }> };
    code = parsed.errors?.[0]?.code;
    detail = parsed.errors?.map((e) => `${e.code}: ${e.message}`).join('; ') ?? '';
  } catch {
    detail = res.body.toString('utf8').slice(0, 200);
  }
  // HEAD answers carry no body; a 401 there still means the v2 UNAUTHORIZED error.
  if (code === undefined && res.status === 401) code = 'UNAUTHORIZED';
  return new RegistryError(res.status, code, `${what}: HTTP ${res.status}${detail ? ` (${detail})` : ''}`);
}

/** A tiny v2 client for one registry that remembers once it needs Basic auth. */
export class RegistryClient {
  readonly base: URL;
  private authHeader: string | undefined;

  constructor(
    registry: string,
    private readonly creds?: RegistryCredentials,
  ) {
    this.base = new URL(registry);
    if (this.base.protocol !== 'http:') throw new Error(`only http:// loopback registries are supported, got ${registry}`);
    if (!isLoopbackHost(this.base.hostname)) throw new Error(`registry ${registry} is not on loopback`);
  }

  /** host:port as used in image references. */
  get host(): string {
    return this.base.host;
  }

  async request(method: string, pathOrUrl: string, headers: Record<string, string> = {}, body?: Buffer): Promise<HttpResponse> {
    const url = new URL(pathOrUrl, this.base);
    if (url.host !== this.base.host) throw new Error(`registry redirected to another host: ${url.host}`);
    const withAuth = () => (this.authHeader ? { ...headers, Authorization: this.authHeader } : headers);
    let res = await send(method, url, withAuth(), body);
    if (res.status === 401 && !this.authHeader) {
      const challenge = String(res.headers['www-authenticate'] ?? '');
      const scheme = challenge.split(' ')[0]?.toLowerCase();
      if (scheme !== 'basic') {
        throw new RegistryError(401, 'UNAUTHORIZED', `registry wants unsupported auth ${JSON.stringify(challenge)} for ${method} ${url.pathname}`);
      }
      if (!this.creds) throw errorFrom(res, `${method} ${url.pathname} needs credentials`);
      this.authHeader = basicAuth(this.creds);
      res = await send(method, url, withAuth(), body);
    }
    return res;
  }

  async blobExists(repository: string, digest: string): Promise<boolean> {
    const res = await this.request('HEAD', `/v2/${repository}/blobs/${digest}`);
    if (res.status === 200) return true;
    if (res.status === 404) return false;
    throw errorFrom(res, `HEAD blob ${digest}`);
  }

  async uploadBlob(repository: string, digest: string, data: Buffer): Promise<void> {
    const start = await this.request('POST', `/v2/${repository}/blobs/uploads/`);
    if (start.status !== 202) throw errorFrom(start, `start upload to ${repository}`);
    const location = start.headers.location;
    if (!location) throw new RegistryError(start.status, undefined, 'upload start answered without a Location header');
    const target = new URL(location, this.base);
    target.searchParams.set('digest', digest);
    const put = await this.request('PUT', target.toString(), { 'Content-Type': 'application/octet-stream' }, data);
    if (put.status !== 201) throw errorFrom(put, `upload blob ${digest}`);
  }

  async putManifest(repository: string, reference: string, mediaType: string, data: Buffer): Promise<string> {
    const res = await this.request('PUT', `/v2/${repository}/manifests/${reference}`, { 'Content-Type': mediaType }, data);
    if (res.status !== 201) throw errorFrom(res, `put manifest ${repository}:${reference}`);
    return String(res.headers['docker-content-digest'] ?? '');
  }

  /** GET a manifest with OCI (and Docker v2) accept types; returns its body, media type and digest. */
  async getManifest(repository: string, reference: string): Promise<{ mediaType: string; digest: string; data: Buffer }> {
    const accept = [MEDIA_TYPE_OCI_MANIFEST, MEDIA_TYPE_OCI_INDEX, 'application/vnd.docker.distribution.manifest.v2+json'].join(', ');
    const res = await this.request('GET', `/v2/${repository}/manifests/${reference}`, { Accept: accept });
    if (res.status !== 200) throw errorFrom(res, `get manifest ${repository}:${reference}`);
    return { mediaType: String(res.headers['content-type'] ?? ''), digest: String(res.headers['docker-content-digest'] ?? ''), data: res.body };
  }
}

/** Pushes all blobs (skipping those already there) and then the manifest under `tag`. */
export async function pushImage(image: BuiltImage, target: PushTarget): Promise<PushResult> {
  if (!REPOSITORY_RE.test(target.repository)) throw new Error(`invalid repository name ${JSON.stringify(target.repository)}`);
  if (!TAG_RE.test(target.tag)) throw new Error(`invalid tag ${JSON.stringify(target.tag)}`);
  if ((target.username === undefined) !== (target.password === undefined)) throw new Error('give both username and password, or neither');
  const creds = target.username !== undefined ? { username: target.username, password: target.password! } : undefined;
  const client = new RegistryClient(target.registry, creds);
  let uploaded = 0;
  let existing = 0;
  for (const blob of [...image.layers, image.config]) {
    if (await client.blobExists(target.repository, blob.digest)) {
      existing++;
    } else {
      await client.uploadBlob(target.repository, blob.digest, blob.data);
      uploaded++;
    }
  }
  const digest = await client.putManifest(target.repository, target.tag, image.manifest.mediaType, image.manifest.data);
  if (digest && digest !== image.manifest.digest) {
    throw new Error(`registry stored manifest as ${digest}, expected ${image.manifest.digest}`);
  }
  return { ref: `${client.host}/${target.repository}:${target.tag}`, digest: digest || image.manifest.digest, uploadedBlobs: uploaded, existingBlobs: existing };
}
