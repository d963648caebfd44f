// The informer's cache: objects by key ("namespace/name" or "name") plus
// secondary indexes computed by registered index functions, so controllers can
// ask "pods on node X" without scanning everything (client-go's Indexer).
// Stored objects are shared with every reader: treat them as read-only.

import { objectKey, type KubeObject } from './kube-object.js';

/** Returns the index values an object is filed under (may be several, or none). */
export type IndexFunc<T> = (obj: T) => string[];

export type Indexers<T> = Record<string, IndexFunc<T>>;

export const NAMESPACE_INDEX = 'namespace';

/** Files objects under their namespace ('' for cluster-scoped ones). */
export function namespaceIndexFunc(obj: KubeObject): string[] {
  return [obj.metadata?.namespace ?? ''];
}

/**
 * Files objects under the value at a dotted path such as "spec.nodeName";
 * objects where it is missing or empty are not indexed.
 */
export function fieldIndexFunc(path: string): IndexFunc<KubeObject> {
  const parts = path.split('.');
  return (obj) => {
    let v: any = obj;
    for (const p of parts) v = v?.[p];
    return v === undefined || v === null || v === '' ? [] : [String(v)];
  };
}

export class Indexer<T extends KubeObject = KubeObject> {
  private readonly items = new Map<string, T>();
  private readonly indexers = new Map<string, IndexFunc<T>>();
  /** indexName → value → keys */
  private readonly indices = new Map<string, Map<string, Set<string>>>();

  constructor(indexers: Indexers<T> = {}) {
    this.addIndexers(indexers);
  }

  /** Registers more index functions; existing objects are indexed right away. */
  addIndexers(indexers: Indexers<T>): void {
    for (const [name, fn] of Object.entries(indexers)) {
      if (this.indexers.has(name)) throw new Error(`indexer conflict: ${name}`);
      this.indexers.set(name, fn);
      const index = new Map<string, Set<string>>();
      this.indices.set(name, index);
      for (const [key, obj] of this.items) fileUnder(index, fn(obj), key);
    }
  }

  get size(): number {
    return this.items.size;
  }

  /** Adds or replaces an object; returns the previous one. */
  update(obj: T): T | undefined {
    const key = objectKey(obj);
    const old = this.items.get(key);
    if (old) this.unindex(key, old);
    this.items.set(key, obj);
    this.index(key, obj);
    return old;
  }

  add(obj: T): T | undefined {
    return this.update(obj);
  }

  /** Removes by object or key; returns what was stored. */
  delete(objOrKey: T | string): T | undefined {
    const key = typeof objOrKey === 'string' ? objOrKey : objectKey(objOrKey);
    const old = this.items.get(key);
    if (!old) return undefined;
    this.unindex(key, old);
    this.items.delete(key);
    return old;
  }

  /** Swaps in a whole new set of objects. */
  replace(objs: T[]): void {
    this.items.clear();
    for (const index of this.indices.values()) index.clear();
    for (const obj of objs) this.update(obj);
  }

  get(key: string): T | undefined {
    return this.items.get(key);
  }

  list(): T[] {
    return [...this.items.values()];
  }

  listKeys(): string[] {
    return [...this.items.keys()];
  }

  hasIndex(indexName: string): boolean {
    return this.indexers.has(indexName);
  }

  indexKeys(indexName: string, value: string): string[] {
    return [...(this.indexOf(indexName).get(value) ?? [])];
  }

  byIndex(indexName: string, value: string): T[] {
    const keys = this.indexOf(indexName).get(value);
    if (!keys) return [];
    const out: T[] = [];
    for (const k of keys) out.push(this.items.get(k)!);
    return out;
  }

  /** All values an index currently has objects under. */
  indexValues(indexName: string): string[] {
    return [...this.indexOf(indexName).keys()];
  }

  private indexOf(indexName: string): Map<string, Set<string>> {
    const index = this.indices.get(indexName);
    if (!index) throw new Error(`Index with name ${indexName} does not exist`);
    return index;
  }

  private index(key: string, obj: T): void {
    for (const [name, fn] of this.indexers) fileUnder(this.indices.get(name)!, fn(obj), key);
  }

  private unindex(key: string, obj: T): void {
    for (const [name, fn] of this.indexers) {
      const index = this.indices.get(name)!;
      for (const v of fn(obj)) {
        const keys = index.get(v);
        if (!keys) continue;
        keys.delete(key);
        if (keys.size === 0) index.delete(v);
      }
    }
  }
}

function fileUnder(index: Map<string, Set<string>>, values: string[], key: string): void {
  for (const v of values) {
    let keys = index.get(v);
    if (!keys) index.set(v, (keys = new Set()));
    keys.add(key);
  }
}
