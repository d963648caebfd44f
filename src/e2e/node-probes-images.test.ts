// Probes and image pulls on a real node, observed through the real kubectl.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { canRunNode, isReady as ready, podHelpers, podManifest as pod, startNodeCluster, waitFor, waitingState as waiting, type NodeCluster } from '../testing/node-cluster.js';

const skip = canRunNode();
let c: NodeCluster;

const { apply, getPod, events, until } = podHelpers(() => c);

describe('probes and images on a real node', { skip, concurrency: true }, () => {
  before(async () => {
    c = await startNodeCluster();
  });
  after(async () => {
    await c?.stop();
  });

  it('liveness exec: the container is restarted with the Unhealthy and Killing events', async () => {
    // The Kubernetes documentation's liveness-exec pod.
    await apply(pod('liveness-exec', {
      containers: [{
        name: 'liveness',
        image: c.images['busybox:1.36'],
        args: ['/bin/sh', '-c', 'touch /tmp/healthy; sleep 30; rm -f /tmp/healthy; sleep 600'],
        livenessProbe: { exec: { command: ['cat', '/tmp/healthy'] }, initialDelaySeconds: 5, periodSeconds: 5 },
      }],
    }));
    const p = await until('liveness-exec', 'restartCount 1', (x) => x?.status?.containerStatuses?.[0]?.restartCount === 1, 90_000);
    const started = Date.parse(p.status.startTime);
    const lastFinished = Date.parse(p.status.containerStatuses[0].lastState.terminated.finishedAt);
    assert.ok(lastFinished - started >= 35_000, `restarted ${lastFinished - started} ms after start`);
    const ev = await events('liveness-exec');
    const unhealthy = ev.find((e) => e.reason === 'Unhealthy');
    assert.equal(unhealthy?.type, 'Warning');
    assert.equal(unhealthy?.message, "Liveness probe failed: cat: can't open '/tmp/healthy': No such file or directory\n");
    assert.equal(ev.find((e) => e.reason === 'Killing')?.message, 'Container liveness failed liveness probe, will be restarted');
    assert.match(await c.k(['get', 'pod', 'liveness-exec']), /liveness-exec\s+1\/1\s+Running\s+1 \(\S+ ago\)/);
  });

  it('readiness exec flips Ready both ways', async () => {
    await apply(pod('readiness', {
      containers: [{
        name: 'app',
        image: c.images['busybox:1.36'],
        command: ['sh', '-c', 'sleep 3600'],
        readinessProbe: { exec: { command: ['cat', '/tmp/ready'] }, periodSeconds: 1, failureThreshold: 1 },
      }],
    }));
    let p = await until('readiness', 'Running, not ready', (x) => x?.status?.phase === 'Running' && x.status.containerStatuses?.[0]?.started === true);
    assert.equal(ready(p), false);
    assert.equal(p.status.conditions.find((x: any) => x.type === 'ContainersReady').message, 'containers with unready status: [app]');
    await c.k(['exec', 'readiness', '--', 'touch', '/tmp/ready']);
    p = await until('readiness', 'Ready', ready, 20_000);
    assert.equal(p.status.containerStatuses[0].ready, true);
    await c.k(['exec', 'readiness', '--', 'rm', '/tmp/ready']);
    await until('readiness', 'not Ready again', (x) => !ready(x), 20_000);
  });

  it('httpGet and tcpSocket probes against the pod IP', async () => {
    await apply(pod('http-probe', {
      containers: [{
        name: 'web',
        image: c.images['nginx:1.25'],
        ports: [{ name: 'http', containerPort: 80 }],
        readinessProbe: { httpGet: { path: '/index.html', port: 'http' }, periodSeconds: 1 },
        livenessProbe: { tcpSocket: { port: 80 }, periodSeconds: 2 },
      }],
    }));
    await until('http-probe', 'Ready', ready, 30_000);
    await apply(pod('http-404', {
      containers: [{ name: 'web', image: c.images['nginx:1.25'], readinessProbe: { httpGet: { path: '/missing', port: 80 }, periodSeconds: 1 } }],
    }));
    await waitFor(async () => (await events('http-404')).some((e) => e.reason === 'Unhealthy'), 30_000, 'Unhealthy on http-404');
    assert.equal((await events('http-404')).find((e) => e.reason === 'Unhealthy').message, 'Readiness probe failed: HTTP probe failed with statuscode: 404');
    assert.equal(ready(await getPod('http-404')), false);
    await apply(pod('tcp-closed', {
      containers: [{ name: 'web', image: c.images['nginx:1.25'], readinessProbe: { tcpSocket: { port: 81 }, periodSeconds: 1 } }],
    }));
    await waitFor(async () => (await events('tcp-closed')).some((e) => e.reason === 'Unhealthy'), 30_000, 'Unhealthy on tcp-closed');
    const p = await getPod('tcp-closed');
    assert.equal((await events('tcp-closed')).find((e) => e.reason === 'Unhealthy').message, `Readiness probe failed: dial tcp ${p.status.podIP}:81: connect: connection refused`);
  });

  it('a password-protected registry: ErrImagePull then ImagePullBackOff without a secret, Running with one', async () => {
    const image = c.authImages['nginx:1.25'];
    await apply(pod('no-secret', { containers: [{ name: 'web', image, imagePullPolicy: 'Always' }] }));
    await until('no-secret', 'ErrImagePull', (x) => waiting(x)?.reason === 'ErrImagePull', 30_000);
    await until('no-secret', 'ImagePullBackOff', (x) => waiting(x)?.reason === 'ImagePullBackOff', 40_000);
    const ev = await events('no-secret');
    assert.ok(ev.some((e) => e.reason === 'Failed' && e.message.startsWith(`Failed to pull image "${image}": `) && e.message.includes('401 Unauthorized')));
    assert.ok(ev.some((e) => e.reason === 'BackOff' && e.message === `Back-off pulling image "${image}"`));
    assert.match(await c.k(['get', 'pod', 'no-secret']), /no-secret\s+0\/1\s+(ImagePullBackOff|ErrImagePull)\s+0/);

    await c.k(['create', 'secret', 'docker-registry', 'regcred', `--docker-server=${c.authRegistry.host}`, `--docker-username=${c.authCreds.username}`, `--docker-password=${c.authCreds.password}`]);
    for (let i = 0; i < 3; i++) {
      await apply(pod(`with-secret-${i}`, { imagePullSecrets: [{ name: 'regcred' }], containers: [{ name: 'web', image, imagePullPolicy: 'Always' }] }));
    }
    for (let i = 0; i < 3; i++) await until(`with-secret-${i}`, 'Ready', ready, 60_000);
    const pulled = (await events('with-secret-0')).find((e) => e.reason === 'Pulled');
    assert.match(pulled.message, new RegExp(`^Successfully pulled image "${image.replace(/[.]/g, '\\.')}" in \\S+ \\(\\S+ including waiting\\)\\. Image size: \\d+ bytes\\.$`));
  });

  it('pull policies: IfNotPresent uses the local image, Never refuses a missing one', async () => {
    await apply(pod('present', { containers: [{ name: 'c', image: c.images['busybox:1.36'], command: ['sleep', '3600'], imagePullPolicy: 'IfNotPresent' }] }));
    await until('present', 'Ready', ready);
    // busybox was pulled already by another test or by this one; wait for the pod's own image event
    await waitFor(async () => (await events('present')).some((e) => e.reason === 'Pulled' || e.reason === 'Pulling'), 10_000, 'image event');
    const missing = `${c.registry.host}/library/not-here:1`;
    await apply(pod('never', { containers: [{ name: 'c', image: missing, imagePullPolicy: 'Never' }] }));
    const p = await until('never', 'ErrImageNeverPull', (x) => waiting(x)?.reason === 'ErrImageNeverPull', 30_000);
    assert.equal(waiting(p).message, `Container image "${missing}" is not present with pull policy of Never`);
    const ev = (await events('never')).find((e) => e.reason === 'ErrImageNeverPull');
    assert.equal(ev?.message, `Container image "${missing}" is not present with pull policy of Never`);
    assert.match(await c.k(['get', 'pod', 'never']), /never\s+0\/1\s+ErrImageNeverPull\s+0/);
  });
});
