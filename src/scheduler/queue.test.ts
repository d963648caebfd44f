import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { SchedulingQueue } from './queue.js';
import { Heap } from './heap.js';

const pod = (name: string, priority = 0) => ({ metadata: { name, namespace: 'default', uid: name }, spec: { priority } });

describe('Heap', () => {
  it('pops in order and removes', () => {
    const h = new Heap<number>((a, b) => a < b);
    for (const x of [5, 1, 4, 2, 3, 9, 0]) h.push(x);
    assert.equal(h.remove((x) => x === 4), 1);
    const out: number[] = [];
    for (let x = h.pop(); x !== undefined; x = h.pop()) out.push(x);
    assert.deepEqual(out, [0, 1, 2, 3, 5, 9]);
  });
});

describe('SchedulingQueue', () => {
  it('orders by priority, then arrival', () => {
    let t = 0;
    const q = new SchedulingQueue({ now: () => t++ });
    q.add(pod('low', 0));
    q.add(pod('high', 100));
    q.add(pod('low2', 0));
    q.add(pod('mid', 50));
    assert.deepEqual([q.tryPop()!, q.tryPop()!, q.tryPop()!, q.tryPop()!].map((p) => p.key), ['default/high', 'default/mid', 'default/low', 'default/low2']);
    assert.equal(q.tryPop(), undefined);
  });

  it('deduplicates adds and drops deleted pods', () => {
    const q = new SchedulingQueue();
    q.add(pod('a'));
    q.add(pod('a'));
    q.add(pod('b'));
    q.delete(pod('b'));
    assert.equal(q.tryPop()!.key, 'default/a');
    assert.equal(q.tryPop(), undefined);
  });

  it('unschedulable pods wait for a cluster event, then respect back-off', () => {
    let now = 1000;
    const q = new SchedulingQueue({ now: () => now, initialBackoffMs: 1000 });
    q.add(pod('a'));
    const a = q.tryPop()!;
    q.failed(a, 'unschedulable', ['NodeResourcesFit']);
    assert.deepEqual(q.counts(), { active: 0, backoff: 0, unschedulable: 1, inFlight: 0 });
    q.moveAll('NodeAdd');
    // Still backing off (1 s after the first attempt): goes to the back-off queue.
    assert.deepEqual(q.counts(), { active: 0, backoff: 1, unschedulable: 0, inFlight: 0 });
    q.flushBackoff();
    assert.equal(q.tryPop(), undefined);
    now += 1000;
    q.flushBackoff();
    const again = q.tryPop()!;
    assert.equal(again.attempts, 2);
    assert.deepEqual([...again.unschedulablePlugins], ['NodeResourcesFit']);
  });

  it('a move request during the attempt sends the failed pod to back-off, not the pool', () => {
    let now = 0;
    const q = new SchedulingQueue({ now: () => now });
    q.add(pod('a'));
    const a = q.tryPop()!;
    q.moveAll('PodDelete');
    q.failed(a, 'unschedulable');
    assert.equal(q.counts().unschedulable, 0);
    assert.equal(q.counts().backoff, 1);
  });

  it('back-off doubles from 1 s to a 10 s cap', () => {
    const q = new SchedulingQueue();
    assert.deepEqual([1, 2, 3, 4, 5, 6].map((n) => q.backoffDuration(n)), [1000, 2000, 4000, 8000, 10000, 10000]);
  });

  it('unschedulable pods are retried after the maximum wait', () => {
    let now = 0;
    const q = new SchedulingQueue({ now: () => now, maxUnschedulableMs: 60_000 });
    q.add(pod('a'));
    q.failed(q.tryPop()!, 'unschedulable');
    now = 59_000;
    q.flushUnschedulable();
    assert.equal(q.counts().unschedulable, 1);
    now = 61_000;
    q.flushUnschedulable();
    assert.equal(q.tryPop()!.key, 'default/a');
  });

  it('updating an unschedulable pod retries it; pop waits for work', async () => {
    const q = new SchedulingQueue({ initialBackoffMs: 0 });
    const waiting = q.pop();
    q.add(pod('a'));
    const a = (await waiting)!;
    assert.equal(a.key, 'default/a');
    q.failed(a, 'unschedulable');
    q.update({ ...pod('a'), metadata: { ...pod('a').metadata, labels: { x: 'y' } } });
    assert.equal(q.tryPop()!.pod.metadata.labels.x, 'y');
    q.close();
    assert.equal(await q.pop(), undefined);
  });
});
