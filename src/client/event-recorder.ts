// Records core/v1 Events about objects, as client-go's EventRecorder does:
// the caller never waits (events go to a bounded queue written by one
// background worker, and are dropped when it is full), and a repeat of the
// same (object, type, reason, message) within 10 minutes bumps the existing
// Event's count and lastTimestamp with a PATCH instead of creating another.

import { resources } from '../api/resources.js';
import { log } from '../log.js';
import { ApiStatusError, isNotFound } from './api-status-error.js';
import type { KubeObject } from './kube-object.js';
import type { RestClient } from './rest-client.js';

export type EventType = 'Normal' | 'Warning';

export interface ObjectReference {
  kind?: string;
  namespace?: string;
  name?: string;
  uid?: string;
  apiVersion?: string;
  resourceVersion?: string;
  fieldPath?: string;
}

export interface EventRecorderOptions {
  /** source.component and reportingComponent, e.g. 'default-scheduler'. */
  component: string;
  /** source.host and reportingInstance. */
  host?: string;
  /** Events waiting to be written beyond this are dropped. Default 1000. */
  maxQueue?: number;
  /** Repeats within this window are aggregated. Default 10 minutes. */
  aggregationWindowMs?: number;
  /** Attempts per write on network errors. Default 3. */
  maxAttempts?: number;
  retryDelayMs?: number;
  now?: () => Date;
}

interface PendingEvent {
  ref: ObjectReference;
  type: EventType;
  reason: string;
  message: string;
  at: Date;
  /** The name used if this turns out to be a new Event. */
  name: string;
}

interface SeenEvent {
  name: string;
  namespace: string;
  count: number;
  firstTimestamp: string;
  lastSeenMs: number;
}

const eventsDef = resources.find((r) => r.group === '' && r.plural === 'events')!;
/** Distinct (object, reason, message) combinations remembered for aggregation. */
const SEEN_CAPACITY = 4096;

/** metav1.Time: RFC 3339 with second precision. */
function rfc3339(d: Date): string {
  return d.toISOString().replace(/\.\d+Z$/, 'Z');
}

export function referenceOf(obj: KubeObject | ObjectReference): ObjectReference {
  const src: ObjectReference =
    'metadata' in obj && obj.metadata
      ? {
          kind: obj.kind,
          namespace: obj.metadata.namespace,
          name: obj.metadata.name,
          uid: obj.metadata.uid,
          apiVersion: obj.apiVersion,
          resourceVersion: obj.metadata.resourceVersion,
        }
      : (obj as ObjectReference);
  const ref: ObjectReference = {};
  for (const k of ['kind', 'namespace', 'name', 'uid', 'apiVersion', 'resourceVersion', 'fieldPath'] as const) {
    if (src[k]) ref[k] = src[k];
  }
  return ref;
}

export class EventRecorder {
  private readonly queue: PendingEvent[] = [];
  private readonly seen = new Map<string, SeenEvent>();
  private worker?: Promise<void>;
  private lastNanos = 0n;
  private stopped = false;
  /** Events dropped because the queue was full (or the recorder stopped). */
  dropped = 0;

  constructor(
    private readonly client: RestClient,
    private readonly opts: EventRecorderOptions,
  ) {}

  /** Queues an Event about obj; returns at once. */
  event(obj: KubeObject | ObjectReference, type: EventType, reason: string, message: string): void {
    const ref = referenceOf(obj);
    if (!ref.kind || !ref.name) {
      log.warn('event recorder: object has no kind or name, event dropped', { reason, message });
      this.dropped++;
      return;
    }
    if (this.stopped || this.queue.length >= (this.opts.maxQueue ?? 1000)) {
      this.dropped++;
      return;
    }
    const at = this.opts.now?.() ?? new Date();
    this.queue.push({ ref, type, reason, message, at, name: `${ref.name}.${this.uniqueNanos(at).toString(16)}` });
    this.kick();
  }

  private kick(): void {
    if (this.worker) return;
    // Start on a later turn so event() itself never does any I/O work.
    this.worker = new Promise<void>((r) => setImmediate(r))
      .then(() => this.drain())
      .finally(() => {
        this.worker = undefined;
        // An event queued while the worker was finishing must not be stranded.
        if (this.queue.length > 0) this.kick();
      });
  }

  /** Resolves when every queued event has been written (or given up on). */
  async flush(): Promise<void> {
    while (this.worker) await this.worker;
  }

  /** Drops further events and waits for queued ones. */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.flush();
  }

  /** Unix nanoseconds of the event, made strictly increasing so names never collide. */
  private uniqueNanos(at: Date): bigint {
    let n = BigInt(at.getTime()) * 1_000_000n;
    if (n <= this.lastNanos) n = this.lastNanos + 1n;
    this.lastNanos = n;
    return n;
  }

  private async drain(): Promise<void> {
    for (let ev = this.queue.shift(); ev; ev = this.queue.shift()) {
      try {
        await this.write(ev);
      } catch (e) {
        log.warn('event recorder: could not write event', { reason: ev.reason, object: ev.ref.name, error: (e as Error).message });
      }
    }
  }

  private async write(ev: PendingEvent): Promise<void> {
    const namespace = ev.ref.namespace || 'default';
    const r = ev.ref;
    const key = [r.kind, r.namespace, r.name, r.uid, r.apiVersion, r.fieldPath, ev.type, ev.reason, ev.message].join('\u0000');
    const atMs = ev.at.getTime();
    const lastTimestamp = rfc3339(ev.at);
    const prior = this.seen.get(key);
    const windowMs = this.opts.aggregationWindowMs ?? 10 * 60_000;

    let record: SeenEvent;
    if (prior && atMs - prior.lastSeenMs < windowMs) {
      record = { ...prior, count: prior.count + 1, lastSeenMs: atMs };
      try {
        await this.retrying(() =>
          this.client.patch(eventsDef, record.namespace, record.name, { count: record.count, lastTimestamp, message: ev.message }, 'strategic'),
        );
      } catch (e) {
        // Someone deleted the Event meanwhile: write it afresh under the same name.
        if (!isNotFound(e)) throw e;
        await this.retrying(() => this.client.create(eventsDef, record.namespace, this.body(ev, record, lastTimestamp)));
      }
    } else {
      record = { name: ev.name, namespace, count: 1, firstTimestamp: lastTimestamp, lastSeenMs: atMs };
      await this.retrying(() => this.client.create(eventsDef, namespace, this.body(ev, record, lastTimestamp)));
    }
    this.seen.delete(key);
    this.seen.set(key, record);
    if (this.seen.size > SEEN_CAPACITY) this.seen.delete(this.seen.keys().next().value!);
  }

  private body(ev: PendingEvent, rec: SeenEvent, lastTimestamp: string): KubeObject {
    const source: Record<string, string> = { component: this.opts.component };
    if (this.opts.host) source.host = this.opts.host;
    return {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: rec.name, namespace: rec.namespace },
      involvedObject: ev.ref,
      reason: ev.reason,
      message: ev.message,
      source,
      firstTimestamp: rec.firstTimestamp,
      lastTimestamp,
      count: rec.count,
      type: ev.type,
      reportingComponent: this.opts.component,
      reportingInstance: this.opts.host ?? '',
    };
  }

  /** Retries transport failures; the server's answers (ApiStatusError) are final. */
  private async retrying<R>(fn: () => Promise<R>): Promise<R> {
    const attempts = this.opts.maxAttempts ?? 3;
    for (let i = 1; ; i++) {
      try {
        return await fn();
      } catch (e) {
        if (e instanceof ApiStatusError || i >= attempts) throw e;
        await new Promise((r) => setTimeout(r, this.opts.retryDelayMs ?? 1000));
      }
    }
  }
}
