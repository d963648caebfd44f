// Read-only views over an informer's cache, filtered by label selector and
// namespace (client-go's listers): controllers read from here, never the server.

import { matches, parseLabelSelector, type Requirement } from '../api/labels.js';
import { NAMESPACE_INDEX, type Indexer } from './indexer.js';
import type { KubeObject } from './kube-object.js';

/** A label selector string ("app=web,tier!=db"), parsed requirements, or nothing (everything). */
export type Selector = string | readonly Requirement[] | undefined;

function compile(selector: Selector): readonly Requirement[] {
  if (selector === undefined) return [];
  return typeof selector === 'string' ? parseLabelSelector(selector) : selector;
}

function filter<T extends KubeObject>(objs: T[], selector: Selector): T[] {
  const reqs = compile(selector);
  return reqs.length === 0 ? objs : objs.filter((o) => matches(reqs, o.metadata?.labels));
}

export class Lister<T extends KubeObject = KubeObject> {
  constructor(private readonly indexer: Indexer<T>) {}

  list(selector?: Selector): T[] {
    return filter(this.indexer.list(), selector);
  }

  /** ns is ignored (pass undefined) for cluster-scoped resources. */
  get(ns: string | undefined, name: string): T | undefined {
    return this.indexer.get(ns ? `${ns}/${name}` : name);
  }

  byNamespace(ns: string): NamespaceLister<T> {
    return new NamespaceLister(this.indexer, ns);
  }
}

export class NamespaceLister<T extends KubeObject = KubeObject> {
  constructor(
    private readonly indexer: Indexer<T>,
    readonly namespace: string,
  ) {}

  list(selector?: Selector): T[] {
    const objs = this.indexer.hasIndex(NAMESPACE_INDEX)
      ? this.indexer.byIndex(NAMESPACE_INDEX, this.namespace)
      : this.indexer.list().filter((o) => (o.metadata?.namespace ?? '') === this.namespace);
    return filter(objs, selector);
  }

  get(name: string): T | undefined {
    return this.indexer.get(`${this.namespace}/${name}`);
  }
}
