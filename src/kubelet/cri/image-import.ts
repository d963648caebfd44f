// Loads images that cannot be pulled (the machine is offline): the pause image
// above all, which must exist before the first RunPodSandbox (P16).

import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { CriRuntime } from './api.js';
import { connectCri } from './cri-client.js';

/** The containerd namespace the CRI plugin uses; images elsewhere are invisible to CRI. */
export const CRI_NAMESPACE = 'k8s.io';

/**
 * Imports an OCI (or docker) archive with `ctr images import`. ctr names the
 * image after the index's org.opencontainers.image.ref.name annotation, so the
 * archive must carry the full reference.
 */
export async function importImageArchive(socket: string, archivePath: string, namespace = CRI_NAMESPACE): Promise<string> {
  try {
    const { stdout } = await promisify(execFile)('ctr', ['-a', socket, '-n', namespace, 'images', 'import', archivePath], {
      timeout: 5 * 60_000,
      maxBuffer: 16 * 1024 * 1024,
    });
    return stdout;
  } catch (e) {
    const err = e as { stderr?: string; message: string };
    throw new Error(`ctr images import ${archivePath} failed: ${(err.stderr ?? '').trim() || err.message}`);
  }
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * Makes sure `ref` is present for CRI: when ImageStatus does not know it,
 * buildArchive writes an oci-archive to a temp path, which is imported.
 * Resolves true when it imported, false when the image was already there.
 * Pass `cri` to reuse a client; otherwise one is opened on socket.
 */
export async function ensurePauseImage(
  socket: string,
  ref: string,
  buildArchive: (archivePath: string) => Promise<void>,
  cri?: CriRuntime,
): Promise<boolean> {
  const client = cri ?? connectCri(socket);
  try {
    if (await client.imageStatus(ref)) return false;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'skiff-pause-'));
    try {
      const archive = path.join(dir, 'pause.tar');
      await buildArchive(archive);
      await importImageArchive(socket, archive);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
    // The CRI plugin learns of the import through containerd events: wait until it sees it.
    const end = Date.now() + 10_000;
    while (!(await client.imageStatus(ref))) {
      if (Date.now() >= end) throw new Error(`imported ${ref} but the CRI runtime does not list it (wrong ref.name annotation?)`);
      await sleep(50);
    }
    return true;
  } finally {
    if (!cri) client.close();
  }
}
