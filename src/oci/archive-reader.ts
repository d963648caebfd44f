// Reads an OCI archive (a tar) back: every entry by name, or just its index.
// The writer's tests and the image tests check what was written with it.

import fs from 'node:fs';
import tar from 'tar-stream';

export interface TarEntry {
  type: string;
  data: Buffer;
}

export async function readTarEntries(file: string): Promise<Map<string, TarEntry>> {
  const entries = new Map<string, TarEntry>();
  const extract = tar.extract();
  const done = (async () => {
    for await (const entry of extract) {
      const chunks: Buffer[] = [];
      for await (const c of entry) chunks.push(c as Buffer);
      entries.set(entry.header.name, { type: entry.header.type ?? 'file', data: Buffer.concat(chunks) });
    }
  })();
  extract.end(fs.readFileSync(file));
  await done;
  return entries;
}

export interface OciIndex {
  manifests: Array<{ digest: string; annotations: Record<string, string> }>;
}

export async function readOciIndex(file: string): Promise<OciIndex> {
  const index = (await readTarEntries(file)).get('index.json');
  if (!index) throw new Error(`${file} has no index.json`);
  return JSON.parse(index.data.toString()) as OciIndex;
}
