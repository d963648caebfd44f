import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Pleg } from './pleg.js';
import type { Container, CriRuntime } from '../cri/api.js';

function ctr(id: string, uid: string, state: Container['state']): Container {
  return { id, pod_sandbox_id: 's', metadata: { name: id }, image: { image: 'i' }, image_ref: '', state, created_at: '0', labels: { 'io.kubernetes.pod.uid': uid, 'skiff.dev/node': 'n1' }, annotations: {} };
}

test('reports pods whose containers changed state, appeared or vanished', async () => {
  let list: Container[] = [ctr('a', 'p1', 'CONTAINER_RUNNING'), ctr('b', 'p2', 'CONTAINER_RUNNING')];
  let selector: unknown;
  const cri = { listContainers: async (f: unknown) => ((selector = f), list) } as unknown as CriRuntime;
  const seen: string[] = [];
  const pleg = new Pleg(cri, 'n1', (uid) => seen.push(uid));
  await pleg.relist();
  assert.deepEqual(seen, [], 'the first relist is the baseline');
  assert.deepEqual(selector, { label_selector: { 'skiff.dev/node': 'n1' } });
  list = [ctr('a', 'p1', 'CONTAINER_EXITED'), ctr('b', 'p2', 'CONTAINER_RUNNING')];
  await pleg.relist();
  assert.deepEqual(seen, ['p1']);
  list = [ctr('b', 'p2', 'CONTAINER_RUNNING'), ctr('c', 'p3', 'CONTAINER_CREATED')];
  await pleg.relist();
  assert.deepEqual(seen.sort(), ['p1', 'p1', 'p3']);
  await pleg.relist();
  assert.equal(seen.length, 3, 'no change, no report');
});
