// VolumeManager against a real API server: configMap/secret contents come
// from the API and a configMap update reaches the mounted key without a
// restart (the ..data flip).

import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { KubeObject, RestClient } from '../../client/index.js';
import { coreDef as def, startApiFixture, type ApiFixture } from '../../testing/api-fixture.js';
import { fakeContext } from '../env/fake-context.js';
import { VolumeManager } from './volume-manager.js';

describe('VolumeManager with skiff', () => {
  let api: ApiFixture | undefined;
  let client: RestClient;
  let vm: VolumeManager;
  let podsDir: string;
  before(async () => {
    api = await startApiFixture();
    client = api.client;
    podsDir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'skiff-vm-api-')), 'pods');
    const { ctx } = fakeContext({ podsDir });
    vm = new VolumeManager({ ctx: { ...ctx, client } });
  });
  after(async () => {
    await api?.stop();
    fs.rmSync(path.dirname(podsDir), { recursive: true, force: true });
  });

  const pod = (volumes: any[]): KubeObject => ({ metadata: { name: 'p', namespace: 'default', uid: `u-${Math.random().toString(36).slice(2)}` }, spec: { volumes } });

  test('configMap update is seen through the key symlink; unchanged syncs keep the data folder', async () => {
    await client.create(def('configmaps'), 'default', { metadata: { name: 'live' }, data: { greeting: 'hello' } });
    const p = pod([{ name: 'c', configMap: { name: 'live' } }]);
    await vm.setUpPod(p);
    const dir = path.join(podsDir, p.metadata.uid!, 'volumes/kubernetes.io~configmap/c');
    const key = path.join(dir, 'greeting');
    assert.equal(fs.readFileSync(key, 'utf8'), 'hello');
    const before = fs.readlinkSync(path.join(dir, '..data'));
    await vm.setUpPod(p);
    assert.equal(fs.readlinkSync(path.join(dir, '..data')), before);

    const cm = await client.get(def('configmaps'), 'default', 'live');
    await client.update(def('configmaps'), 'default', { ...cm, data: { greeting: 'bonjour' } });
    await vm.setUpPod(p);
    assert.equal(fs.readFileSync(key, 'utf8'), 'bonjour');
    assert.notEqual(fs.readlinkSync(path.join(dir, '..data')), before);
    assert.match(fs.readlinkSync(path.join(dir, '..data')), /^\.\.\d{4}_\d\d_\d\d_\d\d_\d\d_\d\d\.\d+$/);
  });

  test('secret data (stringData on create) is decoded into files', async () => {
    await client.create(def('secrets'), 'default', { metadata: { name: 'tls' }, stringData: { 'tls.key': 'KEY', 'tls.crt': 'CRT' } });
    const p = pod([{ name: 's', secret: { secretName: 'tls', items: [{ key: 'tls.key', path: 'k/key.pem', mode: 0o400 }] } }]);
    await vm.setUpPod(p);
    const file = path.join(podsDir, p.metadata.uid!, 'volumes/kubernetes.io~secret/s/k/key.pem');
    assert.equal(fs.readFileSync(file, 'utf8'), 'KEY');
    assert.equal(fs.statSync(file).mode & 0o777, 0o400);
  });

  test('a missing configMap is the FailedMount text', async () => {
    await assert.rejects(vm.setUpPod(pod([{ name: 'c', configMap: { name: 'missing' } }])), {
      name: 'VolumeSetupError',
      message: 'MountVolume.SetUp failed for volume "c" : configmap "missing" not found',
    });
  });
});
