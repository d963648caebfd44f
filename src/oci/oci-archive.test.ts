import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { readTarEntries } from './archive-reader.js';
import { buildImage, type BuiltImage } from './image-builder.js';
import { ociLayoutIndex, writeOciArchive, writeOciArchiveMulti } from './oci-archive.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'skiff-oci-archive-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

const readArchive = readTarEntries;

function tinyImage(cmd: string): Promise<BuiltImage> {
  return buildImage({ files: [{ type: 'file', path: '/hello', content: 'hi\n' }], config: { Cmd: [cmd] }, architecture: 'amd64' });
}

describe('writeOciArchive', () => {
  test('writes oci-layout, index.json with the ref annotations, and every blob under its digest', async () => {
    const img = await tinyImage('a');
    const file = path.join(tmp, 'one.tar');
    await writeOciArchive(file, img, 'localhost/skiff/tiny:1.0');
    const entries = await readArchive(file);
    assert.deepEqual([...entries.keys()], [
      'oci-layout',
      'index.json',
      'blobs/',
      'blobs/sha256/',
      ...[img.layers[0].digest, img.config.digest, img.manifest.digest].sort().map((d) => `blobs/sha256/${d.slice(7)}`),
    ]);
    assert.deepEqual(JSON.parse(entries.get('oci-layout')!.data.toString()), { imageLayoutVersion: '1.0.0' });
    assert.deepEqual(JSON.parse(entries.get('index.json')!.data.toString()), {
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.index.v1+json',
      manifests: [
        {
          mediaType: 'application/vnd.oci.image.manifest.v1+json',
          digest: img.manifest.digest,
          size: img.manifest.data.length,
          annotations: { 'io.containerd.image.name': 'localhost/skiff/tiny:1.0', 'org.opencontainers.image.ref.name': 'localhost/skiff/tiny:1.0' },
        },
      ],
    });
    for (const [name, e] of entries) {
      if (!name.startsWith('blobs/sha256/') || e.type !== 'file') continue;
      assert.equal(createHash('sha256').update(e.data).digest('hex'), name.slice('blobs/sha256/'.length));
    }
    assert.deepEqual(entries.get(`blobs/sha256/${img.manifest.digest.slice(7)}`)!.data, img.manifest.data);
  });

  test('is byte-for-byte deterministic', async () => {
    const img = await tinyImage('a');
    await writeOciArchive(path.join(tmp, 'd1.tar'), img, 'localhost/x:1');
    await writeOciArchive(path.join(tmp, 'd2.tar'), await tinyImage('a'), 'localhost/x:1');
    assert.deepEqual(fs.readFileSync(path.join(tmp, 'd1.tar')), fs.readFileSync(path.join(tmp, 'd2.tar')));
  });

  test('several refs and images share one copy of each blob', async () => {
    const a = await tinyImage('a');
    const b = await tinyImage('b');
    assert.equal(a.layers[0].digest, b.layers[0].digest);
    const file = path.join(tmp, 'multi.tar');
    await writeOciArchiveMulti(file, [
      { image: a, refs: ['localhost/a:1', 'localhost/a:latest'] },
      { image: b, refs: ['localhost/b:1'] },
    ]);
    const entries = await readArchive(file);
    const blobs = [...entries.keys()].filter((n) => /^blobs\/sha256\/[0-9a-f]{64}$/.test(n));
    assert.equal(blobs.length, 5); // 1 shared layer + 2 configs + 2 manifests
    const index = JSON.parse(entries.get('index.json')!.data.toString());
    assert.deepEqual(
      index.manifests.map((m: { digest: string; annotations: Record<string, string> }) => [m.annotations['org.opencontainers.image.ref.name'], m.digest]),
      [
        ['localhost/a:1', a.manifest.digest],
        ['localhost/a:latest', a.manifest.digest],
        ['localhost/b:1', b.manifest.digest],
      ],
    );
  });

  test('refuses an image without refs', async () => {
    await assert.rejects(writeOciArchiveMulti(path.join(tmp, 'x.tar'), [{ image: await tinyImage('a'), refs: [] }]), /at least one ref/);
    assert.deepEqual(ociLayoutIndex([]), { schemaVersion: 2, mediaType: 'application/vnd.oci.image.index.v1+json', manifests: [] });
  });

  test('skopeo reads the archive under its ref (cross-check)', async (t) => {
    if (!fs.existsSync('/usr/bin/skopeo')) return t.skip('skopeo not installed');
    const img = await tinyImage('from-skopeo');
    const file = path.join(tmp, 'skopeo.tar');
    await writeOciArchive(file, img, 'localhost/skiff/tiny:2.0');
    const config = JSON.parse(execFileSync('/usr/bin/skopeo', ['inspect', '--config', `oci-archive:${file}:localhost/skiff/tiny:2.0`], { encoding: 'utf8' }));
    assert.deepEqual(config.config, { Cmd: ['from-skopeo'] });
    const raw = execFileSync('/usr/bin/skopeo', ['inspect', '--raw', `oci-archive:${file}:localhost/skiff/tiny:2.0`]);
    assert.deepEqual(raw, img.manifest.data);
  });
});
