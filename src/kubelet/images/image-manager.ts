// The kubelet's image manager: makes a container's image present according to
// its imagePullPolicy, pulling with the pod's imagePullSecrets, and records the
// same events, in the same order and words, as the kubelet (1.32):
//   Pulled "already present" | Pulling → Pulled "Successfully pulled …" |
//   Pulling → Failed "Failed to pull image …" → Failed "Error: ErrImagePull" |
//   BackOff "Back-off pulling image …" → Failed "Error: ImagePullBackOff".
// Pulls run one at a time (the kubelet's default serializeImagePulls=true), and
// failures back off per pod UID + image, 10 s doubling to 300 s.

import type { KubeObject } from '../../client/index.js';
import type { ImageResult, ImageService, KubeletContext } from '../contracts.js';
import { aggregateErrorsOf } from './aggregate.js';
import { Backoff, type BackoffOptions } from '../backoff.js';
import { containerRef } from './container-ref.js';
import { ImageGc, type ImageGcOptions, type NodeImage } from './image-gc.js';
import { applyDefaultImageTag, parseImageReference } from './image-ref.js';
import { goDuration, goQuote, runtimeErrorText } from '../go-format.js';
import { toCriAuth } from './keyring.js';
import { loadPullSecrets, type PullSecrets } from './pull-secrets.js';

export interface ImageManagerOptions {
  ctx: KubeletContext;
  /** Clock for durations and back-off (default ctx.now). */
  now?: () => Date;
  backoff?: Backoff | BackoffOptions;
}

type PullOutcome = { ok: true; imageRef: string; sizeBytes: number; pullMs: number } | { ok: false; error: string };

export class ImageManager implements ImageService {
  readonly backoff: Backoff;
  readonly gc: ImageGc;
  private readonly ctx: KubeletContext;
  private readonly clock: () => Date;
  /** Tail of the serial pull queue. */
  private pullQueue: Promise<unknown> = Promise.resolve();

  constructor(opts: ImageManagerOptions) {
    this.ctx = opts.ctx;
    this.clock = opts.now ?? (() => opts.ctx.now());
    this.backoff = opts.backoff instanceof Backoff ? opts.backoff : new Backoff({ now: () => this.nowMs(), ...opts.backoff });
    this.gc = new ImageGc({ ctx: opts.ctx, now: this.clock });
  }

  private nowMs(): number {
    return this.clock().getTime();
  }

  async ensureImage(pod: KubeObject, container: any): Promise<ImageResult> {
    const ctx = this.ctx;
    const specImage: string = container?.image ?? '';
    const ref = containerRef(pod, container?.name ?? '');
    const fail = (reason: string, message: string): ImageResult => {
      // The pod worker's "Error: <reason>" event that follows every image failure.
      ctx.recorder.event(ref, 'Warning', 'Failed', `Error: ${reason}`);
      return { ok: false, reason, message };
    };

    let image: string;
    try {
      image = applyDefaultImageTag(specImage);
    } catch (e) {
      const msg = (e as Error).message;
      ctx.recorder.event(ref, 'Warning', 'InspectFailed', msg);
      return fail('InvalidImageName', msg);
    }

    const policy = pullPolicyOf(container, specImage);
    if (policy !== 'Always') {
      let present: string | undefined;
      try {
        present = (await ctx.cri.imageStatus(image))?.id;
      } catch (e) {
        // Kubernetes 1.32 prints the (empty) image ref here, not the image name.
        const msg = `Failed to inspect image "": ${runtimeErrorText(e)}`;
        ctx.recorder.event(ref, 'Warning', 'InspectFailed', msg);
        return fail('ImageInspectError', msg);
      }
      if (present) {
        ctx.recorder.event(ref, 'Normal', 'Pulled', `Container image ${goQuote(specImage)} already present on machine`);
        return { ok: true, imageRef: present };
      }
      if (policy === 'Never') {
        const msg = `Container image ${goQuote(specImage)} is not present with pull policy of Never`;
        ctx.recorder.event(ref, 'Warning', 'ErrImageNeverPull', msg);
        return fail('ErrImageNeverPull', msg);
      }
    }

    // The kubelet reads the pull secrets (and warns about missing ones) before anything else on this path.
    const secrets = await loadPullSecrets(ctx, pod);

    const backOffKey = `${pod.metadata.uid}_${specImage}`;
    if (this.backoff.isInBackOffSinceUpdate(backOffKey, this.nowMs())) {
      const msg = `Back-off pulling image ${goQuote(specImage)}`;
      ctx.recorder.event(ref, 'Normal', 'BackOff', msg);
      return fail('ImagePullBackOff', msg);
    }

    ctx.recorder.event(ref, 'Normal', 'Pulling', `Pulling image ${goQuote(specImage)}`);
    const startMs = this.nowMs();
    const outcome = await this.serial(() => this.pull(secrets, image));
    if (!outcome.ok) {
      ctx.recorder.event(ref, 'Warning', 'Failed', `Failed to pull image ${goQuote(specImage)}: ${outcome.error}`);
      this.backoff.next(backOffKey, this.nowMs());
      return fail('ErrImagePull', outcome.error);
    }
    const totalMs = this.nowMs() - startMs;
    ctx.recorder.event(
      ref,
      'Normal',
      'Pulled',
      `Successfully pulled image ${goQuote(specImage)} in ${goDuration(outcome.pullMs)} (${goDuration(totalMs)} including waiting). Image size: ${outcome.sizeBytes} bytes.`,
    );
    this.backoff.gc();
    return { ok: true, imageRef: outcome.imageRef };
  }

  /** Runs pulls one after another; a failed pull does not stop the queue. */
  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.pullQueue.then(fn, fn);
    this.pullQueue = run.catch(() => undefined);
    return run;
  }

  /** One pull: credentials from the pod's secrets tried in order until one works, then the image's size. */
  private async pull(secrets: PullSecrets, image: string): Promise<PullOutcome> {
    const startMs = this.nowMs();
    if (secrets.error) return { ok: false, error: secrets.error };
    const creds = secrets.keyring.lookup(parseImageReference(image).name);
    let imageRef: string | undefined;
    const errors: string[] = [];
    if (creds.length === 0) {
      try {
        imageRef = await this.ctx.cri.pullImage(image);
      } catch (e) {
        errors.push(runtimeErrorText(e));
      }
    } else {
      for (const cred of creds) {
        try {
          imageRef = await this.ctx.cri.pullImage(image, toCriAuth(cred));
          break;
        } catch (e) {
          errors.push(runtimeErrorText(e));
        }
      }
    }
    if (imageRef === undefined) return { ok: false, error: aggregateErrorsOf(errors) };
    let sizeBytes = 0;
    try {
      // Best effort, as the kubelet: a failed status just reports size 0.
      sizeBytes = Number((await this.ctx.cri.imageStatus(imageRef))?.size ?? 0);
    } catch {
      sizeBytes = 0;
    }
    return { ok: true, imageRef, sizeBytes, pullMs: this.nowMs() - startMs };
  }

  /** Starts periodic image garbage collection; returns its stop function. */
  startImageGc(opts: ImageGcOptions): () => void {
    return this.gc.start(opts);
  }

  /** node.status.images: up to 50 images, largest first, each with up to 5 names (digests, then tags). */
  imagesForNodeStatus(): Promise<NodeImage[]> {
    return this.gc.imagesForNodeStatus();
  }
}

/** The container's pull policy; defaulted like the API server when absent. */
function pullPolicyOf(container: any, image: string): 'Always' | 'IfNotPresent' | 'Never' {
  const p = container?.imagePullPolicy;
  if (p === 'Always' || p === 'IfNotPresent' || p === 'Never') return p;
  try {
    const ref = parseImageReference(image);
    return !ref.digest && (!ref.tag || ref.tag === 'latest') ? 'Always' : 'IfNotPresent';
  } catch {
    return 'IfNotPresent';
  }
}
