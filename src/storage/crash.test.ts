// Acknowledged writes must survive SIGKILL: a child writes as fast as it can,
// we kill it mid-stream, reopen the file and check every write it reported.

import { it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SqliteStore } from './sqlite-store.js';

const here = fileURLToPath(import.meta.url);
const runningTs = here.endsWith('.ts');
const writer = join(dirname(here), runningTs ? 'crash-writer.ts' : 'crash-writer.js');
// src/storage or dist/storage: the repository root is two levels up (where tsx is installed).
const repoRoot = resolve(dirname(here), '..', '..');

const KILL_AFTER_LINES = 3000;

interface Ack {
  op: 'create' | 'delete';
  key: string;
  revision: number;
}

/** Runs the writer, SIGKILLs it after enough acknowledged writes, returns the complete lines it printed. */
function runAndKill(dbPath: string): Promise<Ack[]> {
  const args = runningTs ? ['--import', 'tsx', writer, dbPath, '16'] : [writer, dbPath, '16'];
  const child = spawn(process.execPath, args, { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolvePromise, reject) => {
    let out = '';
    let err = '';
    let lines = 0;
    let killed = false;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`writer did not produce ${KILL_AFTER_LINES} lines in time; stderr: ${err}`));
    }, 60_000);
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      out += chunk;
      lines += chunk.split('\n').length - 1;
      if (!killed && lines >= KILL_AFTER_LINES) {
        killed = true;
        child.kill('SIGKILL');
      }
    });
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => (err += chunk));
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (!killed) return reject(new Error(`writer exited early (code ${code}, signal ${signal}); stderr: ${err}`));
      if (signal !== 'SIGKILL') return reject(new Error(`writer ended by ${signal ?? code}, not SIGKILL`));
      // A torn last line (no newline yet) was not fully reported: ignore it.
      const complete = out.slice(0, out.lastIndexOf('\n') + 1).split('\n').filter(Boolean);
      assert.equal(complete[0], 'ready');
      resolvePromise(
        complete.slice(1).map((line) => {
          const [op, key, rev] = line.split(' ');
          assert.ok(op === 'create' || op === 'delete', `bad line ${line}`);
          return { op, key, revision: Number(rev) };
        }),
      );
    });
  });
}

it('every write acknowledged before SIGKILL is durable, and revisions continue past them', { timeout: 120_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'skiff-crash-'));
  try {
    const dbPath = join(dir, 'crash.db');
    const acks = await runAndKill(dbPath);
    assert.ok(acks.length >= KILL_AFTER_LINES - 1, `only ${acks.length} acknowledged writes`);

    const created = new Map<string, number>();
    const deleted = new Map<string, number>();
    for (const a of acks) (a.op === 'create' ? created : deleted).set(a.key, a.revision);
    const maxSeen = Math.max(...acks.map((a) => a.revision));
    assert.equal(new Set(acks.map((a) => a.revision)).size, acks.length, 'revisions are unique');

    const store = SqliteStore.open(dbPath);
    try {
      assert.ok((await store.currentRevision()) >= maxSeen);
      let checkedPresent = 0;
      for (const [key, rev] of created) {
        const i = Number(key.slice(key.lastIndexOf('-') + 1));
        const kv = await store.get(key);
        if (deleted.has(key)) {
          assert.equal(kv, undefined, `${key} was deleted at ${deleted.get(key)}`);
        } else if (i % 10 !== 0) {
          // Never deleted by the writer: must be there exactly as acknowledged.
          assert.ok(kv, `acknowledged key ${key} (revision ${rev}) is missing`);
          assert.equal(kv.modRevision, rev);
          assert.equal(kv.createRevision, rev);
          assert.equal(JSON.parse(kv.value.toString('utf8')).i, i);
          checkedPresent++;
        }
      }
      assert.ok(checkedPresent > KILL_AFTER_LINES / 2, `checked ${checkedPresent} keys`);
      const after = await store.create('/crash/after-restart', Buffer.from('{}'));
      assert.ok(after.modRevision > maxSeen, `new revision ${after.modRevision} must exceed ${maxSeen}`);
    } finally {
      await store.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
