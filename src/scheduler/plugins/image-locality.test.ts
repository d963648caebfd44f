import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { imagePriority, newImageLocality, MAX_CONTAINER_THRESHOLD, MIN_THRESHOLD } from './image-locality.js';
import { cluster, makeNode, makePod, runScore } from './test-helpers.js';

const MB = 1024 * 1024;
const podWith = (...images: string[]) => makePod('p', { spec: { containers: images.map((image, i) => ({ name: `c${i}`, image })) } });

describe('ImageLocality', () => {
  const plugin = newImageLocality();

  it('Kubernetes example: two images on one node, one big image on another (2 of 3 nodes)', () => {
    // gcr.io/40:latest 40MB and gcr.io/300:latest 300MB on n1; gcr.io/2000:latest 2000MB on n2.
    const snap = cluster([
      makeNode('n1', { images: [{ names: ['gcr.io/40:latest', 'gcr.io/40:v1'], sizeBytes: 40 * MB }, { names: ['gcr.io/300:latest', 'gcr.io/300:v1'], sizeBytes: 300 * MB }] }),
      makeNode('n2', { images: [{ names: ['gcr.io/2000:latest'], sizeBytes: 2000 * MB }] }),
      makeNode('n3'),
    ]);
    // Pod gcr.io/40 + gcr.io/300 (2 containers): n1 sum = 40MB/3 + 300MB/3.
    const r = runScore(plugin, podWith('gcr.io/40', 'gcr.io/300'), snap);
    const sum = Math.trunc(40 * MB * (1 / 3)) + Math.trunc(300 * MB * (1 / 3));
    assert.equal(r.raw.n1, Math.trunc((100 * (sum - MIN_THRESHOLD)) / (2 * MAX_CONTAINER_THRESHOLD - MIN_THRESHOLD)));
    assert.deepEqual(r.raw, { n1: 4, n2: 0, n3: 0 });
    // 2000MB scaled by its 1/3 spread → 666.7MB: (666.7 - 23) / (1000 - 23) → 65.
    assert.deepEqual(runScore(plugin, podWith('gcr.io/2000'), snap).raw, { n1: 0, n2: 65, n3: 0 });
  });

  it('images below 23MB count as nothing; the cap is 1000MB per container', () => {
    assert.equal(imagePriority(10 * MB, 1), 0);
    assert.equal(imagePriority(23 * MB, 1), 0);
    assert.equal(imagePriority(5000 * MB, 1), 100);
    assert.equal(imagePriority(5000 * MB, 10), 49);
  });

  it('an image on every node gets its full size', () => {
    const img = { names: ['nginx:1.25'], sizeBytes: 500 * MB };
    const snap = cluster([makeNode('a', { images: [img] }), makeNode('b', { images: [img] })]);
    // (500 - 23) * 100 / (1000 - 23) = 48.8 → 48.
    assert.deepEqual(runScore(plugin, podWith('nginx:1.25'), snap).raw, { a: 48, b: 48 });
  });

  it('an untagged image means :latest and counts init containers too', () => {
    const snap = cluster([makeNode('a', { images: [{ names: ['busybox:latest'], sizeBytes: 1000 * MB }] })]);
    const pod = makePod('p', { spec: { initContainers: [{ name: 'i', image: 'busybox' }], containers: [{ name: 'c', image: 'other:1' }] } });
    // 1000MB over 2 containers: (1000 - 23) / (2000 - 23) → 49.
    assert.deepEqual(runScore(plugin, pod, snap).raw, { a: 49 });
  });

  it('a registry port is not a tag', () => {
    const snap = cluster([makeNode('a', { images: [{ names: ['localhost:5000/app:latest'], sizeBytes: 600 * MB }] })]);
    assert.deepEqual(runScore(plugin, podWith('localhost:5000/app'), snap).raw, { a: 59 });
  });
});
