// The scheduler's cache of nodes and the pods on them, with "assume": a pod
// counts on its node as soon as the scheduler picks it, before the bind lands;
// the bind's confirmation (the pod seen bound) or its failure (forget) ends that.

import type { NodeInfo, Pod, PodInfo, Node, Snapshot } from './framework.js';
import { addPod, affinityIndexOf, enablePodCountCache, nodeInfoOf, podInfoOf, removePod } from './node-info.js';

interface PodState {
  pod: Pod;
  node: string;
  assumed: boolean;
  /** Assumed pods whose bind never confirmed are dropped after this (ms epoch). */
  deadline?: number;
}

const keyOf = (pod: Pod): string => `${pod.metadata.namespace}/${pod.metadata.name}`;

export class SchedulerCache {
  private readonly nodes = new Map<string, NodeInfo>();
  private nodeList: NodeInfo[] = [];
  private readonly pods = new Map<string, PodState>();
  /** Pods bound to nodes the cache has not seen yet. */
  private readonly orphans = new Map<string, Map<string, Pod>>();
  private readonly imageCounts = new Map<string, number>();
  private readonly namespaces = new Map<string, Record<string, string>>();
  private snap?: Snapshot;
  /** Nodes holding pods with (anti-)affinity, kept up to date so InterPodAffinity need not scan every node. */
  private readonly withAffinity = new Set<NodeInfo>();
  private readonly withRequiredAnti = new Set<NodeInfo>();
  private affinityLists?: { affinity: NodeInfo[]; requiredAnti: NodeInfo[] };

  constructor(private readonly assumeTtlMs = 30_000, private readonly now: () => number = Date.now) {}

  // ---- nodes
  addNode(node: Node): void {
    const name = node.metadata.name;
    const existing = this.nodes.get(name);
    if (existing) return this.updateNode(node);
    const ni = nodeInfoOf(node);
    // Pods here are replaced on every change, never edited in place: per-node match counts can be memoised.
    enablePodCountCache(ni);
    for (const pod of this.orphans.get(name)?.values() ?? []) addPod(ni, podInfoOf(pod));
    this.orphans.delete(name);
    this.nodes.set(name, ni);
    this.nodeList.push(ni);
    this.trackAffinity(ni, true);
    this.countImages(ni, 1);
    this.snap = undefined;
  }

  updateNode(node: Node): void {
    const name = node.metadata.name;
    const old = this.nodes.get(name);
    if (!old) return this.addNode(node);
    const fresh = nodeInfoOf(node);
    this.countImages(old, -1);
    // Keep the pods (and their aggregates) while node fields change.
    old.node = fresh.node;
    old.allocatable = fresh.allocatable;
    old.images = fresh.images;
    this.countImages(old, 1);
  }

  removeNode(node: Node): void {
    const name = node.metadata.name;
    const ni = this.nodes.get(name);
    if (!ni) return;
    this.countImages(ni, -1);
    this.nodes.delete(name);
    this.nodeList = this.nodeList.filter((n) => n !== ni);
    this.trackAffinity(ni, false);
    // Pods still bound to it wait for the node to come back or for their own deletion.
    if (ni.pods.length) this.orphans.set(name, new Map(ni.pods.map((p) => [keyOf(p.pod), p.pod])));
    this.snap = undefined;
  }

  private countImages(ni: NodeInfo, delta: number): void {
    for (const image of ni.images.keys()) {
      const n = (this.imageCounts.get(image) ?? 0) + delta;
      if (n > 0) this.imageCounts.set(image, n);
      else this.imageCounts.delete(image);
    }
  }

  setNamespace(ns: any, deleted = false): void {
    if (deleted) this.namespaces.delete(ns.metadata.name);
    else this.namespaces.set(ns.metadata.name, ns.metadata.labels ?? {});
  }

  // ---- pods
  /**
   * Assume the pod runs on node; it counts there until confirmed or forgotten.
   * `podInfo` (the cycle's PodInfo for this pod) saves computing the requests again.
   */
  assume(pod: Pod, node: string, podInfo?: PodInfo): void {
    const key = keyOf(pod);
    if (this.pods.has(key)) throw new Error(`pod ${key} is already in the cache`);
    const bound = { ...pod, spec: { ...pod.spec, nodeName: node } };
    this.place(key, { pod: bound, node, assumed: true }, podInfo && { ...podInfo, pod: bound });
  }

  /** The bind request finished: the assumption may now expire if the pod never shows up bound. */
  finishBinding(pod: Pod): void {
    const st = this.pods.get(keyOf(pod));
    if (st?.assumed) st.deadline = this.now() + this.assumeTtlMs;
  }

  /** The bind failed: undo the assumption. */
  forget(pod: Pod): void {
    const key = keyOf(pod);
    const st = this.pods.get(key);
    if (st?.assumed) this.unplace(key, st);
  }

  isAssumed(pod: Pod): boolean {
    return this.pods.get(keyOf(pod))?.assumed ?? false;
  }

  /** A bound pod seen through the informer (add or update). */
  upsertPod(pod: Pod): void {
    const key = keyOf(pod);
    const node = pod.spec?.nodeName;
    if (!node) return;
    const st = this.pods.get(key);
    if (st) this.unplace(key, st);
    this.place(key, { pod, node, assumed: false });
  }

  removePod(pod: Pod): void {
    const key = keyOf(pod);
    const st = this.pods.get(key);
    if (st) this.unplace(key, st);
    for (const m of this.orphans.values()) m.delete(key);
  }

  private place(key: string, st: PodState, podInfo?: PodInfo): void {
    this.pods.set(key, st);
    const ni = this.nodes.get(st.node);
    if (ni) {
      addPod(ni, podInfo ?? podInfoOf(st.pod));
      this.trackAffinity(ni, true);
    } else {
      let m = this.orphans.get(st.node);
      if (!m) this.orphans.set(st.node, (m = new Map()));
      m.set(key, st.pod);
    }
  }

  private unplace(key: string, st: PodState): void {
    this.pods.delete(key);
    const ni = this.nodes.get(st.node);
    if (ni) {
      removePod(ni, st.pod);
      this.trackAffinity(ni, true);
    } else this.orphans.get(st.node)?.delete(key);
  }

  /** Keeps the node in (or out of) the affinity lists after its pods changed; `present` = still in the cache. */
  private trackAffinity(ni: NodeInfo, present: boolean): void {
    const index = present ? affinityIndexOf(ni) : undefined;
    const any = (index?.withAffinity.length ?? 0) > 0;
    const anti = (index?.withRequiredAntiAffinity.length ?? 0) > 0;
    if (any !== this.withAffinity.has(ni)) {
      if (any) this.withAffinity.add(ni);
      else this.withAffinity.delete(ni);
      this.affinityLists = undefined;
    }
    if (anti !== this.withRequiredAnti.has(ni)) {
      if (anti) this.withRequiredAnti.add(ni);
      else this.withRequiredAnti.delete(ni);
      this.affinityLists = undefined;
    }
  }

  private lists(): { affinity: NodeInfo[]; requiredAnti: NodeInfo[] } {
    return (this.affinityLists ??= { affinity: [...this.withAffinity], requiredAnti: [...this.withRequiredAnti] });
  }

  /** Drop assumed pods whose binding finished long ago but never showed up bound. */
  cleanupExpired(): number {
    const now = this.now();
    let n = 0;
    for (const [key, st] of this.pods) {
      if (st.assumed && st.deadline !== undefined && st.deadline < now) {
        this.unplace(key, st);
        n++;
      }
    }
    return n;
  }

  /** The view a scheduling cycle uses. NodeInfos are live: cycles run one at a time. */
  snapshot(): Snapshot {
    if (!this.snap) {
      this.snap = {
        nodes: this.nodeList,
        get: (name) => this.nodes.get(name),
        imageNodeCount: (image) => this.imageCounts.get(image) ?? 0,
        namespaceLabels: (name) => this.namespaces.get(name),
        nodesWithAffinityPods: () => this.lists().affinity,
        nodesWithRequiredAntiAffinityPods: () => this.lists().requiredAnti,
      };
    }
    return this.snap;
  }

  get nodeCount(): number {
    return this.nodes.size;
  }

  podsOn(node: string): Pod[] {
    return this.nodes.get(node)?.pods.map((p) => p.pod) ?? [];
  }
}
