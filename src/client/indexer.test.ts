import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Indexer, fieldIndexFunc, namespaceIndexFunc } from './indexer.js';
import { objectKey, splitKey, type KubeObject } from './kube-object.js';

const pod = (ns: string, name: string, node?: string, rv = '1'): KubeObject => ({
  kind: 'Pod',
  metadata: { namespace: ns, name, resourceVersion: rv },
  spec: node ? { nodeName: node } : {},
});

const names = (objs: KubeObject[]) => objs.map((o) => o.metadata.name).sort();

test('keys: namespace/name, or name for cluster-scoped', () => {
  assert.equal(objectKey(pod('ns1', 'a')), 'ns1/a');
  assert.equal(objectKey({ metadata: { name: 'node-1' } }), 'node-1');
  assert.deepEqual(splitKey('ns1/a'), { namespace: 'ns1', name: 'a' });
  assert.deepEqual(splitKey('node-1'), { name: 'node-1' });
  assert.throws(() => objectKey({ metadata: {} }), /no metadata.name/);
});

test('get/list/byIndex follow adds, updates and deletes', () => {
  const ix = new Indexer({ namespace: namespaceIndexFunc, 'spec.nodeName': fieldIndexFunc('spec.nodeName') });
  ix.add(pod('a', 'p1', 'n1'));
  ix.add(pod('a', 'p2', 'n2'));
  ix.add(pod('b', 'p3', 'n1'));
  ix.add(pod('b', 'p4'));
  assert.equal(ix.size, 4);
  assert.equal(ix.get('a/p1')!.spec.nodeName, 'n1');
  assert.deepEqual(names(ix.byIndex('namespace', 'b')), ['p3', 'p4']);
  assert.deepEqual(names(ix.byIndex('spec.nodeName', 'n1')), ['p1', 'p3']);
  assert.deepEqual(ix.indexValues('spec.nodeName').sort(), ['n1', 'n2'], 'unscheduled pods are not indexed');

  const old = ix.update(pod('a', 'p1', 'n2', '2'));
  assert.equal(old!.metadata.resourceVersion, '1');
  assert.deepEqual(names(ix.byIndex('spec.nodeName', 'n1')), ['p3']);
  assert.deepEqual(names(ix.byIndex('spec.nodeName', 'n2')), ['p1', 'p2']);

  assert.equal(ix.delete('b/p3')!.metadata.name, 'p3');
  assert.equal(ix.delete('b/p3'), undefined);
  assert.deepEqual(ix.byIndex('spec.nodeName', 'n1'), []);
  assert.deepEqual(ix.indexValues('spec.nodeName'), ['n2'], 'empty index values are dropped');
  assert.deepEqual(ix.indexKeys('namespace', 'a').sort(), ['a/p1', 'a/p2']);
  assert.deepEqual(ix.listKeys().sort(), ['a/p1', 'a/p2', 'b/p4']);
});

test('replace swaps the content and rebuilds indexes', () => {
  const ix = new Indexer({ namespace: namespaceIndexFunc });
  ix.add(pod('a', 'p1'));
  ix.replace([pod('c', 'q1'), pod('c', 'q2')]);
  assert.equal(ix.get('a/p1'), undefined);
  assert.deepEqual(ix.byIndex('namespace', 'a'), []);
  assert.deepEqual(names(ix.byIndex('namespace', 'c')), ['q1', 'q2']);
});

test('indexers added later index existing objects; unknown or duplicate index names throw', () => {
  const ix = new Indexer();
  ix.add(pod('a', 'p1', 'n1'));
  assert.throws(() => ix.byIndex('spec.nodeName', 'n1'), /Index with name spec.nodeName does not exist/);
  ix.addIndexers({ 'spec.nodeName': fieldIndexFunc('spec.nodeName') });
  assert.deepEqual(names(ix.byIndex('spec.nodeName', 'n1')), ['p1']);
  assert.throws(() => ix.addIndexers({ 'spec.nodeName': fieldIndexFunc('spec.nodeName') }), /indexer conflict/);
});

test('multi-valued index functions', () => {
  const byLabelValues = (o: KubeObject) => Object.values(o.metadata.labels ?? {});
  const ix = new Indexer({ labels: byLabelValues });
  ix.add({ metadata: { name: 'x', labels: { a: 'red', b: 'blue' } } });
  ix.add({ metadata: { name: 'y', labels: { a: 'red' } } });
  assert.deepEqual(names(ix.byIndex('labels', 'red')), ['x', 'y']);
  assert.deepEqual(names(ix.byIndex('labels', 'blue')), ['x']);
});
