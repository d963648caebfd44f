import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { addToken, ensureAdminToken, loadTokenFile, matchToken, parseCsv } from './tokens.js';

function tmp(t: { after(fn: () => void): void }): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'skiff-tokens-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

test('parseCsv follows Go encoding/csv rules', () => {
  assert.deepEqual(parseCsv('a,b,c\n'), [['a', 'b', 'c']]);
  assert.deepEqual(parseCsv('a,"x,y",c'), [['a', 'x,y', 'c']]);
  assert.deepEqual(parseCsv('"he said ""hi""",2\r\n\n\n3,4\n'), [['he said "hi"', '2'], ['3', '4']]);
  assert.deepEqual(parseCsv('a,,\n'), [['a', '', '']]);
  assert.deepEqual(parseCsv(' a , b\n'), [[' a ', ' b']], 'spaces are kept');
  assert.deepEqual(parseCsv('"multi\nline",x\n'), [['multi\nline', 'x']]);
  assert.deepEqual(parseCsv(''), []);
  assert.throws(() => parseCsv('a"b,c\n'), /bare " in non-quoted-field/);
  assert.throws(() => parseCsv('"ab"c,d\n'), /extraneous or missing " in quoted-field/);
  assert.throws(() => parseCsv('"abc\n'), /extraneous or missing " in quoted-field/);
});

test('loadTokenFile reads users, uids and groups; skips empty tokens; last duplicate wins', (t) => {
  const file = path.join(tmp(t), 'tokens.csv');
  writeFileSync(
    file,
    [
      't1,alice,uid-a,"dev,ops"',
      't2,bob,uid-b',
      't3,carol,uid-c,single,extra-column',
      ',nobody,uid-x',
      't2,bob2,uid-b2,g',
      '',
    ].join('\n'),
  );
  const m = loadTokenFile(file);
  assert.deepEqual([...m.keys()], ['t1', 't2', 't3']);
  assert.deepEqual(m.get('t1'), { user: 'alice', uid: 'uid-a', groups: ['dev', 'ops'] });
  assert.deepEqual(m.get('t2'), { user: 'bob2', uid: 'uid-b2', groups: ['g'] });
  assert.deepEqual(m.get('t3'), { user: 'carol', uid: 'uid-c', groups: ['single'] });
});

test('loadTokenFile rejects records with fewer than 3 columns', (t) => {
  const file = path.join(tmp(t), 'tokens.csv');
  writeFileSync(file, 't1,alice\n');
  assert.throws(
    () => loadTokenFile(file),
    { message: `token file '${file}' must have at least 3 columns (token, user name, unique user ID), found 2` },
  );
});

test('addToken creates a 0600 file, quotes multi-group columns and rejects duplicates', (t) => {
  const file = path.join(tmp(t), 'tokens.csv');
  addToken(file, { token: 'abc', user: 'u1', uid: '1', groups: ['g1', 'g2'] });
  addToken(file, { token: 'def', user: 'u, two', uid: '2', groups: [] });
  assert.equal(readFileSync(file, 'utf8'), 'abc,u1,1,"g1,g2"\ndef,"u, two",2\n');
  assert.equal(statSync(file).mode & 0o777, 0o600);
  assert.deepEqual(loadTokenFile(file).get('def'), { user: 'u, two', uid: '2', groups: [] });
  assert.throws(() => addToken(file, { token: 'abc', user: 'x', uid: 'x', groups: [] }), /already present/);
  assert.throws(() => addToken(file, { token: '', user: 'x', uid: 'x', groups: [] }), /non-empty/);
  assert.throws(() => addToken(file, { token: 'a,b', user: 'x', uid: 'x', groups: [] }), /commas/);
  assert.throws(() => addToken(file, { token: 'zz', user: 'x', uid: 'x', groups: ['a,b'] }), /group names/);
});

test('addToken starts a new line when the file lacks a trailing newline', (t) => {
  const file = path.join(tmp(t), 'tokens.csv');
  writeFileSync(file, 'a,u,1');
  addToken(file, { token: 'b', user: 'v', uid: '2', groups: ['g'] });
  assert.equal(readFileSync(file, 'utf8'), 'a,u,1\nb,v,2,g\n');
});

test('ensureAdminToken creates one system:admin token and returns it again later', async (t) => {
  const dir = path.join(tmp(t), 'data', 'nested');
  const token = await ensureAdminToken(dir);
  assert.match(token, /^[0-9a-f]{64}$/);
  const file = path.join(dir, 'tokens.csv');
  assert.equal(readFileSync(file, 'utf8'), `${token},system:admin,system:admin,system:masters\n`);
  assert.equal(statSync(file).mode & 0o777, 0o600);
  assert.equal(await ensureAdminToken(dir), token);
  assert.equal(readFileSync(file, 'utf8').split('\n').length, 2, 'no second record');
  assert.deepEqual(loadTokenFile(file).get(token), { user: 'system:admin', uid: 'system:admin', groups: ['system:masters'] });
});

test('ensureAdminToken appends an admin token to a file that only has other users', async (t) => {
  const dir = tmp(t);
  writeFileSync(path.join(dir, 'tokens.csv'), 'other,dev,dev-uid,devs\n');
  const token = await ensureAdminToken(dir);
  assert.notEqual(token, 'other');
  const m = loadTokenFile(path.join(dir, 'tokens.csv'));
  assert.equal(m.size, 2);
  assert.equal(m.get(token)?.user, 'system:admin');
});

test('matchToken returns the identity for an exact match only', () => {
  const m = new Map([
    ['secret-one', { user: 'a', uid: '1', groups: [] }],
    ['secret-two', { user: 'b', uid: '2', groups: ['g'] }],
  ]);
  assert.deepEqual(matchToken(m, 'secret-two'), { user: 'b', uid: '2', groups: ['g'] });
  assert.deepEqual(matchToken(m, 'secret-one'), { user: 'a', uid: '1', groups: [] });
  assert.equal(matchToken(m, 'secret-on'), undefined);
  assert.equal(matchToken(m, 'secret-one '), undefined);
  assert.equal(matchToken(m, ''), undefined);
  assert.equal(matchToken(new Map(), 'x'), undefined);
});
