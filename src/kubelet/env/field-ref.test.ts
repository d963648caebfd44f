import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatMap, metadataFieldValue, podFieldValue, splitSubscript } from './field-ref.js';

const pod = {
  metadata: {
    name: 'web-1',
    namespace: 'shop',
    uid: 'u-1',
    labels: { tier: 'front', app: 'web' },
    annotations: { 'example.com/note': 'say "hi"\nbye' },
  },
  spec: { nodeName: 'node-1', serviceAccountName: 'sa', restartPolicy: 'Always' },
};
const addr = { podIPs: ['10.1.0.5'], hostIPs: ['192.168.1.10'] };

test('formatMap: sorted key="value" lines with no trailing newline', () => {
  assert.equal(formatMap({ b: '2', a: '1' }), 'a="1"\nb="2"');
  assert.equal(formatMap({}), '');
  assert.equal(formatMap(undefined), '');
});

test('splitSubscript', () => {
  assert.deepEqual(splitSubscript("metadata.labels['app']"), ['metadata.labels', 'app']);
  assert.equal(splitSubscript('metadata.labels'), undefined);
  assert.equal(splitSubscript("['x']"), undefined);
});

test('metadata paths', () => {
  assert.equal(metadataFieldValue(pod, 'metadata.name'), 'web-1');
  assert.equal(metadataFieldValue(pod, 'metadata.namespace'), 'shop');
  assert.equal(metadataFieldValue(pod, 'metadata.uid'), 'u-1');
  assert.equal(metadataFieldValue(pod, 'metadata.labels'), 'app="web"\ntier="front"');
  assert.equal(metadataFieldValue(pod, 'metadata.annotations'), 'example.com/note="say \\"hi\\"\\nbye"');
  assert.equal(metadataFieldValue(pod, "metadata.labels['tier']"), 'front');
  assert.equal(metadataFieldValue(pod, "metadata.labels['missing']"), '');
  assert.equal(metadataFieldValue(pod, "metadata.annotations['example.com/note']"), 'say "hi"\nbye');
  assert.throws(() => metadataFieldValue(pod, 'spec.nodeName'), { message: 'unsupported fieldPath: spec.nodeName' });
  assert.throws(() => metadataFieldValue(pod, "metadata.name['x']"), { message: `fieldPath "metadata.name['x']" does not support subscript` });
});

test('pod paths for env vars', () => {
  assert.equal(podFieldValue(pod, 'spec.nodeName', addr), 'node-1');
  assert.equal(podFieldValue(pod, 'spec.serviceAccountName', addr), 'sa');
  assert.equal(podFieldValue(pod, 'status.podIP', addr), '10.1.0.5');
  assert.equal(podFieldValue(pod, 'status.podIPs', { ...addr, podIPs: ['10.1.0.5', 'fd00::5'] }), '10.1.0.5,fd00::5');
  assert.equal(podFieldValue(pod, 'status.hostIP', addr), '192.168.1.10');
  assert.equal(podFieldValue(pod, 'status.hostIPs', addr), '192.168.1.10');
  assert.equal(podFieldValue(pod, 'status.podIP', { podIPs: [], hostIPs: [] }), '');
  assert.equal(podFieldValue(pod, "metadata.labels['app']", addr), 'web');
  assert.throws(() => podFieldValue(pod, 'spec.restartPolicy', addr), { message: 'unsupported fieldPath: spec.restartPolicy' });
  assert.throws(() => podFieldValue(pod, 'spec.containers', addr), { message: 'field label not supported: spec.containers' });
});
