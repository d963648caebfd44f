import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CriError } from './cri/api.js';
import {
  formatPod,
  goDialErrorText,
  goDuration,
  goQuote,
  goSlice,
  grpcCodeName,
  grpcErrorText,
  joinHostPort,
  runtimeErrorText,
} from './go-format.js';

describe('goQuote is Go %q', () => {
  test('quotes and backslashes', () => {
    assert.equal(goQuote(''), '""');
    assert.equal(goQuote('plain'), '"plain"');
    assert.equal(goQuote('a"b\\c'), '"a\\"b\\\\c"');
    assert.equal(goQuote('a "b"\n\t\\'), '"a \\"b\\"\\n\\t\\\\"');
  });
  test('control characters: named escapes, else \\xNN', () => {
    assert.equal(goQuote('\n\t\r\x07\b\f\v'), '"\\n\\t\\r\\a\\b\\f\\v"');
    assert.equal(goQuote('x\ny\u0001\x7f'), '"x\\ny\\x01\\x7f"');
    assert.equal(goQuote('\x1b[0m'), '"\\x1b[0m"');
  });
  test('printable unicode stays; other code points become \\u / \\U escapes', () => {
    assert.equal(goQuote('héllo ☃'), '"héllo ☃"');
    assert.equal(goQuote('日本'), '"日本"');
    assert.equal(goQuote('\u00a0\u200b'), '"\\u00a0\\u200b"');
    assert.equal(goQuote('\u0085'), '"\\u0085"');
    assert.equal(goQuote('😀'), '"😀"');
    assert.equal(goQuote('\u{e0001}'), '"\\U000e0001"');
  });
});

test('goSlice is %v of a []string', () => {
  assert.equal(goSlice(['sh', '-c', 'exit 1']), '[sh -c exit 1]');
  assert.equal(goSlice([]), '[]');
});

test('goDuration prints like Go time.Duration (input in ms, truncated to whole ms)', () => {
  const cases: [number, string][] = [
    [0, '0s'],
    [1, '1ms'],
    [313, '313ms'],
    [999, '999ms'],
    [1000, '1s'],
    [1234, '1.234s'],
    [1500, '1.5s'],
    [1010, '1.01s'],
    [2000, '2s'],
    [10_000, '10s'],
    [40_000, '40s'],
    [59_999, '59.999s'],
    [60_000, '1m0s'],
    [61_500, '1m1.5s'],
    [80_000, '1m20s'],
    [90_000, '1m30s'],
    [160_000, '2m40s'],
    [300_000, '5m0s'],
    [3_600_000, '1h0m0s'],
    [3_723_004, '1h2m3.004s'],
    [1234.9, '1.234s'],
    [-1500, '-1.5s'],
  ];
  for (const [ms, want] of cases) assert.equal(goDuration(ms), want, String(ms));
});

test('formatPod and joinHostPort', () => {
  assert.equal(formatPod({ metadata: { name: 'web', namespace: 'ns', uid: 'u-1' } }), 'web_ns(u-1)');
  assert.equal(formatPod({}), '_()');
  assert.equal(joinHostPort('::1', 80), '[::1]:80');
  assert.equal(joinHostPort('10.0.0.1', 80), '10.0.0.1:80');
  assert.equal(joinHostPort('10.0.0.1', '8080'), '10.0.0.1:8080');
});

test('gRPC errors read as grpc-go prints them', () => {
  assert.equal(grpcCodeName(4), 'DeadlineExceeded');
  assert.equal(grpcCodeName(16), 'Unauthenticated');
  assert.equal(grpcCodeName(99), 'Code(99)');
  assert.equal(grpcErrorText(2, 'boom'), 'rpc error: code = Unknown desc = boom');
  assert.equal(grpcErrorText(14, 'down'), 'rpc error: code = Unavailable desc = down');
  assert.equal(runtimeErrorText(new CriError('PullImage', 2, 'boom')), 'rpc error: code = Unknown desc = boom');
  assert.equal(runtimeErrorText(new CriError('PullImage', 5, 'nf')), 'rpc error: code = NotFound desc = nf');
  assert.equal(runtimeErrorText(new CriError('PullImage', 4, 'slow')), 'rpc error: code = DeadlineExceeded desc = slow');
  assert.equal(runtimeErrorText(new CriError('PullImage', 99, 'x')), 'rpc error: code = Code(99) desc = x');
  assert.equal(runtimeErrorText(new Error('plain')), 'plain');
  assert.equal(runtimeErrorText('text'), 'text');
});

test('dial errors use Go net wording', () => {
  const err = (code: string, message = 'm') => Object.assign(new Error(message), { code });
  assert.equal(goDialErrorText('10.0.0.1:80', err('ECONNREFUSED')), 'dial tcp 10.0.0.1:80: connect: connection refused');
  assert.equal(goDialErrorText('10.0.0.1:80', err('EHOSTUNREACH')), 'dial tcp 10.0.0.1:80: connect: no route to host');
  assert.equal(goDialErrorText('10.0.0.1:80', err('ETIMEDOUT')), 'dial tcp 10.0.0.1:80: i/o timeout');
  assert.equal(goDialErrorText('10.0.0.1:80', err('EWHAT', 'odd')), 'dial tcp 10.0.0.1:80: odd');
});
