import assert from 'node:assert/strict';
import { Server, ServerCredentials, status, type ServerUnaryCall, type sendUnaryData } from '@grpc/grpc-js';
import { after, before, describe, it } from 'node:test';
import { decodeHealthCheckResponse, encodeHealthCheckRequest, probeGrpc } from './grpc-health.js';

const healthService = {
  Check: {
    path: '/grpc.health.v1.Health/Check',
    requestStream: false,
    responseStream: false,
    requestSerialize: (v: any) => v as Buffer,
    requestDeserialize: (b: Buffer) => b,
    responseSerialize: (v: number) => (v === 0 ? Buffer.alloc(0) : Buffer.from([0x08, v])),
    responseDeserialize: (b: Buffer) => b,
  },
};

function bind(server: Server): Promise<number> {
  return new Promise((resolve, reject) => server.bindAsync('127.0.0.1:0', ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p))));
}

describe('grpc health probe', () => {
  let server: Server;
  let bare: Server;
  let port = 0;
  let barePort = 0;
  const services: string[] = [];
  before(async () => {
    server = new Server();
    server.addService(healthService as any, {
      Check: (call: ServerUnaryCall<Buffer, number>, cb: sendUnaryData<number>) => {
        const raw = call.request;
        const svc = raw.length ? raw.subarray(2).toString() : '';
        services.push(svc);
        if (svc === 'slow') return void setTimeout(() => cb(null, 1), 3000);
        cb(null, svc === 'down' ? 2 : svc === 'nothing' ? 0 : 1);
      },
    });
    port = await bind(server);
    bare = new Server();
    barePort = await bind(bare);
  });
  after(() => {
    server.forceShutdown();
    bare.forceShutdown();
  });

  it('SERVING is success; other statuses are failures with the status name', async () => {
    assert.deepEqual(await probeGrpc('127.0.0.1', port, '', 2), { result: 'success', output: 'service is serving' });
    assert.deepEqual(await probeGrpc('127.0.0.1', port, 'down', 2), { result: 'failure', output: 'service unhealthy (responded with "NOT_SERVING")' });
    assert.deepEqual(await probeGrpc('127.0.0.1', port, 'nothing', 2), { result: 'failure', output: 'service unhealthy (responded with "UNKNOWN")' });
    assert.deepEqual(services.slice(0, 3), ['', 'down', 'nothing']);
  });

  it('a server without the health service', async () => {
    const r = await probeGrpc('127.0.0.1', barePort, '', 2);
    assert.equal(r.result, 'failure');
    assert.match(r.output, /^error: this server does not implement the grpc health protocol \(grpc\.health\.v1\.Health\): /);
  });

  it('timeouts: slow answer, and nothing listening', async () => {
    assert.deepEqual(await probeGrpc('127.0.0.1', port, 'slow', 1), { result: 'failure', output: 'timeout: health rpc did not complete within 1s' });
    const probe = new Server();
    const freePort = await bind(probe);
    probe.forceShutdown();
    assert.deepEqual(await probeGrpc('127.0.0.1', freePort, '', 1), {
      result: 'failure', output: `timeout: failed to connect service "127.0.0.1:${freePort}" within 1s: context deadline exceeded`,
    });
  });

  it('refuses addresses other than the pod IP/loopback', async () => {
    assert.deepEqual(await probeGrpc('', 9000, '', 1), { result: 'failure', output: 'error: failed to connect service at ":9000": the pod has no IP address yet' });
  });

  it('message encoding', () => {
    assert.deepEqual([...encodeHealthCheckRequest('ab')], [0x0a, 2, 0x61, 0x62]);
    assert.equal(encodeHealthCheckRequest('').length, 0);
    assert.equal(decodeHealthCheckResponse(Buffer.from([0x08, 0x02])), 2);
    assert.equal(decodeHealthCheckResponse(Buffer.alloc(0)), 0);
    // unknown length-delimited field skipped
    assert.equal(decodeHealthCheckResponse(Buffer.from([0x12, 0x01, 0x41, 0x08, 0x01])), 1);
  });
});
