// CriRuntime over gRPC: containerd's (or any CRI runtime's) unix socket,
// driven with @grpc/grpc-js and the embedded runtime.v1 subset.

import fs from 'node:fs';
import path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import {
  CriError,
  GRPC_NOT_FOUND,
  GRPC_UNAVAILABLE,
  type AuthConfig,
  type Container,
  type ContainerConfig,
  type ContainerFilter,
  type ContainerStatus,
  type CriRuntime,
  type ExecSyncResponse,
  type Image,
  type ImageSpec,
  type PodSandbox,
  type PodSandboxConfig,
  type PodSandboxFilter,
  type PodSandboxStatus,
  type RuntimeCondition,
  type VersionResponse,
} from './api.js';
import { loadCriPackageDefinition } from './cri-proto.js';

export interface CriClientOptions {
  /** Deadline of ordinary calls (default 2 minutes, as the kubelet's runtime-request-timeout). */
  timeoutMs?: number;
  /** Deadline of PullImage (default 10 minutes). */
  pullTimeoutMs?: number;
  /** Added to an ExecSync's own timeout to form the call deadline (default 5 s). */
  execGraceMs?: number;
}

/** The CRI API version string the kubelet sends in VersionRequest. */
const KUBE_RUNTIME_API_VERSION = '0.1.0';
/** Same cap the kubelet uses for CRI messages. */
const MAX_MESSAGE_BYTES = 16 * 1024 * 1024;

type GrpcCallback = (err: grpc.ServiceError | null, res: any) => void;
type AnyClient = grpc.Client & Record<string, (req: unknown, meta: grpc.Metadata, opts: grpc.CallOptions, cb: GrpcCallback) => unknown>;

function toCriError(method: string, err: unknown): CriError {
  const e = err as Partial<grpc.ServiceError>;
  if (typeof e?.code === 'number') return new CriError(method, e.code, e.details ?? e.message ?? '');
  return new CriError(method, 2, err instanceof Error ? err.message : String(err));
}

function unixTarget(socket: string): string {
  return `unix://${path.resolve(socket)}`;
}

type Constructors = { Runtime: grpc.ServiceClientConstructor; Image: grpc.ServiceClientConstructor };
let constructors: Constructors | undefined;

function clientConstructors(): Constructors {
  if (!constructors) {
    const pkg = grpc.loadPackageDefinition(loadCriPackageDefinition()) as any;
    constructors = { Runtime: pkg.runtime.v1.RuntimeService, Image: pkg.runtime.v1.ImageService };
  }
  return constructors;
}

const CHANNEL_OPTIONS: grpc.ChannelOptions = {
  'grpc.max_receive_message_length': MAX_MESSAGE_BYTES,
  'grpc.max_send_message_length': MAX_MESSAGE_BYTES,
  // Reconnect quickly after containerd restarts.
  'grpc.initial_reconnect_backoff_ms': 100,
  'grpc.max_reconnect_backoff_ms': 2000,
};

function asBuffer(v: unknown): Buffer {
  if (Buffer.isBuffer(v)) return v;
  if (v instanceof Uint8Array) return Buffer.from(v);
  if (Array.isArray(v)) return Buffer.from(v);
  if (typeof v === 'string') return Buffer.from(v, 'base64');
  return Buffer.alloc(0);
}

class GrpcCriRuntime implements CriRuntime {
  private readonly runtime: AnyClient;
  private readonly images: AnyClient;
  private readonly timeoutMs: number;
  private readonly pullTimeoutMs: number;
  private readonly execGraceMs: number;

  constructor(socket: string, opts: CriClientOptions) {
    const { Runtime, Image } = clientConstructors();
    this.runtime = new Runtime(unixTarget(socket), grpc.credentials.createInsecure(), CHANNEL_OPTIONS) as unknown as AnyClient;
    this.images = new Image(unixTarget(socket), grpc.credentials.createInsecure(), {
      ...CHANNEL_OPTIONS,
      channelOverride: this.runtime.getChannel(),
    }) as unknown as AnyClient;
    this.timeoutMs = opts.timeoutMs ?? 2 * 60_000;
    this.pullTimeoutMs = opts.pullTimeoutMs ?? 10 * 60_000;
    this.execGraceMs = opts.execGraceMs ?? 5_000;
  }

  /** One unary call; timeoutMs undefined = no deadline. */
  private call<T>(client: AnyClient, method: string, req: object, timeoutMs: number | undefined = this.timeoutMs): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const deadline = timeoutMs === undefined ? Infinity : Date.now() + timeoutMs;
      try {
        client[method](req, new grpc.Metadata(), { deadline }, (err, res) => {
          if (err) reject(toCriError(method, err));
          else resolve(res as T);
        });
      } catch (err) {
        // Serialization errors (a value of the wrong type) throw synchronously.
        reject(toCriError(method, err));
      }
    });
  }

  /** A call whose NOT_FOUND means "nothing to do". */
  private async idempotent(client: AnyClient, method: string, req: object, timeoutMs?: number): Promise<void> {
    try {
      await this.call(client, method, req, timeoutMs);
    } catch (e) {
      if (e instanceof CriError && e.code === GRPC_NOT_FOUND) return;
      throw e;
    }
  }

  async version(): Promise<VersionResponse> {
    const r = await this.call<VersionResponse>(this.runtime, 'Version', { version: KUBE_RUNTIME_API_VERSION });
    return { version: r.version, runtime_name: r.runtime_name, runtime_version: r.runtime_version, runtime_api_version: r.runtime_api_version };
  }

  async status(): Promise<RuntimeCondition[]> {
    const r = await this.call<{ status: { conditions: RuntimeCondition[] } | null }>(this.runtime, 'Status', { verbose: false });
    return r.status?.conditions ?? [];
  }

  async runPodSandbox(config: PodSandboxConfig, runtimeHandler = ''): Promise<string> {
    const r = await this.call<{ pod_sandbox_id: string }>(this.runtime, 'RunPodSandbox', { config, runtime_handler: runtimeHandler });
    return r.pod_sandbox_id;
  }

  stopPodSandbox(id: string): Promise<void> {
    return this.idempotent(this.runtime, 'StopPodSandbox', { pod_sandbox_id: id });
  }

  removePodSandbox(id: string): Promise<void> {
    return this.idempotent(this.runtime, 'RemovePodSandbox', { pod_sandbox_id: id });
  }

  async podSandboxStatus(id: string): Promise<PodSandboxStatus | undefined> {
    try {
      const r = await this.call<{ status: PodSandboxStatus | null }>(this.runtime, 'PodSandboxStatus', { pod_sandbox_id: id, verbose: false });
      return r.status ?? undefined;
    } catch (e) {
      if (e instanceof CriError && e.code === GRPC_NOT_FOUND) return undefined;
      throw e;
    }
  }

  async listPodSandbox(filter?: PodSandboxFilter): Promise<PodSandbox[]> {
    const r = await this.call<{ items: PodSandbox[] }>(this.runtime, 'ListPodSandbox', { filter: filter ?? null });
    return r.items ?? [];
  }

  async createContainer(sandboxId: string, config: ContainerConfig, sandboxConfig: PodSandboxConfig): Promise<string> {
    const r = await this.call<{ container_id: string }>(this.runtime, 'CreateContainer', {
      pod_sandbox_id: sandboxId,
      config,
      sandbox_config: sandboxConfig,
    });
    return r.container_id;
  }

  async startContainer(id: string): Promise<void> {
    await this.call(this.runtime, 'StartContainer', { container_id: id });
  }

  stopContainer(id: string, timeoutSeconds: number): Promise<void> {
    // The runtime waits up to the grace period itself, so the deadline has to cover it.
    const seconds = Math.max(0, Math.floor(timeoutSeconds));
    return this.idempotent(this.runtime, 'StopContainer', { container_id: id, timeout: seconds }, this.timeoutMs + seconds * 1000);
  }

  removeContainer(id: string): Promise<void> {
    return this.idempotent(this.runtime, 'RemoveContainer', { container_id: id });
  }

  async listContainers(filter?: ContainerFilter): Promise<Container[]> {
    const r = await this.call<{ containers: Container[] }>(this.runtime, 'ListContainers', { filter: filter ?? null });
    return r.containers ?? [];
  }

  async containerStatus(id: string): Promise<ContainerStatus | undefined> {
    try {
      const r = await this.call<{ status: ContainerStatus | null }>(this.runtime, 'ContainerStatus', { container_id: id, verbose: false });
      return r.status ?? undefined;
    } catch (e) {
      if (e instanceof CriError && e.code === GRPC_NOT_FOUND) return undefined;
      throw e;
    }
  }

  async reopenContainerLog(id: string): Promise<void> {
    await this.call(this.runtime, 'ReopenContainerLog', { container_id: id });
  }

  async execSync(id: string, cmd: string[], timeoutSeconds: number): Promise<ExecSyncResponse> {
    const seconds = Math.max(0, Math.ceil(timeoutSeconds));
    // Like the kubelet: no call deadline when the exec itself has none.
    const deadline = seconds > 0 ? seconds * 1000 + this.execGraceMs : undefined;
    const r = await this.call<{ stdout: unknown; stderr: unknown; exit_code: number }>(
      this.runtime, 'ExecSync', { container_id: id, cmd, timeout: seconds }, deadline);
    return { stdout: asBuffer(r.stdout), stderr: asBuffer(r.stderr), exit_code: r.exit_code ?? 0 };
  }

  async exec(req: { container_id: string; cmd: string[]; tty?: boolean; stdin?: boolean; stdout?: boolean; stderr?: boolean }): Promise<string> {
    const r = await this.call<{ url: string }>(this.runtime, 'Exec', req);
    return r.url;
  }

  async attach(req: { container_id: string; stdin?: boolean; tty?: boolean; stdout?: boolean; stderr?: boolean }): Promise<string> {
    const r = await this.call<{ url: string }>(this.runtime, 'Attach', req);
    return r.url;
  }

  async portForward(sandboxId: string, ports: number[]): Promise<string> {
    const r = await this.call<{ url: string }>(this.runtime, 'PortForward', { pod_sandbox_id: sandboxId, port: ports });
    return r.url;
  }

  async listImages(filter?: ImageSpec): Promise<Image[]> {
    const r = await this.call<{ images: Image[] }>(this.images, 'ListImages', { filter: filter ? { image: filter } : null });
    return r.images ?? [];
  }

  async imageStatus(image: string): Promise<Image | undefined> {
    try {
      const r = await this.call<{ image: Image | null }>(this.images, 'ImageStatus', { image: { image }, verbose: false });
      return r.image ?? undefined;
    } catch (e) {
      if (e instanceof CriError && e.code === GRPC_NOT_FOUND) return undefined;
      throw e;
    }
  }

  async pullImage(image: string, auth?: AuthConfig, sandboxConfig?: PodSandboxConfig): Promise<string> {
    const r = await this.call<{ image_ref: string }>(this.images, 'PullImage', {
      image: { image },
      auth: auth ?? null,
      sandbox_config: sandboxConfig ?? null,
    }, this.pullTimeoutMs);
    return r.image_ref;
  }

  removeImage(image: string): Promise<void> {
    return this.idempotent(this.images, 'RemoveImage', { image: { image } });
  }

  close(): void {
    this.images.close();
    this.runtime.close();
  }
}

/** A CriRuntime talking to the CRI endpoint at socketPath (an absolute unix socket path). Connects lazily. */
export function connectCri(socketPath: string, opts: CriClientOptions = {}): CriRuntime {
  return new GrpcCriRuntime(socketPath, opts);
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * Waits until the socket exists and answers Version; resolves with it.
 * Rejects with CriError(UNAVAILABLE or DEADLINE_EXCEEDED) after timeoutMs.
 */
export async function waitReady(socket: string, timeoutMs: number): Promise<VersionResponse> {
  const end = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < end) {
    if (fs.existsSync(socket)) {
      // A fresh client per attempt: a failed connect would otherwise wait out grpc's back-off.
      const cri = connectCri(socket, { timeoutMs: Math.max(50, Math.min(1000, end - Date.now())) });
      try {
        return await cri.version();
      } catch (e) {
        last = e;
      } finally {
        cri.close();
      }
    }
    await sleep(25);
  }
  const why = last instanceof CriError ? last.details : fs.existsSync(socket) ? 'no answer' : 'socket does not exist';
  throw new CriError('Version', last instanceof CriError ? last.code : GRPC_UNAVAILABLE,
    `CRI runtime at ${socket} not ready after ${timeoutMs}ms: ${why}`);
}
