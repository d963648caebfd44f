// The node agent: wires the CRI runtime (our own containerd unless a socket is
// given), the node's registration and heartbeat, the pod workers with their
// images/volumes/env/probes, and the kubelet's HTTPS API for logs and exec.
// Every part talks to the cluster only through the API server.

import fs from 'node:fs';
import path from 'node:path';
import { EventRecorder, NAMESPACE_INDEX, SharedInformer, type KubeObject, type RestClient } from '../client/index.js';
import { findResource } from '../api/resources.js';
import { log } from '../log.js';
import { connectCri, waitReady } from './cri/cri-client.js';
import { superviseContainerd, type SupervisedContainerd } from './cri/containerd-supervisor.js';
import { ensurePauseImage } from './cri/image-import.js';
import { cleanupNetwork, removeCgroupTree } from './cri/host-cleanup.js';
import { removeOrphanedPods } from './pods/adoption.js';
import { PAUSE_IMAGE_REF, writePauseImageArchive } from '../oci/pause-image.js';
import type { CriRuntime } from './cri/api.js';
import type { KubeletContext, KubeletPaths, ProbeHooks } from './contracts.js';
import { ImageManager } from './images/image-manager.js';
import { VolumeManager } from './volumes/volume-manager.js';
import { ContainerEnv } from './env/container-env.js';
import { ProbeManager } from './prober/probe-manager.js';
import { runHandler } from './prober/actions.js';
import { PodManager } from './pods/pod-manager.js';
import { NodeStatusManager } from './node/node-status.js';
import { startKubeletServer } from './server/kubelet-server.js';
import { ensureServingCerts } from '../apiserver/tls.js';

export interface KubeletOptions {
  nodeName: string;
  dataDir: string;
  client: RestClient;
  /** The cluster CA: the kubelet accepts the API server's client certificate signed by it. */
  clusterCaPem: string;
  /** Use this containerd instead of starting our own. */
  containerdSocket?: string;
  nodeIP: string;
  podCIDR: string;
  /** Bridge for the CNI network of our own containerd. */
  bridge: string;
  /** Kubelet API port (0 picks a free one). */
  port: number;
  clusterDNS?: string[];
  clusterDomain?: string;
  reserved?: { cpu?: string; memory?: string };
  /** On stop, remove every pod and the node's network instead of leaving pods running for re-adoption. */
  cleanupOnExit?: boolean;
}

export interface Kubelet {
  ctx: KubeletContext;
  port: number;
  containerdSocket: string;
  /** Our own containerd (undefined with --containerd-socket). */
  containerd?: SupervisedContainerd;
  stop(): Promise<void>;
}

const servicesDef = findResource('', 'v1', 'services')!;

export async function startKubelet(o: KubeletOptions): Promise<Kubelet> {
  const dataDir = path.resolve(o.dataDir);
  const paths: KubeletPaths = { dataDir, podsDir: path.join(dataDir, 'pods'), podLogsDir: path.join(dataDir, 'logs', 'pods') };
  for (const d of [paths.podsDir, paths.podLogsDir]) fs.mkdirSync(d, { recursive: true });

  let containerd: SupervisedContainerd | undefined;
  let socket = o.containerdSocket;
  if (!socket) {
    containerd = await superviseContainerd({ dir: path.join(dataDir, 'containerd'), bridge: o.bridge, podCIDR: o.podCIDR, pauseImage: PAUSE_IMAGE_REF });
    socket = containerd.socket;
  }
  const cri: CriRuntime = connectCri(socket);
  try {
    await waitReady(socket, 30_000);
    await ensurePauseImage(socket, PAUSE_IMAGE_REF, (file: string) => writePauseImageArchive(file, PAUSE_IMAGE_REF), cri);
  } catch (e) {
    cri.close();
    await containerd?.stop();
    throw e;
  }

  const criSocket: string = socket;
  // What has been started so far, undone in reverse if the start fails part-way (no containerd left behind).
  const undo: [string, () => Promise<unknown>][] = [['containerd', async () => {
    cri.close();
    await containerd?.stop();
  }]];
  try {
    return await boot();
  } catch (e) {
    for (const [what, fn] of undo.reverse()) await step(what, fn, 20_000);
    throw e;
  }

  async function boot(): Promise<Kubelet> {
    const recorder = new EventRecorder(o.client, { component: 'kubelet', host: o.nodeName });
    undo.push(['event recorder', () => recorder.stop()]);
    const ctx: KubeletContext = {
      nodeName: o.nodeName,
      nodeIP: o.nodeIP,
      client: o.client,
      cri,
      recorder,
      paths,
      clusterDNS: o.clusterDNS ?? [],
      clusterDomain: o.clusterDomain ?? 'cluster.local',
      pauseImage: PAUSE_IMAGE_REF,
      now: () => new Date(),
    };

    const images = new ImageManager({ ctx });
    const volumes = new VolumeManager({ ctx });
    // One shared watch of Services feeds every container's service environment variables.
    const services = new SharedInformer<KubeObject>(o.client, servicesDef);
    services.start();
    undo.push(['service informer', async () => services.stop()]);
    if (!(await services.waitForSync(30_000))) log.warn('kubelet: service informer did not sync; env falls back to API reads');
    const env = new ContainerEnv({
      ctx,
      services: services.hasSynced()
        ? { inNamespace: (ns) => services.indexer.byIndex(NAMESPACE_INDEX, ns), get: (ns, name) => services.indexer.get(`${ns}/${name}`) }
        : undefined,
    });
    // The probe manager reports to the pod manager, which is made after it.
    let pods: PodManager | undefined;
    const podCleanup = { removePodCgroups: async (_uid: string, cgroupParent: string) => void removeCgroupTree(cgroupParent) };
    const hooks: ProbeHooks = {
      onProbeKill: (...a) => pods?.onProbeKill(...a),
      onResultChange: (uid) => pods?.onResultChange(uid),
    };
    const probes = new ProbeManager({ ctx, hooks });
    pods = new PodManager({ ctx, images, volumes, env, probes, handlers: runHandler, cleanup: podCleanup });

    const certs = await ensureServingCerts(path.join(dataDir, 'kubelet'), { hosts: [o.nodeIP] });
    const server = await startKubeletServer({ ctx, host: o.nodeIP, port: o.port, cert: certs.certPem, key: certs.keyPem, clientCaPem: o.clusterCaPem });
    undo.push(['kubelet server', () => server.close()]);

    const node = new NodeStatusManager({
      ctx,
      kubeletPort: server.port,
      podCIDR: o.podCIDR,
      reserved: o.reserved,
      images: () => images.imagesForNodeStatus(),
    });
    // A token made moments ago may not be loaded by the API server yet: retry registration for a while.
    for (let attempt = 0; ; attempt++) {
      try {
        await node.register();
        break;
      } catch (e) {
        if (attempt >= 30) throw e;
        log.warn('kubelet: node registration failed, retrying', { error: e instanceof Error ? e.message : String(e) });
        await new Promise((r) => setTimeout(r, 1000));
      }
    }
    node.start();
    undo.push(['node status', () => node.stop()]);
    undo.push(['pod workers', () => pods!.stop()]);
    await pods.start();
    const stopGc = images.startImageGc({ statfsPath: dataDir });
    log.info('kubelet started', { node: o.nodeName, nodeIP: o.nodeIP, port: server.port, containerd: criSocket });

    // Every pod of this node, at once (grace 0): containers, sandboxes, volumes, log dirs, cgroups.
    const removeEverything = () => removeOrphanedPods({ ctx, volumes, cleanup: podCleanup }, new Set(), undefined, 0);

    return {
      ctx,
      port: server.port,
      containerdSocket: criSocket,
      containerd,
      async stop() {
        // Every step is bounded and failures are only logged: containerd must be stopped in the end.
        stopGc?.();
        await step('pod workers', () => pods!.stop());
        probes.stop();
        services.stop();
        await step('node status', () => node.stop());
        await step('kubelet server', () => server.close());
        await step('event recorder', () => recorder.stop());
        if (o.cleanupOnExit) await step('pod removal', () => removeEverything(), 30_000);
        cri.close();
        await step('containerd', async () => containerd?.stop(), 20_000);
        if (o.cleanupOnExit && containerd) await step('network cleanup', () => cleanupNetwork(o.bridge));
      },
    };
  }
}

/** Runs one shutdown step, giving up on it after timeoutMs; errors are logged, never thrown. */
async function step(what: string, fn: () => Promise<unknown>, timeoutMs = 5000): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((r) => (timer = setTimeout(() => r('timeout'), timeoutMs)));
  try {
    const r = await Promise.race([fn().then(() => 'done' as const), timeout]);
    if (r === 'timeout') log.warn('kubelet: shutdown step timed out', { step: what, ms: timeoutMs });
  } catch (e) {
    log.warn('kubelet: shutdown step failed', { step: what, error: e instanceof Error ? e.message : String(e) });
  } finally {
    clearTimeout(timer);
  }
}
