import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nodeName, parseImages, parseIntFlag, parseLabels, parseQuantityFlag, parseSecondsFlag, parseTaints } from './options.js';

test('parseLabels: key=value pairs, bare keys, values containing "="', () => {
  assert.deepEqual(parseLabels(['a=1', 'example.com/role=edge', 'flag', 'x=y=z']), { a: '1', 'example.com/role': 'edge', flag: '', 'x': 'y=z' });
  assert.deepEqual(parseLabels([]), {});
  assert.throws(() => parseLabels(['=v']), /invalid label "=v"/);
});

test('parseTaints: key=value:Effect and key:Effect', () => {
  assert.deepEqual(parseTaints(['dedicated=gpu:NoSchedule', 'spot:PreferNoSchedule', 'a=b:c:NoExecute']), [
    { key: 'dedicated', value: 'gpu', effect: 'NoSchedule' },
    { key: 'spot', effect: 'PreferNoSchedule' },
    { key: 'a', value: 'b:c', effect: 'NoExecute' },
  ]);
  assert.throws(() => parseTaints(['k=v']), /expected key=value:Effect/);
  assert.throws(() => parseTaints(['k=v:NoWay']), /effect must be one of NoSchedule, PreferNoSchedule, NoExecute/);
  assert.throws(() => parseTaints([':NoSchedule']), /empty key/);
});

test('parseImages: the size follows the last colon, so registry ports and tags survive', () => {
  assert.deepEqual(parseImages(['nginx:1.25:123456', 'registry.local:5000/app:v2:42', 'busybox:0']), [
    { name: 'nginx:1.25', sizeBytes: 123456 },
    { name: 'registry.local:5000/app:v2', sizeBytes: 42 },
    { name: 'busybox', sizeBytes: 0 },
  ]);
  assert.throws(() => parseImages(['nginx']), /invalid image "nginx": expected name:sizeBytes/);
  assert.throws(() => parseImages(['nginx:big']), /invalid image/);
  assert.throws(() => parseImages([':12']), /invalid image/);
  assert.throws(() => parseImages(['x:-1']), /invalid image/);
});

test('parseQuantityFlag canonicalises and rejects bad or negative quantities', () => {
  assert.equal(parseQuantityFlag('memory', '256Gi'), '256Gi');
  assert.equal(parseQuantityFlag('cpu', '32000m'), '32');
  assert.equal(parseQuantityFlag('memory', '1024Mi'), '1Gi');
  assert.throws(() => parseQuantityFlag('cpu', 'lots'), /^Error: --cpu: invalid quantity "lots": quantities must match/);
  assert.throws(() => parseQuantityFlag('cpu', '-1'), /--cpu: invalid quantity "-1": must not be negative/);
});

test('parseIntFlag and parseSecondsFlag bound their input', () => {
  assert.equal(parseIntFlag('nodes', '5', 1, 10), 5);
  assert.throws(() => parseIntFlag('nodes', '0', 1, 10), /--nodes must be a whole number from 1 to 10, not "0"/);
  assert.throws(() => parseIntFlag('nodes', '11', 1, 10), /not "11"/);
  assert.throws(() => parseIntFlag('nodes', '2.5', 1, 10), /not "2.5"/);
  assert.throws(() => parseIntFlag('nodes', 'abc', 1, 10), /not "abc"/);
  assert.equal(parseSecondsFlag('heartbeat-seconds', '0.5'), 0.5);
  assert.throws(() => parseSecondsFlag('heartbeat-seconds', '0'), /--heartbeat-seconds must be a positive number of seconds, not "0"/);
  assert.throws(() => parseSecondsFlag('heartbeat-seconds', ''), /positive/);
});

test('nodeName joins prefix and index', () => {
  assert.equal(nodeName({ namePrefix: 'sim-' }, 0), 'sim-0');
  assert.equal(nodeName({ namePrefix: 'kw' }, 9999), 'kw9999');
});
