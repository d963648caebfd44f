import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bareNodeRss, parseRss, readRss, readRssMiB } from './rss.js';

test('parseRss reads VmRSS, RssAnon and RssFile', () => {
  const status = ['Name:\tnode', 'VmPeak:\t 1200000 kB', 'VmHWM:\t   70000 kB', 'VmRSS:\t   51234 kB', 'RssAnon:\t   40000 kB', 'RssFile:\t   11000 kB', 'RssShmem:\t     234 kB', ''].join('\n');
  assert.deepEqual(parseRss(status), { total: 51234, anon: 40000, file: 11000 });
});

test('parseRss is undefined without a VmRSS line; breakdown optional', () => {
  assert.equal(parseRss('Name:\tkthreadd\nState:\tS (sleeping)\n'), undefined);
  assert.equal(parseRss(''), undefined);
  assert.deepEqual(parseRss('VmRSS:\t 2048 kB\n'), { total: 2048, anon: undefined, file: undefined });
});

test('readRss of this process is plausible; of a missing pid undefined', () => {
  const own = readRss(process.pid);
  assert.ok(own && own.total > 10 && own.total < 4096, `own RSS ${own?.total}`);
  assert.ok(own.anon !== undefined && own.file !== undefined && own.anon + own.file <= own.total + 1);
  assert.equal(readRssMiB(2 ** 22 + 12345), undefined); // above pid_max's ceiling
});

test('bareNodeRss measures a separate idle node', async () => {
  const r = await bareNodeRss(300);
  assert.ok(r && r.total > 10 && r.total < 200, `bare node RSS ${r?.total}`);
});
