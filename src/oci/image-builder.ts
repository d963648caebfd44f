// Builds OCI images (gzipped layer tarballs, config, manifest) in memory.
// Output is deterministic: entries are sorted, every mtime is the epoch and the
// gzip header carries no timestamp, so the same input always yields the same digests.

import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { gzipSync } from 'node:zlib';
import tar from 'tar-stream';
import { MEDIA_TYPE_OCI_CONFIG, MEDIA_TYPE_OCI_LAYER_GZIP, MEDIA_TYPE_OCI_MANIFEST } from './media-types.js';

type TarHeader = Partial<tar.Header> & { name: string };

interface EntryOwner {
  uid?: number;
  gid?: number;
}

/** A regular file: give its bytes in `content`, or a host path to copy in `source`. */
export interface RegularFileEntry extends EntryOwner {
  type: 'file';
  path: string;
  content?: Buffer | string;
  source?: string;
  /** Permission bits; default 0o644, or the source file's bits when `source` is given. */
  mode?: number;
}

export interface DirectoryEntry extends EntryOwner {
  type: 'dir';
  path: string;
  /** Permission bits (sticky bit allowed, e.g. 0o1777); default 0o755. */
  mode?: number;
}

export interface SymlinkEntry extends EntryOwner {
  type: 'symlink';
  path: string;
  target: string;
}

export type FileEntry = RegularFileEntry | DirectoryEntry | SymlinkEntry;

/** The runtime part of an OCI image config (the `config` object), Docker-style capitalised names. */
export interface ImageRuntimeConfig {
  Entrypoint?: string[];
  Cmd?: string[];
  Env?: string[];
  WorkingDir?: string;
  User?: string;
  ExposedPorts?: Record<string, Record<string, never>>;
  Labels?: Record<string, string>;
  StopSignal?: string;
}

export interface ImageSpec {
  files: FileEntry[];
  config: ImageRuntimeConfig;
  /** OCI architecture name; defaults to the host's (x64 → amd64, arm64 → arm64). */
  architecture?: string;
  os?: 'linux';
}

export interface Blob {
  digest: string;
  size: number;
  data: Buffer;
}

export interface LayerBlob extends Blob {
  /** sha256 of the uncompressed tar (goes into config.rootfs.diff_ids). */
  diffId: string;
  mediaType: string;
}

export interface BuiltImage {
  layers: LayerBlob[];
  config: Blob & { mediaType: string };
  manifest: Blob & { mediaType: string };
}

const EPOCH = new Date(0);
const EPOCH_ISO = '1970-01-01T00:00:00Z';

export function sha256Digest(data: Buffer): string {
  return 'sha256:' + createHash('sha256').update(data).digest('hex');
}

/** Maps Node's process.arch onto the GOARCH names used by OCI platforms. */
export function ociArchitecture(nodeArch: string = process.arch): string {
  const map: Record<string, string> = { x64: 'amd64', arm64: 'arm64', arm: 'arm', ia32: '386', ppc64: 'ppc64le', s390x: 's390x', riscv64: 'riscv64' };
  const arch = map[nodeArch];
  if (!arch) throw new Error(`no OCI architecture known for node arch ${nodeArch}`);
  return arch;
}

/** Strips leading "/" and "./" and trailing "/"; rejects empty paths and "..". */
export function normalizeEntryPath(p: string): string {
  const parts = p.split('/').filter((s) => s !== '' && s !== '.');
  if (parts.length === 0) throw new Error(`invalid image path ${JSON.stringify(p)}`);
  if (parts.includes('..')) throw new Error(`image path must not contain "..": ${p}`);
  return parts.join('/');
}

interface TarItem {
  header: TarHeader;
  body?: Buffer;
}

/**
 * Turns the entries into sorted tar items. Missing parent directories are added (0755, root);
 * a later entry for the same path replaces an earlier one.
 */
function tarItems(files: FileEntry[]): TarItem[] {
  const byPath = new Map<string, TarItem>();
  for (const f of files) {
    const name = normalizeEntryPath(f.path);
    const owner = { uid: f.uid ?? 0, gid: f.gid ?? 0, uname: '', gname: '', mtime: EPOCH };
    if (f.type === 'dir') {
      byPath.set(name, { header: { ...owner, name: name + '/', type: 'directory', mode: f.mode ?? 0o755 } });
    } else if (f.type === 'symlink') {
      byPath.set(name, { header: { ...owner, name, type: 'symlink', linkname: f.target, mode: 0o777 } });
    } else {
      if ((f.content === undefined) === (f.source === undefined)) {
        throw new Error(`file ${f.path}: give exactly one of content or source`);
      }
      let body: Buffer;
      let mode = f.mode;
      if (f.source !== undefined) {
        body = fs.readFileSync(f.source);
        mode ??= fs.statSync(f.source).mode & 0o7777;
      } else {
        body = Buffer.isBuffer(f.content) ? f.content : Buffer.from(f.content!, 'utf8');
      }
      byPath.set(name, { header: { ...owner, name, type: 'file', mode: mode ?? 0o644, size: body.length }, body });
    }
  }
  for (const name of [...byPath.keys()]) {
    const parts = name.split('/');
    for (let i = 1; i < parts.length; i++) {
      const parent = parts.slice(0, i).join('/');
      const existing = byPath.get(parent);
      if (!existing) {
        byPath.set(parent, { header: { name: parent + '/', type: 'directory', mode: 0o755, uid: 0, gid: 0, uname: '', gname: '', mtime: EPOCH } });
      } else if (existing.header.type !== 'directory') {
        throw new Error(`image path ${parent} is used both as a ${existing.header.type} and as a directory`);
      }
    }
  }
  // Sorting by path component keeps every parent directly before its children.
  return [...byPath.entries()]
    .sort(([a], [b]) => compareComponents(a.split('/'), b.split('/')))
    .map(([, item]) => item);
}

function compareComponents(a: string[], b: string[]): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    if (a[i] !== b[i]) return a[i] < b[i] ? -1 : 1;
  }
  return a.length - b.length;
}

/** Packs the entries into an uncompressed tar. */
export async function buildLayerTar(files: FileEntry[]): Promise<Buffer> {
  const pack = tar.pack();
  const chunks: Buffer[] = [];
  const done = (async () => {
    for await (const chunk of pack) chunks.push(chunk as Buffer);
  })();
  for (const item of tarItems(files)) {
    await new Promise<void>((resolve, reject) => {
      pack.entry(item.header, item.body ?? Buffer.alloc(0), (err) => (err ? reject(err) : resolve()));
    });
  }
  pack.finalize();
  await done;
  return Buffer.concat(chunks);
}

/** Gzips a layer tar with fixed settings (Node writes mtime 0 in the gzip header). */
export function gzipLayer(tarData: Buffer): Buffer {
  return gzipSync(tarData, { level: 6 });
}

/** Serialises JSON the way registries and containerd expect: compact, key order as written. */
function jsonBlob(value: unknown): Buffer {
  return Buffer.from(JSON.stringify(value), 'utf8');
}

/** Builds one gzipped layer from the entries. */
export async function buildLayer(files: FileEntry[]): Promise<LayerBlob> {
  const tarData = await buildLayerTar(files);
  const gz = gzipLayer(tarData);
  return { digest: sha256Digest(gz), diffId: sha256Digest(tarData), size: gz.length, data: gz, mediaType: MEDIA_TYPE_OCI_LAYER_GZIP };
}

/**
 * Puts config and manifest on top of ready layers (bottom layer first). Lets several images
 * share one layer (same rootfs, different Cmd) without packing it again.
 */
export function assembleImage(layers: LayerBlob[], spec: Omit<ImageSpec, 'files'>): BuiltImage {
  if (layers.length === 0) throw new Error('an image needs at least one layer');
  const configData = jsonBlob(buildConfig(spec, layers.map((l) => l.diffId)));
  const configBlob = { digest: sha256Digest(configData), size: configData.length, data: configData, mediaType: MEDIA_TYPE_OCI_CONFIG };
  const manifest = {
    schemaVersion: 2,
    mediaType: MEDIA_TYPE_OCI_MANIFEST,
    config: { mediaType: configBlob.mediaType, digest: configBlob.digest, size: configBlob.size },
    layers: layers.map((l) => ({ mediaType: l.mediaType, digest: l.digest, size: l.size })),
  };
  const manifestData = jsonBlob(manifest);
  return {
    layers,
    config: configBlob,
    manifest: { digest: sha256Digest(manifestData), size: manifestData.length, data: manifestData, mediaType: MEDIA_TYPE_OCI_MANIFEST },
  };
}

/** Builds a single-layer image from the spec's files and config. */
export async function buildImage(spec: ImageSpec): Promise<BuiltImage> {
  return assembleImage([await buildLayer(spec.files)], spec);
}

function buildConfig(spec: Omit<ImageSpec, 'files'>, diffIds: string[]): Record<string, unknown> {
  // Only set fields go into config, so absent ones stay absent (as in images built by other tools).
  const rc: Record<string, unknown> = {};
  const c = spec.config;
  if (c.User !== undefined) rc.User = c.User;
  if (c.ExposedPorts !== undefined) rc.ExposedPorts = sortedRecord(c.ExposedPorts);
  if (c.Env !== undefined) rc.Env = c.Env;
  if (c.Entrypoint !== undefined) rc.Entrypoint = c.Entrypoint;
  if (c.Cmd !== undefined) rc.Cmd = c.Cmd;
  if (c.WorkingDir !== undefined) rc.WorkingDir = c.WorkingDir;
  if (c.Labels !== undefined) rc.Labels = sortedRecord(c.Labels);
  if (c.StopSignal !== undefined) rc.StopSignal = c.StopSignal;
  return {
    created: EPOCH_ISO,
    architecture: spec.architecture ?? ociArchitecture(),
    os: spec.os ?? 'linux',
    config: rc,
    rootfs: { type: 'layers', diff_ids: diffIds },
    history: diffIds.map(() => ({ created: EPOCH_ISO, created_by: 'skiff oci image-builder' })),
  };
}

function sortedRecord<T>(r: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(r).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
