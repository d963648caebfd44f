// The sandbox ("pause") image Skiff imports into containerd before the first pod:
// containerd cannot pull anything here, and the CRI plugin needs its sandbox_image present.
//
// PAUSE_IMAGE_REF is a fully qualified name under the reserved `localhost/` registry host, so
// nothing ever tries to resolve it on Docker Hub (short names are normalised to docker.io).
// The tag only names the upstream pause release this image stands in for.

import { pauseRootfs } from './busybox-rootfs.js';
import { buildImage, type BuiltImage } from './image-builder.js';
import { writeOciArchive } from './oci-archive.js';

export const PAUSE_IMAGE_REF = 'localhost/skiff/pause:3.9';

/** nobody:nogroup, like the upstream pause image's non-root user. */
export const PAUSE_USER = '65534:65534';

let cached: Promise<BuiltImage> | undefined;

/** The pause image: runs `/bin/sleep infinity` as 65534:65534. Built once per process. */
export function buildPauseImage(): Promise<BuiltImage> {
  cached ??= buildImage({
    files: pauseRootfs(),
    config: { Entrypoint: ['/bin/sleep'], Cmd: ['infinity'], User: PAUSE_USER, Env: ['PATH=/bin'], WorkingDir: '/' },
  }).catch((err: unknown) => {
    cached = undefined; // let a later call retry
    throw err;
  });
  return cached;
}

/** Writes the pause image as an OCI archive for `ctr -n k8s.io images import`. */
export async function writePauseImageArchive(path: string, ref: string = PAUSE_IMAGE_REF): Promise<void> {
  await writeOciArchive(path, await buildPauseImage(), ref);
}
