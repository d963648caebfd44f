// Score arithmetic shared by plugins, with Go's integer semantics.

import type { NodeScore } from '../framework.js';

/**
 * helper.DefaultNormalizeScore: scale so the highest score becomes maxPriority
 * (integer division); `reverse` flips it so the lowest raw score wins.
 */
export function defaultNormalizeScore(maxPriority: number, reverse: boolean, scores: NodeScore[]): void {
  let maxCount = 0;
  for (const s of scores) if (s.score > maxCount) maxCount = s.score;
  if (maxCount === 0) {
    if (reverse) for (const s of scores) s.score = maxPriority;
    return;
  }
  for (const s of scores) {
    let score = Math.trunc((maxPriority * s.score) / maxCount);
    if (reverse) score = maxPriority - score;
    s.score = score;
  }
}

/** Go's math.Round: halves round away from zero (JS Math.round rounds -2.5 to -2). */
export function goRound(x: number): number {
  return x < 0 ? -Math.round(-x) : Math.round(x);
}
