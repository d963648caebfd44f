// Fetches a pod's imagePullSecrets and builds the keyring from them. Secrets
// that cannot be read are skipped and reported with the kubelet's Warning
// event; a secret whose docker config does not parse makes the pull fail,
// as the kubelet's keyring construction does.

import { resources } from '../../api/resources.js';
import type { KubeObject } from '../../client/index.js';
import { log } from '../../log.js';
import type { KubeletContext } from '../contracts.js';
import { DockerKeyring, dockerConfigFromSecret } from './keyring.js';

const secretsDef = resources.find((r) => r.group === '' && r.plural === 'secrets')!;

export interface PullSecrets {
  keyring: DockerKeyring;
  /** Names that could not be fetched. */
  missing: string[];
  /** Set when a fetched secret's content is invalid: the pull fails with this text. */
  error?: string;
}

export async function loadPullSecrets(ctx: Pick<KubeletContext, 'client' | 'recorder'>, pod: KubeObject): Promise<PullSecrets> {
  const keyring = new DockerKeyring();
  const missing: string[] = [];
  let error: string | undefined;
  const ns = pod.metadata.namespace ?? 'default';
  for (const ref of (pod.spec?.imagePullSecrets ?? []) as { name?: string }[]) {
    // Entries with empty names pass API validation; the kubelet ignores them silently.
    if (!ref?.name) continue;
    let secret: KubeObject;
    try {
      secret = await ctx.client.get(secretsDef, ns, ref.name);
    } catch (e) {
      log.info('unable to retrieve pull secret, the image pull may not succeed', { pod: `${ns}/${pod.metadata.name}`, secret: ref.name, error: (e as Error).message });
      missing.push(ref.name);
      continue;
    }
    try {
      const config = dockerConfigFromSecret(secret as any);
      if (config) keyring.add(config);
    } catch (e) {
      error ??= `failed to parse image pull secret ${ns}/${ref.name}: ${(e as Error).message}`;
    }
  }
  if (missing.length > 0) {
    ctx.recorder.event(
      pod,
      'Warning',
      'FailedToRetrieveImagePullSecret',
      `Unable to retrieve some image pull secrets (${missing.join(', ')}); attempting to pull the image may not succeed.`,
    );
  }
  return { keyring, missing, error };
}
