// kubectl's typed-client commands (protobuf bodies) and create -f, against a real server.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { startSkiff, type SkiffProcess } from '../testing/server-process.js';
import { kubectl as run, tempDir } from '../testing/kubectl.js';

let s: SkiffProcess;
const k = (args: string[], stdin?: string) => run(args, { kubeconfig: s.kubeconfig, stdin });

before(async () => {
  s = await startSkiff();
});
after(async () => {
  await s?.stop();
});

describe('kubectl create (protobuf request bodies)', () => {
  it('reports server version 1.32', async () => {
    const r = await k(['version', '-o', 'json']);
    assert.equal(r.code, 0, r.stderr);
    const v = JSON.parse(r.stdout);
    assert.equal(v.serverVersion.major, '1');
    assert.equal(v.serverVersion.minor, '32');
  });

  it('create namespace', async () => {
    const r = await k(['create', 'namespace', 'ns1']);
    assert.equal(r.stdout.trim(), 'namespace/ns1 created', r.stderr);
    const g = await k(['get', 'namespace', 'ns1']);
    assert.match(g.stdout, /^NAME\s+STATUS\s+AGE\nns1\s+Active\s+\d+s\n$/);
  });

  it('create configmap --from-literal', async () => {
    const r = await k(['create', 'configmap', 'c1', '--from-literal=a=b', '--from-literal=c=d']);
    assert.equal(r.stdout.trim(), 'configmap/c1 created', r.stderr);
    const g = await k(['get', 'configmap', 'c1', '-o', 'jsonpath={.data.a},{.data.c}']);
    assert.equal(g.stdout, 'b,d');
    const t = await k(['get', 'cm', 'c1']);
    assert.match(t.stdout, /^NAME\s+DATA\s+AGE\nc1\s+2\s+\d+s\n$/);
  });

  it('create secret generic and docker-registry', async () => {
    let r = await k(['create', 'secret', 'generic', 's1', '--from-literal=k=v']);
    assert.equal(r.stdout.trim(), 'secret/s1 created', r.stderr);
    r = await k(['create', 'secret', 'docker-registry', 'r1', '--docker-server=127.0.0.1:5000', '--docker-username=u', '--docker-password=p']);
    assert.equal(r.stdout.trim(), 'secret/r1 created', r.stderr);
    const g = await k(['get', 'secrets']);
    assert.match(g.stdout, /^NAME\s+TYPE\s+DATA\s+AGE\n/);
    assert.match(g.stdout, /\nr1\s+kubernetes\.io\/dockerconfigjson\s+1\s+\d+s\n/);
    assert.match(g.stdout, /\ns1\s+Opaque\s+1\s+\d+s\n/);
    const d = await k(['get', 'secret', 'r1', '-o', 'jsonpath={.data.\\.dockerconfigjson}']);
    const cfg = JSON.parse(Buffer.from(d.stdout, 'base64').toString());
    assert.equal(cfg.auths['127.0.0.1:5000'].username, 'u');
    assert.equal(cfg.auths['127.0.0.1:5000'].password, 'p');
  });

  it('create deployment and service', async () => {
    let r = await k(['create', 'deployment', 'd1', '--image=nginx', '--replicas=2']);
    assert.equal(r.stdout.trim(), 'deployment.apps/d1 created', r.stderr);
    const d = await k(['get', 'deploy', 'd1', '-o', 'json']);
    const dep = JSON.parse(d.stdout);
    assert.equal(dep.spec.replicas, 2);
    assert.equal(dep.metadata.generation, 1);
    assert.equal(dep.spec.template.spec.containers[0].imagePullPolicy, 'Always');
    assert.equal(dep.spec.strategy.type, 'RollingUpdate');
    assert.equal(dep.spec.strategy.rollingUpdate.maxSurge, '25%');
    r = await k(['create', 'service', 'clusterip', 'svc1', '--tcp=80:8080']);
    assert.equal(r.stdout.trim(), 'service/svc1 created', r.stderr);
    const g = await k(['get', 'svc', 'svc1']);
    assert.match(g.stdout, /^NAME\s+TYPE\s+CLUSTER-IP\s+EXTERNAL-IP\s+PORT\(S\)\s+AGE\nsvc1\s+ClusterIP\s+10\.96\.\d+\.\d+\s+<none>\s+80\/TCP\s+\d+s\n$/);
  });

  it('create job (batch/v1)', async () => {
    const r = await k(['create', 'job', 'j1', '--image=busybox', '--', 'echo', 'hi']);
    assert.equal(r.stdout.trim(), 'job.batch/j1 created', r.stderr);
  });

  it('create -f with multi-document YAML and with JSON', async () => {
    const dir = tempDir('skiff-create-');
    const yamlFile = path.join(dir, 'multi.yaml');
    fs.writeFileSync(
      yamlFile,
      `apiVersion: v1
kind: Pod
metadata:
  name: web-1
  labels: {app: web}
spec:
  containers:
  - name: main
    image: nginx:1.25
    resources:
      requests: {cpu: 250m, memory: 64Mi}
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: multi-cm
data:
  x: "1"
`,
    );
    const r = await k(['create', '-f', yamlFile]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'pod/web-1 created\nconfigmap/multi-cm created\n');
    const jsonFile = path.join(dir, 'pod.json');
    fs.writeFileSync(jsonFile, JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web-2' }, spec: { containers: [{ name: 'c', image: 'busybox' }] } }));
    const j = await k(['create', '-f', jsonFile]);
    assert.equal(j.stdout, 'pod/web-2 created\n', j.stderr);
    const p = JSON.parse((await k(['get', 'pod', 'web-1', '-o', 'json'])).stdout);
    assert.equal(p.status.phase, 'Pending');
    assert.equal(p.status.qosClass, 'Burstable');
    assert.equal(p.spec.containers[0].imagePullPolicy, 'IfNotPresent');
    assert.equal(p.spec.terminationGracePeriodSeconds, 30);
    assert.equal(p.spec.schedulerName, 'default-scheduler');
    assert.deepEqual(
      p.spec.tolerations.map((t: any) => `${t.key}:${t.effect}:${t.operator}:${t.tolerationSeconds}`),
      ['node.kubernetes.io/not-ready:NoExecute:Exists:300', 'node.kubernetes.io/unreachable:NoExecute:Exists:300'],
    );
    assert.match(p.metadata.uid, /^[0-9a-f-]{36}$/);
    assert.ok(Number(p.metadata.resourceVersion) > 0);
  });
});
