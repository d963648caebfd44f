import { test } from 'node:test';
import assert from 'node:assert/strict';
import { benchPod } from './skiff-run.js';

test('benchPod: one sleep container, image used if present, short grace, bench label', () => {
  assert.deepEqual(benchPod('bench-seq-3', '127.0.0.1:5000/library/busybox:1.36'), {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'bench-seq-3', namespace: 'default', labels: { 'skiff.dev/bench': 'pods' } },
    spec: {
      terminationGracePeriodSeconds: 1,
      containers: [{ name: 'c', image: '127.0.0.1:5000/library/busybox:1.36', imagePullPolicy: 'IfNotPresent', command: ['sleep', '3600'] }],
    },
  });
});
