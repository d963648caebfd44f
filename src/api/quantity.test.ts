import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Quantity, QuantityParseError, ERR_FORMAT_WRONG, ERR_SUFFIX, canonicalQuantity } from './quantity.js';

const q = (s: string) => Quantity.parse(s);
const nanos = (s: string) => q(s).nanos;

test('parses decimal SI suffixes to exact nano values', () => {
  const cases: Array<[string, bigint]> = [
    ['0', 0n],
    ['0n', 0n],
    ['0Ki', 0n],
    ['1', 1_000_000_000n],
    ['5n', 5n],
    ['4u', 4_000n],
    ['3m', 3_000_000n],
    ['8k', 8_000n * 10n ** 9n],
    ['50k', 50_000n * 10n ** 9n],
    ['7M', 7n * 10n ** 15n],
    ['6G', 6n * 10n ** 18n],
    ['5T', 5n * 10n ** 21n],
    ['2P', 2n * 10n ** 24n],
    ['1E', 10n ** 27n],
    ['12E', 12n * 10n ** 27n],
  ];
  for (const [input, want] of cases) assert.equal(nanos(input), want, input);
});

test('parses binary suffixes', () => {
  const G = 10n ** 9n;
  assert.equal(nanos('1Ki'), 1024n * G);
  assert.equal(nanos('8Ki'), 8n * 1024n * G);
  assert.equal(nanos('7Mi'), 7n * 2n ** 20n * G);
  assert.equal(nanos('6Gi'), 6n * 2n ** 30n * G);
  assert.equal(nanos('5Ti'), 5n * 2n ** 40n * G);
  assert.equal(nanos('4Pi'), 4n * 2n ** 50n * G);
  assert.equal(nanos('3Ei'), 3n * 2n ** 60n * G);
  assert.equal(q('3Ei').format, 'BinarySI');
});

test('parses decimal exponents and fractions', () => {
  assert.equal(nanos('1E-3'), 1_000_000n);
  assert.equal(nanos('1e3'), 1000n * 10n ** 9n);
  assert.equal(nanos('1E6'), 10n ** 15n);
  assert.equal(nanos('1.3E+6'), 13n * 10n ** 14n);
  assert.equal(nanos('0.5e-1'), 50_000_000n);
  assert.equal(nanos('100.035k'), 100035n * 10n ** 9n);
  assert.equal(nanos('0.0005k'), 500_000_000n);
  assert.equal(nanos('9.01'), 9_010_000_000n);
  assert.equal(nanos('.001'), 1_000_000n);
  assert.equal(nanos('1.'), 1_000_000_000n);
  assert.equal(nanos('1.G'), 10n ** 18n);
  assert.equal(q('1e3').format, 'DecimalExponent');
  assert.equal(q('1.5').format, 'DecimalSI');
});

test('accepts signs', () => {
  assert.equal(nanos('-1'), -1_000_000_000n);
  assert.equal(nanos('+1'), 1_000_000_000n);
  assert.equal(nanos('-1.5Gi'), -1536n * 2n ** 20n * 10n ** 9n);
  assert.equal(q('-100m').toString(), '-100m');
});

test('fractional binary quantities', () => {
  assert.equal(nanos('0.5Mi'), 512n * 1024n * 10n ** 9n);
  assert.equal(nanos('100.035Ki'), 10243584n * 10n ** 7n);
  assert.equal(nanos('0.05Gi'), 53687091200000000n);
});

test('rounds up to the nearest nano', () => {
  assert.equal(nanos('3.001n'), 4n);
  assert.equal(nanos('1.1E-9'), 2n);
  assert.equal(nanos('0.0000000001'), 1n);
  assert.equal(nanos('0.5e-9'), 1n);
  assert.equal(nanos('0.9n'), 1n);
  assert.equal(nanos('0.00000012345'), 124n);
  assert.equal(nanos('-0.00000012345'), -124n);
  assert.equal(q('0.000000000001Ki').toString(), '2n');
  assert.equal(q('0.000000000001Ki').format, 'DecimalSI');
});

test('caps BinarySI at the int64 maximum', () => {
  assert.equal(q('9Ei').toString(), '9223372036854775807');
  assert.equal(q('9223372036854775807Ki').value(), 9223372036854775807);
  assert.equal(q('9223372036854775807Ki').valueBig(), 9223372036854775807n);
});

test('rejects malformed strings with Kubernetes messages', () => {
  const formatWrong = ['', '1.5.5', '5 Mi', '1Mb', '1.1.M', '1+1.0M', 'aoeu', ' 1', '1 ', '0.1am', '5KB'];
  for (const s of formatWrong) {
    assert.throws(() => q(s), (e: unknown) => e instanceof QuantityParseError && e.message === ERR_FORMAT_WRONG, JSON.stringify(s));
  }
  const badSuffix = ['0.1mi', '.5i', '1i', '-3.01i', '-3.01e-', '1e', '1e4294967297', '5K'];
  for (const s of badSuffix) {
    assert.throws(() => q(s), (e: unknown) => e instanceof QuantityParseError && e.message === ERR_SUFFIX, s);
  }
  assert.equal(
    ERR_FORMAT_WRONG,
    "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'",
  );
});

test('Go quirks: a bare suffix or sign parses as zero', () => {
  // resource.ParseQuantity accepts these; so do we.
  assert.equal(q('Mi').isZero(), true);
  assert.equal(q('-').isZero(), true);
  assert.equal(q('.').isZero(), true);
  assert.equal(q('Mi').toString(), '0');
});

test('canonical serialisation', () => {
  const cases: Array<[string, string]> = [
    ['1.5Gi', '1536Mi'],
    ['1000m', '1'],
    ['0.1', '100m'],
    ['2048Ki', '2Mi'],
    ['100M', '100M'],
    ['1e3', '1e3'],
    ['1Ki', '1Ki'],
    ['1024Mi', '1Gi'],
    ['1000M', '1G'],
    ['.001Ki', '1024m'],
    ['.000001Ki', '1024u'],
    ['.000000001Ki', '1024n'],
    ['0.5', '500m'],
    ['1.08', '1080m'],
    ['1080000000n', '1080m'],
    ['0.001T', '1G'],
    ['1000u', '1m'],
    ['5000m', '5'],
    ['1.5', '1500m'],
    ['1500m', '1500m'],
    ['10000', '10k'],
    ['1025Ki', '1025Ki'],
    ['1.5e3', '1500'],
    ['1.2e3', '1200'],
    ['0.001e0', '1e-3'],
    ['1000e-12', '1e-9'],
    ['.001e12', '1e9'],
    ['300e6', '300e6'],
    ['00', '0'],
    ['0.50000', '500m'],
    ['1000E', '1e21'],
    ['5000E', '5e21'],
    ['-1024Mi', '-1Gi'],
    ['-1000m', '-1'],
    ['0.5Ki', '512'],
    ['1.5Ki', '1536'],
    ['307200Ki', '300Mi'],
    ['1025024Mi', '1001Gi'],
    ['01Ki', '01Ki'],
  ];
  for (const [input, want] of cases) assert.equal(canonicalQuantity(input), want, input);
});

test('binary quantities below 1024 print as decimal', () => {
  assert.equal(Quantity.fromValue(5, 'BinarySI').toString(), '5');
  assert.equal(Quantity.fromMilli(500, 'BinarySI').toString(), '500m');
  assert.equal(Quantity.fromMilli(1024, 'BinarySI').toString(), '1024m');
  assert.equal(Quantity.fromValue(1025, 'BinarySI').toString(), '1025');
  assert.equal(Quantity.fromValue(2000, 'BinarySI').toString(), '2000');
  assert.equal(Quantity.fromValue(-2000, 'BinarySI').toString(), '-2000');
});

test('beyond Ei a binary quantity falls back to decimal text', () => {
  const twoTo70 = Quantity.fromValue(2n ** 70n, 'BinarySI');
  assert.equal(twoTo70.toString(), '1180591620717411303424');
  assert.equal(Quantity.fromValue(10n ** 70n, 'BinarySI').toString(), '10e69');
});

test('value() and milliValue() round away from zero', () => {
  assert.equal(q('1.5').value(), 2);
  assert.equal(q('-1.5').value(), -2);
  assert.equal(q('100m').value(), 1);
  assert.equal(q('1').value(), 1);
  assert.equal(q('1Gi').value(), 1073741824);
  assert.equal(q('100m').milliValue(), 100);
  assert.equal(q('1.5').milliValue(), 1500);
  assert.equal(q('1n').milliValue(), 1);
  assert.equal(q('-1n').milliValue(), -1);
  assert.equal(q('1Ki').milliValue(), 1024000);
  assert.equal(q('0').milliValue(), 0);
});

test('comparisons', () => {
  assert.equal(q('0').cmp(q('0')), 0);
  assert.equal(q('100m').cmp(q('50m')), 1);
  assert.equal(q('50m').cmp(q('100m')), -1);
  assert.equal(q('10000T').cmp(q('100Gi')), 1);
  assert.equal(q('1').cmp(q('1000m')), 0);
  assert.equal(q('1Gi').cmp(q('1G')), 1);
  assert.equal(q('1k').equals(q('1e3')), true);
});

test('add and sub are exact and keep the suffix style', () => {
  assert.equal(q('100m').add(q('0')).toString(), '100m');
  assert.equal(q('0').add(q('1Gi')).toString(), '1Gi');
  assert.equal(q('0').sub(q('1Gi')).toString(), '-1Gi');
  assert.equal(q('1Gi').sub(q('0')).toString(), '1Gi');
  assert.equal(q('1Gi').add(q('512Mi')).toString(), '1536Mi');
  assert.equal(q('0.1').add(q('0.2')).toString(), '300m');
  assert.equal(q('1').sub(q('1n')).toString(), '999999999n');
  assert.equal(q('500m').add(q('500m')).toString(), '1');
  assert.equal(q('9010m').neg().toString(), '-9010m');
});

test('tryParse and JSON', () => {
  assert.equal(Quantity.tryParse('nope'), undefined);
  assert.equal(Quantity.tryParse(undefined), undefined);
  assert.equal(Quantity.tryParse(2)?.toString(), '2');
  assert.equal(Quantity.tryParse(0.5)?.toString(), '500m');
  assert.equal(JSON.stringify({ cpu: q('1000m') }), '{"cpu":"1"}');
});
