// Contracts between the node agent's parts. Each part is built and tested on
// its own against these shapes; kubelet.ts wires the real ones together.

import type { RestClient, EventRecorder, KubeObject } from '../client/index.js';
import type { CriRuntime, Mount, KeyValue } from './cri/api.js';

/** Where the agent keeps things under its data dir (all absolute). */
export interface KubeletPaths {
  dataDir: string;
  /** <dataDir>/pods — one folder per pod UID: volumes/<plugin>/<volume>, etc-hosts, containers/<name>/termination-log */
  podsDir: string;
  /** <dataDir>/logs/pods — the sandbox log_directory is <podLogsDir>/<ns>_<name>_<uid>; log_path is <container>/<restartCount>.log */
  podLogsDir: string;
}

export function podDir(paths: KubeletPaths, uid: string): string {
  return `${paths.podsDir}/${uid}`;
}
export function podLogDir(paths: KubeletPaths, pod: { metadata: { namespace?: string; name: string; uid?: string } }): string {
  return `${paths.podLogsDir}/${pod.metadata.namespace ?? 'default'}_${pod.metadata.name}_${pod.metadata.uid}`;
}

/** What every part of the agent is given. */
export interface KubeletContext {
  nodeName: string;
  /** The node's InternalIP (hostIP of its pods). */
  nodeIP: string;
  client: RestClient;
  cri: CriRuntime;
  /** Events with source.component 'kubelet', source.host nodeName. */
  recorder: EventRecorder;
  paths: KubeletPaths;
  /** Cluster DNS settings written into pods' resolv.conf (empty servers: the host's). */
  clusterDNS: string[];
  clusterDomain: string;
  /** Image of the pause container (never garbage-collected). */
  pauseImage: string;
  now(): Date;
}

// ---------------------------------------------------------------- images

export type ImageResult =
  | { ok: true; imageRef: string }
  /** reason: ErrImagePull | ImagePullBackOff | ErrImageNeverPull | InvalidImageName — the container's waiting reason. */
  | { ok: false; reason: string; message: string };

export interface ImageService {
  /**
   * Makes the container's image present per imagePullPolicy, using the pod's
   * imagePullSecrets; records Pulling/Pulled/Failed/BackOff events on the pod
   * the way the kubelet does, and applies per-image pull back-off.
   */
  ensureImage(pod: KubeObject, container: any): Promise<ImageResult>;
}

// ---------------------------------------------------------------- volumes and env

/** A volume could not be set up: message is the FailedMount event text. */
export class VolumeSetupError extends Error {
  constructor(message: string) { super(message); this.name = 'VolumeSetupError'; }
}
/** A container's config could not be made (env from a missing key…): message goes in the waiting state. */
export class ContainerConfigError extends Error {
  constructor(message: string) { super(message); this.name = 'ContainerConfigError'; }
}

export interface VolumeService {
  /** Creates every volume of the pod (idempotent; refreshes configMap/secret/downwardAPI contents). Throws VolumeSetupError. */
  setUpPod(pod: KubeObject): Promise<void>;
  /** CRI mounts for one container (volumeMounts incl. subPath, /etc/hosts, termination-log). Call after setUpPod. */
  mountsFor(pod: KubeObject, container: any, podIP: string): Promise<Mount[]>;
  /** Removes everything under the pod's folder. */
  tearDownPod(uid: string): Promise<void>;
}

export interface EnvService {
  /** The container's environment, as the kubelet builds it. Throws ContainerConfigError. */
  envFor(pod: KubeObject, container: any, podIP: string): Promise<KeyValue[]>;
}

// ---------------------------------------------------------------- probes

export interface ProbeTarget {
  name: string;
  containerId: string;
  /** ms since epoch when the container started. */
  startedAt: number;
  running: boolean;
}

export interface ProbeHooks {
  /** Liveness or startup probe reached failureThreshold: the worker must kill and restart the container. */
  onProbeKill(podUid: string, containerName: string, containerId: string, probe: 'liveness' | 'startup', message: string): void;
  /** A readiness or startup result changed: the worker should recompute status. */
  onResultChange(podUid: string): void;
}

export interface ProbeService {
  /** Starts/stops probe workers so they match the pod's current containers. */
  sync(pod: KubeObject, podIP: string, containers: ProbeTarget[]): void;
  /** Readiness of the container instance (false until the first success; true when no readiness probe once started). */
  isReady(podUid: string, containerName: string, containerId: string): boolean;
  /** Startup probe passed (true when the container has none). */
  isStarted(podUid: string, containerName: string, containerId: string): boolean;
  removePod(podUid: string): void;
}

/** Result of running one handler (probe or lifecycle hook). */
export interface ActionResult {
  result: 'success' | 'failure';
  /** Output or error text, as Kubernetes puts it in Unhealthy / FailedPostStartHook events. */
  output: string;
}
