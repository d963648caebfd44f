import { test } from 'node:test';
import assert from 'node:assert/strict';
import { goDuration } from './go-duration.js';
import { aggregateErrorsOf } from './aggregate.js';
import { runtimeErrorText } from './runtime-error.js';
import { CriError } from '../cri/api.js';

test('goDuration prints like Go time.Duration', () => {
  const cases: [number, string][] = [
    [0, '0s'],
    [1, '1ms'],
    [313, '313ms'],
    [999, '999ms'],
    [1000, '1s'],
    [1234, '1.234s'],
    [1500, '1.5s'],
    [1010, '1.01s'],
    [59_999, '59.999s'],
    [60_000, '1m0s'],
    [61_500, '1m1.5s'],
    [3_600_000, '1h0m0s'],
    [3_723_004, '1h2m3.004s'],
    [1234.9, '1.234s'],
    [-1500, '-1.5s'],
  ];
  for (const [ms, want] of cases) assert.equal(goDuration(ms), want, String(ms));
});

test('aggregateErrorsOf: one as is, several bracketed and deduplicated', () => {
  assert.equal(aggregateErrorsOf([]), '');
  assert.equal(aggregateErrorsOf(['a']), 'a');
  assert.equal(aggregateErrorsOf(['a', 'a']), 'a');
  assert.equal(aggregateErrorsOf(['a', 'b', 'a']), '[a, b]');
});

test('runtimeErrorText renders gRPC errors as Go does', () => {
  assert.equal(runtimeErrorText(new CriError('PullImage', 2, 'boom')), 'rpc error: code = Unknown desc = boom');
  assert.equal(runtimeErrorText(new CriError('PullImage', 5, 'nf')), 'rpc error: code = NotFound desc = nf');
  assert.equal(runtimeErrorText(new CriError('PullImage', 4, 'slow')), 'rpc error: code = DeadlineExceeded desc = slow');
  assert.equal(runtimeErrorText(new CriError('PullImage', 99, 'x')), 'rpc error: code = Code(99) desc = x');
  assert.equal(runtimeErrorText(new Error('plain')), 'plain');
});
