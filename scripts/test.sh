#!/usr/bin/env bash
# The test command: install what the tests need, then run them all.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi
# Fail early with a clear message if the native SQLite addon is unusable.
node -e "new (require('better-sqlite3'))(':memory:').close()" \
  || { echo "test.sh: better-sqlite3 native module failed to load after npm ci" >&2; exit 1; }
npm test
