// Throughput check for SqliteStore (not a test): sequential creates, creates
// from 32 concurrent callers (group commit), and listing 10 000 keys.
//   npx tsx src/storage/sqlite-store-bench.ts   (or node dist/storage/sqlite-store-bench.js)

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteStore } from './sqlite-store.js';

// Roughly the size of a small stored Pod.
const value = Buffer.from(JSON.stringify({ spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] }, pad: 'x'.repeat(900) }));

async function sequential(store: SqliteStore, n: number): Promise<number> {
  const t0 = performance.now();
  for (let i = 0; i < n; i++) await store.create(`/bench/seq/${i}`, value);
  return n / ((performance.now() - t0) / 1000);
}

async function concurrent(store: SqliteStore, n: number, callers: number): Promise<number> {
  let next = 0;
  const worker = async () => {
    while (next < n) await store.create(`/bench/conc/${String(next++).padStart(6, '0')}`, value);
  };
  const t0 = performance.now();
  await Promise.all(Array.from({ length: callers }, worker));
  return n / ((performance.now() - t0) / 1000);
}

async function listTimes(store: SqliteStore): Promise<{ full: number; paged: number; count: number }> {
  await store.list('/bench/conc/'); // warm the page cache
  let t0 = performance.now();
  const all = await store.list('/bench/conc/', { limit: 10_000 });
  const full = performance.now() - t0;
  t0 = performance.now();
  let startAfter: string | undefined;
  let count = 0;
  for (;;) {
    const page = await store.list('/bench/conc/', { limit: 500, startAfter });
    count += page.items.length;
    if (!page.more) break;
    startAfter = page.items[page.items.length - 1].key;
  }
  if (count !== all.items.length) throw new Error(`paged ${count} != ${all.items.length}`);
  return { full, paged: performance.now() - t0, count };
}

const dir = mkdtempSync(join(tmpdir(), 'skiff-bench-'));
try {
  const store = SqliteStore.open(join(dir, 'bench.db'));
  const seq = await sequential(store, 2000);
  const conc = await concurrent(store, 10_000, 32);
  const list = await listTimes(store);
  await store.close();
  console.log(`sequential creates: ${seq.toFixed(0)}/s`);
  console.log(`32 concurrent callers: ${conc.toFixed(0)} creates/s`);
  console.log(`list ${list.count} keys: ${list.full.toFixed(1)} ms in one call, ${list.paged.toFixed(1)} ms in pages of 500`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
