import assert from 'node:assert/strict';
import { createServer, type AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import { probeTcp } from './tcp-socket.js';

describe('tcpSocket probe', () => {
  it('succeeds when the port accepts, with empty output', async () => {
    let accepted = 0;
    const s = createServer((c) => { accepted++; c.destroy(); });
    await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
    const port = (s.address() as AddressInfo).port;
    try {
      assert.deepEqual(await probeTcp('', port, '127.0.0.1', 1000), { result: 'success', output: '' });
      assert.deepEqual(await probeTcp('localhost', port, '10.200.0.9', 1000), { result: 'success', output: '' });
      await new Promise((r) => setTimeout(r, 20));
      assert.equal(accepted, 2);
    } finally {
      s.close();
    }
  });

  it('refused connections read like Go', async () => {
    const s = createServer();
    await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
    const port = (s.address() as AddressInfo).port;
    await new Promise((r) => s.close(r));
    assert.deepEqual(await probeTcp('', port, '127.0.0.1', 1000), { result: 'failure', output: `dial tcp 127.0.0.1:${port}: connect: connection refused` });
  });

  it('refuses hosts other than the pod IP and loopback without connecting', async () => {
    assert.deepEqual(await probeTcp('192.0.2.1', 81, '10.200.0.9', 1000), {
      result: 'failure',
      output: "dial tcp 192.0.2.1:81: connect: refusing to connect to 192.0.2.1: probes may only reach the pod's own IP (10.200.0.9) or loopback",
    });
    assert.deepEqual(await probeTcp('', 81, '', 1000), {
      result: 'failure', output: 'dial tcp :81: connect: the pod has no IP address yet',
    });
  });
});
