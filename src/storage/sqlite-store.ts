// Store backed by one SQLite file (WAL, synchronous=FULL: a resolved write is
// on disk). Writes are group-committed: everything submitted in one event-loop
// turn shares a transaction. A log table with one row per revision feeds watch
// replay; rows older than the compaction window are deleted periodically.

import Database from 'better-sqlite3';
import {
  CompactedError,
  KeyExistsError,
  KeyNotFoundError,
  RevisionConflictError,
  type KeyValue,
  type ListOptions,
  type ListResult,
  type Store,
  type WatchCallback,
  type WatchEvent,
  type Watcher,
} from './store.js';
import { WriteBatcher, type Outcome } from './write-batcher.js';
import { WatchFanout } from './watch-fanout.js';

export interface SqliteStoreOptions {
  /** Revisions kept in the log for watch replay (default 10000). */
  compactionWindow?: number;
  /** How often the log is trimmed to the window (default 30 s). */
  compactionIntervalMs?: number;
}

type WriteOp =
  | { kind: 'create'; key: string; value: Buffer }
  | { kind: 'update'; key: string; value: Buffer; expected?: number }
  | { kind: 'delete'; key: string; expected?: number };

interface KvRow {
  key: string;
  value: Buffer;
  create_rev: number;
  mod_rev: number;
}

interface LogRow {
  rev: number;
  key: string;
  deleted: number;
  value: Buffer | null;
  create_rev: number;
  prev_value: Buffer | null;
  prev_create_rev: number | null;
  prev_mod_rev: number | null;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS kv (
  key        TEXT PRIMARY KEY,
  value      BLOB NOT NULL,
  create_rev INTEGER NOT NULL,
  mod_rev    INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS log (
  rev             INTEGER PRIMARY KEY,
  key             TEXT NOT NULL,
  deleted         INTEGER NOT NULL,
  value           BLOB,
  create_rev      INTEGER NOT NULL,
  prev_value      BLOB,
  prev_create_rev INTEGER,
  prev_mod_rev    INTEGER
);
CREATE TABLE IF NOT EXISTS meta (
  name  TEXT PRIMARY KEY,
  value INTEGER NOT NULL
);
INSERT OR IGNORE INTO meta (name, value) VALUES ('revision', 0), ('compact_revision', 0);
`;

/**
 * Exclusive upper bound for keys starting with prefix, as UTF-8 bytes: the
 * prefix with its last byte incremented. Valid UTF-8 never contains 0xFF, so
 * the increment cannot overflow, and an empty prefix gets [0xFF] (above all keys).
 */
export function prefixEnd(prefix: string): Buffer {
  const bytes = Buffer.from(prefix, 'utf8');
  if (bytes.length === 0) return Buffer.from([0xff]);
  const end = Buffer.from(bytes);
  end[end.length - 1] += 1;
  return end;
}

/** Byte-wise (UTF-8) comparison, the order SQLite uses for TEXT keys. */
function compareKeys(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

function isPreconditionError(e: unknown): boolean {
  return e instanceof KeyExistsError || e instanceof KeyNotFoundError || e instanceof RevisionConflictError;
}

function toKv(row: KvRow): KeyValue {
  return { key: row.key, value: row.value, createRevision: row.create_rev, modRevision: row.mod_rev };
}

function logRowToEvent(row: LogRow): WatchEvent {
  const prevKv: KeyValue | undefined =
    row.prev_mod_rev === null
      ? undefined
      : {
          key: row.key,
          value: row.prev_value ?? Buffer.alloc(0),
          createRevision: row.prev_create_rev ?? 0,
          modRevision: row.prev_mod_rev,
        };
  if (row.deleted) {
    const kv = { key: row.key, value: row.prev_value ?? Buffer.alloc(0), createRevision: row.create_rev, modRevision: row.rev };
    return { type: 'DELETE', kv, prevKv, created: false, revision: row.rev };
  }
  const kv = { key: row.key, value: row.value ?? Buffer.alloc(0), createRevision: row.create_rev, modRevision: row.rev };
  const event: WatchEvent = { type: 'PUT', kv, created: prevKv === undefined, revision: row.rev };
  if (prevKv) event.prevKv = prevKv;
  return event;
}

function prepareStatements(db: Database.Database) {
  const kvCols = 'key, value, create_rev, mod_rev';
  const logCols = 'rev, key, deleted, value, create_rev, prev_value, prev_create_rev, prev_mod_rev';
  return {
    get: db.prepare<[string], KvRow>(`SELECT ${kvCols} FROM kv WHERE key = ?`),
    // The upper bound is bound as a BLOB and cast, so it can hold the
    // incremented prefix (not always valid UTF-8); TEXT compares bytewise.
    listFrom: db.prepare<[string, Buffer, number], KvRow>(
      `SELECT ${kvCols} FROM kv WHERE key >= ? AND key < CAST(? AS TEXT) ORDER BY key LIMIT ?`,
    ),
    listAfter: db.prepare<[string, Buffer, number], KvRow>(
      `SELECT ${kvCols} FROM kv WHERE key > ? AND key < CAST(? AS TEXT) ORDER BY key LIMIT ?`,
    ),
    insertKv: db.prepare<[string, Buffer, number, number]>(`INSERT INTO kv (${kvCols}) VALUES (?, ?, ?, ?)`),
    updateKv: db.prepare<[Buffer, number, string]>('UPDATE kv SET value = ?, mod_rev = ? WHERE key = ?'),
    deleteKv: db.prepare<[string]>('DELETE FROM kv WHERE key = ?'),
    insertLog: db.prepare<[number, string, number, Buffer | null, number, Buffer | null, number | null, number | null]>(
      `INSERT INTO log (${logCols}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    replay: db.prepare<[number, string, Buffer], LogRow>(
      `SELECT ${logCols} FROM log WHERE rev > ? AND key >= ? AND key < CAST(? AS TEXT) ORDER BY rev`,
    ),
    setMeta: db.prepare<[number, string]>('UPDATE meta SET value = ? WHERE name = ?'),
    getMeta: db.prepare<[string], { value: number }>('SELECT value FROM meta WHERE name = ?'),
    trimLog: db.prepare<[number]>('DELETE FROM log WHERE rev <= ?'),
  };
}

export class SqliteStore implements Store {
  private rev: number;
  private compactRev: number;
  private closed = false;
  private readonly fanout = new WatchFanout();
  private readonly batcher = new WriteBatcher<WriteOp, KeyValue>((ops) => this.commit(ops));
  private readonly timer: NodeJS.Timeout;
  private readonly window: number;

  private readonly stmts: ReturnType<typeof prepareStatements>;
  private readonly applyBatch: (ops: WriteOp[], events: WatchEvent[]) => Outcome<KeyValue>[];
  private readonly compactTxn: (target: number) => void;

  private constructor(private readonly db: Database.Database, opts: SqliteStoreOptions) {
    this.window = Math.max(1, opts.compactionWindow ?? 10000);
    db.exec(SCHEMA);
    this.stmts = prepareStatements(db);
    this.rev = this.stmts.getMeta.get('revision')?.value ?? 0;
    this.compactRev = this.stmts.getMeta.get('compact_revision')?.value ?? 0;

    this.applyBatch = db.transaction((ops: WriteOp[], events: WatchEvent[]) => {
      const startRev = this.rev;
      const outcomes = ops.map((op): Outcome<KeyValue> => {
        try {
          return { ok: true, value: this.apply(op, events) };
        } catch (error) {
          // Failed preconditions are checked before anything is written, so
          // the op simply has no effect; anything else aborts the transaction.
          if (isPreconditionError(error)) return { ok: false, error };
          throw error;
        }
      });
      if (this.rev !== startRev) this.stmts.setMeta.run(this.rev, 'revision');
      return outcomes;
    });
    this.compactTxn = db.transaction((target: number) => {
      this.stmts.trimLog.run(target);
      this.stmts.setMeta.run(target, 'compact_revision');
    });

    this.timer = setInterval(() => this.compactToWindow(), Math.max(1, opts.compactionIntervalMs ?? 30_000));
    this.timer.unref();
  }

  static open(path: string, opts: SqliteStoreOptions = {}): SqliteStore {
    // Fail fast instead of waiting if another process holds the file.
    const db = new Database(path, { timeout: 250 });
    try {
      // One process owns the file: the in-memory revision counter relies on it.
      db.pragma('locking_mode = EXCLUSIVE');
      const mode = db.pragma('journal_mode = WAL', { simple: true });
      if (String(mode).toLowerCase() !== 'wal') throw new Error(`could not enable WAL mode (got ${mode})`);
      db.pragma('synchronous = FULL');
      return new SqliteStore(db, opts);
    } catch (error) {
      db.close();
      throw error;
    }
  }

  async get(key: string): Promise<KeyValue | undefined> {
    this.assertOpen();
    const row = this.stmts.get.get(key);
    return row ? toKv(row) : undefined;
  }

  async list(prefix: string, opts: ListOptions = {}): Promise<ListResult> {
    this.assertOpen();
    const limit = opts.limit && opts.limit > 0 ? Math.floor(opts.limit) : 0;
    const end = prefixEnd(prefix);
    const sqlLimit = limit > 0 ? limit + 1 : -1;
    const after = opts.startAfter;
    const rows =
      after !== undefined && compareKeys(after, prefix) >= 0
        ? this.stmts.listAfter.all(after, end, sqlLimit)
        : this.stmts.listFrom.all(prefix, end, sqlLimit);
    const more = limit > 0 && rows.length > limit;
    if (more) rows.length = limit;
    return { items: rows.map(toKv), revision: this.rev, more };
  }

  create(key: string, value: Buffer): Promise<KeyValue> {
    return this.submit({ kind: 'create', key, value });
  }

  update(key: string, value: Buffer, expectedModRevision?: number): Promise<KeyValue> {
    return this.submit({ kind: 'update', key, value, expected: expectedModRevision });
  }

  delete(key: string, expectedModRevision?: number): Promise<KeyValue> {
    return this.submit({ kind: 'delete', key, expected: expectedModRevision });
  }

  watch(prefix: string, fromRevision: number, cb: WatchCallback): Watcher {
    this.assertOpen();
    if (!Number.isSafeInteger(fromRevision) || fromRevision < 0) {
      throw new RangeError(`watch revision must be a non-negative integer, got ${fromRevision}`);
    }
    if (fromRevision < this.compactRev) throw new CompactedError(fromRevision, this.compactRev);
    // Reads and commits are synchronous, so the replay snapshot and the
    // subscription below see exactly the same committed state.
    const replay =
      fromRevision < this.rev
        ? this.stmts.replay.all(fromRevision, prefix, prefixEnd(prefix)).map(logRowToEvent)
        : [];
    return this.fanout.subscribe(prefix, Math.max(this.rev, fromRevision), replay, cb);
  }

  async currentRevision(): Promise<number> {
    this.assertOpen();
    return this.rev;
  }

  compactRevision(): number {
    return this.compactRev;
  }

  /** Drops history at or below revision (capped at the current revision); watches must then start at or after it. */
  compact(revision: number): void {
    this.assertOpen();
    const target = Math.min(Math.floor(revision), this.rev);
    if (target <= this.compactRev) return;
    this.compactTxn(target);
    this.compactRev = target;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.batcher.flush();
    clearInterval(this.timer);
    this.fanout.cancelAll();
    this.closed = true;
    this.db.close();
  }

  private compactToWindow(): void {
    if (this.closed) return;
    this.compact(this.rev - this.window);
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('store is closed');
  }

  private submit(op: WriteOp): Promise<KeyValue> {
    if (this.closed) return Promise.reject(new Error('store is closed'));
    return this.batcher.submit(op);
  }

  /** Applies one batch in one transaction, then publishes its events. */
  private commit(ops: WriteOp[]): Outcome<KeyValue>[] {
    const startRev = this.rev;
    const events: WatchEvent[] = [];
    let outcomes: Outcome<KeyValue>[];
    try {
      outcomes = this.applyBatch(ops, events);
    } catch (error) {
      this.rev = startRev; // rolled back: those revisions were never used
      throw error;
    }
    this.fanout.publish(events);
    return outcomes;
  }

  private apply(op: WriteOp, events: WatchEvent[]): KeyValue {
    const { key } = op;
    const cur = this.stmts.get.get(key);
    if (op.kind === 'create') {
      if (cur) throw new KeyExistsError(key);
      const rev = ++this.rev;
      this.stmts.insertKv.run(key, op.value, rev, rev);
      this.stmts.insertLog.run(rev, key, 0, op.value, rev, null, null, null);
      const kv = { key, value: op.value, createRevision: rev, modRevision: rev };
      events.push({ type: 'PUT', kv, created: true, revision: rev });
      return kv;
    }
    if (!cur) throw new KeyNotFoundError(key);
    if (op.expected !== undefined && cur.mod_rev !== op.expected) {
      throw new RevisionConflictError(key, op.expected, cur.mod_rev);
    }
    const prevKv = toKv(cur);
    const rev = ++this.rev;
    if (op.kind === 'update') {
      this.stmts.updateKv.run(op.value, rev, key);
      this.stmts.insertLog.run(rev, key, 0, op.value, cur.create_rev, cur.value, cur.create_rev, cur.mod_rev);
      const kv = { key, value: op.value, createRevision: cur.create_rev, modRevision: rev };
      events.push({ type: 'PUT', kv, prevKv, created: false, revision: rev });
      return kv;
    }
    this.stmts.deleteKv.run(key);
    this.stmts.insertLog.run(rev, key, 1, null, cur.create_rev, cur.value, cur.create_rev, cur.mod_rev);
    const kv = { key, value: cur.value, createRevision: cur.create_rev, modRevision: rev };
    events.push({ type: 'DELETE', kv, prevKv, created: false, revision: rev });
    return kv;
  }
}
