import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { resolveContainerPort } from './container-port.js';
import { normalizeProbe, probedContainers } from './probe-spec.js';
import { dialTarget, isLoopbackAddress } from './target-policy.js';

describe('container port resolution', () => {
  const c = { ports: [{ name: 'http', containerPort: 8080 }, { name: 'zero', containerPort: 0 }] };
  it('numbers, names, numeric strings and errors', () => {
    assert.deepEqual(resolveContainerPort(81, c), { ok: true, port: 81 });
    assert.deepEqual(resolveContainerPort('http', c), { ok: true, port: 8080 });
    assert.deepEqual(resolveContainerPort('9090', c), { ok: true, port: 9090 });
    assert.deepEqual(resolveContainerPort('nope', c), { ok: false, error: 'strconv.Atoi: parsing "nope": invalid syntax' });
    assert.deepEqual(resolveContainerPort('zero', c), { ok: false, error: 'invalid port number: 0' });
    assert.deepEqual(resolveContainerPort(70000, c), { ok: false, error: 'invalid port number: 70000' });
  });
});

describe('dial target policy', () => {
  it('allows the pod IP and loopback only', () => {
    assert.deepEqual(dialTarget('', '10.200.3.4'), { ok: true, address: '10.200.3.4' });
    assert.deepEqual(dialTarget('10.200.3.4', '10.200.3.4'), { ok: true, address: '10.200.3.4' });
    assert.deepEqual(dialTarget('127.0.0.2', '10.200.3.4'), { ok: true, address: '127.0.0.2' });
    assert.deepEqual(dialTarget('localhost', '10.200.3.4'), { ok: true, address: '127.0.0.1' });
    assert.deepEqual(dialTarget('[::1]', ''), { ok: true, address: '::1' });
    assert.equal(dialTarget('10.200.3.5', '10.200.3.4').ok, false);
    assert.equal(dialTarget('pod.example', '10.200.3.4').ok, false);
    assert.equal(dialTarget('', '').ok, false);
    assert.equal(isLoopbackAddress('128.0.0.1'), false);
  });
});

describe('probe spec', () => {
  it('fills API defaults', () => {
    assert.deepEqual(normalizeProbe({ exec: { command: ['x'] } }), {
      handler: { exec: { command: ['x'] }, httpGet: undefined, tcpSocket: undefined, grpc: undefined },
      initialDelaySeconds: 0, timeoutSeconds: 1, periodSeconds: 10, successThreshold: 1, failureThreshold: 3,
    });
  });
  it('lists app containers and sidecar init containers only', () => {
    const pod = {
      spec: {
        initContainers: [{ name: 'i', livenessProbe: {} }, { name: 's', restartPolicy: 'Always', startupProbe: {}, readinessProbe: {} }],
        containers: [{ name: 'a', livenessProbe: {}, readinessProbe: {} }, { name: 'b' }],
      },
    };
    assert.deepEqual(probedContainers(pod).map((p) => `${p.list}/${p.container.name}/${p.type}`), [
      'initContainers/s/startup', 'initContainers/s/readiness', 'containers/a/liveness', 'containers/a/readiness',
    ]);
  });
});
