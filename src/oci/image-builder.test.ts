import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { assembleImage, buildImage, buildLayer, buildLayerTar, normalizeEntryPath, ociArchitecture, sha256Digest, type FileEntry } from './image-builder.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'skiff-oci-builder-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

const sample: FileEntry[] = [
  { type: 'file', path: '/bin/tool', content: Buffer.from('#!/bin/sh\necho hi\n'), mode: 0o755 },
  { type: 'symlink', path: '/bin/alias', target: 'tool' },
  { type: 'dir', path: '/tmp', mode: 0o1777 },
  { type: 'file', path: 'etc/motd', content: 'hello\n', uid: 1000, gid: 1001 },
  { type: 'dir', path: '/var/empty/deep' },
];

/** `tar -tvzf` lines reduced to "perms owner size name[ -> target]". */
function listing(gz: Buffer): string[] {
  const file = path.join(tmp, `layer-${Math.random().toString(36).slice(2)}.tgz`);
  fs.writeFileSync(file, gz);
  const out = execFileSync('tar', ['--numeric-owner', '-tvzf', file], { encoding: 'utf8' });
  return out
    .trim()
    .split('\n')
    .map((line) => {
      const f = line.split(/\s+/);
      // perms, uid/gid, size, date, time, name...
      return [f[0], f[1], f[2], ...f.slice(5)].join(' ');
    });
}

describe('buildLayerTar / buildLayer', () => {
  test('tar lists entries sorted with parents first, modes, owners, symlinks and implied directories', async () => {
    const layer = await buildLayer(sample);
    assert.deepEqual(listing(layer.data), [
      'drwxr-xr-x 0/0 0 bin/',
      'lrwxrwxrwx 0/0 0 bin/alias -> tool',
      '-rwxr-xr-x 0/0 18 bin/tool',
      'drwxr-xr-x 0/0 0 etc/',
      '-rw-r--r-- 1000/1001 6 etc/motd',
      'drwxrwxrwt 0/0 0 tmp/',
      'drwxr-xr-x 0/0 0 var/',
      'drwxr-xr-x 0/0 0 var/empty/',
      'drwxr-xr-x 0/0 0 var/empty/deep/',
    ]);
  });

  test('every entry has mtime 1970-01-01 00:00 UTC', async () => {
    const layer = await buildLayer(sample);
    const file = path.join(tmp, 'mtime.tgz');
    fs.writeFileSync(file, layer.data);
    const out = execFileSync('tar', ['--full-time', '-tvzf', file], { encoding: 'utf8', env: { ...process.env, TZ: 'UTC' } });
    for (const line of out.trim().split('\n')) assert.match(line, / 1970-01-01 00:00:00 /);
  });

  test('digest is sha256 of the gzip blob, diffId sha256 of the tar inside', async () => {
    const layer = await buildLayer(sample);
    assert.equal(layer.digest, 'sha256:' + createHash('sha256').update(layer.data).digest('hex'));
    assert.equal(layer.diffId, 'sha256:' + createHash('sha256').update(gunzipSync(layer.data)).digest('hex'));
    assert.equal(layer.size, layer.data.length);
    assert.equal(layer.mediaType, 'application/vnd.oci.image.layer.v1.tar+gzip');
    assert.deepEqual(gunzipSync(layer.data), await buildLayerTar(sample));
  });

  test('same input in another order gives the same bytes', async () => {
    const a = await buildLayer(sample);
    const b = await buildLayer([...sample].reverse());
    assert.equal(a.digest, b.digest);
    assert.equal(a.diffId, b.diffId);
  });

  test('different content gives a different digest', async () => {
    const a = await buildLayer(sample);
    const b = await buildLayer([...sample, { type: 'file', path: '/x', content: '' }]);
    assert.notEqual(a.digest, b.digest);
  });

  test('a later entry for the same path replaces the earlier one', async () => {
    const layer = await buildLayer([
      { type: 'file', path: '/a', content: 'first' },
      { type: 'symlink', path: '/a', target: 'b' },
    ]);
    assert.deepEqual(listing(layer.data), ['lrwxrwxrwx 0/0 0 a -> b']);
  });

  test('source files are copied with their permission bits unless mode is given', async () => {
    const src = path.join(tmp, 'script.sh');
    fs.writeFileSync(src, 'echo 1\n');
    fs.chmodSync(src, 0o750);
    const layer = await buildLayer([
      { type: 'file', path: '/s1', source: src },
      { type: 'file', path: '/s2', source: src, mode: 0o600 },
    ]);
    assert.deepEqual(listing(layer.data), ['-rwxr-x--- 0/0 7 s1', '-rw------- 0/0 7 s2']);
  });

  test('rejects bad entries', async () => {
    await assert.rejects(buildLayer([{ type: 'file', path: '/a' }]), /give exactly one of content or source/);
    await assert.rejects(buildLayer([{ type: 'file', path: '/a', content: 'x', source: '/etc/hostname' }]), /give exactly one of content or source/);
    await assert.rejects(buildLayer([{ type: 'file', path: '/a/../b', content: 'x' }]), /must not contain/);
    await assert.rejects(
      buildLayer([
        { type: 'file', path: '/a', content: 'x' },
        { type: 'file', path: '/a/b', content: 'y' },
      ]),
      /image path a is used both as a file and as a directory/,
    );
  });
});

describe('buildImage', () => {
  test('manifest and config are OCI documents that point at each other', async () => {
    const img = await buildImage({
      files: sample,
      config: { Entrypoint: ['/bin/tool'], Cmd: ['x'], Env: ['PATH=/bin'], WorkingDir: '/tmp', User: '1000:1001', ExposedPorts: { '8080/tcp': {}, '80/tcp': {} } },
      architecture: 'arm64',
    });
    const manifest = JSON.parse(img.manifest.data.toString());
    assert.equal(img.manifest.mediaType, 'application/vnd.oci.image.manifest.v1+json');
    assert.deepEqual(manifest, {
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: img.config.digest, size: img.config.data.length },
      layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: img.layers[0].digest, size: img.layers[0].data.length }],
    });
    assert.equal(img.manifest.digest, sha256Digest(img.manifest.data));
    assert.equal(img.config.digest, sha256Digest(img.config.data));
    const config = JSON.parse(img.config.data.toString());
    assert.deepEqual(config, {
      created: '1970-01-01T00:00:00Z',
      architecture: 'arm64',
      os: 'linux',
      config: {
        User: '1000:1001',
        ExposedPorts: { '80/tcp': {}, '8080/tcp': {} },
        Env: ['PATH=/bin'],
        Entrypoint: ['/bin/tool'],
        Cmd: ['x'],
        WorkingDir: '/tmp',
      },
      rootfs: { type: 'layers', diff_ids: [img.layers[0].diffId] },
      history: [{ created: '1970-01-01T00:00:00Z', created_by: 'skiff oci image-builder' }],
    });
  });

  test('identical specs give identical digests; a config change only changes config and manifest', async () => {
    const a = await buildImage({ files: sample, config: { Cmd: ['sh'] } });
    const b = await buildImage({ files: sample, config: { Cmd: ['sh'] } });
    const c = await buildImage({ files: sample, config: { Cmd: ['ls'] } });
    assert.equal(a.manifest.digest, b.manifest.digest);
    assert.equal(a.config.digest, b.config.digest);
    assert.equal(a.layers[0].digest, c.layers[0].digest);
    assert.notEqual(a.config.digest, c.config.digest);
    assert.notEqual(a.manifest.digest, c.manifest.digest);
  });

  test('default architecture follows the host', async () => {
    const img = await buildImage({ files: sample, config: {} });
    assert.equal(JSON.parse(img.config.data.toString()).architecture, ociArchitecture(process.arch));
    assert.deepEqual(JSON.parse(img.config.data.toString()).config, {});
  });

  test('assembleImage stacks several layers bottom first', async () => {
    const l1 = await buildLayer([{ type: 'file', path: '/a', content: '1' }]);
    const l2 = await buildLayer([{ type: 'file', path: '/b', content: '2' }]);
    const img = assembleImage([l1, l2], { config: {} });
    assert.deepEqual(JSON.parse(img.manifest.data.toString()).layers.map((l: { digest: string }) => l.digest), [l1.digest, l2.digest]);
    assert.deepEqual(JSON.parse(img.config.data.toString()).rootfs.diff_ids, [l1.diffId, l2.diffId]);
    assert.throws(() => assembleImage([], { config: {} }), /at least one layer/);
  });
});

describe('helpers', () => {
  test('ociArchitecture maps node names to GOARCH names', () => {
    assert.equal(ociArchitecture('x64'), 'amd64');
    assert.equal(ociArchitecture('arm64'), 'arm64');
    assert.throws(() => ociArchitecture('mips'), /no OCI architecture known for node arch mips/);
  });

  test('normalizeEntryPath', () => {
    assert.equal(normalizeEntryPath('/bin/sh'), 'bin/sh');
    assert.equal(normalizeEntryPath('./etc//passwd/'), 'etc/passwd');
    assert.throws(() => normalizeEntryPath('/'), /invalid image path/);
    assert.throws(() => normalizeEntryPath('a/../../b'), /must not contain/);
  });
});
