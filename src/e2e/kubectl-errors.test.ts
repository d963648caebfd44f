// Failures as kubectl prints them (NotFound, AlreadyExists, Invalid, strict
// decoding, unknown kinds, authentication) and as raw API Status objects;
// every rejected write must leave the store exactly as it was.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { startSkiff, apiRequest, type SkiffProcess } from '../testing/server-process.js';
import { kubectl as run, tempDir, cleanupTempDirs } from '../testing/kubectl.js';

let s: SkiffProcess;
let dir: string;
const k = (args: string[], kubeconfig = s.kubeconfig) => run(args, { kubeconfig });

const write = (name: string, text: string) => {
  const f = path.join(dir, name);
  fs.writeFileSync(f, text);
  return f;
};

/** A list's resourceVersion and each item's name → resourceVersion. */
async function snapshot(listPath: string): Promise<{ rv: string; items: Record<string, string> }> {
  const r = await apiRequest(s, 'GET', listPath);
  assert.equal(r.status, 200, r.text);
  return { rv: r.body.metadata.resourceVersion, items: Object.fromEntries(r.body.items.map((o: any) => [o.metadata.name, o.metadata.resourceVersion])) };
}

/** Runs `fn` and asserts nothing in `listPath` changed. */
async function unchanged<T>(listPath: string, fn: () => Promise<T>): Promise<T> {
  const before = await snapshot(listPath);
  const out = await fn();
  assert.deepEqual(await snapshot(listPath), before, `${listPath} changed`);
  return out;
}

const PODS = '/api/v1/namespaces/default/pods';

const demo = `apiVersion: v1
kind: Pod
metadata:
  name: demo
spec:
  containers:
  - name: c
    image: busybox
`;

before(async () => {
  s = await startSkiff();
  dir = tempDir('skiff-errors');
});
after(async () => {
  await s?.stop();
  cleanupTempDirs();
});

describe('NotFound', () => {
  it('core, group and cluster-scoped resources', async () => {
    const cases: [string[], string][] = [
      [['get', 'pod', 'nope'], 'pods "nope" not found'],
      [['get', 'deploy', 'nope'], 'deployments.apps "nope" not found'],
      [['describe', 'deployment', 'nope'], 'deployments.apps "nope" not found'],
      [['-n', 'kube-node-lease', 'delete', 'lease', 'nope'], 'leases.coordination.k8s.io "nope" not found'],
      [['get', 'node', 'nope'], 'nodes "nope" not found'],
      // kubectl 1.32 looks the namespace up after a 404 and reports that instead.
      [['-n', 'nons', 'get', 'pod', 'x'], 'namespaces "nons" not found'],
    ];
    for (const [args, msg] of cases) {
      const r = await k(args);
      assert.equal(r.code, 1, args.join(' '));
      assert.equal(r.stderr, `Error from server (NotFound): ${msg}\n`, args.join(' '));
    }
  });

  it('--ignore-not-found is silent', async () => {
    const r = await k(['get', 'pod', 'nope', '--ignore-not-found']);
    assert.deepEqual([r.code, r.stdout, r.stderr], [0, '', '']);
    const d = await k(['delete', 'pod', 'nope', '--ignore-not-found']);
    assert.deepEqual([d.code, d.stdout, d.stderr], [0, '', '']);
  });

  it('creating into a missing namespace', async () => {
    const r = await unchanged('/api/v1/configmaps', () => k(['-n', 'nons', 'create', 'configmap', 'c']));
    assert.equal(r.code, 1);
    assert.equal(r.stderr, 'error: failed to create configmap: namespaces "nons" not found\n');
  });
});

describe('AlreadyExists', () => {
  it('create -f twice', async () => {
    const f = write('demo.yaml', demo);
    const first = await k(['create', '-f', f]);
    assert.equal(first.stdout, 'pod/demo created\n', first.stderr);
    const r = await unchanged(PODS, () => k(['create', '-f', f]));
    assert.equal(r.code, 1);
    assert.equal(r.stderr, `Error from server (AlreadyExists): error when creating "${f}": pods "demo" already exists\n`);
  });

  it('raw: 409 Status with details', async () => {
    const r = await apiRequest(s, 'POST', PODS, { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'demo' }, spec: { containers: [{ name: 'c', image: 'busybox' }] } });
    assert.equal(r.status, 409);
    assert.deepEqual(r.body, {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'pods "demo" already exists',
      reason: 'AlreadyExists',
      details: { name: 'demo', kind: 'pods' },
      code: 409,
    });
  });
});

describe('Invalid', () => {
  it('prints one line per cause', async () => {
    const f = write(
      'bad.yaml',
      `apiVersion: v1
kind: Pod
metadata:
  name: Demo
spec:
  restartPolicy: Sometimes
  containers:
  - name: c
  - name: c
    image: busybox
`,
    );
    const r = await unchanged(PODS, () => k(['create', '-f', f]));
    assert.equal(r.code, 1);
    assert.equal(
      r.stderr,
      `The Pod "Demo" is invalid: 
* metadata.name: Invalid value: "Demo": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')
* spec.containers[0].image: Required value
* spec.containers[1].name: Duplicate value: "c"
* spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"
`,
    );
  });

  it('a single cause stays on one line (group resource)', async () => {
    const f = write(
      'dep.yaml',
      `apiVersion: apps/v1
kind: Deployment
metadata:
  name: bad
spec:
  replicas: -1
  selector: {matchLabels: {app: bad}}
  template:
    metadata: {labels: {app: bad}}
    spec:
      containers: [{name: c, image: busybox}]
`,
    );
    const r = await unchanged('/apis/apps/v1/namespaces/default/deployments', () => k(['create', '-f', f]));
    assert.equal(r.code, 1);
    assert.equal(r.stderr, 'The Deployment "bad" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0\n');
  });

  it('raw: 422 Status carries kind, name and causes', async () => {
    const r = await unchanged(PODS, () =>
      apiRequest(s, 'POST', PODS, { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'noimage' }, spec: { containers: [{ name: 'c' }] } }),
    );
    assert.equal(r.status, 422);
    assert.equal(r.body.reason, 'Invalid');
    assert.equal(r.body.message, 'Pod "noimage" is invalid: spec.containers[0].image: Required value');
    assert.deepEqual(r.body.details, {
      name: 'noimage',
      kind: 'Pod',
      causes: [{ reason: 'FieldValueRequired', message: 'Required value', field: 'spec.containers[0].image' }],
    });
  });

  it('a bad quantity fails decoding (BadRequest), as in Kubernetes', async () => {
    const f = write('qty.yaml', demo.replace('name: demo', 'name: qty').replace('image: busybox', 'image: busybox\n    resources:\n      requests:\n        cpu: 1x'));
    const r = await unchanged(PODS, () => k(['create', '-f', f]));
    assert.equal(r.code, 1);
    assert.equal(
      r.stderr,
      `Error from server (BadRequest): error when creating "${f}": Pod in version "v1" cannot be handled as a Pod: quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'\n`,
    );
  });
});

describe('field validation', () => {
  const typo = demo.replace('name: demo', 'name: typo').replace('    image: busybox', '    imagee: busybox\n    image: busybox');

  it('strict (default): unknown field is a BadRequest', async () => {
    const f = write('typo.yaml', typo);
    const r = await unchanged(PODS, () => k(['create', '-f', f]));
    assert.equal(r.code, 1);
    assert.equal(
      r.stderr,
      `Error from server (BadRequest): error when creating "${f}": Pod in version "v1" cannot be handled as a Pod: strict decoding error: unknown field "spec.containers[0].imagee"\n`,
    );
  });

  it('--validate=warn: warning, object created without the field', async () => {
    const f = write('typo2.yaml', typo);
    const r = await k(['create', '-f', f, '--validate=warn']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'pod/typo created\n');
    assert.equal(r.stderr, 'Warning: unknown field "spec.containers[0].imagee"\n');
    const got = await apiRequest(s, 'GET', `${PODS}/typo`);
    assert.deepEqual(Object.keys(got.body.spec.containers[0]).includes('imagee'), false);
    assert.equal(got.body.spec.containers[0].image, 'busybox');
  });

  it('unknown kind or apiVersion: kubectl reports no mapping', async () => {
    const kind = write('pood.yaml', demo.replace('kind: Pod', 'kind: Pood'));
    let r = await unchanged(PODS, () => k(['create', '-f', kind]));
    assert.equal(r.code, 1);
    assert.equal(r.stderr, `error: resource mapping not found for name: "demo" namespace: "" from "${kind}": no matches for kind "Pood" in version "v1"\nensure CRDs are installed first\n`);
    const version = write('v2.yaml', demo.replace('apiVersion: v1', 'apiVersion: v2'));
    r = await unchanged(PODS, () => k(['apply', '-f', version]));
    assert.equal(r.code, 1);
    assert.equal(r.stderr, `error: resource mapping not found for name: "demo" namespace: "" from "${version}": no matches for kind "Pod" in version "v2"\nensure CRDs are installed first\n`);
  });
});

describe('raw API requests', () => {
  it('malformed JSON → 400 with Go wording and a body summary', async () => {
    const r = await unchanged(PODS, () => apiRequest(s, 'POST', PODS, '{bad'));
    assert.equal(r.status, 400);
    assert.deepEqual(r.body, {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: "the object provided is unrecognized (must be of type Pod): couldn't get version/kind; json parse error: invalid character 'b' looking for beginning of object key string ({bad)",
      reason: 'BadRequest',
      code: 400,
    });
    const arr = await unchanged(PODS, () => apiRequest(s, 'POST', PODS, '[]'));
    assert.equal(
      arr.body.message,
      'the object provided is unrecognized (must be of type Pod): couldn\'t get version/kind; json parse error: json: cannot unmarshal array into Go value of type struct { APIVersion string "json:\\"apiVersion,omitempty\\""; Kind string "json:\\"kind,omitempty\\"" } (5b5d)',
    );
  });

  it('a YAML body is accepted', async () => {
    const yaml = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: fromyaml\ndata:\n  a: "1"\n';
    const r = await apiRequest(s, 'POST', '/api/v1/namespaces/default/configmaps', yaml, { 'Content-Type': 'application/yaml' });
    assert.equal(r.status, 201, r.text);
    assert.deepEqual(r.body.data, { a: '1' });
    assert.equal(r.body.kind, 'ConfigMap');
  });

  it('a body over 3 MiB → 413', async () => {
    const big = JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'big' }, data: { x: 'a'.repeat(3 * 1024 * 1024) } });
    const r = await unchanged('/api/v1/namespaces/default/configmaps', () => apiRequest(s, 'POST', '/api/v1/namespaces/default/configmaps', big));
    assert.equal(r.status, 413);
    assert.equal(r.body.reason, 'RequestEntityTooLarge');
    assert.equal(r.body.message, 'Request entity too large: limit is 3145728');
  });

  it('no token or a wrong token → 401', async () => {
    const unauthorized = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'Unauthorized', reason: 'Unauthorized', code: 401 };
    const none = await unchanged(PODS, () => apiRequest({ ...s, token: '' }, 'POST', PODS, { metadata: { name: 'anon' } }, { Authorization: '' }));
    assert.equal(none.status, 401);
    assert.deepEqual(none.body, unauthorized);
    const wrong = await apiRequest({ ...s, token: 'not-the-token' }, 'GET', PODS);
    assert.equal(wrong.status, 401);
    assert.deepEqual(wrong.body, unauthorized);
    const version = await apiRequest({ ...s, token: 'not-the-token' }, 'GET', '/version');
    assert.equal(version.status, 200, '/version stays public');
  });

  it('kubectl with a wrong token asks the user to log in', async () => {
    const bad = path.join(dir, 'bad-kubeconfig.yaml');
    fs.writeFileSync(bad, fs.readFileSync(s.kubeconfig, 'utf8').replace(/token:\s*\S+/, 'token: not-the-token'));
    const f = write('anon.yaml', demo.replace('name: demo', 'name: anon'));
    const r = await unchanged(PODS, () => k(['create', '-f', f], bad));
    assert.equal(r.code, 1);
    // create validates first, so the 401 surfaces through the OpenAPI download.
    assert.equal(
      r.stderr,
      `error: error validating "${f}": error validating data: failed to download openapi: the server has asked for the client to provide credentials; if you choose to ignore these errors, turn validation off with --validate=false\n`,
    );
    const g = await k(['get', 'pods'], bad);
    assert.equal(g.code, 1);
    assert.equal(g.stderr.trim().split('\n').at(-1), 'error: You must be logged in to the server (the server has asked for the client to provide credentials)');
  });
});
