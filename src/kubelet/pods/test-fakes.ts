// In-memory stand-ins for the runtime, the API client and the agent's other
// parts, for the pod worker's tests. Times come from one shared fake clock.

import { CriError, LABEL_CONTAINER_NAME, type Container, type ContainerConfig, type ContainerStatus, type CriRuntime, type PodSandbox, type PodSandboxConfig, type PodSandboxStatus } from '../cri/api.js';
import type { ActionResult, EnvService, ImageResult, ImageService, KubeletContext, ProbeService, ProbeTarget, VolumeService } from '../contracts.js';
import type { KubeObject } from '../../client/index.js';

export class Clock {
  constructor(public ms = Date.parse('2026-01-02T00:00:00Z')) {}
  now = (): Date => new Date(this.ms);
  ns(): string {
    return String(BigInt(this.ms) * 1_000_000n);
  }
  advance(ms: number): void {
    this.ms += ms;
  }
}

interface FakeSandbox {
  config: PodSandboxConfig;
  sb: PodSandbox;
  ip: string;
}
interface FakeContainer {
  config: ContainerConfig;
  c: Container;
  status: ContainerStatus;
}

export class FakeCri implements CriRuntime {
  readonly calls: string[] = [];
  readonly sandboxes = new Map<string, FakeSandbox>();
  readonly containers = new Map<string, FakeContainer>();
  private seq = 0;
  /** Makes the next RunPodSandbox fail (leaving a NOTREADY sandbox, like a CNI failure). */
  failSandbox?: string;
  /** Container name → error StartContainer gives. */
  failStart = new Map<string, string>();

  constructor(private readonly clock: Clock) {}

  // Each created object is one nanosecond younger than the last, so "newest" is well defined.
  private stamp(): string {
    return String(BigInt(this.clock.ms) * 1_000_000n + BigInt(++this.seq));
  }

  async version() {
    return { version: '0.1.0', runtime_name: 'fake', runtime_version: '1', runtime_api_version: 'v1' };
  }
  async status() {
    return [];
  }
  async runPodSandbox(config: PodSandboxConfig): Promise<string> {
    const id = `sb${++this.seq}`;
    this.calls.push(`runPodSandbox attempt=${config.metadata.attempt}`);
    const failing = this.failSandbox;
    this.failSandbox = undefined;
    this.sandboxes.set(id, {
      config,
      ip: failing ? '' : `10.1.0.${this.sandboxes.size + 2}`,
      sb: { id, metadata: config.metadata, state: failing ? 'SANDBOX_NOTREADY' : 'SANDBOX_READY', created_at: this.stamp(), labels: { ...config.labels }, annotations: { ...config.annotations } },
    });
    if (failing) throw new CriError('RunPodSandbox', 2, failing);
    return id;
  }
  async stopPodSandbox(id: string) {
    this.calls.push(`stopPodSandbox ${id}`);
    const s = this.sandboxes.get(id);
    if (s) s.sb.state = 'SANDBOX_NOTREADY';
    for (const c of this.containers.values()) if (c.c.pod_sandbox_id === id && c.c.state === 'CONTAINER_RUNNING') this.exit(c.c.id, 137, 'Error');
  }
  async removePodSandbox(id: string) {
    this.calls.push(`removePodSandbox ${id}`);
    this.sandboxes.delete(id);
    for (const [cid, c] of this.containers) if (c.c.pod_sandbox_id === id) this.containers.delete(cid);
  }
  async podSandboxStatus(id: string): Promise<PodSandboxStatus | undefined> {
    const s = this.sandboxes.get(id);
    if (!s) return undefined;
    return { ...s.sb, network: { ip: s.sb.state === 'SANDBOX_READY' ? s.ip : '' } };
  }
  async listPodSandbox(filter?: { label_selector?: Record<string, string> }) {
    return [...this.sandboxes.values()].map((s) => s.sb).filter((s) => matches(s.labels, filter?.label_selector));
  }
  async createContainer(sandboxId: string, config: ContainerConfig): Promise<string> {
    const name = config.metadata.name;
    const attempt = config.metadata.attempt ?? 0;
    this.calls.push(`createContainer ${name} attempt=${attempt}`);
    for (const c of this.containers.values()) {
      if (c.c.pod_sandbox_id === sandboxId && c.c.metadata.name === name && (c.c.metadata.attempt ?? 0) === attempt) {
        throw new CriError('CreateContainer', 2, `failed to reserve container name "${name}_${attempt}": name is reserved for "${c.c.id}"`);
      }
    }
    const id = `c${++this.seq}`;
    const created = this.stamp();
    const c: Container = { id, pod_sandbox_id: sandboxId, metadata: config.metadata, image: config.image, image_ref: config.image.image, state: 'CONTAINER_CREATED', created_at: created, labels: { ...config.labels }, annotations: { ...config.annotations } };
    const status: ContainerStatus = {
      id, metadata: config.metadata, state: 'CONTAINER_CREATED', created_at: created, started_at: '0', finished_at: '0', exit_code: 0,
      image: { image: 'reg/img:1' }, image_ref: 'reg/img@sha256:feed', reason: '', message: '', labels: c.labels, annotations: c.annotations, mounts: config.mounts ?? [], log_path: `/logs/${name}/${attempt}.log`,
    };
    this.containers.set(id, { config, c, status });
    return id;
  }
  async startContainer(id: string) {
    const c = this.containers.get(id)!;
    this.calls.push(`startContainer ${c.c.metadata.name}`);
    const err = this.failStart.get(c.c.metadata.name);
    if (err) {
      this.exit(id, 128, 'StartError', err);
      throw new CriError('StartContainer', 2, err);
    }
    c.c.state = c.status.state = 'CONTAINER_RUNNING';
    c.status.started_at = this.clock.ns();
  }
  async stopContainer(id: string, timeout: number) {
    const c = this.containers.get(id);
    this.calls.push(`stopContainer ${c?.c.metadata.name} ${timeout}`);
    if (c && c.c.state === 'CONTAINER_RUNNING') this.exit(id, 137, 'Error');
  }
  async removeContainer(id: string) {
    this.calls.push(`removeContainer ${this.containers.get(id)?.c.metadata.name} attempt=${this.containers.get(id)?.c.metadata.attempt}`);
    this.containers.delete(id);
  }
  async listContainers(filter?: { label_selector?: Record<string, string> }) {
    return [...this.containers.values()].map((c) => c.c).filter((c) => matches(c.labels, filter?.label_selector));
  }
  async containerStatus(id: string) {
    return this.containers.get(id)?.status;
  }
  async reopenContainerLog() {}
  async execSync(): Promise<any> {
    throw new Error('not faked');
  }
  async exec(): Promise<string> {
    throw new Error('not faked');
  }
  async attach(): Promise<string> {
    throw new Error('not faked');
  }
  async portForward(): Promise<string> {
    throw new Error('not faked');
  }
  async listImages() {
    return [];
  }
  async imageStatus() {
    return undefined;
  }
  async pullImage() {
    return 'sha256:img';
  }
  async removeImage() {}
  close() {}

  /** The container's process ends. */
  exit(id: string, code: number, reason = code === 0 ? 'Completed' : 'Error', message = ''): void {
    const c = this.containers.get(id)!;
    c.c.state = c.status.state = 'CONTAINER_EXITED';
    c.status.exit_code = code;
    c.status.reason = reason;
    c.status.message = message;
    c.status.finished_at = this.clock.ns();
  }

  /** The newest container instance with that name. */
  newest(name: string): FakeContainer | undefined {
    return [...this.containers.values()].filter((c) => c.c.metadata.name === name || c.c.labels[LABEL_CONTAINER_NAME] === name).sort((a, b) => (BigInt(a.c.created_at) > BigInt(b.c.created_at) ? -1 : 1))[0];
  }
}

function matches(labels: Record<string, string>, sel?: Record<string, string>): boolean {
  return Object.entries(sel ?? {}).every(([k, v]) => labels[k] === v);
}

export interface RecordedEvent {
  fieldPath?: string;
  type: string;
  reason: string;
  message: string;
}

export class FakeWorld {
  readonly clock = new Clock();
  readonly cri = new FakeCri(this.clock);
  readonly events: RecordedEvent[] = [];
  readonly statusWrites: any[] = [];
  readonly deletes: { name: string; opts: any }[] = [];
  readonly hookCalls: string[] = [];
  readonly torn: string[] = [];
  readonly probeSyncs: ProbeTarget[][] = [];
  imageFailure?: ImageResult;
  envFailure = new Map<string, string>();
  hookResult: ActionResult = { result: 'success', output: '' };
  private rv = 100;
  /** The API's copy of the pod. */
  apiPod?: KubeObject;

  readonly ctx: KubeletContext;
  readonly images: ImageService = {
    ensureImage: async () => this.imageFailure ?? { ok: true, imageRef: 'sha256:img' },
  };
  readonly volumes: VolumeService = {
    setUpPod: async () => {},
    mountsFor: async () => [],
    tearDownPod: async (uid) => {
      this.torn.push(uid);
      this.cri.calls.push(`tearDownPod ${uid}`);
    },
  };
  readonly env: EnvService = {
    envFor: async (_pod, c) => {
      const err = this.envFailure.get(c.name);
      if (err) {
        const { ContainerConfigError } = await import('../contracts.js');
        throw new ContainerConfigError(err);
      }
      return [{ key: 'WHO', value: 'world' }];
    },
  };
  readonly probes: ProbeService = {
    sync: (_p, _ip, targets) => {
      this.probeSyncs.push(targets);
    },
    isReady: () => true,
    isStarted: () => true,
    removePod: () => {},
  };

  constructor(dataDir: string) {
    const world = this;
    const client: any = {
      async updateStatus(_def: unknown, _ns: string, obj: KubeObject) {
        world.statusWrites.push(structuredClone(obj.status));
        world.cri.calls.push(`updateStatus ${obj.status?.phase}`);
        world.apiPod = { ...structuredClone(obj), metadata: { ...obj.metadata, resourceVersion: String(++world.rv) } };
        return structuredClone(world.apiPod);
      },
      async get() {
        return structuredClone(world.apiPod);
      },
      async delete(_def: unknown, _ns: string, name: string, opts: any) {
        world.deletes.push({ name, opts });
        world.cri.calls.push(`delete ${name}`);
        return {};
      },
    };
    this.ctx = {
      nodeName: 'node-1',
      nodeIP: '192.168.50.2',
      client,
      cri: this.cri,
      recorder: {
        event: (ref: any, type: string, reason: string, message: string) => {
          world.events.push({ fieldPath: ref.fieldPath, type, reason, message });
        },
      } as any,
      paths: { dataDir, podsDir: `${dataDir}/pods`, podLogsDir: `${dataDir}/logs/pods` },
      clusterDNS: ['10.96.0.10'],
      clusterDomain: 'cluster.local',
      pauseImage: 'pause',
      now: this.clock.now,
    };
  }

  runHandler = async (_ctx: KubeletContext, _pod: KubeObject, container: any, _id: string, _ip: string, handler: any, timeout: number): Promise<ActionResult> => {
    const which = handler === container.lifecycle?.preStop ? 'preStop' : 'postStart';
    this.hookCalls.push(`${which} ${container.name} ${timeout}`);
    this.cri.calls.push(`${which} ${container.name}`);
    return this.hookResult;
  };

  nextRv(): string {
    return String(++this.rv);
  }
}
