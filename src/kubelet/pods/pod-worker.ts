// One pod's worker: each sync() compares the pod spec with what the runtime
// holds and acts like the kubelet's SyncPod — sandbox, init containers in
// order, app containers with restart back-off, liveness kills — then writes
// the status. Deleted pods are killed (preStop, stop, remove), cleaned up and
// their API object finally deleted. Syncs of one pod never overlap.

import { mkdir, readdir, rm } from 'node:fs/promises';
import { resources } from '../../api/resources.js';
import { qosClass } from '../../api/qos.js';
import { isConflict, isNotFound, type KubeObject } from '../../client/index.js';
import { log } from '../../log.js';
import { CriError, nsToMs, type PodSandboxConfig } from '../cri/api.js';
import {
  ContainerConfigError,
  VolumeSetupError,
  podDir,
  podLogDir,
  type EnvService,
  type ImageService,
  type KubeletContext,
  type ProbeService,
  type ProbeTarget,
  type VolumeService,
} from '../contracts.js';
import { Backoff } from '../backoff.js';
import { formatPod, goDuration, runtimeErrorText } from '../go-format.js';
import { containerConfig, containerHash } from './container-config.js';
import type { HostDNS } from './dns-config.js';
import type { PodCleanup, RunHandler } from './hooks.js';
import { canonical, generatePodStatus, sandboxIsUsable, shouldContainerBeRestarted, terminatePodStatus, type WaitingReason } from './pod-status.js';
import {
  appContainers,
  containerRef,
  containerSpec,
  initContainers,
  isHostNetwork,
  isSidecar,
  MIN_GRACE_SECONDS,
  restartPolicy,
  terminationGracePeriod,
  type ContainerKind,
} from './pod-spec.js';
import { imageUser, requiresNonRoot, verifyRunAsNonRoot } from './run-as-non-root.js';
import { readPodRuntime, type PodRuntimeState, type RuntimeContainer, type RuntimeSandbox } from './runtime-state.js';
import { podCgroupParent, sandboxConfig } from './sandbox-config.js';

export const podsDef = resources.find((r) => r.group === '' && r.plural === 'pods')!;

export interface PodWorkerDeps {
  ctx: KubeletContext;
  images: ImageService;
  volumes: VolumeService;
  env: EnvService;
  probes: ProbeService;
  runHandler?: RunHandler;
  cleanup?: PodCleanup;
  /** Shared by all workers (keys carry the pod UID). */
  backoff: Backoff;
  hostDNS: () => HostDNS;
  memoryCapacity: number;
  /** Periodic re-sync (default 10 s). */
  resyncMs: number;
  digestCache?: Map<string, string>;
  /** Called once the pod is terminated and cleaned up. */
  onFinished?: (uid: string) => void;
}

interface KillRequest {
  name: string;
  message: string;
  graceSeconds?: number;
}

const terminalPhase = (p: unknown) => p === 'Succeeded' || p === 'Failed';
const errText = (e: unknown) => (e instanceof CriError ? e.details : e instanceof Error ? e.message : String(e));

function rvNumber(o: KubeObject | undefined): number {
  const n = Number(o?.metadata?.resourceVersion);
  return Number.isFinite(n) ? n : NaN;
}

export class PodWorker {
  private pod?: KubeObject;
  private gone = false;
  private syncing = false;
  private again = false;
  private stopped = false;
  private finished = false;
  private timer?: NodeJS.Timeout;
  private idleWaiters: (() => void)[] = [];
  /** Why each container could not start in the last sync (kubelet reason cache). */
  readonly reasons = new Map<string, WaitingReason>();
  private readonly kills = new Map<string, KillRequest>();
  private nextWakeMs = Infinity;

  constructor(
    readonly uid: string,
    private readonly d: PodWorkerDeps,
  ) {}

  get current(): KubeObject | undefined {
    return this.pod;
  }

  isFinished(): boolean {
    return this.finished;
  }

  /** A new version of the pod (undefined: it is gone from the API). Triggers a sync. */
  /** Takes the pod's newest version; true when that started a sync. */
  update(pod: KubeObject | undefined): boolean {
    if (pod === undefined) {
      this.gone = true;
      this.requestSync();
      return true;
    }
    if (rvNumber(pod) < rvNumber(this.pod)) return false;
    const prev = this.pod;
    this.pod = pod;
    // Like the kubelet's pod config, a change to the status alone (usually our own write) is
    // reconciled, not synced: the pod keeps showing e.g. ErrImagePull until the next resync.
    if (prev && !needsSync(prev, pod)) return false;
    this.requestSync();
    return true;
  }

  /** A probe asked for the container instance to be killed and restarted. */
  requestKill(name: string, containerId: string, probe: 'liveness' | 'startup'): void {
    const spec = this.pod ? containerSpec(this.pod, name)?.spec : undefined;
    const probeSpec = probe === 'liveness' ? spec?.livenessProbe : spec?.startupProbe;
    const grace = typeof probeSpec?.terminationGracePeriodSeconds === 'number' ? probeSpec.terminationGracePeriodSeconds : undefined;
    this.kills.set(containerId, { name, message: `Container ${name} failed ${probe} probe, will be restarted`, graceSeconds: grace });
    this.requestSync();
  }

  requestSync(): void {
    if (this.stopped || this.finished) return;
    if (this.syncing) {
      this.again = true;
      return;
    }
    this.syncing = true;
    void this.loop();
  }

  /** Stops scheduling syncs; containers keep running. */
  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** Resolves when no sync is running or queued (tests). */
  whenIdle(): Promise<void> {
    if (!this.syncing) return Promise.resolve();
    return new Promise((r) => this.idleWaiters.push(r));
  }

  private async loop(): Promise<void> {
    do {
      this.again = false;
      this.nextWakeMs = this.d.resyncMs;
      try {
        await this.sync();
      } catch (e) {
        log.warn('pod sync failed', { pod: this.pod ? formatPod(this.pod) : this.uid, err: errText(e) });
        this.nextWakeMs = Math.min(this.nextWakeMs, 2000);
      }
    } while (this.again && !this.stopped && !this.finished);
    this.syncing = false;
    if (!this.stopped && !this.finished) this.schedule(this.nextWakeMs);
    for (const w of this.idleWaiters.splice(0)) w();
  }

  private schedule(ms: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.requestSync();
    }, Math.max(10, ms));
    this.timer.unref?.();
  }

  private wakeIn(ms: number): void {
    this.nextWakeMs = Math.min(this.nextWakeMs, ms);
  }

  private readonly sandboxIPs = new Map<string, string[]>();
  /** The status write started at the beginning of a first sync, if any. */
  private earlyStatus?: Promise<void>;

  // ---------------------------------------------------------------- sync

  private readRuntime(): Promise<PodRuntimeState> {
    const { ctx } = this.d;
    return readPodRuntime(ctx.cri, this.uid, ctx.nodeName, {
      digestCache: this.d.digestCache,
      sandboxIPs: this.sandboxIPs,
      terminationLogFile: (name) => `${podDir(ctx.paths, this.uid)}/containers/${name}/termination-log`,
    });
  }

  /** One pass: make the runtime match the pod, then report status. */
  async sync(): Promise<void> {
    const pod = this.pod;
    if (this.gone || !pod) {
      await this.terminate(pod, false);
      return;
    }
    if (pod.metadata.deletionTimestamp) {
      await this.terminate(pod, true);
      return;
    }
    let runtime = await this.readRuntime();
    if (terminalPhase(pod.status?.phase)) {
      await this.stopFinishedPod(pod, runtime);
      return;
    }

    // Like the kubelet, report status before the slow work (sandbox, pulls), so a pod
    // waiting for its image already shows Pending/ContainerCreating.
    if (!pod.status?.containerStatuses) {
      // Not awaited: it goes out while the sandbox is made; the next status write waits for it.
      const early = this.status(pod, runtime, false);
      this.earlyStatus = this.putStatus(pod, early).catch((e) => log.debug('early pod status not written', { uid: this.uid, err: errText(e) }));
    }

    try {
      await this.d.volumes.setUpPod(pod);
    } catch (e) {
      if (!(e instanceof VolumeSetupError)) throw e;
      this.d.ctx.recorder.event(pod, 'Warning', 'FailedMount', e.message);
      await this.writeStatus(pod, runtime, false);
      this.wakeIn(2000);
      return;
    }

    if (!sandboxIsUsable(pod, runtime)) {
      const created = await this.recreateSandbox(pod, runtime);
      runtime = await this.readRuntime();
      if (!created) {
        await this.writeStatus(pod, runtime, terminalPhase(pod.status?.phase));
        return;
      }
    }
    const sandbox = runtime.sandboxes[0];
    const podIP = isHostNetwork(pod) ? this.d.ctx.nodeIP : sandbox.ips[0] ?? '';
    const sbConfig = this.sandboxConfigFor(pod, sandbox.attempt);

    if (await this.killUnwanted(pod, runtime, sandbox)) runtime = await this.readRuntime();

    let podFailed = false;
    let initDone = true;
    const inSandbox = (name: string, kind: ContainerKind) => runtime.containers.find((c) => c.name === name && c.kind === kind && c.sandboxId === sandbox.id);
    for (const spec of initContainers(pod)) {
      const latest = inSandbox(spec.name, 'init');
      if (isSidecar(spec)) {
        if (latest?.state === 'CONTAINER_RUNNING') {
          if (this.d.probes.isStarted(this.uid, spec.name, latest.id)) continue;
          initDone = false;
          break;
        }
        await this.startContainer(pod, spec, 'init', runtime, sandbox, sbConfig, podIP);
        initDone = false;
        break;
      }
      if (latest?.state === 'CONTAINER_EXITED' && latest.exitCode === 0) continue;
      initDone = false;
      if (latest?.state === 'CONTAINER_RUNNING') break;
      if (latest?.state === 'CONTAINER_EXITED' && restartPolicy(pod) === 'Never') {
        podFailed = true;
        break;
      }
      await this.startContainer(pod, spec, 'init', runtime, sandbox, sbConfig, podIP);
      break;
    }
    if (initDone && !podFailed) {
      for (const spec of appContainers(pod)) {
        const latest = inSandbox(spec.name, 'app');
        if (latest?.state === 'CONTAINER_RUNNING') continue;
        if (!shouldContainerBeRestarted(pod, spec, latest)) continue;
        await this.startContainer(pod, spec, 'app', runtime, sandbox, sbConfig, podIP);
      }
    }

    runtime = await this.readRuntime();
    if (await this.pruneDead(runtime)) runtime = await this.readRuntime();
    // Probe workers must know the current containers before readiness is asked for.
    this.d.probes.sync(pod, podIP, this.probeTargets(pod, runtime, sandbox));
    let status = this.status(pod, runtime, false);
    if (terminalPhase(status.phase)) {
      // Done for good: nothing restarts; stop whatever still runs and the sandbox (containers stay for logs).
      await this.killRunning(pod, runtime, undefined);
      await this.stopSandboxes(runtime);
      this.d.probes.removePod(this.uid);
      runtime = await this.readRuntime();
      status = this.status(pod, runtime, true);
    }
    await this.putStatus(pod, status);
  }

  private sandboxConfigFor(pod: KubeObject, attempt: number): PodSandboxConfig {
    const { ctx } = this.d;
    return sandboxConfig(pod, {
      nodeName: ctx.nodeName,
      paths: ctx.paths,
      clusterDNS: ctx.clusterDNS,
      clusterDomain: ctx.clusterDomain,
      hostDNS: this.d.hostDNS(),
      attempt,
    });
  }

  /** Creates the pod's sandbox (killing an old one first). False when none was made. */
  private async recreateSandbox(pod: KubeObject, runtime: PodRuntimeState): Promise<boolean> {
    const { ctx } = this.d;
    const old = runtime.sandboxes[0];
    // A pod that must not restart containers doesn't get a second sandbox once something ran.
    if (old && restartPolicy(pod) === 'Never' && runtime.containers.length > 0) {
      await this.killRunning(pod, runtime, undefined);
      await this.stopSandboxes(runtime);
      return false;
    }
    if (old) {
      ctx.recorder.event(pod, 'Normal', 'SandboxChanged', 'Pod sandbox changed, it will be killed and re-created.');
      await this.killRunning(pod, runtime, undefined);
      await this.stopSandboxes(runtime, true);
    }
    const attempt = old ? old.attempt + 1 : 0;
    const config = this.sandboxConfigFor(pod, attempt);
    await mkdir(config.log_directory!, { recursive: true });
    try {
      await ctx.cri.runPodSandbox(config);
      return true;
    } catch (e) {
      const text = runtimeErrorText(e);
      ctx.recorder.event(pod, 'Warning', 'FailedCreatePodSandBox', `Failed to create pod sandbox: ${text}`);
      // A CNI failure leaves a NOTREADY sandbox behind (cri-notes P9).
      const after = await this.readRuntime();
      for (const sb of after.sandboxes) {
        if (sb.state !== 'SANDBOX_READY' && sb.attempt === attempt) {
          await ctx.cri.stopPodSandbox(sb.id).catch(() => undefined);
          await ctx.cri.removePodSandbox(sb.id).catch(() => undefined);
        }
      }
      this.wakeIn(5000);
      return false;
    }
  }

  /** Kills containers a probe asked to restart, whose definition changed, or that left the spec. */
  private async killUnwanted(pod: KubeObject, runtime: PodRuntimeState, sandbox: RuntimeSandbox): Promise<boolean> {
    let killed = false;
    for (const c of runtime.containers) {
      if (c.state !== 'CONTAINER_RUNNING') continue;
      const found = containerSpec(pod, c.name);
      const req = this.kills.get(c.id);
      let message: string | undefined;
      let grace: number | undefined;
      if (c.sandboxId !== sandbox.id) message = `Stopping container ${c.name}`;
      else if (!found || found.kind !== c.kind) message = `Container ${c.name} is not in the pod spec, will be stopped`;
      else if (req) {
        message = req.message;
        grace = req.graceSeconds;
      } else if (c.hash && c.hash !== containerHash(found.spec)) message = `Container ${c.name} definition changed, will be restarted`;
      if (!message) continue;
      await this.killContainer(pod, c, found?.spec, message, grace);
      killed = true;
    }
    this.kills.clear();
    return killed;
  }

  // ---------------------------------------------------------------- starting containers

  private backoffKey(pod: KubeObject, spec: any): string {
    return `${pod.metadata.name}_${pod.metadata.namespace ?? 'default'}_${this.uid}_${spec.name}_${containerHash(spec)}`;
  }

  private async restartCountFromLogs(pod: KubeObject, name: string): Promise<number> {
    const dir = `${podLogDir(this.d.ctx.paths, { metadata: { name: pod.metadata.name ?? '', namespace: pod.metadata.namespace, uid: this.uid } })}/${name}`;
    try {
      let max = -1;
      for (const f of await readdir(dir)) {
        const m = /^(\d+)\.log$/.exec(f);
        if (m) max = Math.max(max, Number(m[1]));
      }
      return max + 1;
    } catch {
      return 0;
    }
  }

  private async startContainer(
    pod: KubeObject,
    spec: any,
    kind: ContainerKind,
    runtime: PodRuntimeState,
    sandbox: RuntimeSandbox,
    sbConfig: PodSandboxConfig,
    podIP: string,
  ): Promise<void> {
    const { ctx } = this.d;
    const name = String(spec.name);
    const ref = containerRef(pod, name, kind);
    const previous = runtime.containers.find((c) => c.name === name && c.kind === kind);
    if (previous?.state === 'CONTAINER_EXITED') {
      const key = this.backoffKey(pod, spec);
      const finished = nsToMs(previous.finishedAt);
      if (this.d.backoff.isInBackOffSince(key, finished)) {
        ctx.recorder.event(ref, 'Warning', 'BackOff', `Back-off restarting failed container ${name} in pod ${formatPod(pod)}`);
        this.reasons.set(name, {
          reason: 'CrashLoopBackOff',
          message: `back-off ${goDuration(this.d.backoff.get(key))} restarting failed container=${name} pod=${formatPod(pod)}`,
        });
        this.wakeIn(this.d.backoff.remainingMs(key, finished) + 50);
        return;
      }
      this.d.backoff.next(key, finished);
    }

    const image = await this.d.images.ensureImage(pod, spec);
    if (!image.ok) {
      this.reasons.set(name, { reason: image.reason, message: image.message });
      return;
    }
    const restartCount = previous ? previous.restartCount + 1 : await this.restartCountFromLogs(pod, name);
    let config;
    try {
      if (requiresNonRoot(pod, spec)) {
        const status = await ctx.cri.imageStatus(image.imageRef || String(spec.image ?? '')).catch((e: unknown) => {
          throw new ContainerConfigError(errText(e));
        });
        const user = imageUser(status);
        const refusal = verifyRunAsNonRoot(pod, spec, user);
        if (refusal) throw new ContainerConfigError(refusal);
      }
      const envs = await this.d.env.envFor(pod, spec, podIP);
      const mounts = await this.d.volumes.mountsFor(pod, spec, podIP);
      config = containerConfig(pod, spec, {
        nodeName: ctx.nodeName,
        kind,
        restartCount,
        imageRef: image.imageRef,
        envs,
        mounts,
        memoryCapacity: this.d.memoryCapacity,
      });
      await mkdir(`${sbConfig.log_directory}/${name}`, { recursive: true });
    } catch (e) {
      if (!(e instanceof ContainerConfigError) && !(e instanceof VolumeSetupError)) throw e;
      ctx.recorder.event(ref, 'Warning', 'Failed', `Error: ${e.message}`);
      this.reasons.set(name, { reason: 'CreateContainerConfigError', message: e.message });
      return;
    }
    let id: string;
    try {
      id = await ctx.cri.createContainer(sandbox.id, config, sbConfig);
    } catch (e) {
      ctx.recorder.event(ref, 'Warning', 'Failed', `Error: ${errText(e)}`);
      this.reasons.set(name, { reason: 'CreateContainerError', message: errText(e) });
      return;
    }
    ctx.recorder.event(ref, 'Normal', 'Created', `Created container ${name}`);
    try {
      await ctx.cri.startContainer(id);
    } catch (e) {
      ctx.recorder.event(ref, 'Warning', 'Failed', `Error: ${errText(e)}`);
      this.reasons.set(name, { reason: 'RunContainerError', message: errText(e) });
      return;
    }
    ctx.recorder.event(ref, 'Normal', 'Started', `Started container ${name}`);

    const postStart = spec.lifecycle?.postStart;
    if (postStart && this.d.runHandler) {
      const r = await this.d.runHandler(ctx, pod, spec, id, podIP, postStart, terminationGracePeriod(pod)).catch(
        (e): { result: 'failure'; output: string } => ({ result: 'failure', output: errText(e) }),
      );
      if (r.result !== 'success') {
        ctx.recorder.event(ref, 'Warning', 'FailedPostStartHook', r.output);
        const started: RuntimeContainer = { ...(previous ?? ({} as RuntimeContainer)), id, name, kind, sandboxId: sandbox.id, state: 'CONTAINER_RUNNING' };
        await this.killContainer(pod, started, spec, 'FailedPostStartHook');
        this.reasons.set(name, { reason: 'PostStartHookError', message: r.output });
        return;
      }
    }
    this.reasons.delete(name);
  }

  // ---------------------------------------------------------------- stopping

  /** Killing event, preStop hook within the grace period, then StopContainer with what is left (at least 2 s). */
  private async killContainer(pod: KubeObject, c: RuntimeContainer, spec: any, message: string, graceOverride?: number): Promise<void> {
    const { ctx } = this.d;
    let grace = graceOverride ?? terminationGracePeriod(pod);
    ctx.recorder.event(containerRef(pod, c.name, c.kind), 'Normal', 'Killing', message);
    const preStop = spec?.lifecycle?.preStop;
    if (preStop && grace > 0 && this.d.runHandler) {
      const t0 = Date.now();
      const r = await this.d.runHandler(ctx, pod, spec, c.id, '', preStop, grace).catch(
        (e): { result: 'failure'; output: string } => ({ result: 'failure', output: errText(e) }),
      );
      if (r.result !== 'success') ctx.recorder.event(containerRef(pod, c.name, c.kind), 'Warning', 'FailedPreStopHook', r.output);
      grace -= Math.ceil((Date.now() - t0) / 1000);
    }
    if (grace < MIN_GRACE_SECONDS) grace = MIN_GRACE_SECONDS;
    await ctx.cri.stopContainer(c.id, grace);
  }

  /** Stops every running container: app containers together, then init (sidecar) containers in reverse order. */
  private async killRunning(pod: KubeObject | undefined, runtime: PodRuntimeState, message: string | undefined): Promise<void> {
    const running = runtime.containers.filter((c) => c.state === 'CONTAINER_RUNNING');
    const stopOne = async (c: RuntimeContainer) => {
      if (!pod) return this.d.ctx.cri.stopContainer(c.id, MIN_GRACE_SECONDS);
      return this.killContainer(pod, c, containerSpec(pod, c.name)?.spec, message ?? `Stopping container ${c.name}`);
    };
    await Promise.all(running.filter((c) => c.kind === 'app').map(stopOne));
    const order = pod ? initContainers(pod).map((s) => s.name).reverse() : [];
    const inits = running.filter((c) => c.kind === 'init').sort((a, b) => order.indexOf(a.name) - order.indexOf(b.name));
    for (const c of inits) await stopOne(c);
  }

  /** Stops ready sandboxes (all of them with `all`: a NOTREADY one may still hold network resources). */
  private async stopSandboxes(runtime: PodRuntimeState, all = false): Promise<void> {
    for (const sb of runtime.sandboxes) if (all || sb.state === 'SANDBOX_READY') await this.d.ctx.cri.stopPodSandbox(sb.id);
  }

  /** Removes dead instances except the newest of each container, then dead sandboxes left empty. */
  /** Removes dead instances beyond the newest per container; true when something was removed. */
  private async pruneDead(runtime: PodRuntimeState): Promise<boolean> {
    const { cri } = this.d.ctx;
    let removed = false;
    const kept = new Set<string>();
    const remaining = new Set<string>();
    for (const c of runtime.containers) {
      const key = `${c.kind}/${c.name}`;
      if (c.state === 'CONTAINER_RUNNING' || !kept.has(key)) {
        if (c.state !== 'CONTAINER_RUNNING') kept.add(key);
        remaining.add(c.sandboxId);
        continue;
      }
      await cri.removeContainer(c.id);
      removed = true;
    }
    const newest = runtime.sandboxes[0];
    for (const sb of runtime.sandboxes) {
      if (sb === newest || sb.state === 'SANDBOX_READY' || remaining.has(sb.id)) continue;
      await cri.removePodSandbox(sb.id);
      removed = true;
    }
    return removed;
  }

  /** The pod already reached Succeeded/Failed: nothing restarts; make sure nothing runs. */
  private async stopFinishedPod(pod: KubeObject, runtime: PodRuntimeState): Promise<void> {
    if (runtime.containers.some((c) => c.state === 'CONTAINER_RUNNING') || runtime.sandboxes.some((s) => s.state === 'SANDBOX_READY')) {
      await this.killRunning(pod, runtime, undefined);
      await this.stopSandboxes(runtime);
      runtime = await this.readRuntime();
    }
    this.d.probes.removePod(this.uid);
    await this.putStatus(pod, this.status(pod, runtime, true));
  }

  /**
   * The pod is being deleted (or is gone): stop everything, report the final
   * status, remove containers, sandbox, volumes, cgroups and logs, and finish
   * the graceful deletion with a DELETE (grace 0, uid precondition).
   */
  private async terminate(pod: KubeObject | undefined, deleteObject: boolean): Promise<void> {
    const { ctx } = this.d;
    let runtime = await this.readRuntime();
    await this.killRunning(pod, runtime, undefined);
    this.d.probes.removePod(this.uid);
    runtime = await this.readRuntime();
    if (pod && deleteObject) {
      const status = terminatePodStatus(pod, this.status(pod, runtime, true));
      await this.putStatus(pod, status).catch((e) => log.warn('final pod status not written', { pod: formatPod(pod), err: errText(e) }));
    }
    for (const sb of runtime.sandboxes) await ctx.cri.stopPodSandbox(sb.id);
    for (const c of runtime.containers) await ctx.cri.removeContainer(c.id);
    for (const sb of runtime.sandboxes) await ctx.cri.removePodSandbox(sb.id);
    await this.d.volumes.tearDownPod(this.uid);
    if (pod && this.d.cleanup?.removePodCgroups) {
      try {
        await this.d.cleanup.removePodCgroups(this.uid, podCgroupParent(this.uid, qosClass(pod)));
      } catch (e) {
        log.warn('pod cgroups not removed', { uid: this.uid, err: errText(e) });
      }
    }
    if (pod) await rm(podLogDir(ctx.paths, { metadata: { name: pod.metadata.name ?? '', namespace: pod.metadata.namespace, uid: this.uid } }), { recursive: true, force: true });
    if (pod && deleteObject) {
      try {
        await ctx.client.delete(podsDef, pod.metadata.namespace, pod.metadata.name!, { gracePeriodSeconds: 0, preconditions: { uid: this.uid } });
      } catch (e) {
        if (!isNotFound(e) && !isConflict(e)) throw e;
      }
    }
    if (pod) this.d.backoff.forgetPrefix(`${pod.metadata.name}_${pod.metadata.namespace ?? 'default'}_${this.uid}_`);
    this.finished = true;
    if (this.timer) clearTimeout(this.timer);
    this.d.onFinished?.(this.uid);
  }

  // ---------------------------------------------------------------- status

  private status(pod: KubeObject, runtime: PodRuntimeState, podIsTerminal: boolean): Record<string, any> {
    const { ctx, probes } = this.d;
    return generatePodStatus({
      pod,
      runtime,
      nodeIP: ctx.nodeIP,
      now: ctx.now(),
      reasons: this.reasons,
      isReady: (name, id) => probes.isReady(this.uid, name, id),
      isStarted: (name, id) => probes.isStarted(this.uid, name, id),
      podIsTerminal,
    });
  }

  private async writeStatus(pod: KubeObject, runtime: PodRuntimeState, podIsTerminal: boolean): Promise<void> {
    await this.putStatus(pod, this.status(pod, runtime, podIsTerminal));
  }

  private probeTargets(pod: KubeObject, runtime: PodRuntimeState, sandbox: RuntimeSandbox): ProbeTarget[] {
    const out: ProbeTarget[] = [];
    const specs: [any, ContainerKind][] = [...initContainers(pod).filter(isSidecar).map((s): [any, ContainerKind] => [s, 'init']), ...appContainers(pod).map((s): [any, ContainerKind] => [s, 'app'])];
    for (const [spec, kind] of specs) {
      const c = runtime.containers.find((x) => x.name === spec.name && x.kind === kind && x.sandboxId === sandbox.id);
      if (c) out.push({ name: c.name, containerId: c.id, startedAt: nsToMs(c.startedAt), running: c.state === 'CONTAINER_RUNNING' });
    }
    return out;
  }

  /** PUT the status when it differs from what the API has; a conflict re-reads the pod and tries once more. */
  private async putStatus(podAtSync: KubeObject, status: Record<string, any>): Promise<void> {
    await this.earlyStatus;
    // A write earlier in this sync (or a newer watch event) moved the pod on: build on that version.
    const pod = this.pod && this.pod.metadata.uid === podAtSync.metadata.uid && rvNumber(this.pod) > rvNumber(podAtSync) ? this.pod : podAtSync;
    if (canonical(status) === canonical(pod.status ?? {})) return;
    const { client } = this.d.ctx;
    const ns = pod.metadata.namespace;
    try {
      const updated = await client.updateStatus(podsDef, ns, { ...pod, status });
      this.adopt(updated);
    } catch (e) {
      if (isNotFound(e)) return;
      if (!isConflict(e)) throw e;
      const fresh = await client.get(podsDef, ns, pod.metadata.name!).catch(() => undefined);
      if (!fresh || fresh.metadata.uid !== this.uid) return;
      const updated = await client.updateStatus(podsDef, ns, { ...fresh, status });
      this.adopt(updated);
    }
  }

  private adopt(updated: KubeObject): void {
    if (!this.pod || !(rvNumber(updated) < rvNumber(this.pod))) {
      // Keep a deletion we learned about meanwhile.
      this.pod = updated;
    }
  }
}

/** The kubelet's checkAndUpdatePod: spec, labels, annotations and deletion fields trigger a sync; status alone does not. */
export function needsSync(prev: KubeObject, next: KubeObject): boolean {
  const pm = prev.metadata;
  const nm = next.metadata;
  return (
    canonical(prev.spec ?? {}) !== canonical(next.spec ?? {}) ||
    canonical(pm.labels ?? {}) !== canonical(nm.labels ?? {}) ||
    canonical(pm.annotations ?? {}) !== canonical(nm.annotations ?? {}) ||
    pm.deletionTimestamp !== nm.deletionTimestamp ||
    pm.deletionGracePeriodSeconds !== nm.deletionGracePeriodSeconds
  );
}
