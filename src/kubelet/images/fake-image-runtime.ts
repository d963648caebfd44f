// Test doubles for the image manager: a CriRuntime that only knows images and
// containers, a recorder that keeps events, a client that serves secrets, and
// a hand-driven clock.

import { CriError, type AuthConfig, type Container, type CriRuntime, type Image } from '../cri/api.js';
import type { KubeObject, ObjectReference } from '../../client/index.js';
import type { KubeletContext } from '../contracts.js';

export interface RecordedEvent {
  kind?: string;
  name?: string;
  fieldPath?: string;
  type: string;
  reason: string;
  message: string;
}

export interface PullCall {
  image: string;
  auth?: AuthConfig;
}

export class FakeClock {
  constructor(public ms = Date.UTC(2026, 0, 1)) {}
  now = (): Date => new Date(this.ms);
  advance(ms: number): void {
    this.ms += ms;
  }
}

export class FakeImageRuntime {
  images: Image[] = [];
  containers: Container[] = [];
  pulls: PullCall[] = [];
  removed: string[] = [];
  /** Decides each pull: return an image to add, or throw. Default: a 1 MB image named after the reference. */
  onPull: (call: PullCall) => Image = (call) => makeImage(call.image, 1_000_000);
  statusError?: Error;
  /** Awaited inside every pull (to hold pulls open); active counts pulls in flight. */
  pullGate?: () => Promise<void>;
  active = 0;
  maxActive = 0;
  removeError?: (id: string) => Error | undefined;

  async imageStatus(image: string): Promise<Image | undefined> {
    if (this.statusError) throw this.statusError;
    return this.images.find((i) => i.id === image || i.repo_tags.includes(image) || i.repo_digests.includes(image));
  }
  async pullImage(image: string, auth?: AuthConfig): Promise<string> {
    const call: PullCall = auth ? { image, auth } : { image };
    this.pulls.push(call);
    this.active++;
    this.maxActive = Math.max(this.maxActive, this.active);
    let img: Image;
    try {
      if (this.pullGate) await this.pullGate();
      img = this.onPull(call);
    } finally {
      this.active--;
    }
    this.images = this.images.filter((i) => i.id !== img.id);
    this.images.push(img);
    return img.id;
  }
  async listImages(): Promise<Image[]> {
    return [...this.images];
  }
  async removeImage(image: string): Promise<void> {
    const err = this.removeError?.(image);
    if (err) throw err;
    this.removed.push(image);
    this.images = this.images.filter((i) => i.id !== image);
  }
  async listContainers(): Promise<Container[]> {
    return [...this.containers];
  }
  asRuntime(): CriRuntime {
    return new Proxy(this as unknown as CriRuntime, {
      get: (target, prop) => {
        if (prop === 'then') return undefined;
        const v = (target as any)[prop];
        if (v !== undefined) return typeof v === 'function' ? v.bind(target) : v;
        return () => Promise.reject(new Error(`fake runtime: ${String(prop)} not implemented`));
      },
    });
  }
}

let idSeq = 0;
export function makeImage(tag: string, size: number, extra: Partial<Image> = {}): Image {
  idSeq++;
  const id = 'sha256:' + idSeq.toString(16).padStart(64, '0');
  return { id, repo_tags: [tag], repo_digests: [], size: String(size), ...extra };
}

export const unknownPullError = (image: string, what: string) =>
  new CriError('PullImage', 2, `failed to pull and unpack image "${image}": ${what}`);

export class FakeRecorder {
  events: RecordedEvent[] = [];
  event(obj: KubeObject | ObjectReference, type: string, reason: string, message: string): void {
    const ref: any = 'metadata' in obj ? { kind: (obj as KubeObject).kind, name: (obj as KubeObject).metadata.name } : obj;
    const ev: RecordedEvent = { kind: ref.kind, name: ref.name, type, reason, message };
    if (ref.fieldPath) ev.fieldPath = ref.fieldPath;
    this.events.push(ev);
  }
  /** "Type Reason: message" lines, the easiest form to compare. */
  lines(): string[] {
    return this.events.map((e) => `${e.type} ${e.reason}: ${e.message}`);
  }
  clear(): void {
    this.events = [];
  }
}

export class FakeSecretsClient {
  secrets = new Map<string, KubeObject>();
  gets: string[] = [];
  async get(_def: unknown, ns: string, name: string): Promise<KubeObject> {
    this.gets.push(`${ns}/${name}`);
    const s = this.secrets.get(`${ns}/${name}`);
    if (!s) throw Object.assign(new Error(`secrets "${name}" not found`), { code: 404 });
    return structuredClone(s);
  }
}

export function fakeContext(parts: { cri: FakeImageRuntime; recorder: FakeRecorder; client?: FakeSecretsClient; clock: FakeClock }): KubeletContext {
  return {
    nodeName: 'node-1',
    nodeIP: '127.0.0.1',
    client: (parts.client ?? new FakeSecretsClient()) as any,
    cri: parts.cri.asRuntime(),
    recorder: parts.recorder as any,
    paths: { dataDir: '/nonexistent', podsDir: '/nonexistent/pods', podLogsDir: '/nonexistent/logs' },
    clusterDNS: [],
    clusterDomain: 'cluster.local',
    pauseImage: 'localhost/skiff/pause:1.0',
    now: parts.clock.now,
  };
}
