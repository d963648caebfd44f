// The resource-based scoring shared by NodeResourcesFit (LeastAllocated,
// MostAllocated, RequestedToCapacityRatio) and NodeResourcesBalancedAllocation:
// per configured resource, (allocatable, requested-after-placing-the-pod), then
// a scorer turns those vectors into 0–100.

import { MAX_NODE_SCORE, type NodeInfo, type PodInfo } from '../framework.js';
import { isScalarResourceName } from './resource-names.js';

export interface ResourceSpec {
  name: string;
  weight: number;
}

export const DEFAULT_RESOURCES: readonly ResourceSpec[] = Object.freeze([
  { name: 'cpu', weight: 1 },
  { name: 'memory', weight: 1 },
]);

/** Scores (requested, allocatable) vectors; entries with allocatable 0 are ignored. */
export type VectorScorer = (requested: Float64Array, allocatable: Float64Array) => number;

/**
 * The pod's request per resource. Without `useRequested`, cpu and memory use the
 * non-zero defaults for containers that request nothing (scoring must see a cost).
 */
export function podRequestVector(pod: PodInfo, resources: readonly ResourceSpec[], useRequested: boolean): number[] {
  const src = useRequested ? pod.requests : pod.nonZeroRequests;
  return resources.map((r) => {
    switch (r.name) {
      case 'cpu':
        return src.milliCPU;
      case 'memory':
        return src.memory;
      case 'ephemeral-storage':
        return pod.requests.ephemeralStorage;
      default:
        return pod.requests.scalar[r.name] ?? 0;
    }
  });
}

/** Resource names resolved once per scorer, so the per-node path does not compare strings. */
const enum Kind {
  Cpu,
  Memory,
  EphemeralStorage,
  /** Extended resources, hugepages… (looked up by name in the scalar maps). */
  Scalar,
  /** Any other name: scored only if the node lists it among its scalar resources. */
  Other,
}

function kindOf(name: string): Kind {
  switch (name) {
    case 'cpu':
      return Kind.Cpu;
    case 'memory':
      return Kind.Memory;
    case 'ephemeral-storage':
      return Kind.EphemeralStorage;
    default:
      return isScalarResourceName(name) ? Kind.Scalar : Kind.Other;
  }
}

/** Writes (allocatable, requested incl. the pod) for one resource; (0, 0) means "do not score it". */
function allocatableAndRequested(node: NodeInfo, kind: Kind, name: string, podRequest: number, useRequested: boolean, out: [number, number]): void {
  out[0] = 0;
  out[1] = 0;
  // An extended resource the pod does not ask for is left out of scoring.
  if (podRequest === 0 && kind === Kind.Scalar) return;
  const requested = useRequested ? node.requested : node.nonZeroRequested;
  switch (kind) {
    case Kind.Cpu:
      out[0] = node.allocatable.milliCPU;
      out[1] = requested.milliCPU + podRequest;
      return;
    case Kind.Memory:
      out[0] = node.allocatable.memory;
      out[1] = requested.memory + podRequest;
      return;
    case Kind.EphemeralStorage:
      out[0] = node.allocatable.ephemeralStorage;
      out[1] = node.requested.ephemeralStorage + podRequest;
      return;
    case Kind.Scalar:
    case Kind.Other:
      if (Object.prototype.hasOwnProperty.call(node.allocatable.scalar, name)) {
        out[0] = node.allocatable.scalar[name];
        out[1] = (node.requested.scalar[name] ?? 0) + podRequest;
      }
  }
}

/** Reusable scratch vectors for one scorer instance (Score runs node by node). */
export class ResourceAllocationScorer {
  private readonly requested: Float64Array;
  private readonly allocatable: Float64Array;
  private readonly pair: [number, number] = [0, 0];
  private readonly kinds: Kind[];

  constructor(
    readonly resources: readonly ResourceSpec[],
    readonly useRequested: boolean,
    private readonly scorer: VectorScorer,
  ) {
    this.requested = new Float64Array(resources.length);
    this.allocatable = new Float64Array(resources.length);
    this.kinds = resources.map((r) => kindOf(r.name));
  }

  score(node: NodeInfo, podRequests: readonly number[]): number {
    if (this.resources.length === 0) return 0;
    for (let i = 0; i < this.resources.length; i++) {
      allocatableAndRequested(node, this.kinds[i], this.resources[i].name, podRequests[i], this.useRequested, this.pair);
      if (this.pair[0] === 0) {
        this.allocatable[i] = 0;
        this.requested[i] = 0;
        continue;
      }
      this.allocatable[i] = this.pair[0];
      this.requested[i] = this.pair[1];
    }
    return this.scorer(this.requested, this.allocatable);
  }
}

/** Free share of the resource after placing the pod, 0–100 (integer division as in Go). */
export function leastRequestedScore(requested: number, capacity: number): number {
  if (capacity === 0 || requested > capacity) return 0;
  return Math.trunc(((capacity - requested) * MAX_NODE_SCORE) / capacity);
}

/** Used share, 0–100; requests beyond capacity count as full. */
export function mostRequestedScore(requested: number, capacity: number): number {
  if (capacity === 0) return 0;
  if (requested > capacity) requested = capacity;
  return Math.trunc((requested * MAX_NODE_SCORE) / capacity);
}

function weightedMean(resources: readonly ResourceSpec[], perResource: (req: number, cap: number) => number): VectorScorer {
  return (requested, allocatable) => {
    let nodeScore = 0;
    let weightSum = 0;
    for (let i = 0; i < requested.length; i++) {
      if (allocatable[i] === 0) continue;
      const w = resources[i].weight;
      nodeScore += perResource(requested[i], allocatable[i]) * w;
      weightSum += w;
    }
    return weightSum === 0 ? 0 : Math.trunc(nodeScore / weightSum);
  };
}

export const leastAllocatedScorer = (resources: readonly ResourceSpec[]): VectorScorer => weightedMean(resources, leastRequestedScore);
export const mostAllocatedScorer = (resources: readonly ResourceSpec[]): VectorScorer => weightedMean(resources, mostRequestedScore);

export interface UtilizationShapePoint {
  utilization: number;
  score: number;
}

/** RequestedToCapacityRatio's shape scores are 0–10; the scheduler scales them to 0–100. */
export const MAX_CUSTOM_PRIORITY_SCORE = 10;
const MAX_UTILIZATION = 100;

/** A piecewise-linear function through the shape points, flat before the first and after the last. */
export function brokenLinearFunction(shape: readonly UtilizationShapePoint[]): (p: number) => number {
  return (p) => {
    for (let i = 0; i < shape.length; i++) {
      if (p <= shape[i].utilization) {
        if (i === 0) return shape[0].score;
        const prev = shape[i - 1];
        return prev.score + Math.trunc(((shape[i].score - prev.score) * (p - prev.utilization)) / (shape[i].utilization - prev.utilization));
      }
    }
    return shape[shape.length - 1].score;
  };
}

export function requestedToCapacityRatioScorer(resources: readonly ResourceSpec[], shape: readonly UtilizationShapePoint[]): VectorScorer {
  const scale = MAX_NODE_SCORE / MAX_CUSTOM_PRIORITY_SCORE;
  const fn = brokenLinearFunction(shape.map((p) => ({ utilization: p.utilization, score: p.score * scale })));
  const perResource = (requested: number, capacity: number): number => {
    if (capacity === 0 || requested > capacity) return fn(MAX_UTILIZATION);
    return fn(Math.trunc((requested * MAX_UTILIZATION) / capacity));
  };
  return (requested, allocatable) => {
    let nodeScore = 0;
    let weightSum = 0;
    for (let i = 0; i < requested.length; i++) {
      if (allocatable[i] === 0) continue;
      const w = resources[i].weight;
      const s = perResource(requested[i], allocatable[i]);
      // Resources scoring 0 do not dilute the mean.
      if (s > 0) {
        nodeScore += s * w;
        weightSum += w;
      }
    }
    return weightSum === 0 ? 0 : Math.round(nodeScore / weightSum);
  };
}

/**
 * BalancedAllocation: 100 × (1 − standard deviation of the used fractions), so nodes
 * whose resources fill evenly win. Two resources use |f1 − f2| / 2, as Kubernetes does.
 */
export const balancedResourceScorer: VectorScorer = (requested, allocatable) => {
  let total = 0;
  let n = 0;
  let f0 = 0;
  let f1 = 0;
  for (let i = 0; i < requested.length; i++) {
    if (allocatable[i] === 0) continue;
    let f = requested[i] / allocatable[i];
    if (f > 1) f = 1;
    total += f;
    if (n === 0) f0 = f;
    else if (n === 1) f1 = f;
    n++;
  }
  let std = 0;
  if (n === 2) std = Math.abs((f0 - f1) / 2);
  else if (n > 2) {
    const mean = total / n;
    let sum = 0;
    for (let i = 0; i < requested.length; i++) {
      if (allocatable[i] === 0) continue;
      let f = requested[i] / allocatable[i];
      if (f > 1) f = 1;
      sum += (f - mean) * (f - mean);
    }
    std = Math.sqrt(sum / n);
  }
  return Math.trunc((1 - std) * MAX_NODE_SCORE);
};
