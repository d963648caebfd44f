import assert from 'node:assert/strict';
import { test } from 'node:test';
import { until, waitFor } from './wait.js';

test('waitFor resolves once the check passes', async () => {
  let calls = 0;
  await waitFor(async () => ++calls === 3, 1000, 'three calls', 1);
  assert.equal(calls, 3);
});

test('waitFor throws with the label after the timeout', async () => {
  await assert.rejects(waitFor(async () => false, 30, 'never', 5), { message: 'timed out after 30 ms waiting for never' });
});

test('until resolves with the first truthy value', async () => {
  let n = 0;
  const got = await until('a value', async () => (++n >= 3 ? { n } : n === 1 ? undefined : false), 1000, 1);
  assert.deepEqual(got, { n: 3 });
  await assert.rejects(until('nothing', async () => null, 20, 5), { message: 'timed out after 20 ms waiting for nothing' });
});
