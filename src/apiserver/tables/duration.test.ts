import { test } from 'node:test';
import assert from 'node:assert/strict';
import { humanDuration, since } from './duration.js';
import { NOW, ago, S, M, H, D } from './test-helpers.js';

const Y = 365 * D;

const cases: Array<[number, string]> = [
  [-3 * S, '<invalid>'],
  [-2 * S, '<invalid>'],
  [-1999, '0s'], // truncates to -1s: tolerated clock skew
  [-1 * S, '0s'],
  [0, '0s'],
  [999, '0s'],
  [59 * S, '59s'],
  [60 * S, '60s'],
  [119 * S, '119s'],
  [2 * M, '2m'],
  [2 * M + 5 * S, '2m5s'],
  [9 * M + 59 * S, '9m59s'],
  [10 * M, '10m'],
  [10 * M + 30 * S, '10m'],
  [179 * M, '179m'],
  [3 * H, '3h'],
  [3 * H + 20 * M, '3h20m'],
  [7 * H + 59 * M, '7h59m'],
  [8 * H, '8h'],
  [8 * H + 30 * M, '8h'],
  [23 * H, '23h'],
  [47 * H, '47h'],
  [2 * D, '2d'],
  [2 * D + 5 * H, '2d5h'],
  [7 * D + 23 * H, '7d23h'],
  [8 * D, '8d'],
  [8 * D + 5 * H, '8d'],
  [400 * D, '400d'],
  [2 * Y - H, '729d'],
  [2 * Y, '2y'],
  [2 * Y + 10 * D, '2y10d'],
  [7 * Y + 364 * D, '7y364d'],
  [8 * Y, '8y'],
  [8 * Y + 100 * D, '8y'],
  [30 * Y, '30y'],
];

for (const [ms, want] of cases) {
  test(`humanDuration(${ms}) = ${want}`, () => {
    assert.equal(humanDuration(ms), want);
  });
}

test('since: unset or unparseable timestamps are <unknown>', () => {
  assert.equal(since(undefined, NOW), '<unknown>');
  assert.equal(since(null, NOW), '<unknown>');
  assert.equal(since('', NOW), '<unknown>');
  assert.equal(since('not a time', NOW), '<unknown>');
});

test('since: measures from now', () => {
  assert.equal(since(ago(60 * M), NOW), '60m');
  assert.equal(since('2024-06-01T11:59:30Z', NOW), '30s');
  assert.equal(since('2024-06-01T11:59:59.500000Z', NOW), '0s'); // MicroTime precision
  assert.equal(since('2024-06-01T12:00:05Z', NOW), '<invalid>');
});
