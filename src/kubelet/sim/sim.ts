// startSim: a fleet of simulated kubelets in one process (like KWOK). It
// registers the nodes, keeps their leases and status fresh from one timeline
// (no per-node timers), and plays the kubelet for pods bound to them. It talks
// to the cluster only through the API, with every call bounded by one limiter.

import { randomUUID } from 'node:crypto';
import { ApiStatusError, RestClient } from '../../client/index.js';
import { log } from '../../log.js';
import { CallLimiter, CallLimiterClosedError } from './call-limiter.js';
import { LEASE_DURATION_SECONDS } from './lease-object.js';
import { NodeAgent } from './node-agent.js';
import { FLEET_DEFAULTS, MAX_NODES, nodeName, type FleetShape } from './options.js';
import { PodRunner } from './pod-runner.js';
import { newSimNode, type SimNode } from './sim-node.js';
import { nextSlot, realClock, Timeline, type TimelineClock } from './timeline.js';
import { rfc3339 } from './times.js';

export interface SimOptions extends Partial<FleetShape> {
  /** An existing client, or a kubeconfig to make one from. */
  client?: RestClient;
  kubeconfig?: string;
  nodes: number;
  /** Nodes (by name) that never heartbeat after registering. */
  failNodes?: string[];
  /** Lease renewal period. Default 10 (the kubelet's: a quarter of the 40 s lease). */
  heartbeatSeconds?: number;
  /** Node status report period when nothing changes. Default 300 (the kubelet's 5 minutes). */
  nodeStatusReportSeconds?: number;
  /** Most API calls in flight at once. Default 64. */
  maxInFlight?: number;
  /** API calls per second; default sized from the fleet's heartbeat load. */
  qps?: number;
  burst?: number;
  /** Pod workers. Default 16. */
  podWorkers?: number;
  /** Called after each registration. */
  onProgress?: (registered: number, total: number) => void;
  clock?: TimelineClock;
}

export interface SimStats {
  registered: number;
  leaseRenewals: number;
  leaseFailures: number;
  statusUpdates: number;
  podsStarted: number;
  podsDeleted: number;
  podsSucceeded: number;
  inFlight: number;
  queued: number;
  peakInFlight: number;
}

export interface SimHandle {
  nodeNames: string[];
  /** Resolves when every node is registered and the pod cache is synced; rejects on a registration error that retrying cannot fix. */
  ready: Promise<void>;
  /** Stops heartbeats and pod handling; the nodes stay, like after a kubelet stops. */
  stop(): Promise<void>;
  /** Stops (true) or resumes (false) a node's heartbeats and pod handling. */
  setNodeFailed(name: string, failed: boolean): void;
  stats(): SimStats;
}

/** `slot`: the time the heartbeat was due, so a task run a little early does not land on the same slot again. */
type SimTask = { kind: 'lease' | 'status'; node: SimNode; gen: number; slot: number } | { kind: 'pod-exit'; key: string };

/** What the fleet's heartbeats cost per second, with room for registration and pods. */
export function defaultQps(nodes: number, heartbeatSeconds: number, statusSeconds: number): number {
  return Math.ceil((2 * nodes) / heartbeatSeconds + (2 * nodes) / statusSeconds) + 500;
}

/** One warning per interval at most, with a count of those held back: 10 000 nodes failing at once must not flood stderr. */
function throttledWarn(intervalMs = 5000): (msg: string, fields: Record<string, unknown>) => void {
  let last = -Infinity;
  let suppressed = 0;
  return (msg, fields) => {
    const now = performance.now();
    if (now - last < intervalMs) {
      suppressed++;
      return;
    }
    log.warn(msg, suppressed ? { ...fields, suppressed } : fields);
    last = now;
    suppressed = 0;
  };
}

function isRetryable(e: unknown): boolean {
  if (e instanceof ApiStatusError) return e.code === 409 || e.code === 429 || e.code >= 500;
  return !(e instanceof CallLimiterClosedError);
}

export async function startSim(opts: SimOptions): Promise<SimHandle> {
  const count = opts.nodes;
  if (!Number.isInteger(count) || count < 1 || count > MAX_NODES) throw new Error(`nodes must be a whole number from 1 to ${MAX_NODES}, not ${count}`);
  const shape: FleetShape = {
    namePrefix: opts.namePrefix ?? FLEET_DEFAULTS.namePrefix,
    cpu: opts.cpu ?? FLEET_DEFAULTS.cpu,
    memory: opts.memory ?? FLEET_DEFAULTS.memory,
    pods: opts.pods ?? FLEET_DEFAULTS.pods,
    labels: opts.labels ?? {},
    taints: opts.taints ?? [],
    zones: opts.zones ?? [],
    images: opts.images ?? [],
  };
  const heartbeatMs = (opts.heartbeatSeconds ?? 10) * 1000;
  const statusMs = (opts.nodeStatusReportSeconds ?? 300) * 1000;
  if (!(heartbeatMs > 0) || !(statusMs > 0)) throw new Error('heartbeat and status periods must be positive');
  const clock = opts.clock ?? realClock;
  const maxInFlight = opts.maxInFlight ?? 64;
  const qps = opts.qps ?? defaultQps(count, heartbeatMs / 1000, statusMs / 1000);
  const limiter = new CallLimiter({ maxInFlight, qps, burst: opts.burst ?? qps });

  const nodes: SimNode[] = [];
  const byName = new Map<string, SimNode>();
  const startIso = rfc3339(new Date());
  for (let i = 0; i < count; i++) {
    const n = newSimNode(i, nodeName(shape, i), startIso);
    nodes.push(n);
    byName.set(n.name, n);
  }
  for (const name of opts.failNodes ?? []) {
    const n = byName.get(name);
    if (!n) throw new Error(`--fail-node ${name}: no such simulated node (names are ${nodeName(shape, 0)} … ${nodeName(shape, count - 1)})`);
    n.failed = true;
  }

  const ownClient = !opts.client;
  const kubeconfig = opts.kubeconfig ?? process.env.KUBECONFIG;
  if (!opts.client && !kubeconfig) throw new Error('startSim needs a client or a kubeconfig');
  const client = opts.client ?? new RestClient({ kubeconfig: kubeconfig! }, { component: 'sim' });

  const agent = new NodeAgent({ client, limiter, shape, bootID: randomUUID(), monoNow: () => clock.now() });
  let stopped = false;
  const counters = { registered: 0, leaseRenewals: 0, leaseFailures: 0, statusUpdates: 0 };
  const warnLease = throttledWarn();
  const warnStatus = throttledWarn();
  const warnRegister = throttledWarn();

  // Phases spread each kind of heartbeat evenly over its period.
  const leasePhase = (n: SimNode) => (n.index / count) * heartbeatMs;
  const statusPhase = (n: SimNode) => (n.index / count) * statusMs;

  const timeline = new Timeline<SimTask>((t) => runTask(t), { clock });
  const pods = new PodRunner({
    client,
    limiter,
    nodes: byName,
    workers: opts.podWorkers,
    scheduleExit: (key, atMs) => timeline.schedule(clock.now() + Math.max(0, atMs - Date.now()), { kind: 'pod-exit', key }),
  });

  /** Next lease renewal on the node's slot grid after `after` (or exactly at `at`). */
  const scheduleLease = (n: SimNode, after: number, at?: number) => {
    const slot = at ?? nextSlot(after, leasePhase(n), heartbeatMs);
    timeline.schedule(slot, { kind: 'lease', node: n, gen: n.leaseGen, slot });
  };
  // At least half a period after the last write, so a fresh registration is not reported again at once.
  const scheduleStatus = (n: SimNode, after: number, at?: number) => {
    const slot = at ?? nextSlot(Math.max(after, n.lastStatusMs + statusMs / 2), statusPhase(n), statusMs);
    timeline.schedule(slot, { kind: 'status', node: n, gen: n.statusGen, slot });
  };

  function runTask(t: SimTask): void {
    if (stopped) return;
    if (t.kind === 'pod-exit') return pods.runExit(t.key);
    const n = t.node;
    if (n.failed) return;
    if (t.kind === 'lease') {
      if (t.gen !== n.leaseGen) return;
      agent.renewLease(n).then(
        () => {
          counters.leaseRenewals++;
          // Back after the lease ran out: a controller may have marked the node; report now.
          if (n.leaseFailingSinceMs !== undefined && clock.now() - n.leaseFailingSinceMs >= LEASE_DURATION_SECONDS * 1000) {
            n.statusGen++;
            scheduleStatus(n, 0, clock.now());
          }
          n.leaseFailingSinceMs = undefined;
          if (t.gen === n.leaseGen) scheduleLease(n, Math.max(clock.now(), t.slot));
        },
        (e) => {
          if (stopped) return;
          counters.leaseFailures++;
          n.leaseFailingSinceMs ??= clock.now();
          warnLease('sim: lease renewal failed', { node: n.name, error: (e as Error).message });
          // The kubelet retries quickly within the lease's lifetime.
          if (t.gen === n.leaseGen) scheduleLease(n, 0, clock.now() + Math.min(1000, heartbeatMs / 4));
        },
      );
    } else {
      if (t.gen !== n.statusGen) return;
      agent.postStatus(n).then(
        () => {
          counters.statusUpdates++;
          if (t.gen === n.statusGen) scheduleStatus(n, Math.max(clock.now(), t.slot));
        },
        (e) => {
          if (stopped) return;
          warnStatus('sim: node status update failed', { node: n.name, error: (e as Error).message });
          if (t.gen === n.statusGen) scheduleStatus(n, 0, clock.now() + Math.min(10_000, statusMs / 10));
        },
      );
    }
  }

  async function registerWithRetry(n: SimNode): Promise<void> {
    let backoff = 250;
    for (;;) {
      try {
        await agent.register(n);
        return;
      } catch (e) {
        if (stopped) return;
        if (!isRetryable(e)) throw new Error(`registering node ${n.name}: ${(e as Error).message}`);
        warnRegister('sim: node registration failed, retrying', { node: n.name, error: (e as Error).message, backoffMs: backoff });
        await new Promise((r) => setTimeout(r, backoff));
        backoff = Math.min(backoff * 2, 5000);
      }
    }
  }

  async function registerAll(): Promise<void> {
    let next = 0;
    let fatal: unknown;
    const worker = async () => {
      while (!stopped && fatal === undefined && next < count) {
        const n = nodes[next++];
        try {
          await registerWithRetry(n);
        } catch (e) {
          fatal ??= e;
          return;
        }
        if (stopped) return;
        counters.registered++;
        opts.onProgress?.(counters.registered, count);
        if (!n.failed) {
          // The lease was just written: the first renewal comes at least half a period later.
          scheduleLease(n, clock.now() + heartbeatMs / 2);
          scheduleStatus(n, clock.now());
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(maxInFlight, count) }, worker));
    if (fatal !== undefined) throw fatal;
  }

  pods.start();
  const ready = (async () => {
    await registerAll();
    if (stopped) throw new Error('sim stopped before it was ready');
    if (!(await pods.waitForSync())) throw new Error('sim stopped before the pod cache synced');
  })();
  ready.catch(() => {});

  return {
    nodeNames: nodes.map((n) => n.name),
    ready,
    async stop() {
      if (stopped) return;
      stopped = true;
      timeline.stop();
      limiter.close();
      await pods.stop();
      await Promise.race([limiter.idle(), new Promise((r) => setTimeout(r, 5000).unref())]);
      if (ownClient) client.close();
    },
    setNodeFailed(name, failed) {
      const n = byName.get(name);
      if (!n) throw new Error(`no such simulated node: ${name}`);
      if (n.failed === failed) return;
      n.failed = failed;
      n.leaseGen++;
      n.statusGen++;
      if (!failed && n.registered && !stopped) {
        scheduleLease(n, 0, clock.now());
        scheduleStatus(n, 0, clock.now());
        pods.resyncNode(name);
      }
    },
    stats() {
      return {
        ...counters,
        podsStarted: pods.stats.started,
        podsDeleted: pods.stats.deleted,
        podsSucceeded: pods.stats.succeeded,
        inFlight: limiter.inFlight,
        queued: limiter.queued,
        peakInFlight: limiter.peakInFlight,
      };
    },
  };
}
