// Group commit: operations submitted during the same event-loop turn are
// handed to `commit` together on the next setImmediate, so N concurrent
// writers share one transaction (and one fsync) instead of paying N.

/** What happened to one operation of a batch. */
export type Outcome<R> = { ok: true; value: R } | { ok: false; error: unknown };

/**
 * Applies a whole batch, in order, returning one outcome per op (same index).
 * Throwing means the batch as a whole failed: every op is rejected with that error.
 */
export type CommitFn<Op, R> = (ops: Op[]) => Outcome<R>[];

interface Pending<Op, R> {
  op: Op;
  resolve: (value: R) => void;
  reject: (error: unknown) => void;
}

export class WriteBatcher<Op, R> {
  private queue: Pending<Op, R>[] = [];
  private scheduled: NodeJS.Immediate | undefined;

  constructor(private readonly commit: CommitFn<Op, R>) {}

  /** Number of operations waiting for the next flush. */
  get pending(): number {
    return this.queue.length;
  }

  submit(op: Op): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.queue.push({ op, resolve, reject });
      this.scheduled ??= setImmediate(() => {
        this.scheduled = undefined;
        this.flush();
      });
    });
  }

  /** Commits everything queued right now (synchronously). */
  flush(): void {
    if (this.scheduled) {
      clearImmediate(this.scheduled);
      this.scheduled = undefined;
    }
    const batch = this.queue;
    if (batch.length === 0) return;
    this.queue = [];
    let outcomes: Outcome<R>[];
    try {
      outcomes = this.commit(batch.map((p) => p.op));
    } catch (error) {
      for (const p of batch) p.reject(error);
      return;
    }
    batch.forEach((p, i) => {
      const outcome = outcomes[i];
      if (outcome === undefined) p.reject(new Error('write batch produced no outcome for this operation'));
      else if (outcome.ok) p.resolve(outcome.value);
      else p.reject(outcome.error);
    });
  }
}
