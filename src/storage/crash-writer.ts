// Child process for crash.test.ts: writes as fast as it can with several
// concurrent callers and prints one line per acknowledged write, so the
// parent can SIGKILL it mid-stream and check that every printed write survived.
//   usage: crash-writer <db path> [concurrency]
// Lines: "create <key> <revision>" or "delete <key> <revision>".

import { writeSync } from 'node:fs';
import { SqliteStore } from './sqlite-store.js';

const [path, concurrencyArg] = process.argv.slice(2);
if (!path) {
  process.stderr.write('usage: crash-writer <db path> [concurrency]\n');
  process.exit(2);
}
const concurrency = Number(concurrencyArg ?? 16);
const store = SqliteStore.open(path);
const padding = 'x'.repeat(200);

// writeSync: the line must reach the pipe before the next write can be acknowledged.
const report = (line: string) => writeSync(1, `${line}\n`);

let next = 0;
async function worker(): Promise<never> {
  for (;;) {
    const i = next++;
    const key = `/crash/key-${String(i).padStart(7, '0')}`;
    const kv = await store.create(key, Buffer.from(JSON.stringify({ i, padding })));
    report(`create ${key} ${kv.modRevision}`);
    // Every tenth key is deleted again, so some acknowledged writes are deletes.
    if (i % 10 === 0) {
      const gone = await store.delete(key, kv.modRevision);
      report(`delete ${key} ${gone.modRevision}`);
    }
  }
}

report('ready');
await Promise.all(Array.from({ length: concurrency }, () => worker()));
