// The storage contract every backend implements (SQLite now, etcd later).
// Keys are strings like "/registry/pods/default/web-1". Values are the JSON
// bytes of the object *without* metadata.resourceVersion: the API layer sets
// resourceVersion from modRevision when it reads, as Kubernetes' etcd3 store does.

export interface KeyValue {
  key: string;
  value: Buffer;
  /** Revision of the write that created this key (for the current incarnation). */
  createRevision: number;
  /** Revision of the last write to this key; becomes metadata.resourceVersion. */
  modRevision: number;
}

export interface WatchEvent {
  type: 'PUT' | 'DELETE';
  /** For PUT: the new value. For DELETE: the value just before deletion, with modRevision = the delete's revision. */
  kv: KeyValue;
  /** The value before this event (absent on the first PUT of a key). */
  prevKv?: KeyValue;
  /** True when this PUT created the key. */
  created: boolean;
  revision: number;
}

export interface ListOptions {
  /** Return at most this many items (0/undefined = all). */
  limit?: number;
  /** Exclusive lower bound on key, for paging ("continue"). */
  startAfter?: string;
}

export interface ListResult {
  items: KeyValue[];
  /** Store revision at which the list was taken. */
  revision: number;
  /** True when more keys match after the last item returned. */
  more: boolean;
}

export type WatchCallback = (events: WatchEvent[]) => void;

export interface Watcher {
  cancel(): void;
}

/** Errors are classes so the API layer can map them to Status codes. */
export class KeyExistsError extends Error {
  constructor(readonly key: string) {
    super(`key exists: ${key}`);
  }
}
export class KeyNotFoundError extends Error {
  constructor(readonly key: string) {
    super(`key not found: ${key}`);
  }
}
export class RevisionConflictError extends Error {
  constructor(readonly key: string, readonly expected: number, readonly actual: number) {
    super(`revision conflict on ${key}: expected ${expected}, have ${actual}`);
  }
}
export class CompactedError extends Error {
  constructor(readonly requested: number, readonly compactRevision: number) {
    super(`revision ${requested} has been compacted (oldest available ${compactRevision})`);
  }
}

export interface Store {
  get(key: string): Promise<KeyValue | undefined>;
  /** Keys starting with prefix, ascending by key. */
  list(prefix: string, opts?: ListOptions): Promise<ListResult>;
  /** Fails with KeyExistsError. */
  create(key: string, value: Buffer): Promise<KeyValue>;
  /** Compare-and-swap when expectedModRevision is given (RevisionConflictError); KeyNotFoundError if absent. */
  update(key: string, value: Buffer, expectedModRevision?: number): Promise<KeyValue>;
  /** Returns the deleted value with modRevision set to the delete's revision. */
  delete(key: string, expectedModRevision?: number): Promise<KeyValue>;
  /**
   * Events for keys under prefix with revision > fromRevision, in revision order,
   * first replaying history then live. Throws CompactedError when fromRevision is
   * older than the compaction window keeps.
   */
  watch(prefix: string, fromRevision: number, cb: WatchCallback): Watcher;
  currentRevision(): Promise<number>;
  /** Oldest revision from which watch can still replay. */
  compactRevision(): number;
  close(): Promise<void>;
}
