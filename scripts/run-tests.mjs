#!/usr/bin/env node
// Runs the compiled test files (dist/**/*.test.js) with node's test runner.
// Node 20 does not expand globs for --test, so the file list is built here,
// sorted, and passed explicitly. Files run one at a time because end-to-end
// tests start servers and kubectl processes.
//
// Usage: node scripts/run-tests.mjs [--unit] [filter ...]
//   --unit    skip dist/e2e/
//   filter    only files whose path contains one of these substrings
import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = path.join(root, 'dist');

const args = process.argv.slice(2);
const unitOnly = args.includes('--unit');
const filters = args.filter((a) => !a.startsWith('--'));

/** All *.test.js files below dir, as paths relative to the repo root. */
function findTests(dir) {
  const out = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...findTests(full));
    else if (entry.isFile() && entry.name.endsWith('.test.js')) out.push(path.relative(root, full));
  }
  return out;
}

if (!existsSync(dist)) {
  console.error('run-tests: dist/ does not exist; run `npm run build` first');
  process.exit(1);
}

/** tsc never deletes outputs, so a test whose source was removed would still run. */
function hasSource(distFile) {
  const rel = path.relative('dist', distFile).replace(/\.test\.js$/, '.test.ts');
  return existsSync(path.join(root, 'src', rel));
}

const e2ePrefix = path.join('dist', 'e2e') + path.sep;
const found = findTests(dist);
const stale = existsSync(path.join(root, 'src')) ? found.filter((f) => !hasSource(f)) : [];
for (const f of stale) console.log(`run-tests: skipping ${f} (no matching source file in src/)`);
const files = found
  .filter((f) => !stale.includes(f))
  .filter((f) => !(unitOnly && f.startsWith(e2ePrefix)))
  .filter((f) => filters.length === 0 || filters.some((s) => f.includes(s)))
  .sort();

if (files.length === 0) {
  console.error('run-tests: no test files matched');
  process.exit(1);
}

console.log(`run-tests: ${files.length} test file(s)${unitOnly ? ' (unit only)' : ''}`);
const child = spawn(
  process.execPath,
  ['--test', '--test-concurrency=1', '--test-reporter=spec', '--test-reporter-destination=stdout', ...files],
  { cwd: root, stdio: 'inherit' },
);
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => child.kill(sig));
}
child.on('close', (code, signal) => {
  if (signal) {
    console.error(`run-tests: node --test was killed by ${signal}`);
    process.exit(1);
  }
  process.exit(code ?? 1);
});
