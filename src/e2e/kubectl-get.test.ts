// kubectl get in all its forms: tables, wide, yaml/json, selectors, paging, watch.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { startSkiff, apiRequest, type SkiffProcess } from '../testing/server-process.js';
import { kubectl as run, kubectlPath, withGlobalFlags, cacheDirFor, kubectlEnv } from '../testing/kubectl.js';
import { parse as parseYaml } from 'yaml';

let s: SkiffProcess;
const k = (args: string[], stdin?: string) => run(args, { kubeconfig: s.kubeconfig, stdin });

function pod(name: string, labels: Record<string, string>, ns = 'default'): unknown {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: ns, labels }, spec: { containers: [{ name: 'main', image: 'busybox:1.36' }] } };
}

before(async () => {
  s = await startSkiff();
  await apiRequest(s, 'POST', '/api/v1/namespaces', { metadata: { name: 'other' } });
  for (const [name, labels, ns] of [
    ['web-1', { app: 'web', env: 'prod' }, 'default'],
    ['web-2', { app: 'web', env: 'dev' }, 'default'],
    ['db-1', { app: 'db', env: 'prod' }, 'default'],
    ['x-1', { app: 'x' }, 'other'],
  ] as const) {
    const r = await apiRequest(s, 'POST', `/api/v1/namespaces/${ns}/pods`, pod(name, labels, ns));
    assert.equal(r.status, 201, r.text);
  }
});
after(async () => {
  await s?.stop();
});

const names = (out: string) =>
  out
    .trim()
    .split('\n')
    .slice(1)
    .map((l) => l.split(/\s+/)[0]);

describe('kubectl get', () => {
  it('prints the Kubernetes pod columns', async () => {
    const r = await k(['get', 'pods']);
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.trim().split('\n');
    assert.match(lines[0], /^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE$/);
    assert.match(lines[1], /^db-1\s+0\/1\s+Pending\s+0\s+\d+s$/);
    assert.deepEqual(names(r.stdout), ['db-1', 'web-1', 'web-2']);
  });

  it('-o wide adds IP NODE NOMINATED NODE READINESS GATES', async () => {
    const r = await k(['get', 'pods', '-o', 'wide']);
    assert.match(r.stdout.split('\n')[0], /^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\s+IP\s+NODE\s+NOMINATED NODE\s+READINESS GATES$/);
    assert.match(r.stdout.split('\n')[1], /^db-1\s+0\/1\s+Pending\s+0\s+\d+s\s+<none>\s+<none>\s+<none>\s+<none>$/);
  });

  it('-o yaml and -o json give the object', async () => {
    const y = parseYaml((await k(['get', 'pod', 'web-1', '-o', 'yaml'])).stdout);
    assert.equal(y.kind, 'Pod');
    assert.equal(y.metadata.labels.app, 'web');
    const j = JSON.parse((await k(['get', 'pods', '-o', 'json'])).stdout);
    assert.equal(j.kind, 'List');
    assert.equal(j.items.length, 3);
  });

  it('label selectors: = != in notin exists !exists', async () => {
    assert.deepEqual(names((await k(['get', 'pods', '-l', 'app=web'])).stdout), ['web-1', 'web-2']);
    assert.deepEqual(names((await k(['get', 'pods', '-l', 'app!=web'])).stdout), ['db-1']);
    assert.deepEqual(names((await k(['get', 'pods', '-l', 'env in (dev,qa)'])).stdout), ['web-2']);
    assert.deepEqual(names((await k(['get', 'pods', '-l', 'env notin (dev)'])).stdout), ['db-1', 'web-1']);
    assert.deepEqual(names((await k(['get', 'pods', '-l', 'env'])).stdout), ['db-1', 'web-1', 'web-2']);
    assert.deepEqual(names((await k(['get', 'pods', '-A', '-l', '!env'])).stdout), ['other']);
    const none = await k(['get', 'pods', '-l', 'app=nothing']);
    assert.equal(none.stdout, '');
    assert.equal(none.stderr.trim(), 'No resources found in default namespace.');
  });

  it('field selectors: metadata.name, status.phase, and unsupported fields', async () => {
    assert.deepEqual(names((await k(['get', 'pods', '--field-selector', 'metadata.name=web-2'])).stdout), ['web-2']);
    assert.deepEqual(names((await k(['get', 'pods', '--field-selector', 'status.phase=Pending,metadata.name!=web-2'])).stdout), ['db-1', 'web-1']);
    const bad = await k(['get', 'pods', '--field-selector', 'spec.bogus=1']);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /Error from server \(BadRequest\): Unable to find "\/v1, Resource=pods" that match label selector "", field selector "spec.bogus=1": field label not supported: spec.bogus/);
  });

  it('-A adds NAMESPACE; --show-labels and -L', async () => {
    const all = await k(['get', 'pods', '-A']);
    assert.match(all.stdout.split('\n')[0], /^NAMESPACE\s+NAME\s+READY/);
    assert.match(all.stdout, /\nother\s+x-1\s+0\/1\s+Pending/);
    const sl = await k(['get', 'pods', '--show-labels', '-l', 'app=db']);
    assert.match(sl.stdout, /LABELS\ndb-1\s+.*app=db,env=prod\n$/);
    const L = await k(['get', 'pods', '-L', 'env', '-l', 'app=web']);
    assert.match(L.stdout.split('\n')[0], /ENV$/);
    assert.match(L.stdout, /web-2\s+0\/1\s+Pending\s+0\s+\S+\s+dev\n/);
  });

  it('--chunk-size pages through with continue tokens', async () => {
    const r = await k(['get', 'pods', '--chunk-size=1', '-v=6']);
    assert.deepEqual(names(r.stdout), ['db-1', 'web-1', 'web-2']);
    assert.match(r.stderr, /continue=/);
  });

  it('--sort-by and get pod,svc', async () => {
    const r = await k(['get', 'pods', '--sort-by=.metadata.labels.env']);
    assert.equal(names(r.stdout)[0], 'web-2');
    assert.deepEqual(names(r.stdout).slice(1).sort(), ['db-1', 'web-1']);
    const multi = await k(['get', 'pod,svc']);
    assert.match(multi.stdout, /pod\/web-1/);
    assert.match(multi.stdout, /service\/kubernetes\s+ClusterIP\s+10\.96\.0\.1\s+<none>\s+443\/TCP/);
  });

  it('get namespaces shows the system namespaces', async () => {
    const r = await k(['get', 'ns']);
    for (const ns of ['default', 'kube-node-lease', 'kube-public', 'kube-system', 'other']) assert.match(r.stdout, new RegExp(`\\n${ns}\\s+Active\\s`));
  });

  it('get -w streams changes', async () => {
    const args = withGlobalFlags(['get', 'pods', '-w', '-l', 'app=watchme'], ['--kubeconfig', s.kubeconfig, '--cache-dir', cacheDirFor(s.kubeconfig)]);
    const child = spawn(kubectlPath(), args, { env: kubectlEnv() });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    const seen = (re: RegExp) =>
      new Promise<void>((resolve, reject) => {
        const t = setTimeout(() => reject(new Error(`timed out waiting for ${re}; got ${out}`)), 15000);
        const iv = setInterval(() => {
          if (re.test(out)) {
            clearTimeout(t);
            clearInterval(iv);
            resolve();
          }
        }, 50);
      });
    try {
      await new Promise((r) => setTimeout(r, 1500));
      await apiRequest(s, 'POST', '/api/v1/namespaces/default/pods', pod('watched', { app: 'watchme' }));
      await seen(/watched\s+0\/1\s+Pending\s+0/);
      await apiRequest(s, 'DELETE', '/api/v1/namespaces/default/pods/watched');
      await new Promise((r) => setTimeout(r, 500));
    } finally {
      child.kill();
    }
    assert.match(out, /NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE/);
  });

  it('api-resources lists short names and groups', async () => {
    const r = await k(['api-resources']);
    assert.match(r.stdout, /\npods\s+po\s+v1\s+true\s+Pod\n/);
    assert.match(r.stdout, /\ndeployments\s+deploy\s+apps\/v1\s+true\s+Deployment\n/);
    assert.match(r.stdout, /\nleases\s+coordination\.k8s\.io\/v1\s+true\s+Lease\n/);
    const all = await k(['get', 'all']);
    assert.match(all.stdout, /pod\/web-1/);
  });
});
