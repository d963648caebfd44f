// Topology spread constraints as PodTopologySpread evaluates them: the pod's own
// constraints (or the cluster defaults), with matchLabelKeys merged into the
// selector and Kubernetes' defaults for minDomains and the node inclusion policies.

import { compileLabelSelector, type Requirement } from '../../api/labels.js';
import type { Node, Pod, PodInfo } from '../framework.js';
import { compileMatcher, type LabelMatcher } from './label-matcher.js';
import type { RequiredNodeAffinity } from './node-selector.js';
import { findUntoleratedTaint, isDoNotScheduleTaint } from './taints.js';

export const LABEL_HOSTNAME = 'kubernetes.io/hostname';
export const LABEL_ZONE = 'topology.kubernetes.io/zone';

export type WhenUnsatisfiable = 'DoNotSchedule' | 'ScheduleAnyway';
export type NodeInclusionPolicy = 'Honor' | 'Ignore';

/** The v1 API shape of a constraint. */
export interface TopologySpreadConstraintSpec {
  maxSkew: number;
  topologyKey: string;
  whenUnsatisfiable: WhenUnsatisfiable;
  labelSelector?: { matchLabels?: Record<string, string>; matchExpressions?: { key: string; operator: string; values?: string[] }[] } | null;
  minDomains?: number | null;
  nodeAffinityPolicy?: NodeInclusionPolicy | null;
  nodeTaintsPolicy?: NodeInclusionPolicy | null;
  matchLabelKeys?: string[];
}

export interface SpreadConstraint {
  maxSkew: number;
  topologyKey: string;
  /** null selects nothing; [] selects everything. */
  selector: Requirement[] | null;
  /** The selector, compiled. */
  matcher: LabelMatcher;
  minDomains: number;
  nodeAffinityPolicy: NodeInclusionPolicy;
  nodeTaintsPolicy: NodeInclusionPolicy;
}

/** Kubernetes' system defaults: spread over hosts (skew 3) and zones (skew 5), softly. */
export const SYSTEM_DEFAULT_CONSTRAINTS: readonly TopologySpreadConstraintSpec[] = Object.freeze([
  { topologyKey: LABEL_HOSTNAME, whenUnsatisfiable: 'ScheduleAnyway', maxSkew: 3 },
  { topologyKey: LABEL_ZONE, whenUnsatisfiable: 'ScheduleAnyway', maxSkew: 5 },
]);

/** The constraints with the given action; throws SelectorParseError on a bad selector. */
export function filterConstraints(specs: readonly TopologySpreadConstraintSpec[], podLabels: Record<string, string> | undefined, action: WhenUnsatisfiable): SpreadConstraint[] {
  const out: SpreadConstraint[] = [];
  for (const c of specs) {
    if (c.whenUnsatisfiable !== action) continue;
    let selector = compileLabelSelector(c.labelSelector);
    // matchLabelKeys: the pod's values for those keys narrow the selector (a null selector stays null).
    if (selector !== null && c.matchLabelKeys?.length && podLabels) {
      const extra: Requirement[] = [];
      for (const key of c.matchLabelKeys) {
        if (Object.prototype.hasOwnProperty.call(podLabels, key)) extra.push({ key, op: 'In', values: [podLabels[key]] });
      }
      if (extra.length) selector = [...extra, ...selector];
    }
    out.push({
      maxSkew: c.maxSkew,
      topologyKey: c.topologyKey,
      selector,
      matcher: compileMatcher(selector),
      minDomains: c.minDomains ?? 1,
      nodeAffinityPolicy: c.nodeAffinityPolicy ?? 'Honor',
      nodeTaintsPolicy: c.nodeTaintsPolicy ?? 'Ignore',
    });
  }
  return out;
}

/**
 * The selector default constraints use. Kubernetes merges the selectors of the
 * services / replica sets / stateful sets owning the pod; Skiff approximates that
 * with the pod's own labels when the pod has an owner. Empty = no default spreading.
 */
export function defaultSelector(pod: Pod): Requirement[] {
  const owners = pod?.metadata?.ownerReferences;
  if (!Array.isArray(owners) || owners.length === 0) return [];
  const labels: Record<string, string> = pod?.metadata?.labels ?? {};
  return Object.entries(labels).map(([key, value]) => ({ key, op: 'In' as const, values: [value] }));
}

export function nodeHasAllTopologyKeys(labels: Record<string, string> | undefined, constraints: readonly SpreadConstraint[]): boolean {
  for (const c of constraints) if (!labels || !Object.prototype.hasOwnProperty.call(labels, c.topologyKey)) return false;
  return true;
}

/** Whether a node counts toward a constraint's domains under its nodeAffinity/nodeTaints policies. */
export function matchesNodeInclusionPolicies(c: SpreadConstraint, pod: Pod, node: Node, required: RequiredNodeAffinity): boolean {
  if (c.nodeAffinityPolicy === 'Honor' && !required.matches(node)) return false;
  if (c.nodeTaintsPolicy === 'Honor' && findUntoleratedTaint(node?.spec?.taints, pod?.spec?.tolerations, isDoNotScheduleTaint)) return false;
  return true;
}

/** Matching pods in the namespace, skipping terminating ones; an empty selector counts nothing. */
export function countPodsMatchSelector(pods: readonly PodInfo[], c: Pick<SpreadConstraint, 'selector' | 'matcher'>, namespace: string): number {
  if (c.selector === null || c.selector.length === 0) return 0;
  const match = c.matcher;
  let n = 0;
  for (let i = 0; i < pods.length; i++) {
    const meta = pods[i].pod?.metadata;
    if (meta == null || meta.deletionTimestamp != null || (meta.namespace ?? '') !== namespace) continue;
    if (match(meta.labels)) n++;
  }
  return n;
}
