// Image garbage collection as the kubelet's image GC manager does it: images
// are tracked by ID with the time first seen and last used (in use = named by
// any container the runtime knows, running or exited); when the image
// filesystem is at or above the high threshold, unused images that are older
// than the minimum age are removed, least recently used first, until usage
// would be at the low threshold. The pause image and pinned images are never
// removed. Also serves node.status.images.

import fs from 'node:fs';
import type { ObjectReference } from '../../client/index.js';
import { log } from '../../log.js';
import type { Image } from '../cri/api.js';
import type { KubeletContext } from '../contracts.js';
import { normalizeImage } from './image-ref.js';
import { aggregateErrorsOf } from './aggregate.js';
import { runtimeErrorText } from '../go-format.js';

export interface NodeImage {
  names: string[];
  sizeBytes: number;
}

export interface FsUsage {
  capacityBytes: number;
  availableBytes: number;
}

export interface ImageGcOptions {
  /** Directory on the filesystem holding images (containerd's root or the data dir). */
  statfsPath: string;
  /** Default 85. */
  highThresholdPercent?: number;
  /** Default 80. */
  lowThresholdPercent?: number;
  /** An image first seen less than this ago is kept. Default 2 minutes. */
  minAgeMs?: number;
  /** How often GC runs. Default 5 minutes. */
  intervalMs?: number;
  /** Replaces statfs (tests). */
  fsUsage?: (path: string) => Promise<FsUsage>;
}

export const MAX_NODE_STATUS_IMAGES = 50;
export const MAX_NAMES_PER_IMAGE = 5;

interface ImageRecord {
  /** ms; 0 for images found by the first detection (age unknown, treated as old). */
  firstDetected: number;
  /** ms; 0 when never seen in use. */
  lastUsed: number;
  size: number;
  pinned: boolean;
  protectedImage: boolean;
}

export async function statfsUsage(path: string): Promise<FsUsage> {
  const s = await fs.promises.statfs(path);
  return { capacityBytes: s.blocks * s.bsize, availableBytes: s.bavail * s.bsize };
}

export class ImageGc {
  private readonly ctx: KubeletContext;
  private readonly clock: () => Date;
  private readonly records = new Map<string, ImageRecord>();
  private initialized = false;
  private prevFailed = false;

  constructor(opts: { ctx: KubeletContext; now?: () => Date }) {
    this.ctx = opts.ctx;
    this.clock = opts.now ?? (() => opts.ctx.now());
  }

  private get nodeRef(): ObjectReference {
    // The kubelet's node reference uses the node name as UID.
    return { kind: 'Node', name: this.ctx.nodeName, uid: this.ctx.nodeName };
  }

  /** Whether the image is the sandbox (pause) image, which must never be removed. */
  private isPauseImage(img: Image): boolean {
    const pause = this.ctx.pauseImage;
    let normalized = pause;
    try {
      normalized = normalizeImage(pause);
    } catch {
      // keep the raw name
    }
    return img.id === pause || img.repo_tags.some((t) => t === pause || t === normalized);
  }

  /** Refreshes the records; returns the IDs of images in use. */
  async detectImages(): Promise<Set<string>> {
    const nowMs = this.clock().getTime();
    // The first detection cannot know how long images have been around: treat them as old.
    const detectMs = this.initialized ? nowMs : 0;
    const images = await this.ctx.cri.listImages();
    const containers = await this.ctx.cri.listContainers();
    const inUse = new Set<string>();
    for (const c of containers) {
      if (c.image_ref) inUse.add(c.image_ref);
      if (c.image?.image) inUse.add(c.image.image);
    }
    const current = new Set<string>();
    for (const img of images) {
      current.add(img.id);
      let rec = this.records.get(img.id);
      if (!rec) {
        rec = { firstDetected: detectMs, lastUsed: 0, size: 0, pinned: false, protectedImage: false };
        this.records.set(img.id, rec);
      }
      const used = inUse.has(img.id) || img.repo_tags.some((t) => inUse.has(t)) || img.repo_digests.some((d) => inUse.has(d));
      if (used) {
        inUse.add(img.id);
        rec.lastUsed = nowMs;
      }
      rec.size = Number(img.size) || 0;
      rec.pinned = img.pinned === true;
      rec.protectedImage = this.isPauseImage(img);
    }
    for (const id of [...this.records.keys()]) if (!current.has(id)) this.records.delete(id);
    this.initialized = true;
    return inUse;
  }

  /** Removes unused images (least recently used first) until bytesToFree are freed; returns bytes freed. */
  async freeSpace(bytesToFree: number, minAgeMs: number, inUse: Set<string>): Promise<number> {
    const freeTime = this.clock().getTime();
    const candidates = [...this.records.entries()]
      .filter(([id, r]) => !inUse.has(id) && !r.pinned && !r.protectedImage)
      .sort(([, a], [, b]) => a.lastUsed - b.lastUsed || a.firstDetected - b.firstDetected);
    let freed = 0;
    const errors: string[] = [];
    for (const [id, r] of candidates) {
      if (r.lastUsed >= freeTime) continue;
      if (freeTime - r.firstDetected < minAgeMs) continue;
      try {
        await this.ctx.cri.removeImage(id);
      } catch (e) {
        errors.push(runtimeErrorText(e));
        continue;
      }
      log.info('image garbage collection removed an image', { image: id, size: r.size });
      this.records.delete(id);
      freed += r.size;
      if (freed >= bytesToFree) break;
    }
    if (errors.length > 0) {
      throw new Error(`wanted to free ${bytesToFree} bytes, but freed ${freed} bytes space with errors in image deletion: ${aggregateErrorsOf(errors)}`);
    }
    return freed;
  }

  /** One GC pass. Throws (and records the kubelet's events) when space could not be freed. */
  async garbageCollect(opts: ImageGcOptions): Promise<void> {
    const high = opts.highThresholdPercent ?? 85;
    const low = opts.lowThresholdPercent ?? 80;
    const minAgeMs = opts.minAgeMs ?? 120_000;
    const inUse = await this.detectImages();
    const usage = await (opts.fsUsage ?? statfsUsage)(opts.statfsPath);
    const capacity = usage.capacityBytes;
    const available = Math.min(usage.availableBytes, capacity);
    if (capacity === 0) {
      const msg = 'invalid capacity 0 on image filesystem';
      this.ctx.recorder.event(this.nodeRef, 'Warning', 'InvalidDiskCapacity', msg);
      throw new Error(msg);
    }
    const usagePercent = 100 - Math.trunc((available * 100) / capacity);
    if (usagePercent < high) return;
    const amountToFree = Math.trunc((capacity * (100 - low)) / 100) - available;
    log.info('image filesystem over the high threshold, freeing space', { usagePercent, high, low, amountToFree });
    const freed = await this.freeSpace(amountToFree, minAgeMs, inUse);
    if (freed < amountToFree) {
      const msg = `Failed to garbage collect required amount of images. Attempted to free ${amountToFree} bytes, but only found ${freed} bytes eligible to free.`;
      this.ctx.recorder.event(this.nodeRef, 'Warning', 'FreeDiskSpaceFailed', msg);
      throw new Error(msg);
    }
  }

  /** A GC pass as the periodic loop runs it: a failure twice in a row becomes an ImageGCFailed node event. */
  async runOnce(opts: ImageGcOptions): Promise<boolean> {
    try {
      await this.garbageCollect(opts);
      this.prevFailed = false;
      return true;
    } catch (e) {
      const msg = runtimeErrorText(e);
      if (this.prevFailed) {
        log.error('image garbage collection failed multiple times in a row', { error: msg });
        this.ctx.recorder.event(this.nodeRef, 'Warning', 'ImageGCFailed', msg);
      } else {
        log.warn('image garbage collection failed once', { error: msg });
      }
      this.prevFailed = true;
      return false;
    }
  }

  /** Runs GC now and every intervalMs; returns the stop function. */
  start(opts: ImageGcOptions): () => void {
    let stopped = false;
    let timer: NodeJS.Timeout | undefined;
    const tick = async () => {
      if (stopped) return;
      await this.runOnce(opts);
      if (!stopped) {
        timer = setTimeout(tick, opts.intervalMs ?? 300_000);
        timer.unref();
      }
    };
    void tick();
    return () => {
      stopped = true;
      if (timer) clearTimeout(timer);
    };
  }

  /** node.status.images: largest first (ties by ID, descending), at most 50, up to 5 names each. */
  async imagesForNodeStatus(): Promise<NodeImage[]> {
    const images = await this.ctx.cri.listImages();
    const sorted = [...images].sort((a, b) => {
      const sa = Number(a.size) || 0;
      const sb = Number(b.size) || 0;
      if (sa !== sb) return sb - sa;
      return a.id > b.id ? -1 : a.id < b.id ? 1 : 0;
    });
    return sorted.slice(0, MAX_NODE_STATUS_IMAGES).map((img) => ({
      names: [...(img.repo_digests ?? []), ...(img.repo_tags ?? [])].slice(0, MAX_NAMES_PER_IMAGE),
      sizeBytes: Number(img.size) || 0,
    }));
  }
}
