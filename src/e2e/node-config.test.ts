// Pod configuration on a real node, checked from inside the containers with
// the real kubectl: configMap/secret/downwardAPI/projected volumes (and their
// in-place updates), env resolution, /etc/hosts and resolv.conf, security
// contexts, host ports and host networking, lifecycle hooks, termination
// messages, startup probes and memory-backed emptyDirs.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { canRunNode, isReady as ready, isRunning as running, podHelpers, podManifest as pod, startNodeCluster, waitFor, type NodeCluster } from '../testing/node-cluster.js';

const skip = canRunNode();
let c: NodeCluster;

const { apply, create, getPod, events, until, exec, sh, untilOutput } = podHelpers(() => c);
const configMap = (name: string, data: Record<string, string>) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data });
const secret = (name: string, data: Record<string, string>) => ({
  apiVersion: 'v1',
  kind: 'Secret',
  metadata: { name },
  type: 'Opaque',
  data: Object.fromEntries(Object.entries(data).map(([k, v]) => [k, Buffer.from(v).toString('base64')])),
});
function envMap(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const i = line.indexOf('=');
    if (i > 0) out[line.slice(0, i)] = line.slice(i + 1);
  }
  return out;
}
async function freePort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as net.AddressInfo).port;
  await new Promise((r) => srv.close(r));
  return port;
}
const busy = () => c.images['busybox:1.36'];
const sleeper = (name: string, extra: Record<string, unknown> = {}) => ({ name, image: busy(), command: ['sleep', '3600'], ...extra });

describe('pod configuration on a real node', { skip, concurrency: true }, () => {
  before(async () => {
    c = await startNodeCluster();
  });
  after(async () => {
    await c?.stop();
  });

  it('configMap and secret volumes change in place, without a container restart; items keep their path and mode', async () => {
    await apply(configMap('web-config', { greeting: 'v1', other: 'o1' }));
    await apply(secret('web-secret', { password: 's3cret-1', token: 't1' }));
    await apply(pod('vol-update', {
      volumes: [
        { name: 'cfg', configMap: { name: 'web-config' } },
        { name: 'items', configMap: { name: 'web-config', items: [{ key: 'greeting', path: 'sub/hello.txt', mode: 0o400 }] } },
        { name: 'sec', secret: { secretName: 'web-secret', defaultMode: 0o440, items: [{ key: 'password', path: 'pw' }, { key: 'token', path: 'tok', mode: 0o600 }] } },
      ],
      containers: [sleeper('c', {
        volumeMounts: [
          { name: 'cfg', mountPath: '/etc/cfg' },
          { name: 'items', mountPath: '/etc/items' },
          { name: 'sec', mountPath: '/etc/sec' },
        ],
      })],
    }));
    const before = await until('vol-update', 'running', running);
    assert.equal(await sh('vol-update', 'cat /etc/cfg/greeting; echo; cat /etc/cfg/other; echo; cat /etc/sec/pw; echo; cat /etc/items/sub/hello.txt'), 'v1\no1\ns3cret-1\nv1');
    // Only the listed items are projected; the visible names are symlinks into ..data.
    assert.equal(await sh('vol-update', 'ls /etc/items; ls /etc/sec'), 'sub\npw\ntok\n');
    assert.equal(await sh('vol-update', 'stat -L -c %a /etc/items/sub/hello.txt /etc/sec/pw /etc/sec/tok /etc/cfg/greeting'), '400\n440\n600\n644\n');
    assert.equal(await sh('vol-update', 'readlink /etc/cfg/greeting'), '..data/greeting\n');
    // The mount is read-only for the container.
    const w = await exec('vol-update', ['sh', '-c', 'echo x > /etc/cfg/new']);
    assert.notEqual(w.code, 0);
    assert.match(w.stderr, /Read-only file system/);

    await apply(configMap('web-config', { greeting: 'v2', other: 'o1' }));
    await apply(secret('web-secret', { password: 's3cret-2', token: 't1' }));
    await untilOutput('vol-update', 'cat /etc/cfg/greeting /etc/items/sub/hello.txt /etc/sec/pw', 'v2v2s3cret-2', 30_000);
    assert.equal(await sh('vol-update', 'stat -L -c %a /etc/items/sub/hello.txt /etc/sec/pw'), '400\n440\n');
    const afterUpdate = await getPod('vol-update');
    assert.equal(afterUpdate.status.containerStatuses[0].restartCount, 0);
    assert.equal(afterUpdate.status.containerStatuses[0].containerID, before.status.containerStatuses[0].containerID);
  });

  it('a missing secret holds the pod in ContainerCreating with FailedMount; optional ones and subPath files work', async () => {
    await apply(configMap('sub-cm', { 'app.conf': 'port=80\n' }));
    await apply(pod('needs-secret', {
      volumes: [
        { name: 'sec', secret: { secretName: 'arrives-later' } },
        { name: 'maybe', secret: { secretName: 'never-there', optional: true } },
        { name: 'conf', configMap: { name: 'sub-cm' } },
      ],
      containers: [sleeper('c', {
        volumeMounts: [{ name: 'sec', mountPath: '/sec' }, { name: 'maybe', mountPath: '/maybe' }, { name: 'conf', mountPath: '/etc/app.conf', subPath: 'app.conf' }],
      })],
    }));
    await waitFor(async () => (await events('needs-secret')).some((e) => e.reason === 'FailedMount'), 30_000, 'FailedMount event');
    const failed = (await events('needs-secret')).find((e) => e.reason === 'FailedMount');
    assert.equal(failed.type, 'Warning');
    assert.equal(failed.message, 'MountVolume.SetUp failed for volume "sec" : secret "arrives-later" not found');
    const p = await getPod('needs-secret');
    assert.equal(p.status.phase, 'Pending');
    assert.deepEqual(p.status.containerStatuses?.[0]?.state, { waiting: { reason: 'ContainerCreating' } });
    assert.match(await c.k(['get', 'pod', 'needs-secret']), /needs-secret\s+0\/1\s+ContainerCreating\s+0\s/);

    await apply(secret('arrives-later', { k: 'here' }));
    await until('needs-secret', 'running', running, 40_000);
    assert.equal(await sh('needs-secret', 'cat /sec/k; ls /maybe | wc -l; cat /etc/app.conf'), 'here0\nport=80\n');
  });

  it('env: $(VAR) expansion, configMap/secret keys, fieldRef, resourceFieldRef, envFrom with a prefix', async () => {
    await apply(configMap('env-cm', { k1: 'cm-one', k2: 'cm-two' }));
    await apply(secret('env-sec', { s1: 'sec-one' }));
    await apply(pod('env', {
      containers: [{
        name: 'c',
        image: busy(),
        command: ['sh', '-c', 'echo "arg=$1"; sleep 3600', '--', '$(BASE)-in-args'],
        resources: { requests: { cpu: '250m', memory: '32Mi' }, limits: { memory: '64Mi' } },
        env: [
          { name: 'BASE', value: 'base' },
          { name: 'EXPANDED', value: '$(BASE)-x-$$(BASE)-$(MISSING)' },
          { name: 'CM_VAL', valueFrom: { configMapKeyRef: { name: 'env-cm', key: 'k1' } } },
          { name: 'SEC_VAL', valueFrom: { secretKeyRef: { name: 'env-sec', key: 's1' } } },
          { name: 'OPT_VAL', valueFrom: { configMapKeyRef: { name: 'no-such-cm', key: 'k', optional: true } } },
          { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
          { name: 'POD_NS', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
          { name: 'POD_UID', valueFrom: { fieldRef: { fieldPath: 'metadata.uid' } } },
          { name: 'POD_APP', valueFrom: { fieldRef: { fieldPath: "metadata.labels['app']" } } },
          { name: 'POD_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
          { name: 'HOST_IP', valueFrom: { fieldRef: { fieldPath: 'status.hostIP' } } },
          { name: 'NODE_NAME', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } },
          { name: 'SA_NAME', valueFrom: { fieldRef: { fieldPath: 'spec.serviceAccountName' } } },
          { name: 'MEM_LIMIT', valueFrom: { resourceFieldRef: { resource: 'limits.memory' } } },
          { name: 'MEM_LIMIT_MI', valueFrom: { resourceFieldRef: { resource: 'limits.memory', divisor: '1Mi' } } },
          { name: 'CPU_REQ_M', valueFrom: { resourceFieldRef: { resource: 'requests.cpu', divisor: '1m' } } },
          { name: 'CPU_LIMIT', valueFrom: { resourceFieldRef: { resource: 'limits.cpu' } } },
          { name: 'FROM_POD', value: 'pod-$(POD_NAME)' },
        ],
        envFrom: [{ configMapRef: { name: 'env-cm' }, prefix: 'CM_' }, { secretRef: { name: 'env-sec' } }],
      }],
    }, { labels: { app: 'envtest' } }));
    const p = await until('env', 'running', running);
    const env = envMap(await c.k(['exec', 'env', '--', 'env']));
    const node = JSON.parse(await c.k(['get', 'node', c.nodeName, '-o', 'json']));
    assert.deepEqual(
      {
        BASE: env.BASE, EXPANDED: env.EXPANDED, CM_VAL: env.CM_VAL, SEC_VAL: env.SEC_VAL, OPT_VAL: env.OPT_VAL,
        POD_NAME: env.POD_NAME, POD_NS: env.POD_NS, POD_UID: env.POD_UID, POD_APP: env.POD_APP, POD_IP: env.POD_IP, HOST_IP: env.HOST_IP,
        NODE_NAME: env.NODE_NAME, SA_NAME: env.SA_NAME, MEM_LIMIT: env.MEM_LIMIT, MEM_LIMIT_MI: env.MEM_LIMIT_MI, CPU_REQ_M: env.CPU_REQ_M,
        CPU_LIMIT: env.CPU_LIMIT, FROM_POD: env.FROM_POD, CM_k1: env.CM_k1, CM_k2: env.CM_k2, s1: env.s1, HOSTNAME: env.HOSTNAME,
      },
      {
        BASE: 'base', EXPANDED: 'base-x-$(BASE)-$(MISSING)', CM_VAL: 'cm-one', SEC_VAL: 'sec-one', OPT_VAL: undefined,
        POD_NAME: 'env', POD_NS: 'default', POD_UID: p.metadata.uid, POD_APP: 'envtest', POD_IP: p.status.podIP, HOST_IP: '127.0.0.1',
        NODE_NAME: c.nodeName, SA_NAME: 'default', MEM_LIMIT: String(64 * 1024 * 1024), MEM_LIMIT_MI: '64', CPU_REQ_M: '250',
        // No cpu limit: the node's allocatable cpu, in whole cores rounded up.
        CPU_LIMIT: String(Math.ceil(Number.parseFloat(node.status.allocatable.cpu) / (String(node.status.allocatable.cpu).endsWith('m') ? 1000 : 1))),
        FROM_POD: 'pod-env', CM_k1: 'cm-one', CM_k2: 'cm-two', s1: 'sec-one', HOSTNAME: 'env',
      },
    );
    // The default/kubernetes service is announced to every pod.
    const svc = JSON.parse(await c.k(['get', 'service', 'kubernetes', '-n', 'default', '-o', 'json']));
    const ip = svc.spec.clusterIP;
    assert.deepEqual(
      Object.fromEntries(Object.entries(env).filter(([k]) => k.startsWith('KUBERNETES_'))),
      {
        KUBERNETES_SERVICE_HOST: ip,
        KUBERNETES_SERVICE_PORT: '443',
        KUBERNETES_SERVICE_PORT_HTTPS: '443',
        KUBERNETES_PORT: `tcp://${ip}:443`,
        KUBERNETES_PORT_443_TCP: `tcp://${ip}:443`,
        KUBERNETES_PORT_443_TCP_PROTO: 'tcp',
        KUBERNETES_PORT_443_TCP_PORT: '443',
        KUBERNETES_PORT_443_TCP_ADDR: ip,
      },
    );
    // Command arguments are expanded too.
    await waitFor(async () => (await c.kubectl(['logs', 'env'])).stdout === 'arg=base-in-args\n', 10_000, 'expanded argument in the log');
  });

  it('a missing configMap or key: CreateContainerConfigError until the configMap exists, then the pod starts', async () => {
    await apply(configMap('partial-cm', { other: 'x' }));
    const refPod = (name: string, cm: string) =>
      pod(name, { containers: [sleeper('c', { env: [{ name: 'LATE', valueFrom: { configMapKeyRef: { name: cm, key: 'wanted' } } }] })] });
    await apply(refPod('missing-key', 'partial-cm'));
    await apply(refPod('missing-cm', 'late-cm'));
    const waitingOf = (p: any) => p?.status?.containerStatuses?.[0]?.state?.waiting;
    const key = await until('missing-key', 'CreateContainerConfigError', (p) => waitingOf(p)?.reason === 'CreateContainerConfigError', 30_000);
    assert.equal(waitingOf(key).message, "couldn't find key wanted in ConfigMap default/partial-cm");
    const cm = await until('missing-cm', 'CreateContainerConfigError', (p) => waitingOf(p)?.reason === 'CreateContainerConfigError', 30_000);
    assert.equal(waitingOf(cm).message, 'configmap "late-cm" not found');
    assert.equal(cm.status.phase, 'Pending');
    assert.equal(cm.status.containerStatuses[0].ready, false);
    assert.equal(cm.status.containerStatuses[0].restartCount, 0);
    assert.match(await c.k(['get', 'pod', 'missing-key', 'missing-cm']), /^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\nmissing-key\s+0\/1\s+CreateContainerConfigError\s+0\s+\S+\nmissing-cm\s+0\/1\s+CreateContainerConfigError\s+0\s+\S+\n$/);
    const failed = (await events('missing-key')).find((e) => e.reason === 'Failed');
    assert.equal(failed?.type, 'Warning');
    assert.equal(failed?.message, "Error: couldn't find key wanted in ConfigMap default/partial-cm");
    assert.equal(failed?.involvedObject?.fieldPath, 'spec.containers{c}');

    await apply(configMap('partial-cm', { other: 'x', wanted: 'now-here' }));
    await apply(configMap('late-cm', { wanted: 'late-too' }));
    await until('missing-key', 'running', running, 40_000);
    await until('missing-cm', 'running', running, 40_000);
    assert.equal(await c.k(['exec', 'missing-key', '--', 'sh', '-c', 'echo $LATE']), 'now-here\n');
    assert.equal(await c.k(['exec', 'missing-cm', '--', 'sh', '-c', 'echo $LATE']), 'late-too\n');
  });

  it('downwardAPI volume (labels file format, updates) and a projected volume of configMap + secret + downwardAPI', async () => {
    await apply(configMap('proj-cm', { a: 'cm-a', b: 'cm-b' }));
    await apply(secret('proj-sec', { user: 'admin' }));
    // create, not apply: apply would add its last-applied annotation.
    await create(pod('downward', {
      volumes: [
        {
          name: 'info',
          downwardAPI: {
            items: [
              { path: 'labels', fieldRef: { fieldPath: 'metadata.labels' } },
              { path: 'annotations', fieldRef: { fieldPath: 'metadata.annotations' } },
              { path: 'name', fieldRef: { fieldPath: 'metadata.name' } },
              { path: 'cpu_limit_m', resourceFieldRef: { containerName: 'c', resource: 'limits.cpu', divisor: '1m' } },
            ],
          },
        },
        {
          name: 'all-in-one',
          projected: {
            sources: [
              { configMap: { name: 'proj-cm', items: [{ key: 'a', path: 'cm/a' }] } },
              { secret: { name: 'proj-sec' } },
              { downwardAPI: { items: [{ path: 'podname', fieldRef: { fieldPath: 'metadata.name' } }] } },
            ],
          },
        },
      ],
      containers: [sleeper('c', {
        resources: { limits: { cpu: '500m', memory: '32Mi' } },
        volumeMounts: [{ name: 'info', mountPath: '/info' }, { name: 'all-in-one', mountPath: '/proj' }],
      })],
    }, { labels: { tier: 'web', app: 'demo' }, annotations: { note: 'hello "world"' } }));
    const before = await until('downward', 'running', running);
    assert.equal(await sh('downward', 'cat /info/labels'), 'app="demo"\ntier="web"');
    assert.equal(await sh('downward', 'cat /info/annotations'), 'note="hello \\"world\\""');
    assert.equal(await sh('downward', 'cat /info/name; echo; cat /info/cpu_limit_m'), 'downward\n500');
    assert.equal(await sh('downward', 'ls /proj; ls /proj/cm'), 'cm\npodname\nuser\na\n');
    assert.equal(await sh('downward', 'cat /proj/cm/a; echo; cat /proj/user; echo; cat /proj/podname'), 'cm-a\nadmin\ndownward');
    assert.equal(await sh('downward', 'stat -L -c %a /proj/user /info/labels'), '644\n644\n');

    await c.k(['label', 'pod', 'downward', 'extra=yes']);
    await untilOutput('downward', 'cat /info/labels', 'app="demo"\nextra="yes"\ntier="web"', 30_000);
    const afterUpdate = await getPod('downward');
    assert.equal(afterUpdate.status.containerStatuses[0].containerID, before.status.containerStatuses[0].containerID);
    assert.equal(afterUpdate.status.containerStatuses[0].restartCount, 0);
  });

  it('/etc/hosts is Kubernetes-managed (hostname, subdomain FQDN, hostAliases); hostname and resolv.conf', async () => {
    await apply(pod('hosts-fqdn', {
      hostname: 'web-0',
      subdomain: 'backend',
      hostAliases: [{ ip: '10.9.8.7', hostnames: ['foo.local', 'bar.local'] }],
      containers: [sleeper('c')],
    }));
    await apply(pod('hosts-plain', { containers: [sleeper('c')] }));
    const fqdn = await until('hosts-fqdn', 'running', running);
    const plain = await until('hosts-plain', 'running', running);
    const header =
      '# Kubernetes-managed hosts file.\n127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n' +
      'fe00::0\tip6-localnet\nfe00::0\tip6-mcastprefix\nfe00::1\tip6-allnodes\nfe00::2\tip6-allrouters\n';
    assert.equal(
      await c.k(['exec', 'hosts-fqdn', '--', 'cat', '/etc/hosts']),
      `${header}${fqdn.status.podIP}\tweb-0.backend.default.svc.cluster.local\tweb-0\n\n# Entries added by HostAliases.\n10.9.8.7\tfoo.local\tbar.local\n`,
    );
    assert.equal(await c.k(['exec', 'hosts-plain', '--', 'cat', '/etc/hosts']), `${header}${plain.status.podIP}\thosts-plain\n`);
    assert.equal(await c.k(['exec', 'hosts-fqdn', '--', 'hostname']), 'web-0\n');
    assert.equal(await c.k(['exec', 'hosts-plain', '--', 'hostname']), 'hosts-plain\n');
    // No cluster DNS is configured: ClusterFirst falls back to the node's resolver settings.
    const hostServers = fs.readFileSync('/etc/resolv.conf', 'utf8').split('\n').filter((l) => /^nameserver\s/.test(l)).map((l) => l.split(/\s+/)[1]);
    const resolv = await c.k(['exec', 'hosts-plain', '--', 'cat', '/etc/resolv.conf']);
    const podServers = resolv.split('\n').filter((l) => l.startsWith('nameserver ')).map((l) => l.slice('nameserver '.length));
    assert.deepEqual(podServers, hostServers);
    assert.ok(hostServers.length > 0);
  });

  it('securityContext: runAsUser/runAsGroup/supplementalGroups, readOnlyRootFilesystem, capabilities drop ALL', async () => {
    const chown = 'touch /tmp/f && chown 1 /tmp/f && echo chowned';
    await apply(pod('secctx', {
      securityContext: { supplementalGroups: [4000] },
      containers: [
        sleeper('user', { securityContext: { runAsUser: 1000, runAsGroup: 3000 } }),
        sleeper('ro', { securityContext: { readOnlyRootFilesystem: true }, volumeMounts: [{ name: 'scratch', mountPath: '/scratch' }] }),
        sleeper('nocaps', { securityContext: { capabilities: { drop: ['ALL'] } } }),
        sleeper('plain'),
      ],
      volumes: [{ name: 'scratch', emptyDir: {} }],
    }));
    await until('secctx', 'running', running);
    assert.equal(await sh('secctx', 'id -u; id -g; id -G', 'user'), '1000\n3000\n3000 4000\n');
    assert.equal(await sh('secctx', 'id -u; id -g', 'plain'), '0\n0\n');
    const ro = await exec('secctx', ['touch', '/x'], 'ro');
    assert.equal(ro.code, 1);
    assert.match(ro.stderr, /touch: \/x: Read-only file system/);
    // Volumes stay writable on a read-only root.
    assert.equal(await sh('secctx', 'touch /scratch/ok && echo ok', 'ro'), 'ok\n');
    const nocap = await exec('secctx', ['sh', '-c', chown], 'nocaps');
    assert.equal(nocap.code, 1);
    assert.match(nocap.stderr, /chown: \/tmp\/f: Operation not permitted/);
    assert.equal(await sh('secctx', 'grep CapEff /proc/self/status', 'nocaps'), 'CapEff:\t0000000000000000\n');
    assert.equal(await sh('secctx', chown, 'plain'), 'chowned\n');
  });

  it('fsGroup: volume files get the group (secret readable by a non-root user), emptyDir is group-writable with setgid', async () => {
    await apply(secret('fsg-secret', { key: 'private' }));
    await apply(pod('fsgroup', {
      securityContext: { runAsUser: 1000, runAsGroup: 3000, fsGroup: 2000 },
      volumes: [{ name: 'sec', secret: { secretName: 'fsg-secret', defaultMode: 0o400 } }, { name: 'data', emptyDir: {} }],
      containers: [sleeper('c', { volumeMounts: [{ name: 'sec', mountPath: '/sec' }, { name: 'data', mountPath: '/data' }] })],
    }));
    await until('fsgroup', 'running', running);
    assert.equal(await sh('fsgroup', 'id -G'), '3000 2000\n');
    assert.equal(await sh('fsgroup', 'stat -L -c "%a %u %g" /sec/key; cat /sec/key'), '440 0 2000\nprivate');
    assert.equal(await sh('fsgroup', 'stat -c "%a %g" /data; touch /data/f; stat -c "%u %g" /data/f'), '2777 2000\n1000 2000\n');
  });

  it('runAsNonRoot refuses an image that runs as root (CreateContainerConfigError) but allows an explicit user', async () => {
    await apply(pod('nonroot', {
      securityContext: { runAsNonRoot: true },
      containers: [sleeper('root-image'), sleeper('explicit', { securityContext: { runAsUser: 1000 } })],
    }));
    const p = await until('nonroot', 'refused and running', (x) => {
      const byName = Object.fromEntries((x?.status?.containerStatuses ?? []).map((s: any) => [s.name, s.state]));
      return byName['root-image']?.waiting?.reason === 'CreateContainerConfigError' && byName.explicit?.running !== undefined;
    }, 30_000);
    const refused = p.status.containerStatuses.find((s: any) => s.name === 'root-image');
    const want = `container has runAsNonRoot and image will run as root (pod: "nonroot_default(${p.metadata.uid})", container: root-image)`;
    assert.equal(refused.state.waiting.message, want);
    assert.equal((await events('nonroot')).find((e) => e.reason === 'Failed')?.message, `Error: ${want}`);
    assert.match(await c.k(['get', 'pod', 'nonroot']), /nonroot\s+1\/2\s+CreateContainerConfigError\s+0\s/);
    assert.equal(await sh('nonroot', 'id -u', 'explicit'), '1000\n');
  });

  it('hostPort answers on the node; a hostNetwork pod has the node IP and the node hostname', async () => {
    const port = await freePort();
    await apply(pod('hostport', { containers: [{ name: 'web', image: c.images['nginx:1.25'], ports: [{ containerPort: 80, hostPort: port }] }] }));
    await until('hostport', 'running', running);
    let body = '';
    await waitFor(async () => {
      body = await fetch(`http://127.0.0.1:${port}/`).then((r) => r.text(), () => '');
      return body.includes('Welcome to nginx!');
    }, 20_000, `http://127.0.0.1:${port}/ through the hostPort (last ${JSON.stringify(body)})`);

    const hnPort = await freePort();
    await apply(pod('hostnet', {
      hostNetwork: true,
      containers: [{ name: 'web', image: busy(), command: ['httpd', '-f', '-p', `127.0.0.1:${hnPort}`, '-h', '/www'], ports: [{ containerPort: hnPort }] }],
    }));
    const p = await until('hostnet', 'running', running);
    assert.equal(p.status.podIP, '127.0.0.1');
    assert.equal(p.status.hostIP, '127.0.0.1');
    assert.deepEqual(p.status.podIPs, [{ ip: '127.0.0.1' }]);
    assert.equal(await c.k(['exec', 'hostnet', '--', 'hostname']), `${os.hostname()}\n`);
    assert.equal(await c.k(['exec', 'hostnet', '--', 'cat', '/etc/hosts']), `# Kubernetes-managed hosts file (host network).\n${fs.readFileSync('/etc/hosts', 'utf8')}`);
    // The server inside listens in the node's own network namespace.
    await waitFor(async () => (await fetch(`http://127.0.0.1:${hnPort}/`).then((r) => r.text(), () => '')).includes('Welcome to nginx!'), 20_000, 'host network server');
    assert.match(await c.k(['get', 'pod', 'hostnet', '-o', 'wide']), /hostnet\s+1\/1\s+Running\s+0\s+\S+\s+127\.0\.0\.1\s+node-1\s/);
  });

  it('postStart runs at start; preStop runs before SIGTERM on delete', async () => {
    const dir = fs.mkdtempSync(path.join(c.dataDir, 'hooks-'));
    await apply(pod('hooks', {
      volumes: [{ name: 'host', hostPath: { path: dir, type: 'Directory' } }],
      containers: [{
        name: 'c',
        image: busy(),
        command: ['sh', '-c', "trap 'echo term >> /h/order; exit 0' TERM; until [ -f /tmp/ps ]; do sleep 0.1; done; echo saw-$(cat /tmp/ps); while true; do sleep 0.2; done"],
        volumeMounts: [{ name: 'host', mountPath: '/h' }],
        lifecycle: {
          postStart: { exec: { command: ['sh', '-c', 'echo poststart > /tmp/ps'] } },
          preStop: { exec: { command: ['sh', '-c', 'echo prestop >> /h/order; sleep 1'] } },
        },
      }],
    }));
    await until('hooks', 'running', running);
    await waitFor(async () => (await c.kubectl(['logs', 'hooks'])).stdout === 'saw-poststart\n', 15_000, 'main process saw the postStart file');
    const t = Date.now();
    await c.k(['delete', 'pod', 'hooks'], { timeoutMs: 60_000 });
    const took = Date.now() - t;
    assert.equal(fs.readFileSync(path.join(dir, 'order'), 'utf8'), 'prestop\nterm\n');
    assert.ok(took >= 1000 && took < 15_000, `delete took ${took} ms (preStop sleeps 1 s)`);
  });

  it('a failing postStart hook: FailedPostStartHook event, the container is killed and restarted', async () => {
    await apply(pod('bad-hook', {
      terminationGracePeriodSeconds: 2,
      containers: [sleeper('c', { lifecycle: { postStart: { exec: { command: ['sh', '-c', 'echo hook-out; exit 7'] } } } })],
    }));
    const p = await until('bad-hook', 'restarted', (x) => x?.status?.containerStatuses?.[0]?.restartCount >= 1, 60_000);
    const ev = await events('bad-hook');
    const failed = ev.find((e) => e.reason === 'FailedPostStartHook');
    assert.equal(failed?.type, 'Warning');
    assert.equal(
      failed?.message,
      `Exec lifecycle hook ([sh -c echo hook-out; exit 7]) for Container "c" in Pod "bad-hook_default(${p.metadata.uid})" failed - error: command 'sh -c echo hook-out; exit 7' exited with 7: , message: "hook-out\\n"`,
    );
    assert.equal(ev.find((e) => e.reason === 'Killing')?.message, 'FailedPostStartHook');
    assert.ok(p.status.containerStatuses[0].lastState.terminated, JSON.stringify(p.status.containerStatuses[0]));
    assert.equal(p.status.containerStatuses[0].ready, false);
  });

  it('termination messages: the message file, a custom path, FallbackToLogsOnError', async () => {
    await apply(pod('term-msg', {
      restartPolicy: 'Never',
      containers: [
        { name: 'file', image: busy(), command: ['sh', '-c', 'printf "custom failure" > /dev/termination-log; echo ignored-log; exit 1'] },
        { name: 'custom', image: busy(), terminationMessagePath: '/tmp/msg', command: ['sh', '-c', 'printf hi-there > /tmp/msg'] },
        { name: 'logs', image: busy(), terminationMessagePolicy: 'FallbackToLogsOnError', command: ['sh', '-c', 'echo line1; sleep 0.5; echo line2 >&2; exit 2'] },
        { name: 'logs-ok', image: busy(), terminationMessagePolicy: 'FallbackToLogsOnError', command: ['sh', '-c', 'echo fine'] },
        { name: 'file-wins', image: busy(), terminationMessagePolicy: 'FallbackToLogsOnError', command: ['sh', '-c', 'printf from-file > /dev/termination-log; echo from-log; exit 3'] },
      ],
    }));
    const p = await until('term-msg', 'Failed', (x) => x?.status?.phase === 'Failed', 60_000);
    const t = Object.fromEntries(p.status.containerStatuses.map((s: any) => [s.name, s.state.terminated]));
    assert.deepEqual(
      Object.fromEntries(Object.entries(t).map(([n, s]: [string, any]) => [n, [s.exitCode, s.reason, s.message]])),
      {
        custom: [0, 'Completed', 'hi-there'],
        file: [1, 'Error', 'custom failure'],
        'file-wins': [3, 'Error', 'from-file'],
        logs: [2, 'Error', 'line1\nline2\n'],
        'logs-ok': [0, 'Completed', undefined],
      },
    );
    const describe = await c.k(['describe', 'pod', 'term-msg']);
    assert.match(describe, /Reason:\s+Error\n\s+Message:\s+custom failure\n\s+Exit Code:\s+1/);
  });

  it('startupProbe holds off liveness until the container has started', async () => {
    await apply(pod('slow-start', {
      containers: [sleeper('c', {
        command: ['sh', '-c', 'sleep 10; touch /tmp/ok; sleep 3600'],
        startupProbe: { exec: { command: ['cat', '/tmp/ok'] }, periodSeconds: 1, failureThreshold: 30 },
        livenessProbe: { exec: { command: ['cat', '/tmp/ok'] }, periodSeconds: 1, failureThreshold: 1 },
      })],
    }));
    const early = await until('slow-start', 'running', running);
    const s0 = early.status.containerStatuses[0];
    assert.equal(s0.started, false);
    assert.equal(s0.ready, false);
    const started = await until('slow-start', 'started', (x) => x?.status?.containerStatuses?.[0]?.started === true, 30_000);
    assert.equal(started.status.containerStatuses[0].restartCount, 0);
    await until('slow-start', 'Ready', ready, 10_000);
    // Liveness now runs and passes: no kill.
    await new Promise((r) => setTimeout(r, 3000));
    const later = await getPod('slow-start');
    assert.equal(later.status.containerStatuses[0].restartCount, 0);
    assert.equal(later.status.containerStatuses[0].containerID, s0.containerID);
    const ev = await events('slow-start');
    assert.ok(ev.some((e) => e.reason === 'Unhealthy' && e.message.startsWith('Startup probe failed: ')), JSON.stringify(ev.map((e) => [e.reason, e.message])));
    assert.ok(!ev.some((e) => e.reason === 'Killing'), 'no Killing event');
    assert.ok(!ev.some((e) => e.reason === 'Unhealthy' && e.message.startsWith('Liveness probe failed')), 'liveness never failed');
  });

  it('emptyDir medium Memory is a tmpfs sized by sizeLimit; a plain emptyDir is not', async () => {
    await apply(pod('mem-vol', {
      volumes: [{ name: 'ram', emptyDir: { medium: 'Memory', sizeLimit: '16Mi' } }, { name: 'disk', emptyDir: {} }],
      containers: [sleeper('c', { volumeMounts: [{ name: 'ram', mountPath: '/ram' }, { name: 'disk', mountPath: '/disk' }] })],
    }));
    await until('mem-vol', 'running', running);
    const mounts = await sh('mem-vol', 'cat /proc/mounts');
    const ram = mounts.split('\n').find((l) => l.split(' ')[1] === '/ram');
    const disk = mounts.split('\n').find((l) => l.split(' ')[1] === '/disk');
    assert.match(ram ?? '', /^tmpfs \/ram tmpfs rw,.*size=16384k/);
    assert.ok(disk && !disk.startsWith('tmpfs '), disk);
    assert.match(await sh('mem-vol', 'df -k /ram | tail -n 1'), /^tmpfs\s+16384\s+0\s+16384\s+0% \/ram\n$/);
    assert.equal(await sh('mem-vol', 'stat -c %a /ram /disk'), '777\n777\n');
  });
});
