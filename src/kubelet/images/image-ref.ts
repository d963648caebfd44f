// Image references parsed the way the kubelet and containerd do (the docker
// "distribution/reference" grammar): short names get docker.io and library/,
// a missing tag becomes :latest, and malformed names fail with the same error
// texts, so an InvalidImageName message reads exactly like Kubernetes'.

import { goQuote } from '../go-format.js';

export const DEFAULT_DOMAIN = 'docker.io';
const LEGACY_DEFAULT_DOMAIN = 'index.docker.io';
const OFFICIAL_REPO_PREFIX = 'library/';
const DEFAULT_TAG = 'latest';
const NAME_TOTAL_LENGTH_MAX = 255;

// The grammar's building blocks.
const alphanumeric = '[a-z0-9]+';
const separator = '(?:[._]|__|[-]+)';
const domainComponent = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const domainName = `${domainComponent}(?:\\.${domainComponent})*`;
const ipv6 = '\\[(?:[a-fA-F0-9:]+)\\]';
const domainAndPort = `(?:${domainName}|${ipv6})(?::[0-9]+)?`;
const pathComponent = `${alphanumeric}(?:${separator}${alphanumeric})*`;
const remoteName = `${pathComponent}(?:/${pathComponent})*`;
const tagPattern = '[\\w][\\w.-]{0,127}';
const digestPattern = '[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}';

const referenceRe = new RegExp(`^((?:${domainAndPort}/)?${remoteName})(?::(${tagPattern}))?(?:@(${digestPattern}))?$`);
const nameRe = new RegExp(`^(?:(${domainAndPort})/)?(${remoteName})$`);
const identifierRe = /^[a-f0-9]{64}$/;
const digestShapeRe = new RegExp(`^${digestPattern}$`);

/** Hex length of each digest algorithm containerd/distribution accept. */
const digestHexLength: Record<string, number> = { sha256: 64, sha384: 96, sha512: 128 };

export class ImageReferenceError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ImageReferenceError';
  }
}

export interface ImageReference {
  /** Registry host (with port), e.g. docker.io or 127.0.0.1:5000. */
  domain: string;
  /** Repository path inside the registry, e.g. library/nginx. */
  path: string;
  /** domain/path — what the kubelet's keyring looks credentials up by. */
  name: string;
  tag?: string;
  digest?: string;
}

/** Validates a digest as the go-digest package does. */
function checkDigest(d: string): void {
  const i = d.indexOf(':');
  if (i <= 0 || i + 1 === d.length) throw new ImageReferenceError('invalid checksum digest format');
  const algorithm = d.slice(0, i);
  const hex = d.slice(i + 1);
  const want = digestHexLength[algorithm];
  if (want === undefined) {
    throw new ImageReferenceError(digestShapeRe.test(d) ? 'unsupported digest algorithm' : 'invalid checksum digest format');
  }
  if (hex.length !== want) throw new ImageReferenceError('invalid checksum digest length');
  if (!/^[a-f0-9]+$/.test(hex)) throw new ImageReferenceError('invalid checksum digest format');
}

/** Strict parse of an already fully-qualified reference (distribution's Parse). */
function parseStrict(s: string): ImageReference {
  const m = referenceRe.exec(s);
  if (!m) {
    if (s === '') throw new ImageReferenceError('repository name must have at least one component');
    if (referenceRe.test(s.toLowerCase())) throw new ImageReferenceError('repository name must be lowercase');
    throw new ImageReferenceError('invalid reference format');
  }
  if (m[1].length > NAME_TOTAL_LENGTH_MAX) {
    throw new ImageReferenceError(`repository name must not be more than ${NAME_TOTAL_LENGTH_MAX} characters`);
  }
  const nm = nameRe.exec(m[1])!;
  if (m[3]) checkDigest(m[3]);
  const ref: ImageReference = { domain: nm[1] ?? '', path: nm[2], name: m[1] };
  if (m[2]) ref.tag = m[2];
  if (m[3]) ref.digest = m[3];
  return ref;
}

/** Splits off the registry host; short names go to docker.io (library/ for one-part names). */
function splitDockerDomain(name: string): { domain: string; remainder: string } {
  const i = name.indexOf('/');
  let domain: string;
  let remainder: string;
  const first = i === -1 ? '' : name.slice(0, i);
  if (i === -1 || (!/[.:]/.test(first) && first !== 'localhost' && first.toLowerCase() === first)) {
    domain = DEFAULT_DOMAIN;
    remainder = name;
  } else {
    domain = first;
    remainder = name.slice(i + 1);
  }
  if (domain === LEGACY_DEFAULT_DOMAIN) domain = DEFAULT_DOMAIN;
  if (domain === DEFAULT_DOMAIN && !remainder.includes('/')) remainder = OFFICIAL_REPO_PREFIX + remainder;
  return { domain, remainder };
}

/**
 * Parses a reference as a user writes it (ParseNormalizedNamed): `nginx` is
 * docker.io/library/nginx. Throws ImageReferenceError with distribution's text.
 */
export function parseImageReference(image: string): ImageReference {
  if (identifierRe.test(image)) {
    throw new ImageReferenceError(`invalid repository name (${image}), cannot specify 64-byte hexadecimal strings`);
  }
  const { domain, remainder } = splitDockerDomain(image);
  const colon = remainder.indexOf(':');
  const remote = colon > -1 ? remainder.slice(0, colon) : remainder;
  if (remote.toLowerCase() !== remote) {
    throw new ImageReferenceError(`invalid reference format: repository name (${remote}) must be lowercase`);
  }
  return parseStrict(`${domain}/${remainder}`);
}

/** The fully-qualified form containerd stores: docker.io/library/nginx:latest, keeping a digest. */
export function normalizeImage(image: string): string {
  const ref = parseImageReference(image);
  if (ref.digest) return ref.tag ? `${ref.name}:${ref.tag}@${ref.digest}` : `${ref.name}@${ref.digest}`;
  return `${ref.name}:${ref.tag ?? DEFAULT_TAG}`;
}

/**
 * What the kubelet hands the runtime: the image as written, with ":latest"
 * appended when it has neither tag nor digest (no docker.io qualification —
 * the runtime does that). Throws with the kubelet's InvalidImageName message.
 */
export function applyDefaultImageTag(image: string): string {
  let ref: ImageReference;
  try {
    ref = parseImageReference(image);
  } catch (e) {
    throw new ImageReferenceError(invalidImageNameMessage(image, (e as Error).message));
  }
  return !ref.tag && !ref.digest ? `${image}:${DEFAULT_TAG}` : image;
}

/** The waiting message of a container whose image name does not parse. */
export function invalidImageNameMessage(image: string, cause: string): string {
  return `Failed to apply default image tag ${goQuote(image)}: couldn't parse image name ${goQuote(image)}: ${cause}`;
}

/** Registry host of an image (docker.io for short names). */
export function registryHost(image: string): string {
  return parseImageReference(image).domain;
}
