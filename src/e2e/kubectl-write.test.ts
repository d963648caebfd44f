// kubectl's write commands against a real server: label / annotate, apply
// (client- and server-side), edit, replace, scale, patch, and delete in its
// immediate, graceful, forced, by-label and namespace forms.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { startSkiff, apiRequest, type SkiffProcess } from '../testing/server-process.js';
import { kubectl as run, tempDir, cleanupTempDirs } from '../testing/kubectl.js';

let s: SkiffProcess;
let dir: string;
const k = (args: string[], env?: Record<string, string>) => run(args, { kubeconfig: s.kubeconfig, env });

const get = async (p: string) => {
  const r = await apiRequest(s, 'GET', p);
  assert.equal(r.status, 200, `${p}: ${r.text}`);
  return r.body;
};
const status = async (p: string) => (await apiRequest(s, 'GET', p)).status;
const write = (name: string, text: string) => {
  const f = path.join(dir, name);
  fs.writeFileSync(f, text);
  return f;
};
const pod = (name: string, extra: Record<string, unknown> = {}, labels: Record<string, string> = {}) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, labels },
  spec: { containers: [{ name: 'main', image: 'busybox:1.36' }], ...extra },
});
const createPod = async (ns: string, body: unknown) => {
  const r = await apiRequest(s, 'POST', `/api/v1/namespaces/${ns}/pods`, body);
  assert.equal(r.status, 201, r.text);
  return r.body;
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function until(what: string, check: () => Promise<boolean>, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

const MODIFIED = 'the object has been modified; please apply your changes to the latest version and try again';

before(async () => {
  s = await startSkiff();
  dir = tempDir('skiff-write');
});
after(async () => {
  await s?.stop();
  cleanupTempDirs();
});

describe('kubectl label / annotate', () => {
  before(async () => {
    await createPod('default', pod('lbl', {}, { app: 'lbl' }));
  });

  it('adds, refuses to overwrite, overwrites and removes labels', async () => {
    let r = await k(['label', 'pod', 'lbl', 'tier=web']);
    assert.equal(r.stdout, 'pod/lbl labeled\n', r.stderr);
    r = await k(['label', 'pod', 'lbl', 'tier=db']);
    assert.equal(r.code, 1);
    assert.equal(r.stderr, "error: 'tier' already has a value (web), and --overwrite is false\n");
    r = await k(['label', 'pod', 'lbl', 'tier=db', '--overwrite']);
    assert.equal(r.stdout, 'pod/lbl labeled\n', r.stderr);
    assert.deepEqual((await get('/api/v1/namespaces/default/pods/lbl')).metadata.labels, { app: 'lbl', tier: 'db' });
    r = await k(['label', 'pod', 'lbl', 'tier-']);
    assert.equal(r.stdout, 'pod/lbl unlabeled\n', r.stderr);
    assert.deepEqual((await get('/api/v1/namespaces/default/pods/lbl')).metadata.labels, { app: 'lbl' });
  });

  it('--resource-version: current succeeds, stale is a Conflict and changes nothing', async () => {
    const before = (await get('/api/v1/namespaces/default/pods/lbl')).metadata.resourceVersion;
    let r = await k(['label', 'pod', 'lbl', 'a=1', `--resource-version=${before}`]);
    assert.equal(r.stdout, 'pod/lbl labeled\n', r.stderr);
    const now = (await get('/api/v1/namespaces/default/pods/lbl')).metadata;
    assert.notEqual(now.resourceVersion, before);
    r = await k(['label', 'pod', 'lbl', 'b=2', `--resource-version=${before}`]);
    assert.equal(r.code, 1);
    assert.equal(r.stderr, `Error from server (Conflict): Operation cannot be fulfilled on pods "lbl": ${MODIFIED}\n`);
    const after = (await get('/api/v1/namespaces/default/pods/lbl')).metadata;
    assert.equal(after.resourceVersion, now.resourceVersion);
    assert.deepEqual(after.labels, { app: 'lbl', a: '1' });
  });

  it('annotate: add, --overwrite, remove, stale resource version', async () => {
    let r = await k(['annotate', 'pod', 'lbl', 'note=hi']);
    assert.equal(r.stdout, 'pod/lbl annotated\n', r.stderr);
    r = await k(['annotate', 'pod', 'lbl', 'note=bye']);
    assert.equal(r.stderr, "error: --overwrite is false but found the following declared annotation(s): 'note' already has a value (hi)\n");
    r = await k(['annotate', 'pod', 'lbl', 'note=bye', '--overwrite']);
    assert.equal(r.stdout, 'pod/lbl annotated\n', r.stderr);
    assert.equal((await get('/api/v1/namespaces/default/pods/lbl')).metadata.annotations.note, 'bye');
    r = await k(['annotate', 'pod', 'lbl', 'note-']);
    assert.equal(r.stdout, 'pod/lbl annotated\n', r.stderr);
    assert.equal((await get('/api/v1/namespaces/default/pods/lbl')).metadata.annotations?.note, undefined);
    r = await k(['annotate', 'pod', 'lbl', 'x=y', '--resource-version=1']);
    assert.equal(r.stderr, `Error from server (Conflict): Operation cannot be fulfilled on pods "lbl": ${MODIFIED}\n`);
  });
});

describe('kubectl apply (client-side)', () => {
  const v1 = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels: {app: web}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - name: nginx
        image: nginx:1.25
        env: [{name: A, value: "1"}, {name: B, value: "2"}]
      - name: side
        image: busybox:1.36
`;
  const v2 = v1
    .replace('nginx:1.25', 'nginx:1.27')
    .replace('env: [{name: A, value: "1"}, {name: B, value: "2"}]', 'env: [{name: A, value: "1"}]')
    .replace('      - name: side\n        image: busybox:1.36\n', '');

  it('created → configured (strategic merge) → unchanged', async () => {
    const f = write('web.yaml', v1);
    let r = await k(['apply', '-f', f]);
    assert.equal(r.stdout, 'deployment.apps/web created\n', r.stderr);
    let d = await get('/apis/apps/v1/namespaces/default/deployments/web');
    assert.equal(d.metadata.generation, 1);
    assert.deepEqual(d.spec.template.spec.containers.map((c: any) => c.name), ['nginx', 'side']);
    assert.match(d.metadata.annotations['kubectl.kubernetes.io/last-applied-configuration'], /"image":"nginx:1.25"/);

    fs.writeFileSync(f, v2);
    r = await k(['apply', '-f', f]);
    assert.equal(r.stdout, 'deployment.apps/web configured\n', r.stderr);
    d = await get('/apis/apps/v1/namespaces/default/deployments/web');
    assert.equal(d.metadata.generation, 2);
    const containers = d.spec.template.spec.containers;
    assert.deepEqual(containers.map((c: any) => c.name), ['nginx'], 'removed container is gone');
    assert.equal(containers[0].image, 'nginx:1.27');
    assert.deepEqual(containers[0].env, [{ name: 'A', value: '1' }], 'removed env entry is gone');
    assert.equal(containers[0].imagePullPolicy, 'IfNotPresent', 'server defaults kept');
    assert.equal(d.spec.replicas, 2);
    const rv = d.metadata.resourceVersion;

    r = await k(['apply', '-f', f]);
    assert.equal(r.stdout, 'deployment.apps/web unchanged\n', r.stderr);
    assert.equal((await get('/apis/apps/v1/namespaces/default/deployments/web')).metadata.resourceVersion, rv);
  });
});

describe('kubectl edit', () => {
  let editor: string;
  before(() => {
    editor = write('editor.sh', '#!/bin/sh\nsed -i -e "s/$SED_FROM/$SED_TO/" "$1"\n');
    fs.chmodSync(editor, 0o755);
  });

  it('saves an edit made by $KUBE_EDITOR', async () => {
    await createPod('default', pod('ed'));
    const r = await k(['edit', 'pod', 'ed'], { KUBE_EDITOR: editor, SED_FROM: 'image: busybox:1.36', SED_TO: 'image: busybox:1.37', TMPDIR: dir });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'pod/ed edited\n');
    assert.equal((await get('/api/v1/namespaces/default/pods/ed')).spec.containers[0].image, 'busybox:1.37');
  });

  it('an invalid edit prints the error, keeps a copy and changes nothing', async () => {
    const editDir = tempDir('skiff-edit');
    const rv = (await get('/api/v1/namespaces/default/pods/ed')).metadata.resourceVersion;
    const r = await k(['edit', 'pod', 'ed'], { KUBE_EDITOR: editor, SED_FROM: 'name: main', SED_TO: 'name: Main_', TMPDIR: editDir });
    assert.equal(r.code, 1);
    const m = r.stderr.match(/^error: pods "ed" is invalid\nA copy of your changes has been stored to "(.+)"\nerror: Edit cancelled, no valid changes were saved.\n$/);
    assert.ok(m, r.stderr);
    assert.equal(path.dirname(m[1]), editDir);
    const copy = fs.readFileSync(m[1], 'utf8');
    assert.match(copy, /^# pods "ed" was not valid:\n# \* spec\.containers\[0\]\.name: Invalid value: "Main_": a lowercase RFC 1123 label must consist of/m);
    assert.match(copy, /^  - image: busybox:1\.37\n    imagePullPolicy: IfNotPresent\n    name: Main_$/m);
    assert.equal((await get('/api/v1/namespaces/default/pods/ed')).metadata.resourceVersion, rv);
  });
});

describe('kubectl replace / scale / patch', () => {
  it('replace with a stale resourceVersion is a Conflict', async () => {
    await createPod('default', pod('rep'));
    const g = await k(['get', 'pod', 'rep', '-o', 'yaml']);
    const f = write('rep.yaml', g.stdout.replace('image: busybox:1.36', 'image: busybox:1.37'));
    assert.equal((await k(['label', 'pod', 'rep', 'bump=1'])).code, 0);
    const rv = (await get('/api/v1/namespaces/default/pods/rep')).metadata.resourceVersion;
    let r = await k(['replace', '-f', f]);
    assert.equal(r.code, 1);
    assert.equal(r.stderr, `Error from server (Conflict): error when replacing "${f}": Operation cannot be fulfilled on pods "rep": ${MODIFIED}\n`);
    assert.equal((await get('/api/v1/namespaces/default/pods/rep')).metadata.resourceVersion, rv);
    // With the current resourceVersion it goes through.
    const fresh = write('rep2.yaml', (await k(['get', 'pod', 'rep', '-o', 'yaml'])).stdout.replace('image: busybox:1.36', 'image: busybox:1.37'));
    r = await k(['replace', '-f', fresh]);
    assert.equal(r.stdout, 'pod/rep replaced\n', r.stderr);
    assert.equal((await get('/api/v1/namespaces/default/pods/rep')).spec.containers[0].image, 'busybox:1.37');
  });

  it('scale deployment bumps replicas and generation', async () => {
    const before = (await get('/apis/apps/v1/namespaces/default/deployments/web')).metadata.generation;
    const r = await k(['scale', 'deploy', 'web', '--replicas=5']);
    assert.equal(r.stdout, 'deployment.apps/web scaled\n', r.stderr);
    const d = await get('/apis/apps/v1/namespaces/default/deployments/web');
    assert.equal(d.spec.replicas, 5);
    assert.equal(d.metadata.generation, before + 1);
    const scale = await get('/apis/apps/v1/namespaces/default/deployments/web/scale');
    assert.equal(scale.kind, 'Scale');
    assert.equal(scale.spec.replicas, 5);
    assert.equal(scale.status.selector, 'app=web');
  });

  it('patch --type=json, --type=merge and strategic (default)', async () => {
    let r = await k(['patch', 'deploy', 'web', '--type=json', '-p', '[{"op":"replace","path":"/spec/replicas","value":3}]']);
    assert.equal(r.stdout, 'deployment.apps/web patched\n', r.stderr);
    r = await k(['patch', 'deploy', 'web', '--type=merge', '-p', '{"metadata":{"labels":{"m":"1"}}}']);
    assert.equal(r.stdout, 'deployment.apps/web patched\n', r.stderr);
    const smp = '{"spec":{"template":{"spec":{"containers":[{"name":"nginx","image":"nginx:1.29"},{"name":"extra","image":"busybox"}]}}}}';
    r = await k(['patch', 'deploy', 'web', '-p', smp]);
    assert.equal(r.stdout, 'deployment.apps/web patched\n', r.stderr);
    const rv = (await get('/apis/apps/v1/namespaces/default/deployments/web')).metadata.resourceVersion;
    r = await k(['patch', 'deploy', 'web', '-p', smp]);
    assert.equal(r.stdout, 'deployment.apps/web patched (no change)\n', r.stderr);
    const d = await get('/apis/apps/v1/namespaces/default/deployments/web');
    assert.equal(d.metadata.resourceVersion, rv);
    assert.equal(d.spec.replicas, 3);
    assert.deepEqual(d.metadata.labels, { app: 'web', m: '1' });
    // SMP merges containers by name: nginx updated in place (env kept), extra appended.
    assert.deepEqual(
      d.spec.template.spec.containers.map((c: any) => [c.name, c.image, c.env]),
      [
        ['nginx', 'nginx:1.29', [{ name: 'A', value: '1' }]],
        ['extra', 'busybox', undefined],
      ],
    );
  });

  it('a failing JSON patch test op is Invalid and changes nothing', async () => {
    const rv = (await get('/apis/apps/v1/namespaces/default/deployments/web')).metadata.resourceVersion;
    const r = await k(['patch', 'deploy', 'web', '--type=json', '-p', '[{"op":"test","path":"/spec/replicas","value":9}]']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^The request is invalid/);
    assert.equal((await get('/apis/apps/v1/namespaces/default/deployments/web')).metadata.resourceVersion, rv);
  });

  it('malformed patch bodies get Go-worded errors per patch type', async () => {
    const p = '/apis/apps/v1/namespaces/default/deployments/web';
    const send = (ct: string, body: string, q = '') => apiRequest(s, 'PATCH', p + q, body, { 'Content-Type': ct });
    let r = await send('application/merge-patch+json', '{bad', '?fieldValidation=Strict');
    assert.equal(r.status, 400);
    assert.equal(r.body.message, "error decoding patch: invalid character 'b' looking for beginning of object key string");
    r = await send('application/merge-patch+json', '{bad', '?fieldValidation=Ignore');
    assert.equal(r.body.message, 'Invalid JSON Patch');
    r = await send('application/strategic-merge-patch+json', '{"spec":');
    assert.equal(r.status, 400);
    assert.equal(r.body.message, 'unexpected end of JSON input');
    r = await send('application/json-patch+json', '[{"op":"add",]');
    assert.equal(r.body.message, "error decoding patch: invalid character ']' looking for beginning of object key string");
  });
});

describe('kubectl apply --server-side', () => {
  const cm = (b: string) => `apiVersion: v1
kind: ConfigMap
metadata:
  name: ssa
data:
  a: "1"
  b: "${b}"
`;

  it('creates, re-applies a change, reports a conflict, and forces it', async () => {
    const f = write('ssa.yaml', cm('2'));
    let r = await k(['apply', '--server-side', '-f', f]);
    assert.equal(r.stdout, 'configmap/ssa serverside-applied\n', r.stderr);
    fs.writeFileSync(f, cm('3'));
    r = await k(['apply', '--server-side', '-f', f]);
    assert.equal(r.stdout, 'configmap/ssa serverside-applied\n', r.stderr);
    const applied = await get('/api/v1/namespaces/default/configmaps/ssa');
    assert.deepEqual(applied.data, { a: '1', b: '3' });
    // Both applies (often within one second) are one Apply entry, never an extra Update.
    assert.deepEqual(
      applied.metadata.managedFields.map((m: any) => [m.manager, m.operation, Object.keys(m.fieldsV1['f:data']).sort()]),
      [['kubectl', 'Apply', ['f:a', 'f:b']]],
    );

    fs.writeFileSync(f, cm('4'));
    const rv = (await get('/api/v1/namespaces/default/configmaps/ssa')).metadata.resourceVersion;
    r = await k(['apply', '--server-side', '--field-manager=other', '-f', f]);
    assert.equal(r.code, 1);
    assert.ok(
      r.stderr.startsWith(`error: Apply failed with 1 conflict: conflict with "kubectl": .data.b
Please review the fields above--they currently have other managers. Here
are the ways you can resolve this warning:
* If you intend to manage all of these fields, please re-run the apply
  command with the \`--force-conflicts\` flag.`),
      r.stderr,
    );
    assert.equal((await get('/api/v1/namespaces/default/configmaps/ssa')).metadata.resourceVersion, rv);

    r = await k(['apply', '--server-side', '--field-manager=other', '--force-conflicts', '-f', f]);
    assert.equal(r.stdout, 'configmap/ssa serverside-applied\n', r.stderr);
    const obj = await get('/api/v1/namespaces/default/configmaps/ssa');
    assert.deepEqual(obj.data, { a: '1', b: '4' });
    const owners = Object.fromEntries(obj.metadata.managedFields.map((m: any) => [m.manager, [m.operation, Object.keys(m.fieldsV1['f:data']).sort()]]));
    assert.deepEqual(owners, { kubectl: ['Apply', ['f:a']], other: ['Apply', ['f:a', 'f:b']] });
  });
});

describe('kubectl delete', () => {
  it('deletes an unbound pod immediately', async () => {
    await createPod('default', pod('gone'));
    const r = await k(['delete', 'pod', 'gone']);
    assert.equal(r.stdout, 'pod "gone" deleted\n', r.stderr);
    assert.equal(await status('/api/v1/namespaces/default/pods/gone'), 404);
  });

  it('a pod on a node is deleted gracefully; --force --grace-period=0 removes it; a waiting delete then returns', async () => {
    await createPod('default', pod('grace', { nodeName: 'node-1' }));
    const started = Date.now();
    let r = await k(['delete', 'pod', 'grace', '--wait=false']);
    assert.equal(r.stdout, 'pod "grace" deleted\n', r.stderr);
    assert.ok(Date.now() - started < 5000, 'returns at once');
    const p = await get('/api/v1/namespaces/default/pods/grace');
    assert.equal(p.metadata.deletionGracePeriodSeconds, 30);
    const due = Date.parse(p.metadata.deletionTimestamp) - Date.now();
    assert.ok(due > 20_000 && due <= 31_000, `deletionTimestamp ~30 s ahead, got ${due} ms`);
    const g = await k(['get', 'pod', 'grace']);
    assert.match(g.stdout, /\ngrace\s+0\/1\s+Terminating\s+0\s+\d+s\n$/);

    // A plain delete waits for the object to disappear.
    let settled = false;
    const waiting = k(['delete', 'pod', 'grace']).then((res) => {
      settled = true;
      return res;
    });
    await sleep(1500);
    assert.equal(settled, false, 'kubectl delete is still waiting');
    assert.equal(await status('/api/v1/namespaces/default/pods/grace'), 200);

    r = await k(['delete', 'pod', 'grace', '--grace-period=0', '--force']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'pod "grace" force deleted\n');
    assert.equal(r.stderr, 'Warning: Immediate deletion does not wait for confirmation that the running resource has been terminated. The resource may continue to run on the cluster indefinitely.\n');
    assert.equal(await status('/api/v1/namespaces/default/pods/grace'), 404);
    const done = await waiting;
    assert.equal(done.code, 0, done.stderr);
    assert.equal(done.stdout, 'pod "grace" deleted\n');
  });

  it('delete -l deletes the matching pods only', async () => {
    for (const [n, app] of [['l1', 'del'], ['l2', 'del'], ['l3', 'keep']]) await createPod('default', pod(n, {}, { app }));
    const r = await k(['delete', 'pods', '-l', 'app=del']);
    assert.equal(r.stdout, 'pod "l1" deleted\npod "l2" deleted\n', r.stderr);
    assert.equal(await status('/api/v1/namespaces/default/pods/l1'), 404);
    assert.equal(await status('/api/v1/namespaces/default/pods/l2'), 404);
    assert.equal(await status('/api/v1/namespaces/default/pods/l3'), 200);
    const none = await k(['delete', 'pods', '-l', 'app=nothing']);
    assert.equal(none.stdout, 'No resources found\n', none.stderr);
  });

  it('deleting a namespace removes its contents, then the namespace', async () => {
    assert.equal((await k(['create', 'namespace', 'doomed'])).code, 0);
    await createPod('doomed', pod('p1'));
    assert.equal((await k(['-n', 'doomed', 'create', 'configmap', 'c1', '--from-literal=a=b'])).code, 0);
    const r = await k(['delete', 'namespace', 'doomed']);
    assert.equal(r.stdout, 'namespace "doomed" deleted\n', r.stderr);
    assert.equal(await status('/api/v1/namespaces/doomed'), 404);
    assert.deepEqual((await get('/api/v1/namespaces/doomed/pods')).items, []);
    assert.deepEqual((await get('/api/v1/namespaces/doomed/configmaps')).items, []);
  });

  it('a terminating namespace refuses new content until its last pod is gone', async () => {
    assert.equal((await k(['create', 'namespace', 'ending'])).code, 0);
    await createPod('ending', pod('stuck', { nodeName: 'node-1' }));
    let r = await k(['delete', 'namespace', 'ending', '--wait=false']);
    assert.equal(r.stdout, 'namespace "ending" deleted\n', r.stderr);
    const ns = await get('/api/v1/namespaces/ending');
    assert.equal(ns.status.phase, 'Terminating');
    assert.ok(ns.metadata.deletionTimestamp);
    await until('the pod to be marked for deletion', async () => !!(await get('/api/v1/namespaces/ending/pods/stuck')).metadata.deletionTimestamp);

    r = await k(['-n', 'ending', 'run', 'late', '--image=busybox']);
    assert.equal(r.code, 1);
    assert.equal(r.stderr, 'Error from server (Forbidden): pods "late" is forbidden: unable to create new content in namespace ending because it is being terminated\n');
    const raw = await apiRequest(s, 'POST', '/api/v1/namespaces/ending/configmaps', { metadata: { name: 'c' } });
    assert.equal(raw.status, 403);
    assert.equal(raw.body.reason, 'Forbidden');
    assert.equal(raw.body.message, 'configmaps "c" is forbidden: unable to create new content in namespace ending because it is being terminated');
    assert.deepEqual(raw.body.details.causes, [{ reason: 'NamespaceTerminating', message: 'namespace ending is being terminated', field: 'metadata.namespace' }]);

    r = await k(['-n', 'ending', 'delete', 'pod', 'stuck', '--grace-period=0', '--force']);
    assert.equal(r.code, 0, r.stderr);
    await until('the namespace to go away', async () => (await status('/api/v1/namespaces/ending')) === 404);
  });
});
