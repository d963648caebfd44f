// ImageLocality: prefers nodes that already hold the pod's images, weighting each
// image by its size and by how widely it has spread (so one node holding a big
// image does not attract every pod).

import { MAX_NODE_SCORE, type Pod, type ScorePlugin, type Snapshot, type NodeInfo } from '../framework.js';
import { normalizedImageName } from './image-names.js';

export const IMAGE_LOCALITY = 'ImageLocality';

const MB = 1024 * 1024;
/** Below this the score is 0 (small images are cheap to pull anyway). */
export const MIN_THRESHOLD = 23 * MB;
/** Per container; the sum is capped at this times the number of containers. */
export const MAX_CONTAINER_THRESHOLD = 1000 * MB;

/** Image size scaled by the share of nodes that have it. */
export function scaledImageScore(size: number, numNodes: number, totalNumNodes: number): number {
  const spread = numNodes / totalNumNodes;
  return Math.trunc(size * spread);
}

/** Normalised image names of the pod's init and regular containers, computed once per pod object (Score runs per node). */
const podImages = new WeakMap<object, string[]>();

function imageNamesOf(pod: Pod): string[] {
  if (pod == null || typeof pod !== 'object') return [];
  let names = podImages.get(pod);
  if (!names) {
    names = [];
    const spec = pod.spec ?? {};
    for (const list of [spec.initContainers, spec.containers]) for (const c of list ?? []) names.push(normalizedImageName(String(c?.image ?? '')));
    podImages.set(pod, names);
  }
  return names;
}

export function sumImageScores(node: NodeInfo, pod: Pod, snapshot: Snapshot, totalNumNodes: number): number {
  let sum = 0;
  if (node.images.size === 0) return sum;
  for (const name of imageNamesOf(pod)) {
    const size = node.images.get(name);
    if (size !== undefined) sum += scaledImageScore(size, snapshot.imageNodeCount(name), totalNumNodes);
  }
  return sum;
}

/** Maps the summed image score onto 0–100 between the thresholds. */
export function imagePriority(sumScores: number, numContainers: number): number {
  const maxThreshold = MAX_CONTAINER_THRESHOLD * numContainers;
  if (sumScores < MIN_THRESHOLD) sumScores = MIN_THRESHOLD;
  else if (sumScores > maxThreshold) sumScores = maxThreshold;
  return Math.trunc((MAX_NODE_SCORE * (sumScores - MIN_THRESHOLD)) / (maxThreshold - MIN_THRESHOLD));
}

export function newImageLocality(): ScorePlugin {
  return {
    name: IMAGE_LOCALITY,
    score(_state, pod, node, snapshot): number {
      const spec = pod.pod?.spec ?? {};
      const numContainers = (spec.initContainers?.length ?? 0) + (spec.containers?.length ?? 0);
      if (numContainers === 0) return 0;
      return imagePriority(sumImageScores(node, pod.pod, snapshot, snapshot.nodes.length), numContainers);
    },
  };
}
