// kubectl port-forward to a pod on a real node (containerd), through the API
// server's SPDY server, the kubelet and containerd's streaming server.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { INDEX_HTML } from '../oci/busybox-rootfs.js';
import { canRunNode, startNodeCluster, waitFor, type NodeCluster } from '../testing/node-cluster.js';
import { exitWithin, httpGet, rawExchange, startKubectlPortForward } from '../apiserver/port-forward-testing.js';

const skip = canRunNode();
let c: NodeCluster;

const apply = (obj: unknown) => c.k(['apply', '-f', '-'], { stdin: JSON.stringify(obj) });
const running = async (name: string) => {
  const r = await c.kubectl(['get', 'pod', name, '-o', 'jsonpath={.status.phase}/{.status.containerStatuses[*].ready}']);
  const [phase, ready] = r.stdout.split('/');
  return phase === 'Running' && ready === 'true true';
};

describe('kubectl port-forward on a real node', { skip }, () => {
  before(async () => {
    c = await startNodeCluster();
    await apply({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'web' },
      spec: {
        terminationGracePeriodSeconds: 1,
        containers: [
          { name: 'nginx', image: c.images['nginx:1.25'], ports: [{ containerPort: 80 }], readinessProbe: { tcpSocket: { port: 80 }, periodSeconds: 1 } },
          // Answers only after reading EOF, which containerd never delivers (see below).
          { name: 'echo', image: c.images['busybox:1.36'], command: ['sh', '-c', 'while true; do nc -l -p 7000 -e sh -c "cat | tr a-z A-Z"; done'] },
        ],
      },
    });
    await waitFor(() => running('web'), 60_000, 'pod web running and ready');
  });
  after(async () => {
    await c?.stop();
  });

  it('forwards two connections to the nginx index page', async () => {
    const pf = await startKubectlPortForward(c.kubeconfig, ['pod/web', ':80']);
    try {
      const first = await httpGet(pf.localPort, '/');
      assert.equal(first.status, 200);
      assert.equal(first.body, INDEX_HTML);
      const second = await httpGet(pf.localPort, '/index.html');
      assert.equal(second.body, INDEX_HTML);
      // HTTP/1.0 with a half-close: the response ends when the pod closes the connection.
      const raw = (await rawExchange(pf.localPort, Buffer.from('GET / HTTP/1.0\r\n\r\n'), { halfClose: true })).toString();
      assert.match(raw, /^HTTP\/1\.[01] 200 OK\r\n/);
      assert.ok(raw.endsWith(`\r\n\r\n${INDEX_HTML}`), raw);
      assert.equal(pf.stdout(), `Forwarding from 127.0.0.1:${pf.localPort} -> 80\n${`Handling connection for ${pf.localPort}\n`.repeat(3)}`);
      assert.equal(pf.stderr(), '');
    } finally {
      await pf.stop();
    }
  });

  it('a client half-close reaches containerd, which closes the pod connection a second later (also over the SPDY fallback)', async () => {
    // containerd stops copying towards the pod at the client's EOF, waits up to 1 s for the pod's
    // side and then closes both (it never half-closes the pod's socket). The echo container waits
    // for an EOF that never comes, so the connection ending at all shows the FIN got through.
    const envs: Array<Record<string, string>> = [{}, { KUBECTL_PORT_FORWARD_WEBSOCKETS: 'false' }];
    for (const env of envs) {
      const pf = await startKubectlPortForward(c.kubeconfig, ['web', ':7000'], { env });
      try {
        const t0 = Date.now();
        const got = await rawExchange(pf.localPort, Buffer.from('hello pod'), { halfClose: true, timeoutMs: 10_000 });
        const ms = Date.now() - t0;
        assert.equal(got.toString(), '', JSON.stringify(env));
        assert.ok(ms >= 900 && ms < 5000, `closed after ${ms} ms (${JSON.stringify(env)})`);
        assert.equal(pf.stderr(), '');
      } finally {
        await pf.stop();
      }
    }
  });

  it('nothing listening on the port: the GET fails and kubectl shows the runtime error', async () => {
    const pf = await startKubectlPortForward(c.kubeconfig, ['pod/web', ':81']);
    try {
      await assert.rejects(httpGet(pf.localPort, '/'));
      assert.equal(await exitWithin(pf, 10_000), 1);
      const err = pf.stderr();
      assert.match(
        err,
        new RegExp(`an error occurred forwarding ${pf.localPort} -> 81: error forwarding port 81 to pod [0-9a-f]{64}, uid : failed to execute portforward in network namespace .*connect: connection refused`),
      );
      assert.match(err, /error: lost connection to pod\n$/);
    } finally {
      await pf.stop();
    }
  });
});
