import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import https from 'node:https';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { kubeletPortDialer } from './port-forward-kubelet.js';
import { selfSignedKubeletCert } from '../kubelet/server/serving-cert.js';
import type { ForwardHandlers } from '../kubelet/server/port-forward-types.js';

// A stand-in kubelet: /portForward/... answers 404 for pod "ghost", otherwise
// accepts the websocket with the protocol named by the test.
const cert = selfSignedKubeletCert({ nodeName: 'n', addresses: ['127.0.0.1'] });
let server: https.Server;
let port = 0;
let accept = 'v5.channel.k8s.io';
const seen: Array<{ url: string; protocol: string; messages: number[][]; ws: WebSocket }> = [];

before(async () => {
  const wss = new WebSocketServer({ noServer: true, handleProtocols: (offered) => (offered.has(accept) ? accept : false) });
  server = https.createServer({ cert: cert.certPem, key: cert.keyPem });
  server.on('upgrade', (req, socket, head) => {
    if (req.url?.includes('/ghost')) {
      socket.end('HTTP/1.1 404 Not Found\r\nContent-Length: 18\r\nConnection: close\r\n\r\npod does not exist');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      const entry = { url: req.url ?? '', protocol: ws.protocol, messages: [] as number[][], ws };
      seen.push(entry);
      ws.on('message', (d: Buffer) => entry.messages.push([...d]));
      ws.send(Buffer.from([0, 80, 0]));
      ws.send(Buffer.from([1, 80, 0]));
      ws.send(Buffer.from([0, ...Buffer.from('from pod')]));
      ws.send(Buffer.from([1, ...Buffer.from('some error')]));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
});

after(() => {
  server.closeAllConnections();
  server.close();
});

function recorder() {
  const r = { data: '', error: '', ends: 0 };
  let done!: () => void;
  const ended = new Promise<void>((res) => (done = res));
  const h: ForwardHandlers = { onData: (d) => (r.data += d), onError: (m) => (r.error += m), onEnd: () => (r.ends++, done()) };
  return { r, h, ended };
}

const target = (pod: string, p = port) => ({ host: '127.0.0.1', port: p, namespace: 'default', pod, certPem: cert.certPem, keyPem: cert.keyPem });

test('websocket to the kubelet: port prefixes stripped, writes queued until open, half-close as the v5 close signal', async () => {
  accept = 'v5.channel.k8s.io';
  const { r, h, ended } = recorder();
  const f = kubeletPortDialer(target('web 1'))(8080, '0', h);
  f.write(Buffer.from('early'));
  f.end();
  await new Promise((res) => setTimeout(res, 200));
  const s = seen.at(-1)!;
  assert.equal(s.url, '/portForward/default/web%201?port=8080');
  assert.equal(s.protocol, 'v5.channel.k8s.io');
  assert.deepEqual(s.messages, [[0, ...Buffer.from('early')], [255, 0]]);
  assert.equal(r.data, 'from pod');
  assert.equal(r.error, 'some error');
  s.ws.close();
  await ended;
  assert.equal(r.ends, 1);
});

test('a v4 kubelet gets no close signal', async () => {
  accept = 'v4.channel.k8s.io';
  const { h } = recorder();
  const f = kubeletPortDialer(target('web'))(80, '0', h);
  await new Promise((res) => setTimeout(res, 200));
  f.write(Buffer.from('x'));
  f.end();
  await new Promise((res) => setTimeout(res, 100));
  assert.deepEqual(seen.at(-1)!.messages, [[0, 0x78]]);
  f.close();
});

test('kubelet refusals and dial failures become error text, then the end', async () => {
  const a = recorder();
  kubeletPortDialer(target('ghost'))(80, '0', a.h);
  await a.ended;
  assert.equal(a.r.error, 'error upgrading connection: pod does not exist');
  assert.equal(a.r.ends, 1);

  const gone = net.createServer();
  await new Promise<void>((res) => gone.listen(0, '127.0.0.1', res));
  const closedPort = (gone.address() as AddressInfo).port;
  await new Promise<void>((res) => gone.close(() => res()));
  const b = recorder();
  kubeletPortDialer(target('web', closedPort))(80, '0', b.h);
  await b.ended;
  assert.equal(b.r.error, `error dialing backend: dial tcp 127.0.0.1:${closedPort}: connect: connection refused`);
  await new Promise((res) => setTimeout(res, 50));
  assert.equal(b.r.ends, 1);
});
