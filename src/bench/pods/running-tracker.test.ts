import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RunningTracker } from './running-tracker.js';

const pod = (name: string, phase?: string, nodeName?: string) => ({ metadata: { name, namespace: 'default' }, spec: nodeName ? { nodeName } : {}, status: phase ? { phase } : {} });

function clock() {
  let t = 0;
  return { now: () => t, set: (v: number) => (t = v) };
}

test('records the first Running event only and resolves waiters with its time', async () => {
  const c = clock();
  const tr = new RunningTracker(c.now);
  const waiting = tr.waitRunning('a', 1000);
  c.set(5);
  tr.onEvent('ADDED', pod('a', 'Pending'));
  c.set(7);
  tr.onEvent('MODIFIED', pod('a', 'Pending', 'n1'));
  c.set(12);
  tr.onEvent('MODIFIED', pod('a', 'Running', 'n1'));
  c.set(30);
  tr.onEvent('MODIFIED', pod('a', 'Running', 'n1'));
  assert.equal(await waiting, 12);
  assert.equal(tr.boundAt.get('a'), 7);
  assert.equal(tr.runningAt.get('a'), 12);
  // A pod already Running resolves at once with the recorded time.
  assert.equal(await tr.waitRunning('a', 1), 12);
});

test('Pending, Succeeded and bookmarks do not count as Running', async () => {
  const tr = new RunningTracker(() => 1);
  tr.onEvent('ADDED', pod('b', 'Pending'));
  tr.onEvent('MODIFIED', pod('b', 'Succeeded'));
  tr.onEvent('BOOKMARK', { metadata: { name: 'b' }, status: { phase: 'Running' } });
  assert.equal(tr.runningAt.has('b'), false);
  await assert.rejects(tr.waitRunning('b', 20), /pod b not Running after 20 ms/);
});

test('waitGone resolves when every name is deleted, false on timeout', async () => {
  const tr = new RunningTracker(() => 0);
  tr.onEvent('ADDED', pod('x'));
  tr.onEvent('ADDED', pod('y'));
  const gone = tr.waitGone(['x', 'y'], 1000);
  tr.onEvent('DELETED', pod('x'));
  assert.deepEqual([...tr.present], ['y']);
  tr.onEvent('DELETED', pod('y'));
  assert.equal(await gone, true);
  tr.onEvent('ADDED', pod('z'));
  assert.equal(await tr.waitGone(['z'], 20), false);
  // Names never seen count as gone.
  assert.equal(await tr.waitGone(['never'], 20), true);
});

test('failAll rejects pending waiters', async () => {
  const tr = new RunningTracker(() => 0);
  const w = tr.waitRunning('c', 10_000);
  tr.failAll(new Error('watch broke'));
  await assert.rejects(w, /watch broke/);
});
