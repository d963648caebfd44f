// runAsNonRoot, checked by the kubelet before it creates a container: the
// effective (container over pod) securityContext decides; without an explicit
// runAsUser the image's user counts, and an image that names no user runs as
// root. The messages are the kubelet's (they become the
// CreateContainerConfigError message and the "Error: …" event).

import type { KubeObject } from '../../client/index.js';
import type { Image } from '../cri/api.js';
import { formatPod } from '../go-format.js';

const MAX_USER_ID = 2147483647;

export interface ImageUser {
  uid?: number;
  username?: string;
}

/** The user an image runs as, from the CRI image status: uid when numeric, else the name; root when it names none. */
export function imageUser(image: Image | undefined): ImageUser {
  const raw = image?.uid?.value;
  if (raw !== undefined && raw !== null && raw !== '') return { uid: Number(raw) };
  if (image?.username) return { username: image.username };
  return { uid: 0 };
}

/** Whether runAsNonRoot is in force for the container (so the image user must be looked up). */
export function requiresNonRoot(pod: KubeObject, container: any): boolean {
  const v = container?.securityContext?.runAsNonRoot ?? pod.spec?.securityContext?.runAsNonRoot;
  return v === true;
}

/** The kubelet's refusal message, or undefined when the container may run. */
export function verifyRunAsNonRoot(pod: KubeObject, container: any, user: ImageUser): string | undefined {
  if (!requiresNonRoot(pod, container)) return undefined;
  const name = String(container?.name ?? '');
  const where = `(pod: ${JSON.stringify(formatPod(pod))}, container: ${name})`;
  const runAsUser = container?.securityContext?.runAsUser ?? pod.spec?.securityContext?.runAsUser;
  if (typeof runAsUser === 'number') {
    return runAsUser === 0 ? `container's runAsUser breaks non-root policy ${where}` : undefined;
  }
  if (user.uid === undefined) {
    return user.username ? `container has runAsNonRoot and image has non-numeric user (${user.username}), cannot verify user is non-root ${where}` : undefined;
  }
  if (user.uid === 0) return `container has runAsNonRoot and image will run as root ${where}`;
  if (!Number.isInteger(user.uid) || user.uid < 0 || user.uid > MAX_USER_ID) {
    return `container has runAsNonRoot and image has an invalid user id (${user.uid}). (Must be 1-(${MAX_USER_ID})): must be between 0 and ${MAX_USER_ID}, inclusive ${where}`;
  }
  return undefined;
}
