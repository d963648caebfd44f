// Node selectors as the scheduler evaluates them (component-helpers nodeaffinity):
// pod.spec.nodeSelector, required node affinity terms (ORed; each term ANDs its
// matchExpressions on labels and matchFields on metadata.name), and weighted
// preferred terms. A term that fails to parse matches nothing.

import type { Node } from '../framework.js';

export interface NodeSelectorRequirement {
  key: string;
  operator: string;
  values?: string[];
}

export interface NodeSelectorTerm {
  matchExpressions?: NodeSelectorRequirement[];
  matchFields?: NodeSelectorRequirement[];
}

type LabelOp = 'In' | 'NotIn' | 'Exists' | 'DoesNotExist' | 'Gt' | 'Lt';

interface LabelRequirement {
  key: string;
  op: LabelOp;
  values: string[];
  /** Gt/Lt bound. */
  bound: bigint;
}

interface FieldRequirement {
  key: string;
  equal: boolean;
  value: string;
}

export interface CompiledTerm {
  labels: LabelRequirement[] | null;
  fields: FieldRequirement[] | null;
}

export class NodeSelectorParseError extends Error {}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** strconv.ParseInt(s, 10, 64); undefined when it would fail. */
export function parseInt64(s: string): bigint | undefined {
  if (!/^[+-]?[0-9]+$/.test(s)) return undefined;
  const v = BigInt(s);
  return v < INT64_MIN || v > INT64_MAX ? undefined : v;
}

function compileLabelRequirement(r: NodeSelectorRequirement): LabelRequirement {
  const values = r.values ?? [];
  const op = r.operator as LabelOp;
  switch (op) {
    case 'In':
    case 'NotIn':
      if (values.length === 0) throw new NodeSelectorParseError(`${r.key}: for 'in', 'notin' operators, values set can't be empty`);
      return { key: r.key, op, values, bound: 0n };
    case 'Exists':
    case 'DoesNotExist':
      if (values.length !== 0) throw new NodeSelectorParseError(`${r.key}: values set must be empty for exists and does not exist`);
      return { key: r.key, op, values, bound: 0n };
    case 'Gt':
    case 'Lt': {
      if (values.length !== 1) throw new NodeSelectorParseError(`${r.key}: for 'Gt', 'Lt' operators, exactly one value is required`);
      const bound = parseInt64(values[0]);
      if (bound === undefined) throw new NodeSelectorParseError(`${r.key}: for 'Gt', 'Lt' operators, the value must be an integer`);
      return { key: r.key, op, values, bound };
    }
    default:
      throw new NodeSelectorParseError(`${r.key}: unsupported operator "${r.operator}"`);
  }
}

function compileFieldRequirement(r: NodeSelectorRequirement): FieldRequirement {
  const values = r.values ?? [];
  if (r.operator !== 'In' && r.operator !== 'NotIn') throw new NodeSelectorParseError(`${r.key}: unsupported operator "${r.operator}"`);
  if (values.length !== 1) throw new NodeSelectorParseError(`${r.key}: must have one element`);
  return { key: r.key, equal: r.operator === 'In', value: values[0] };
}

export function isEmptyTerm(term: NodeSelectorTerm | null | undefined): boolean {
  return !term || ((term.matchExpressions?.length ?? 0) === 0 && (term.matchFields?.length ?? 0) === 0);
}

/** Throws NodeSelectorParseError when any requirement is invalid. */
export function compileTerm(term: NodeSelectorTerm): CompiledTerm {
  const exprs = term.matchExpressions ?? [];
  const fields = term.matchFields ?? [];
  return {
    labels: exprs.length ? exprs.map(compileLabelRequirement) : null,
    fields: fields.length ? fields.map(compileFieldRequirement) : null,
  };
}

function labelRequirementMatches(r: LabelRequirement, labels: Record<string, string> | undefined): boolean {
  const has = labels != null && Object.prototype.hasOwnProperty.call(labels, r.key);
  switch (r.op) {
    case 'In':
      return has && r.values.includes(labels![r.key]);
    case 'NotIn':
      return !has || !r.values.includes(labels![r.key]);
    case 'Exists':
      return has;
    case 'DoesNotExist':
      return !has;
    case 'Gt':
    case 'Lt': {
      if (!has) return false;
      const v = parseInt64(labels![r.key]);
      if (v === undefined) return false;
      return r.op === 'Gt' ? v > r.bound : v < r.bound;
    }
  }
}

export function termMatches(term: CompiledTerm, node: Node): boolean {
  const labels = node?.metadata?.labels as Record<string, string> | undefined;
  if (term.labels) for (const r of term.labels) if (!labelRequirementMatches(r, labels)) return false;
  const name: string = node?.metadata?.name ?? '';
  // Only metadata.name is a node field; with no name there are no fields and field terms are not checked.
  if (term.fields && name !== '') {
    for (const f of term.fields) {
      const actual = f.key === 'metadata.name' ? name : '';
      if ((actual === f.value) !== f.equal) return false;
    }
  }
  return true;
}

/** The required node selector terms; invalid terms are dropped (they can never match). */
export class NodeSelector {
  readonly terms: CompiledTerm[] = [];
  readonly errors: string[] = [];

  constructor(terms: NodeSelectorTerm[] | undefined) {
    for (const t of terms ?? []) {
      if (isEmptyTerm(t)) continue;
      try {
        this.terms.push(compileTerm(t));
      } catch (e) {
        if (!(e instanceof NodeSelectorParseError)) throw e;
        this.errors.push(e.message);
      }
    }
  }

  matches(node: Node): boolean {
    if (!node) return false;
    for (const t of this.terms) if (termMatches(t, node)) return true;
    return false;
  }
}

/** nodeSelector map AND required node affinity (nodeaffinity.GetRequiredNodeAffinity). */
export class RequiredNodeAffinity {
  private readonly selector: [string, string][] | null;
  private readonly nodeSelector: NodeSelector | null;

  constructor(pod: any) {
    const ns = pod?.spec?.nodeSelector as Record<string, string> | undefined;
    this.selector = ns && Object.keys(ns).length > 0 ? Object.entries(ns) : null;
    const required = pod?.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
    this.nodeSelector = required != null ? new NodeSelector(required.nodeSelectorTerms) : null;
  }

  matches(node: Node): boolean {
    if (this.selector) {
      const labels = node?.metadata?.labels ?? {};
      for (const [k, v] of this.selector) if (!Object.prototype.hasOwnProperty.call(labels, k) || labels[k] !== v) return false;
    }
    return this.nodeSelector ? this.nodeSelector.matches(node) : true;
  }
}

export interface PreferredSchedulingTerm {
  weight: number;
  preference: NodeSelectorTerm;
}

/** Weighted preferred terms; unlike required terms, a parse error here is an error for the whole list. */
export class PreferredSchedulingTerms {
  private readonly terms: { term: CompiledTerm; weight: number }[] = [];

  constructor(terms: PreferredSchedulingTerm[]) {
    const errors: string[] = [];
    for (const t of terms) {
      if (!t || !t.weight || isEmptyTerm(t.preference)) continue;
      try {
        this.terms.push({ term: compileTerm(t.preference), weight: t.weight });
      } catch (e) {
        if (!(e instanceof NodeSelectorParseError)) throw e;
        errors.push(e.message);
      }
    }
    if (errors.length) throw new NodeSelectorParseError(errors.join(', '));
  }

  /** Sum of the weights of the terms the node matches. */
  score(node: Node): number {
    let total = 0;
    for (const t of this.terms) if (termMatches(t.term, node)) total += t.weight;
    return total;
  }
}
