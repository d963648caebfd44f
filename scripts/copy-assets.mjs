// Copies non-TypeScript test assets (src/**/testdata/) next to the compiled tests in dist/.
import fs from 'node:fs';
import path from 'node:path';

function walk(dir) {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (!e.isDirectory()) continue;
    if (e.name === 'testdata') fs.cpSync(p, path.join('dist', path.relative('src', p)), { recursive: true });
    else walk(p);
  }
}
walk('src');
