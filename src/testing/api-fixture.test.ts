import assert from 'node:assert/strict';
import { test } from 'node:test';
import { coreDef, startApiFixture } from './api-fixture.js';

test('coreDef finds core v1 resources and rejects others', () => {
  assert.equal(coreDef('pods').kind, 'Pod');
  assert.equal(coreDef('configmaps').kind, 'ConfigMap');
  assert.throws(() => coreDef('deployments'), { message: 'no core resource "deployments"' });
});

test('a server, a client and a kubelet event recorder', { timeout: 60_000 }, async () => {
  const api = await startApiFixture({ nodeName: 'node-7' });
  try {
    const cm = await api.client.create(coreDef('configmaps'), 'default', { metadata: { name: 'fx' }, data: { a: '1' } });
    api.recorder.event(cm, 'Normal', 'Checked', 'hello');
    await api.recorder.flush();
    const ev = (await api.client.list(coreDef('events'), 'default')).items.find((e) => e.reason === 'Checked');
    assert.ok(ev, 'event written');
    assert.equal(ev.source.component, 'kubelet');
    assert.equal(ev.source.host, 'node-7');
    assert.equal(ev.involvedObject.name, 'fx');
  } finally {
    await api.stop();
  }
});
