import { it } from 'node:test';
import assert from 'node:assert/strict';
import { WriteBatcher, type Outcome } from './write-batcher.js';

it('groups ops submitted in one tick into one ordered commit with individual outcomes', async () => {
  const batches: number[][] = [];
  const b = new WriteBatcher<number, string>((ops) => {
    batches.push(ops);
    return ops.map((n): Outcome<string> => (n % 2 ? { ok: false, error: new Error(`odd ${n}`) } : { ok: true, value: `even ${n}` }));
  });
  const results = await Promise.allSettled([b.submit(2), b.submit(3), b.submit(4)]);
  assert.deepEqual(batches, [[2, 3, 4]]);
  assert.deepEqual(
    results.map((r) => (r.status === 'fulfilled' ? r.value : (r.reason as Error).message)),
    ['even 2', 'odd 3', 'even 4'],
  );
  await b.submit(6);
  assert.deepEqual(batches, [[2, 3, 4], [6]], 'a later tick starts a new batch');
});

it('a throwing commit rejects every op of that batch only', async () => {
  let fail = true;
  const b = new WriteBatcher<string, string>((ops) => {
    if (fail) throw new Error('disk full');
    return ops.map((op) => ({ ok: true, value: op }));
  });
  const failed = await Promise.allSettled([b.submit('a'), b.submit('b')]);
  assert.deepEqual(failed.map((r) => r.status === 'rejected' && (r.reason as Error).message), ['disk full', 'disk full']);
  fail = false;
  assert.equal(await b.submit('c'), 'c');
});

it('flush commits synchronously and cancels the scheduled flush; a missing outcome rejects', async () => {
  const batches: string[][] = [];
  const b = new WriteBatcher<string, string>((ops) => {
    batches.push(ops);
    return ops.length > 1 ? [{ ok: true, value: ops[0] }] : ops.map((op) => ({ ok: true, value: op }));
  });
  const p1 = b.submit('x');
  const p2 = b.submit('y');
  assert.equal(b.pending, 2);
  b.flush();
  assert.equal(b.pending, 0);
  assert.deepEqual(batches, [['x', 'y']]);
  assert.equal(await p1, 'x');
  await assert.rejects(p2, /no outcome/);
  await new Promise((r) => setImmediate(r));
  assert.equal(batches.length, 1, 'nothing left for the scheduled flush');
});
