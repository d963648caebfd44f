// A small in-memory CriRuntime for kubelet server tests: containers with
// labels, statuses with log paths, and exec/attach URLs on a FakeStreamServer.

import {
  ANNOTATION_RESTART_COUNT,
  LABEL_CONTAINER_NAME,
  LABEL_POD_NAME,
  LABEL_POD_NAMESPACE,
  type Container,
  type ContainerFilter,
  type ContainerState,
  type ContainerStatus,
  type CriRuntime,
} from '../cri/api.js';
import type { FakeBehaviour, FakeStreamServer } from './fake-stream-server.js';

export interface FakeContainer {
  id: string;
  namespace: string;
  pod: string;
  name: string;
  attempt: number;
  state: ContainerState;
  logPath: string;
}

export class FakeCri {
  readonly containers: FakeContainer[] = [];
  readonly execCalls: Array<{ container_id: string; cmd?: string[]; tty?: boolean; stdin?: boolean; stdout?: boolean; stderr?: boolean }> = [];
  /** Picks the fake process for an exec (by command) or attach. */
  behaviour: (cmd: string[] | undefined) => FakeBehaviour = () => (p) => p.exit(0);

  constructor(private readonly streams: FakeStreamServer) {}

  private toContainer(c: FakeContainer): Container {
    return {
      id: c.id,
      pod_sandbox_id: `sb-${c.pod}`,
      metadata: { name: c.name, attempt: c.attempt },
      image: { image: 'img' },
      image_ref: 'sha256:0',
      state: c.state,
      created_at: String(1_700_000_000_000_000_000n + BigInt(c.attempt)),
      labels: { [LABEL_POD_NAMESPACE]: c.namespace, [LABEL_POD_NAME]: c.pod, [LABEL_CONTAINER_NAME]: c.name },
      annotations: { [ANNOTATION_RESTART_COUNT]: String(c.attempt) },
    };
  }

  runtime(): CriRuntime {
    const unsupported = (name: string) => () => Promise.reject(new Error(`FakeCri: ${name} not implemented`));
    const self = this;
    return {
      version: unsupported('version'),
      status: unsupported('status'),
      runPodSandbox: unsupported('runPodSandbox'),
      stopPodSandbox: unsupported('stopPodSandbox'),
      removePodSandbox: unsupported('removePodSandbox'),
      podSandboxStatus: unsupported('podSandboxStatus'),
      listPodSandbox: unsupported('listPodSandbox'),
      createContainer: unsupported('createContainer'),
      startContainer: unsupported('startContainer'),
      stopContainer: unsupported('stopContainer'),
      removeContainer: unsupported('removeContainer'),
      reopenContainerLog: unsupported('reopenContainerLog'),
      execSync: unsupported('execSync'),
      portForward: unsupported('portForward'),
      listImages: unsupported('listImages'),
      imageStatus: unsupported('imageStatus'),
      pullImage: unsupported('pullImage'),
      removeImage: unsupported('removeImage'),
      close() {},
      async listContainers(filter?: ContainerFilter) {
        return self.containers
          .filter((c) => !filter?.state || filter.state.state === c.state)
          .map((c) => self.toContainer(c))
          .filter((c) => Object.entries(filter?.label_selector ?? {}).every(([k, v]) => c.labels[k] === v));
      },
      async containerStatus(id: string): Promise<ContainerStatus | undefined> {
        const c = self.containers.find((x) => x.id === id);
        if (!c) return undefined;
        const base = self.toContainer(c);
        return {
          id: c.id,
          metadata: base.metadata,
          state: c.state,
          created_at: base.created_at,
          started_at: base.created_at,
          finished_at: '0',
          exit_code: 0,
          image: base.image,
          image_ref: base.image_ref,
          reason: '',
          message: '',
          labels: base.labels,
          annotations: base.annotations,
          mounts: [],
          log_path: c.logPath,
        };
      },
      async exec(req) {
        self.execCalls.push(req);
        return self.streams.url('exec', self.behaviour(req.cmd));
      },
      async attach(req) {
        self.execCalls.push(req);
        return self.streams.url('attach', self.behaviour(undefined));
      },
    };
  }
}
