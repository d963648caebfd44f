import { it } from 'node:test';
import assert from 'node:assert/strict';
import { WatchFanout } from './watch-fanout.js';
import type { WatchEvent } from './store.js';

function put(key: string, revision: number): WatchEvent {
  return { type: 'PUT', kv: { key, value: Buffer.from('v'), createRevision: revision, modRevision: revision }, created: true, revision };
}

const revs = (calls: WatchEvent[][]) => calls.map((batch) => batch.map((e) => e.revision));

it('delivers the replay asynchronously, then live batches published before it, in order', async () => {
  const fanout = new WatchFanout();
  const calls: WatchEvent[][] = [];
  fanout.subscribe('/a/', 2, [put('/a/x', 1), put('/a/y', 2)], (evs) => calls.push(evs));
  fanout.publish([put('/a/x', 3), put('/b/x', 4), put('/a/z', 5)]);
  assert.deepEqual(calls, [], 'nothing is delivered inside subscribe/publish before the replay');
  await Promise.resolve();
  assert.deepEqual(revs(calls), [[1, 2], [3, 5]]);
  fanout.publish([put('/a/q', 6)]);
  assert.deepEqual(revs(calls), [[1, 2], [3, 5], [6]]);
});

it('skips events the replay already covered and keys outside the prefix', async () => {
  const fanout = new WatchFanout();
  const calls: WatchEvent[][] = [];
  fanout.subscribe('/a/', 5, [], (evs) => calls.push(evs));
  await Promise.resolve();
  fanout.publish([put('/a/x', 4), put('/a/x', 5)]);
  fanout.publish([put('/ab', 6), put('/a', 7)]);
  fanout.publish([put('/a/x', 8)]);
  assert.deepEqual(revs(calls), [[8]]);
});

it('cancel stops delivery, including a pending replay, and unregisters', async () => {
  const fanout = new WatchFanout();
  const calls: WatchEvent[][] = [];
  const w = fanout.subscribe('/', 1, [put('/x', 1)], (evs) => calls.push(evs));
  const other = fanout.subscribe('/', 1, [], () => {});
  assert.equal(fanout.size, 2);
  w.cancel();
  assert.equal(fanout.size, 1);
  fanout.publish([put('/x', 2)]);
  await Promise.resolve();
  assert.deepEqual(calls, []);
  fanout.cancelAll();
  assert.equal(fanout.size, 0);
  other.cancel();
});

it('a watcher may cancel itself from inside its callback', async () => {
  const fanout = new WatchFanout();
  const calls: number[] = [];
  const w = fanout.subscribe('/', 0, [], (evs) => {
    calls.push(evs[0].revision);
    w.cancel();
  });
  await Promise.resolve();
  fanout.publish([put('/x', 1)]);
  fanout.publish([put('/x', 2)]);
  assert.deepEqual(calls, [1]);
});
