import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LogQueryError, logOptionsQuery, parseLogQuery, sinceBound, validateLogOptions } from './log-options.js';

test('parseLogQuery decodes kubectl parameters with Go bool/int rules', () => {
  const o = parseLogQuery(new URLSearchParams('container=nginx&follow=true&previous=1&timestamps=True&tailLines=5&limitBytes=100&sinceSeconds=3600'));
  assert.deepEqual(o, { container: 'nginx', follow: true, previous: true, timestamps: true, tailLines: 5, limitBytes: 100, sinceSeconds: 3600 });
  assert.deepEqual(parseLogQuery(new URLSearchParams('')), { follow: false, previous: false, timestamps: false });
  assert.equal(parseLogQuery(new URLSearchParams('follow=false')).follow, false);
});

test('parseLogQuery rejects malformed values', () => {
  assert.throws(() => parseLogQuery(new URLSearchParams('follow=yes')), (e: Error) => e instanceof LogQueryError && e.message === 'strconv.ParseBool: parsing "yes": invalid syntax');
  assert.throws(() => parseLogQuery(new URLSearchParams('tailLines=x')), (e: Error) => e instanceof LogQueryError && e.message === 'strconv.ParseInt: parsing "x": invalid syntax');
  assert.throws(() => parseLogQuery(new URLSearchParams('sinceTime=yesterday')), LogQueryError);
});

test('validateLogOptions matches Kubernetes messages', () => {
  const base = { follow: false, previous: false, timestamps: false };
  assert.deepEqual(validateLogOptions(base), []);
  assert.deepEqual(
    validateLogOptions({ ...base, tailLines: -1, limitBytes: 0, sinceSeconds: 0 }).map((e) => `${e.field}: ${e.message}`),
    ['tailLines: Invalid value: -1: must be greater than or equal to 0', 'limitBytes: Invalid value: 0: must be greater than 0', 'sinceSeconds: Invalid value: 0: must be greater than 0'],
  );
  assert.deepEqual(
    validateLogOptions({ ...base, sinceSeconds: 5, sinceTime: '2026-01-01T00:00:00Z' }).map((e) => e.message),
    ['Forbidden: at most one of `sinceTime` or `sinceSeconds` may be specified'],
  );
});

test('logOptionsQuery forwards only set options, sinceTime at second precision', () => {
  assert.equal(logOptionsQuery({ follow: false, previous: false, timestamps: false }), '');
  assert.equal(
    logOptionsQuery({ container: 'c', follow: true, previous: true, timestamps: true, sinceTime: '2026-01-02T03:04:05.678Z', tailLines: 0, limitBytes: 9 }),
    '?follow=true&previous=true&timestamps=true&sinceTime=2026-01-02T03%3A04%3A05Z&tailLines=0&limitBytes=9',
  );
});

test('sinceBound takes the later of sinceSeconds and sinceTime', () => {
  const now = Date.UTC(2026, 0, 1, 12, 0, 0, 500);
  assert.deepEqual(sinceBound({ follow: false, previous: false, timestamps: false, sinceSeconds: 60 }, now), { sec: now / 1000 - 60.5, nsec: 500_000_000 });
  assert.equal(sinceBound({ follow: false, previous: false, timestamps: false }, now), undefined);
  assert.deepEqual(sinceBound({ follow: false, previous: false, timestamps: false, sinceTime: '2026-01-01T13:00:00Z' }, now), { sec: Date.UTC(2026, 0, 1, 13) / 1000, nsec: 0 });
});
