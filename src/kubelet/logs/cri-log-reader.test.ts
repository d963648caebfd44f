import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { readCriLog, tailStartOffset, type ReadLogOptions } from './cri-log-reader.js';

const T1 = '2026-11-25T19:17:25.267910115Z';
const T2 = '2026-11-25T19:17:26.5Z';
const T3 = '2026-11-25T19:17:27Z';
const SAMPLE = [
  `${T1} stdout F one`,
  `${T1} stderr F to-stderr`,
  `${T2} stdout P par`,
  `${T2} stdout P tial`,
  `${T2} stdout F  line`,
  `not a cri line`,
  `${T3} stdout F three`,
].join('\n') + '\n';

function tmpFile(content: string): { file: string; dir: string } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'skiff-logs-'));
  const file = path.join(dir, '0.log');
  writeFileSync(file, content);
  return { file, dir };
}

async function read(content: string, opts: ReadLogOptions): Promise<string> {
  const { file, dir } = tmpFile(content);
  try {
    const out: Buffer[] = [];
    await readCriLog(file, opts, async (b) => void out.push(Buffer.from(b)));
    return Buffer.concat(out).toString();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('whole file: partial records join, unparsable lines are skipped, stderr interleaves', async () => {
  assert.equal(await read(SAMPLE, {}), 'one\nto-stderr\npartial line\nthree\n');
});

test('timestamps print nine fractional digits per record', async () => {
  assert.equal(
    await read(SAMPLE, { timestamps: true }),
    '2026-11-25T19:17:25.267910115Z one\n2026-11-25T19:17:25.267910115Z to-stderr\n' +
      '2026-11-25T19:17:26.500000000Z par2026-11-25T19:17:26.500000000Z tial2026-11-25T19:17:26.500000000Z  line\n' +
      '2026-11-25T19:17:27.000000000Z three\n',
  );
});

test('tailLines counts file lines (like the kubelet)', async () => {
  assert.equal(await read(SAMPLE, { tailLines: 1 }), 'three\n');
  assert.equal(await read(SAMPLE, { tailLines: 2 }), 'three\n', 'the unparsable line counts as a line');
  assert.equal(await read(SAMPLE, { tailLines: 4 }), 'tial line\nthree\n');
  assert.equal(await read(SAMPLE, { tailLines: 0 }), '');
  assert.equal(await read(SAMPLE, { tailLines: 100 }), 'one\nto-stderr\npartial line\nthree\n');
});

test('a last line without newline is printed once', async () => {
  assert.equal(await read(`${T1} stdout F a\n${T1} stdout P no-newline`, {}), 'a\nno-newline');
});

test('sinceTime filters older records', async () => {
  const since = { sec: Date.UTC(2026, 10, 25, 19, 17, 26) / 1000, nsec: 500_000_000 };
  assert.equal(await read(SAMPLE, { since }), 'partial line\nthree\n');
  assert.equal(await read(SAMPLE, { since: { ...since, nsec: 500_000_001 } }), 'three\n');
});

test('limitBytes cuts the output, counting the timestamp prefix', async () => {
  assert.equal(await read(SAMPLE, { limitBytes: 6 }), 'one\nto');
  assert.equal(await read(SAMPLE, { limitBytes: 4 }), 'one\n');
  assert.equal(await read(SAMPLE, { limitBytes: 34, timestamps: true }), '2026-11-25T19:17:25.267910115Z one');
});

test('tailStartOffset finds the start of the last n lines', async () => {
  const { file, dir } = tmpFile('a\nbb\nccc\n');
  const fh = await open(file, 'r');
  try {
    assert.equal(await tailStartOffset(fh, 0), 9);
    assert.equal(await tailStartOffset(fh, 1), 5);
    assert.equal(await tailStartOffset(fh, 3), 0);
    assert.equal(await tailStartOffset(fh, 7), 0);
  } finally {
    await fh.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('tail across read chunks (big file)', async () => {
  const lines = Array.from({ length: 5000 }, (_, i) => `${T1} stdout F line-${i} ${'x'.repeat(40)}`);
  const out = await read(lines.join('\n') + '\n', { tailLines: 3 });
  assert.equal(out, [4997, 4998, 4999].map((i) => `line-${i} ${'x'.repeat(40)}\n`).join(''));
});

function collector() {
  const chunks: string[] = [];
  let waiters: Array<() => void> = [];
  return {
    sink: async (b: Buffer) => {
      chunks.push(b.toString());
      for (const w of waiters.splice(0)) w();
    },
    text: () => chunks.join(''),
    async waitFor(s: string, ms = 5000) {
      const end = Date.now() + ms;
      while (!chunks.join('').includes(s)) {
        if (Date.now() > end) throw new Error(`timed out waiting for ${JSON.stringify(s)}; have ${JSON.stringify(chunks.join(''))}`);
        await new Promise<void>((r) => {
          waiters.push(r);
          setTimeout(r, 50);
        });
      }
    },
  };
}

test('follow streams appended lines and ends after the container stops', async () => {
  const { file, dir } = tmpFile(`${T1} stdout F first\n`);
  try {
    let running = true;
    const c = collector();
    const done = readCriLog(file, { follow: true }, c.sink, { isRunning: async () => running, pollMs: 50 });
    await c.waitFor('first\n');
    appendFileSync(file, `${T2} stdout P half`);
    await new Promise((r) => setTimeout(r, 120));
    assert.equal(c.text(), 'first\n', 'an incomplete line waits for its newline while following');
    appendFileSync(file, `\n${T2} stdout F -done\n`);
    await c.waitFor('half-done\n');
    appendFileSync(file, `${T3} stderr F last words\n`);
    running = false;
    await done;
    assert.equal(c.text(), 'first\nhalf-done\nlast words\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('follow with tailLines starts at the tail and keeps going past it', async () => {
  const { file, dir } = tmpFile(`${T1} stdout F a\n${T1} stdout F b\n`);
  try {
    let running = true;
    const c = collector();
    const done = readCriLog(file, { follow: true, tailLines: 1 }, c.sink, { isRunning: async () => running, pollMs: 50 });
    await c.waitFor('b\n');
    appendFileSync(file, `${T1} stdout F c\n${T1} stdout F d\n`);
    await c.waitFor('d\n');
    running = false;
    await done;
    assert.equal(c.text(), 'b\nc\nd\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('follow continues in a re-created file (log reopened after rotation)', async () => {
  const { file, dir } = tmpFile(`${T1} stdout F old\n`);
  try {
    let running = true;
    const c = collector();
    const done = readCriLog(file, { follow: true }, c.sink, { isRunning: async () => running, pollMs: 50 });
    await c.waitFor('old\n');
    appendFileSync(file, `${T1} stdout F tail-of-old\n`);
    renameSync(file, `${file}.20261125-191725`);
    writeFileSync(file, `${T2} stdout F new\n`);
    await c.waitFor('new\n');
    running = false;
    await done;
    assert.equal(c.text(), 'old\ntail-of-old\nnew\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('follow stops promptly on abort (client disconnect)', async () => {
  const { file, dir } = tmpFile(`${T1} stdout F x\n`);
  try {
    const ac = new AbortController();
    const c = collector();
    const started = Date.now();
    const done = readCriLog(file, { follow: true }, c.sink, { isRunning: async () => true, signal: ac.signal, pollMs: 10_000 });
    await c.waitFor('x\n');
    ac.abort();
    await done;
    assert.ok(Date.now() - started < 2000, 'did not wait for the poll interval');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('follow with limitBytes stops at the limit', async () => {
  const { file, dir } = tmpFile(`${T1} stdout F 12345\n`);
  try {
    const c = collector();
    await readCriLog(file, { follow: true, limitBytes: 3 }, c.sink, { isRunning: async () => true, pollMs: 50 });
    assert.equal(c.text(), '123');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a missing file rejects', async () => {
  await assert.rejects(readCriLog('/nonexistent/skiff/0.log', {}, async () => {}), /ENOENT/);
});
