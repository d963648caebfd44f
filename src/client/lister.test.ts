import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Indexer, namespaceIndexFunc } from './indexer.js';
import { Lister } from './lister.js';
import type { KubeObject } from './kube-object.js';
import { parseLabelSelector } from '../api/labels.js';

const obj = (ns: string | undefined, name: string, labels: Record<string, string> = {}): KubeObject => ({
  metadata: { ...(ns ? { namespace: ns } : {}), name, labels },
});
const names = (objs: KubeObject[]) => objs.map((o) => o.metadata.name).sort();

for (const withIndex of [true, false]) {
  test(`list/get/byNamespace with selectors (namespace index: ${withIndex})`, () => {
    const ix = new Indexer(withIndex ? { namespace: namespaceIndexFunc } : {});
    ix.add(obj('a', 'web-1', { app: 'web', tier: 'front' }));
    ix.add(obj('a', 'db-1', { app: 'db' }));
    ix.add(obj('b', 'web-2', { app: 'web' }));
    ix.add(obj(undefined, 'node-1', { zone: 'z1' }));
    const l = new Lister(ix);
    assert.deepEqual(names(l.list()), ['db-1', 'node-1', 'web-1', 'web-2']);
    assert.deepEqual(names(l.list('app=web')), ['web-1', 'web-2']);
    assert.deepEqual(names(l.list('app in (web,db),tier!=front')), ['db-1', 'web-2']);
    assert.deepEqual(names(l.list(parseLabelSelector('!app'))), ['node-1']);
    assert.equal(l.get('a', 'db-1')!.metadata.name, 'db-1');
    assert.equal(l.get(undefined, 'node-1')!.metadata.name, 'node-1');
    assert.equal(l.get('b', 'db-1'), undefined);
    const a = l.byNamespace('a');
    assert.deepEqual(names(a.list()), ['db-1', 'web-1']);
    assert.deepEqual(names(a.list('app=web')), ['web-1']);
    assert.equal(a.get('web-1')!.metadata.name, 'web-1');
    assert.equal(a.get('web-2'), undefined);
    assert.deepEqual(l.byNamespace('zzz').list(), []);
  });
}

test('a bad selector string throws', () => {
  const l = new Lister(new Indexer());
  assert.throws(() => l.list('app in (a'));
});
