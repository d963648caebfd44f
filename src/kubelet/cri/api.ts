// The CRI v1 messages Skiff uses, as plain TypeScript shapes. Field names are
// the proto's snake_case names (proto-loader keepCase); int64 timestamps are
// nanosecond decimal strings (proto-loader longs: String) so nothing rounds.
// This file is the contract between the CRI client and everything that uses it.

export type Protocol = 'TCP' | 'UDP' | 'SCTP';
export type NamespaceMode = 'POD' | 'CONTAINER' | 'NODE' | 'TARGET';
export type PodSandboxState = 'SANDBOX_READY' | 'SANDBOX_NOTREADY';
export type ContainerState = 'CONTAINER_CREATED' | 'CONTAINER_RUNNING' | 'CONTAINER_EXITED' | 'CONTAINER_UNKNOWN';
export type MountPropagation = 'PROPAGATION_PRIVATE' | 'PROPAGATION_HOST_TO_CONTAINER' | 'PROPAGATION_BIDIRECTIONAL';

export interface PodSandboxMetadata { name: string; uid: string; namespace: string; attempt?: number }
export interface DNSConfig { servers?: string[]; searches?: string[]; options?: string[] }
export interface PortMapping { protocol?: Protocol; container_port: number; host_port?: number; host_ip?: string }
export interface NamespaceOption { network?: NamespaceMode; pid?: NamespaceMode; ipc?: NamespaceMode; target_id?: string }
export interface Int64Value { value: string | number }
export interface LinuxSandboxSecurityContext {
  namespace_options?: NamespaceOption;
  run_as_user?: Int64Value;
  run_as_group?: Int64Value;
  readonly_rootfs?: boolean;
  supplemental_groups?: Array<string | number>;
  privileged?: boolean;
}
export interface LinuxPodSandboxConfig {
  cgroup_parent?: string;
  security_context?: LinuxSandboxSecurityContext;
  sysctls?: Record<string, string>;
}
export interface PodSandboxConfig {
  metadata: PodSandboxMetadata;
  hostname?: string;
  log_directory?: string;
  dns_config?: DNSConfig;
  port_mappings?: PortMapping[];
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  linux?: LinuxPodSandboxConfig;
}
export interface PodSandboxNetworkStatus { ip: string; additional_ips?: { ip: string }[] }
export interface PodSandboxStatus {
  id: string;
  metadata: PodSandboxMetadata;
  state: PodSandboxState;
  created_at: string;
  network?: PodSandboxNetworkStatus | null;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}
export interface PodSandbox {
  id: string;
  metadata: PodSandboxMetadata;
  state: PodSandboxState;
  created_at: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}
export interface PodSandboxFilter { id?: string; state?: { state: PodSandboxState }; label_selector?: Record<string, string> }

export interface ContainerMetadata { name: string; attempt?: number }
export interface ImageSpec { image: string; annotations?: Record<string, string> }
export interface KeyValue { key: string; value: string }
export interface Mount { container_path: string; host_path: string; readonly?: boolean; selinux_relabel?: boolean; propagation?: MountPropagation }
export interface LinuxContainerResources {
  cpu_period?: string | number;
  cpu_quota?: string | number;
  cpu_shares?: string | number;
  memory_limit_in_bytes?: string | number;
  oom_score_adj?: string | number;
  cpuset_cpus?: string;
  cpuset_mems?: string;
  unified?: Record<string, string>;
  memory_swap_limit_in_bytes?: string | number;
}
export interface Capability { add_capabilities?: string[]; drop_capabilities?: string[] }
export interface LinuxContainerSecurityContext {
  capabilities?: Capability;
  privileged?: boolean;
  namespace_options?: NamespaceOption;
  run_as_user?: Int64Value;
  run_as_username?: string;
  readonly_rootfs?: boolean;
  supplemental_groups?: Array<string | number>;
  no_new_privs?: boolean;
  run_as_group?: Int64Value;
}
export interface LinuxContainerConfig { resources?: LinuxContainerResources; security_context?: LinuxContainerSecurityContext }
export interface ContainerConfig {
  metadata: ContainerMetadata;
  image: ImageSpec;
  command?: string[];
  args?: string[];
  working_dir?: string;
  envs?: KeyValue[];
  mounts?: Mount[];
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  /** Relative to the sandbox's log_directory. */
  log_path?: string;
  stdin?: boolean;
  stdin_once?: boolean;
  tty?: boolean;
  linux?: LinuxContainerConfig;
}
export interface Container {
  id: string;
  pod_sandbox_id: string;
  metadata: ContainerMetadata;
  image: ImageSpec;
  image_ref: string;
  state: ContainerState;
  created_at: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}
export interface ContainerStatus {
  id: string;
  metadata: ContainerMetadata;
  state: ContainerState;
  created_at: string;
  started_at: string;
  finished_at: string;
  exit_code: number;
  image: ImageSpec;
  image_ref: string;
  /** 'Completed' | 'Error' | 'OOMKilled' | 'StartError' | '' */
  reason: string;
  message: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  mounts: Mount[];
  /** Absolute path of the container's log file. */
  log_path: string;
}
export interface ContainerFilter { id?: string; state?: { state: ContainerState }; pod_sandbox_id?: string; label_selector?: Record<string, string> }

export interface Image {
  id: string;
  repo_tags: string[];
  repo_digests: string[];
  /** Bytes, decimal string. */
  size: string;
  uid?: Int64Value | null;
  username?: string;
  pinned?: boolean;
}
export interface AuthConfig {
  username?: string;
  password?: string;
  auth?: string;
  /** Must be empty or a URL with a scheme (cri-notes P13). */
  server_address?: string;
  identity_token?: string;
  registry_token?: string;
}
export interface RuntimeCondition { type: string; status: boolean; reason: string; message: string }
export interface VersionResponse { version: string; runtime_name: string; runtime_version: string; runtime_api_version: string }
export interface ExecSyncResponse { stdout: Buffer; stderr: Buffer; exit_code: number }

/** gRPC status codes the callers care about. */
export const GRPC_DEADLINE_EXCEEDED = 4;
export const GRPC_NOT_FOUND = 5;
export const GRPC_UNAVAILABLE = 14;

/** An error from a CRI call: the gRPC code and the runtime's message. */
export class CriError extends Error {
  constructor(readonly method: string, readonly code: number, readonly details: string) {
    super(`${method}: ${details}`);
    this.name = 'CriError';
  }
}
export const isCriNotFound = (e: unknown): boolean => e instanceof CriError && e.code === GRPC_NOT_FOUND;

/** The runtime and image services, promise-based. Every method rejects with CriError. */
export interface CriRuntime {
  version(): Promise<VersionResponse>;
  status(): Promise<RuntimeCondition[]>;

  runPodSandbox(config: PodSandboxConfig, runtimeHandler?: string): Promise<string>;
  /** NOT_FOUND is treated as success. */
  stopPodSandbox(id: string): Promise<void>;
  removePodSandbox(id: string): Promise<void>;
  /** undefined when the sandbox does not exist. */
  podSandboxStatus(id: string): Promise<PodSandboxStatus | undefined>;
  listPodSandbox(filter?: PodSandboxFilter): Promise<PodSandbox[]>;

  createContainer(sandboxId: string, config: ContainerConfig, sandboxConfig: PodSandboxConfig): Promise<string>;
  startContainer(id: string): Promise<void>;
  /** timeoutSeconds 0 = SIGKILL at once. NOT_FOUND is treated as success. */
  stopContainer(id: string, timeoutSeconds: number): Promise<void>;
  removeContainer(id: string): Promise<void>;
  listContainers(filter?: ContainerFilter): Promise<Container[]>;
  /** undefined when the container does not exist. */
  containerStatus(id: string): Promise<ContainerStatus | undefined>;
  reopenContainerLog(id: string): Promise<void>;
  /** timeoutSeconds 0 = none; a timeout rejects with CriError code GRPC_DEADLINE_EXCEEDED. */
  execSync(id: string, cmd: string[], timeoutSeconds: number): Promise<ExecSyncResponse>;
  /** URL on containerd's streaming server (single use). */
  exec(req: { container_id: string; cmd: string[]; tty?: boolean; stdin?: boolean; stdout?: boolean; stderr?: boolean }): Promise<string>;
  attach(req: { container_id: string; stdin?: boolean; tty?: boolean; stdout?: boolean; stderr?: boolean }): Promise<string>;
  portForward(sandboxId: string, ports: number[]): Promise<string>;

  listImages(filter?: ImageSpec): Promise<Image[]>;
  /** undefined when the image is not present. */
  imageStatus(image: string): Promise<Image | undefined>;
  /** Returns the image reference (ID, sha256:...). */
  pullImage(image: string, auth?: AuthConfig, sandboxConfig?: PodSandboxConfig): Promise<string>;
  removeImage(image: string): Promise<void>;

  close(): void;
}

/** Labels and annotations the kubelet puts on sandboxes and containers (same keys as Kubernetes). */
export const LABEL_POD_NAME = 'io.kubernetes.pod.name';
export const LABEL_POD_NAMESPACE = 'io.kubernetes.pod.namespace';
export const LABEL_POD_UID = 'io.kubernetes.pod.uid';
export const LABEL_CONTAINER_NAME = 'io.kubernetes.container.name';
/** Marks objects this kubelet manages (value: node name), so a shared containerd's other objects are left alone. */
export const LABEL_MANAGED_BY = 'skiff.dev/node';
export const ANNOTATION_RESTART_COUNT = 'io.kubernetes.container.restartCount';
export const ANNOTATION_CONTAINER_HASH = 'io.kubernetes.container.hash';
export const ANNOTATION_TERMINATION_MESSAGE_PATH = 'io.kubernetes.container.terminationMessagePath';
export const ANNOTATION_TERMINATION_GRACE = 'io.kubernetes.pod.terminationGracePeriod';
/** 'init' | 'app' — which list of the pod spec the container came from. */
export const ANNOTATION_CONTAINER_KIND = 'skiff.dev/container-kind';

/** Nanosecond decimal string → milliseconds since the epoch (0 for unset). */
export function nsToMs(ns: string | number | undefined): number {
  if (ns === undefined || ns === '' || ns === 0 || ns === '0') return 0;
  return Number(BigInt(ns) / 1_000_000n);
}

/** Nanosecond decimal string → RFC 3339 with seconds precision, as pod status times are written. */
export function nsToRfc3339(ns: string | number | undefined): string | undefined {
  const ms = nsToMs(ns);
  return ms === 0 ? undefined : new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}
