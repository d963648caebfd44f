// Writes images as an OCI image layout packed in a tar ("oci-archive"), the format
// `ctr images import` and `skopeo copy oci-archive:` read.

import fs from 'node:fs';
import { pipeline } from 'node:stream/promises';
import tar from 'tar-stream';
import type { BuiltImage } from './image-builder.js';
import { ANNOTATION_CONTAINERD_IMAGE_NAME, ANNOTATION_REF_NAME, MEDIA_TYPE_OCI_INDEX } from './media-types.js';

type TarHeader = Partial<tar.Header> & { name: string };

export interface ArchiveImage {
  image: BuiltImage;
  /** Full references such as `localhost/skiff/pause:3.9`; one index entry each. */
  refs: string[];
}

const EPOCH = new Date(0);

/**
 * The index.json of the layout. Each ref is written both as the OCI ref-name annotation
 * (full reference, as skopeo writes it) and as containerd's image-name annotation, which
 * containerd's importer reads first; either alone names the image in containerd 1.6.
 */
export function ociLayoutIndex(items: ArchiveImage[]): Record<string, unknown> {
  const manifests = items.flatMap(({ image, refs }) =>
    refs.map((ref) => ({
      mediaType: image.manifest.mediaType,
      digest: image.manifest.digest,
      size: image.manifest.size,
      annotations: { [ANNOTATION_CONTAINERD_IMAGE_NAME]: ref, [ANNOTATION_REF_NAME]: ref },
    })),
  );
  return { schemaVersion: 2, mediaType: MEDIA_TYPE_OCI_INDEX, manifests };
}

/** Tar entries of the layout: oci-layout, index.json, then each distinct blob once. */
function layoutEntries(items: ArchiveImage[]): Array<{ name: string; data?: Buffer }> {
  const blobs = new Map<string, Buffer>();
  for (const { image } of items) {
    for (const b of [...image.layers, image.config, image.manifest]) blobs.set(b.digest, b.data);
  }
  const entries: Array<{ name: string; data?: Buffer }> = [
    { name: 'oci-layout', data: Buffer.from(JSON.stringify({ imageLayoutVersion: '1.0.0' })) },
    { name: 'index.json', data: Buffer.from(JSON.stringify(ociLayoutIndex(items))) },
    { name: 'blobs/' },
    { name: 'blobs/sha256/' },
  ];
  for (const digest of [...blobs.keys()].sort()) {
    const [alg, hex] = digest.split(':');
    if (alg !== 'sha256' || !/^[0-9a-f]{64}$/.test(hex ?? '')) throw new Error(`unsupported digest ${digest}`);
    entries.push({ name: `blobs/sha256/${hex}`, data: blobs.get(digest)! });
  }
  return entries;
}

/** Writes several images (each under one or more refs) into one archive. */
export async function writeOciArchiveMulti(path: string, items: ArchiveImage[]): Promise<void> {
  if (items.some((i) => i.refs.length === 0)) throw new Error('every archived image needs at least one ref');
  const pack = tar.pack();
  const written = pipeline(pack, fs.createWriteStream(path));
  for (const e of layoutEntries(items)) {
    const header: TarHeader = e.data
      ? { name: e.name, type: 'file', mode: 0o644, size: e.data.length, mtime: EPOCH, uid: 0, gid: 0, uname: '', gname: '' }
      : { name: e.name, type: 'directory', mode: 0o755, mtime: EPOCH, uid: 0, gid: 0, uname: '', gname: '' };
    await new Promise<void>((resolve, reject) => pack.entry(header, e.data ?? Buffer.alloc(0), (err) => (err ? reject(err) : resolve())));
  }
  pack.finalize();
  await written;
}

/** Writes one image under `ref` (or several refs) as an OCI archive at `path`. */
export async function writeOciArchive(path: string, image: BuiltImage, ref: string | string[]): Promise<void> {
  await writeOciArchiveMulti(path, [{ image, refs: Array.isArray(ref) ? ref : [ref] }]);
}
