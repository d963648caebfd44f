// Pod (anti-)affinity terms parsed once per pod object (framework.PodInfo's
// RequiredAffinityTerms etc.), and how a term matches another pod.

import { compileLabelSelector, type Requirement } from '../../api/labels.js';
import { compileMatcher, type LabelMatcher } from './label-matcher.js';
import type { Pod, Snapshot } from '../framework.js';

export interface AffinityTerm {
  /** Namespaces named in the term; the pod's own when the term names none and has no namespaceSelector. */
  namespaces: Set<string>;
  /** null selects nothing; [] selects everything. */
  selector: Requirement[] | null;
  /** null selects nothing; [] selects every namespace. */
  namespaceSelector: Requirement[] | null;
  topologyKey: string;
  /** The two selectors, compiled. */
  matchSelector: LabelMatcher;
  matchNamespace: LabelMatcher;
}

export interface WeightedAffinityTerm extends AffinityTerm {
  weight: number;
}

export interface PodAffinityTerms {
  requiredAffinity: AffinityTerm[];
  requiredAntiAffinity: AffinityTerm[];
  preferredAffinity: WeightedAffinityTerm[];
  preferredAntiAffinity: WeightedAffinityTerm[];
}

const EMPTY: PodAffinityTerms = Object.freeze({
  requiredAffinity: [],
  requiredAntiAffinity: [],
  preferredAffinity: [],
  preferredAntiAffinity: [],
}) as PodAffinityTerms;

function parseTerm(pod: Pod, term: any): AffinityTerm {
  const names: string[] = term?.namespaces ?? [];
  const namespaces = new Set<string>(names.length === 0 && term?.namespaceSelector == null ? [pod?.metadata?.namespace ?? ''] : names);
  const selector = compileLabelSelector(term?.labelSelector);
  const namespaceSelector = compileLabelSelector(term?.namespaceSelector);
  return {
    namespaces,
    selector,
    namespaceSelector,
    topologyKey: term?.topologyKey ?? '',
    matchSelector: compileMatcher(selector),
    matchNamespace: compileMatcher(namespaceSelector),
  };
}

function parseWeighted(pod: Pod, terms: any[] | undefined): WeightedAffinityTerm[] {
  return (terms ?? []).map((t) => ({ ...parseTerm(pod, t?.podAffinityTerm), weight: Number(t?.weight ?? 0) }));
}

/** Parses the pod's terms; throws (SelectorParseError) on an invalid selector. */
export function parseAffinityTerms(pod: Pod): PodAffinityTerms {
  const a = pod?.spec?.affinity;
  if (!a || (a.podAffinity == null && a.podAntiAffinity == null)) return EMPTY;
  return {
    requiredAffinity: (a.podAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []).map((t: any) => parseTerm(pod, t)),
    requiredAntiAffinity: (a.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []).map((t: any) => parseTerm(pod, t)),
    preferredAffinity: parseWeighted(pod, a.podAffinity?.preferredDuringSchedulingIgnoredDuringExecution),
    preferredAntiAffinity: parseWeighted(pod, a.podAntiAffinity?.preferredDuringSchedulingIgnoredDuringExecution),
  };
}

const cache = new WeakMap<object, PodAffinityTerms>();

/** Terms of an already placed pod, cached per pod object; an unparsable pod counts as having none. */
export function affinityTermsOf(pod: Pod): PodAffinityTerms {
  if (pod == null || typeof pod !== 'object') return EMPTY;
  let terms = cache.get(pod);
  if (!terms) {
    try {
      terms = parseAffinityTerms(pod);
    } catch {
      terms = EMPTY;
    }
    cache.set(pod, terms);
  }
  return terms;
}

/**
 * AffinityTerm.Matches: the pod's namespace is listed or selected by the namespace
 * selector (evaluated against `nsLabels`), and its labels match the term's selector.
 */
export function termMatchesPod(term: AffinityTerm, pod: Pod, nsLabels: Record<string, string> | undefined): boolean {
  const ns = pod?.metadata?.namespace ?? '';
  if (!term.namespaces.has(ns) && !term.matchNamespace(nsLabels)) return false;
  return term.matchSelector(pod?.metadata?.labels);
}

/**
 * A term of the pod being scheduled. Kubernetes first expands a non-empty namespaceSelector
 * into the existing namespaces it selects; here that is evaluated lazily per namespace
 * against the snapshot's namespaces (an unknown namespace is never selected).
 */
export class IncomingTerm {
  private readonly nsCache = new Map<string, boolean>();

  constructor(
    readonly term: AffinityTerm,
    private readonly snapshot: Snapshot,
    readonly weight = 0,
  ) {}

  get topologyKey(): string {
    return this.term.topologyKey;
  }

  private namespaceSelected(ns: string): boolean {
    const t = this.term;
    if (t.namespaces.has(ns)) return true;
    if (t.namespaceSelector === null) return false;
    if (t.namespaceSelector.length === 0) return true;
    let hit = this.nsCache.get(ns);
    if (hit === undefined) {
      const labels = this.snapshot.namespaceLabels(ns);
      hit = labels !== undefined && t.matchNamespace(labels);
      this.nsCache.set(ns, hit);
    }
    return hit;
  }

  matches(pod: Pod): boolean {
    const meta = pod?.metadata;
    return this.term.matchSelector(meta?.labels) && this.namespaceSelected(meta?.namespace ?? '');
  }
}
