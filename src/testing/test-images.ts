// Test images for the node agent: one busybox rootfs published under the names tests and
// e2e scenarios use (busybox, nginx, tomcat), differing only in their default command.
//
// After pushTestImages(registry), pods use references like `127.0.0.1:PORT/library/nginx:1.25`
// (short names would be normalised to docker.io, which is unreachable here).

import { busyboxRootfs, BUSYBOX_PATH_ENV } from '../oci/busybox-rootfs.js';
import { assembleImage, buildLayer, type BuiltImage, type ImageRuntimeConfig, type LayerBlob } from '../oci/image-builder.js';
import { writeOciArchive } from '../oci/oci-archive.js';
import { pushImage, type RegistryCredentials } from '../oci/registry-push.js';

export const DEFAULT_TEST_IMAGE_NAMES = ['busybox:1.36', 'nginx:1.25', 'tomcat:9'];

/** busybox's own default: an interactive shell (exits at once without stdin). */
const SHELL_CONFIG: ImageRuntimeConfig = { Env: [BUSYBOX_PATH_ENV], Cmd: ['sh'] };

/** Default command per image basename; any other name gets the busybox shell. */
function serveUntilTerm(port: number): string[] {
  return ['sh', '-c', `trap 'kill $pid; exit 0' TERM; httpd -f -p ${port} -h /www & pid=$!; wait $pid`];
}

export const TEST_IMAGE_CONFIGS: Record<string, ImageRuntimeConfig> = {
  busybox: SHELL_CONFIG,
  // Like the real servers, these stop at SIGTERM (busybox httpd as PID 1 would ignore it).
  nginx: { Env: [BUSYBOX_PATH_ENV], Cmd: serveUntilTerm(80), ExposedPorts: { '80/tcp': {} } },
  tomcat: { Env: [BUSYBOX_PATH_ENV], Cmd: serveUntilTerm(8080), ExposedPorts: { '8080/tcp': {} } },
};

export interface TestImageName {
  /** e.g. `library/nginx` */
  repository: string;
  tag: string;
  /** Last path element, e.g. `nginx` */
  basename: string;
}

/** `nginx:1.25` → library/nginx:1.25; `team/app` → team/app:latest (Docker Hub naming rules). */
export function parseTestImageName(name: string): TestImageName {
  const slash = name.lastIndexOf('/');
  const colon = name.lastIndexOf(':');
  const hasTag = colon > slash;
  const repoPart = hasTag ? name.slice(0, colon) : name;
  const tag = hasTag ? name.slice(colon + 1) : 'latest';
  if (repoPart === '' || tag === '') throw new Error(`invalid image name ${JSON.stringify(name)}`);
  const repository = repoPart.includes('/') ? repoPart : `library/${repoPart}`;
  return { repository, tag, basename: repository.slice(repository.lastIndexOf('/') + 1) };
}

/** The reference a pod uses for `name` once pushed to the registry at `registryHost` (host:port). */
export function testImageRef(registryHost: string, name: string): string {
  const { repository, tag } = parseTestImageName(name);
  return `${registryHost}/${repository}:${tag}`;
}

let layer: Promise<LayerBlob> | undefined;
const images = new Map<string, BuiltImage>();

function busyboxLayer(): Promise<LayerBlob> {
  layer ??= buildLayer(busyboxRootfs()).catch((err: unknown) => {
    layer = undefined;
    throw err;
  });
  return layer;
}

/** The test image for a name (config chosen by basename). Built once per process per config. */
export async function buildTestImage(name: string): Promise<BuiltImage> {
  const { basename } = parseTestImageName(name);
  const key = Object.hasOwn(TEST_IMAGE_CONFIGS, basename) ? basename : 'busybox';
  let image = images.get(key);
  if (!image) {
    image = assembleImage([await busyboxLayer()], { config: TEST_IMAGE_CONFIGS[key] });
    images.set(key, image);
  }
  return image;
}

export interface TestImages {
  /** General busybox image (Cmd sh). */
  general: BuiltImage;
  busybox: BuiltImage;
  /** httpd on :80 serving /www */
  nginx: BuiltImage;
  /** httpd on :8080 serving /www */
  tomcat: BuiltImage;
}

/** All test images; they share one layer. Cached per process. */
export async function buildTestImages(): Promise<TestImages> {
  const busybox = await buildTestImage('busybox');
  return { general: busybox, busybox, nginx: await buildTestImage('nginx'), tomcat: await buildTestImage('tomcat') };
}

/**
 * Pushes each named test image to the registry. Credentials default to the registry's own
 * auth (as returned by startRegistry). Returns name → pullable reference.
 */
export async function pushTestImages(
  registry: { url: string; auth?: RegistryCredentials },
  names: string[] = DEFAULT_TEST_IMAGE_NAMES,
  creds: RegistryCredentials | undefined = registry.auth,
): Promise<Record<string, string>> {
  const refs: Record<string, string> = {};
  for (const name of names) {
    const { repository, tag } = parseTestImageName(name);
    const result = await pushImage(await buildTestImage(name), { registry: registry.url, repository, tag, ...creds });
    refs[name] = result.ref;
  }
  return refs;
}

/** Writes the test image for `name` as an OCI archive importable under `ref` (a full reference). */
export async function writeImageArchive(path: string, name: string, ref: string): Promise<void> {
  await writeOciArchive(path, await buildTestImage(name), ref);
}
