import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dialErrorText, upgradeHeaders } from './upgrade-relay.js';
import type { IncomingMessage } from 'node:http';

test('upgradeHeaders keeps only what the kubelet needs to answer the upgrade', () => {
  const req = { headers: { connection: 'Upgrade', upgrade: 'websocket', 'sec-websocket-key': 'k', 'sec-websocket-version': '13', 'sec-websocket-protocol': 'v5.channel.k8s.io', authorization: 'Bearer secret', host: 'x' } } as unknown as IncomingMessage;
  assert.deepEqual(upgradeHeaders(req), { connection: 'Upgrade', upgrade: 'websocket', 'sec-websocket-key': 'k', 'sec-websocket-version': '13', 'sec-websocket-protocol': 'v5.channel.k8s.io' });
});

test('dialErrorText reads like Go for a refused connection, with IPv6 brackets', () => {
  const refused = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
  assert.equal(dialErrorText('127.0.0.1', 10250, refused), 'dial tcp 127.0.0.1:10250: connect: connection refused');
  assert.equal(dialErrorText('::1', 10250, refused), 'dial tcp [::1]:10250: connect: connection refused');
  assert.equal(dialErrorText('127.0.0.1', 1, Object.assign(new Error('boom'), { code: 'EOTHER' })), 'boom');
});
