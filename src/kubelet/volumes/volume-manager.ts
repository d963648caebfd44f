// The pod volumes on this node. Layout under <podsDir>/<uid>:
//   volumes/kubernetes.io~<plugin>/<volume>   emptyDir, configMap, secret, downwardAPI, projected
//   etc-hosts                                 the pod's /etc/hosts
//   containers/<container>/termination-log    the container's terminationMessagePath
// hostPath volumes are the host path itself. setUpPod runs on every pod sync,
// so it only writes what changed (configMap/secret/downwardAPI contents flip
// atomically, so running containers see updates without a restart).

import fs from 'node:fs/promises';
import path from 'node:path';
import { Quantity } from '../../api/quantity.js';
import type { KubeObject } from '../../client/index.js';
import {
  ContainerConfigError,
  VolumeSetupError,
  podDir,
  type EnvService,
  type KubeletContext,
  type VolumeService,
} from '../contracts.js';
import type { Mount, MountPropagation } from '../cri/api.js';
import { ContainerEnv } from '../env/container-env.js';
import { expand } from '../expansion.js';
import { getNodeAllocatable } from '../env/api-objects.js';
import { AtomicWriter } from './atomic-writer.js';
import { podFsGroup, setVolumeOwnership } from './fs-group.js';
import { checkHostPathType } from './host-path.js';
import { writeHostsFile } from './hosts-file.js';
import { isMountPoint, mountTmpfs, mountsUnder, unmount } from './mount-table.js';
import { configMapPayload, downwardApiPayload, projectedPayload, secretPayload, type Payload, type PayloadContext } from './payloads.js';

export interface VolumeManagerOptions {
  ctx: KubeletContext;
  /** Resolves subPathExpr references; default: a ContainerEnv on the same context. */
  env?: EnvService;
  /** The node's hosts file, copied for hostNetwork pods. Default /etc/hosts. */
  nodeHostsFile?: string;
}

/** Volume source field → plugin folder name; sources not listed are not supported here. */
const pluginDirs: Record<string, string> = {
  emptyDir: 'kubernetes.io~empty-dir',
  configMap: 'kubernetes.io~configmap',
  secret: 'kubernetes.io~secret',
  downwardAPI: 'kubernetes.io~downward-api',
  projected: 'kubernetes.io~projected',
};
/** Plugins whose mounts are always read-only in the container. */
const readOnlyPlugins = new Set(['configMap', 'secret', 'downwardAPI', 'projected']);

const propagations: Record<string, MountPropagation> = {
  None: 'PROPAGATION_PRIVATE',
  HostToContainer: 'PROPAGATION_HOST_TO_CONTAINER',
  Bidirectional: 'PROPAGATION_BIDIRECTIONAL',
};

const DEFAULT_TERMINATION_MESSAGE_PATH = '/dev/termination-log';

/** The source field of a volume: 'emptyDir', 'hostPath', 'persistentVolumeClaim', … */
export function volumeKind(volume: any): string {
  return Object.keys(volume ?? {}).find((k) => k !== 'name' && volume[k] != null) ?? '';
}

export class VolumeManager implements VolumeService {
  private readonly ctx: KubeletContext;
  private readonly env: EnvService;
  private readonly nodeHostsFile: string;

  constructor(opts: VolumeManagerOptions) {
    this.ctx = opts.ctx;
    this.env = opts.env ?? new ContainerEnv({ ctx: opts.ctx });
    this.nodeHostsFile = opts.nodeHostsFile ?? '/etc/hosts';
  }

  podDir(uid: string): string {
    return podDir(this.ctx.paths, uid);
  }

  /** Host path of a pod volume, or undefined for a source this node does not support. */
  volumePath(uid: string, volume: any): string | undefined {
    const kind = volumeKind(volume);
    if (kind === 'hostPath') return volume.hostPath.path;
    const plugin = pluginDirs[kind];
    return plugin ? path.join(this.podDir(uid), 'volumes', plugin, volume.name) : undefined;
  }

  etcHostsPath(uid: string): string {
    return path.join(this.podDir(uid), 'etc-hosts');
  }

  terminationLogPath(uid: string, container: string): string {
    return path.join(this.podDir(uid), 'containers', container, 'termination-log');
  }

  async setUpPod(pod: KubeObject): Promise<void> {
    const uid = pod.metadata.uid!;
    await fs.mkdir(path.join(this.podDir(uid), 'volumes'), { recursive: true, mode: 0o750 });
    let allocatable: Promise<Record<string, string>> | undefined;
    const pctx: PayloadContext = {
      client: this.ctx.client,
      pod,
      allocatable: () => (allocatable ??= getNodeAllocatable(this.ctx.client, this.ctx.nodeName)),
    };
    let first: VolumeSetupError | undefined;
    for (const volume of pod.spec?.volumes ?? []) {
      try {
        await this.setUpVolume(uid, volume, pctx);
      } catch (e) {
        const msg = e instanceof Error ? e.message : String(e);
        first ??= new VolumeSetupError(`MountVolume.SetUp failed for volume "${volume.name}" : ${msg}`);
      }
    }
    if (first) throw first;
  }

  private async setUpVolume(uid: string, volume: any, pctx: PayloadContext): Promise<void> {
    const kind = volumeKind(volume);
    const dir = this.volumePath(uid, volume);
    if (dir === undefined) throw new Error(`volume type ${kind || '<none>'} is not supported by this node`);
    const source = volume[kind];
    const fsGroup = podFsGroup(pctx.pod);
    let payload: Payload;
    switch (kind) {
      case 'hostPath':
        return checkHostPathType(dir, source.type);
      case 'emptyDir':
        return this.setUpEmptyDir(dir, source, fsGroup);
      case 'configMap':
        payload = await configMapPayload(source, pctx);
        break;
      case 'secret':
        payload = await secretPayload(source, pctx);
        break;
      case 'downwardAPI':
        payload = await downwardApiPayload(source, pctx);
        break;
      default:
        payload = await projectedPayload(source, pctx);
    }
    // These volumes are read-only in the container: fsGroup adds group read only.
    const setPerms = fsGroup === undefined ? undefined : () => setVolumeOwnership(dir, fsGroup, true);
    await new AtomicWriter(dir, () => this.ctx.now()).write(payload, setPerms);
  }

  /**
   * A world-writable folder; medium Memory puts a tmpfs (sizeLimit, else the kernel default) on it.
   * Mode and fsGroup are set once, when the folder (or its tmpfs) is new: later syncs must not
   * undo what the containers did with it.
   */
  private async setUpEmptyDir(dir: string, source: any, fsGroup: number | undefined): Promise<void> {
    let fresh = (await fs.mkdir(dir, { recursive: true })) !== undefined;
    if (source.medium === 'Memory' && !(await isMountPoint(dir))) {
      const limit = Quantity.tryParse(source.sizeLimit);
      await mountTmpfs(dir, limit && !limit.isZero() ? limit.valueBig() : undefined);
      fresh = true;
    }
    if (!fresh) return;
    // sizeLimit on disk is not enforced (no eviction manager).
    await fs.chmod(dir, 0o777);
    if (fsGroup !== undefined) await setVolumeOwnership(dir, fsGroup, false);
  }

  async mountsFor(pod: KubeObject, container: any, podIP: string): Promise<Mount[]> {
    const uid = pod.metadata.uid!;
    const volumes = new Map<string, any>((pod.spec?.volumes ?? []).map((v: any) => [v.name, v]));
    const mounts: Mount[] = [];
    let mountHosts = podIP !== '' || pod.spec?.hostNetwork === true;
    let expandEnv: Map<string, string> | undefined;
    for (const vm of container.volumeMounts ?? []) {
      if (vm.mountPath === '/etc/hosts') mountHosts = false;
      const volume = volumes.get(vm.name);
      const volumePath = volume ? this.volumePath(uid, volume) : undefined;
      if (volumePath === undefined) throw new ContainerConfigError(`cannot find volume "${vm.name}" to mount into container "${container.name}"`);
      let subPath: string = vm.subPath ?? '';
      if (vm.subPathExpr) {
        expandEnv ??= new Map((await this.env.envFor(pod, container, podIP)).map((kv) => [kv.key, kv.value]));
        subPath = expandSubPathExpr(vm.subPathExpr, expandEnv);
      }
      let hostPath = volumePath;
      if (subPath) hostPath = await this.prepareSubPath(volumePath, subPath, vm.name, container.name);
      const propagation = vm.mountPropagation ? propagations[vm.mountPropagation] : 'PROPAGATION_PRIVATE';
      if (!propagation) throw new ContainerConfigError(`invalid MountPropagation mode: "${vm.mountPropagation}"`);
      mounts.push({
        container_path: vm.mountPath,
        host_path: hostPath,
        readonly: vm.readOnly === true || readOnlyPlugins.has(volumeKind(volume)),
        propagation,
      });
    }
    if (mountHosts) {
      const file = this.etcHostsPath(uid);
      await fs.mkdir(path.dirname(file), { recursive: true, mode: 0o750 });
      await writeHostsFile(file, pod, podIP ? [podIP] : [], this.ctx.clusterDomain, this.nodeHostsFile);
      mounts.push({ container_path: '/etc/hosts', host_path: file, readonly: false });
    }
    const tmp = container.terminationMessagePath ?? DEFAULT_TERMINATION_MESSAGE_PATH;
    if (tmp) {
      const file = this.terminationLogPath(uid, container.name);
      await fs.mkdir(path.dirname(file), { recursive: true, mode: 0o750 });
      // A new container instance starts with an empty message.
      await fs.writeFile(file, '');
      await fs.chmod(file, 0o666);
      mounts.push({ container_path: tmp, host_path: file, readonly: false });
    }
    return mounts;
  }

  /** volume/subPath, created as a folder when missing; it must not lead outside the volume. */
  private async prepareSubPath(volumePath: string, subPath: string, mountName: string, containerName: string): Promise<string> {
    if (path.isAbsolute(subPath)) throw new ContainerConfigError(`error SubPath \`${subPath}\` must not be an absolute path`);
    if (subPath.split('/').includes('..')) throw new ContainerConfigError(`unable to provision SubPath \`${subPath}\`: must not contain '..'`);
    const full = path.join(volumePath, subPath);
    let exists = true;
    try {
      await fs.lstat(full);
    } catch {
      exists = false;
    }
    try {
      const root = await fs.realpath(volumePath);
      if (!exists) {
        const mode = (await fs.stat(root)).mode & 0o7777;
        await mkdirInside(root, path.relative(volumePath, full), mode);
      }
      const real = await fs.realpath(full);
      if (real !== root && !real.startsWith(root + '/')) throw new Error('outside');
    } catch {
      throw new ContainerConfigError(`failed to prepare subPath for volumeMount "${mountName}" of container "${containerName}"`);
    }
    return full;
  }

  async tearDownPod(uid: string): Promise<void> {
    const dir = this.podDir(uid);
    for (const m of await mountsUnder(dir)) await unmount(m.mountPoint);
    const left = await mountsUnder(dir);
    // Never delete through a mount: that would delete whatever is mounted there.
    if (left.length > 0) throw new Error(`cannot remove ${dir}: still mounted: ${left.map((m) => m.mountPoint).join(', ')}`);
    await fs.rm(dir, { recursive: true, force: true });
  }
}

/** subPathExpr with only the container's variables; a missing or empty one is an error. */
export function expandSubPathExpr(expr: string, env: ReadonlyMap<string, string>): string {
  const missing = new Set<string>();
  const out = expand(expr, (name) => {
    const v = env.get(name);
    if (!v) missing.add(name);
    return v ?? '';
  });
  if (missing.size > 0) throw new ContainerConfigError(`missing value for ${[...missing].sort().join(', ')}`);
  return out;
}

/** Creates rel below root one component at a time, refusing to follow a symlink out of root. */
async function mkdirInside(root: string, rel: string, mode: number): Promise<void> {
  let cur = root;
  for (const part of rel.split('/').filter(Boolean)) {
    const next = path.join(cur, part);
    try {
      const st = await fs.lstat(next);
      const real = await fs.realpath(next);
      if (real !== root && !real.startsWith(root + '/')) throw new Error('outside');
      if (!st.isDirectory() && !(st.isSymbolicLink() && (await fs.stat(next)).isDirectory())) throw new Error('not a directory');
      cur = real;
    } catch (e: any) {
      if (e.code !== 'ENOENT') throw e;
      await fs.mkdir(next, { mode });
      await fs.chmod(next, mode);
      cur = next;
    }
  }
}
