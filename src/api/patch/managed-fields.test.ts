import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compareObjects, FieldSet, fieldSetOf, fromFieldsV1, pathToString, Schema, toFieldsV1, comparePaths } from './managed-fields.js';
import { recordUpdate } from './server-side-apply.js';
import { typeByName } from '../schema/index.js';

const schema = new Schema(typeByName);
const pod = { ref: { t: 'ref' as const, name: 'io.k8s.api.core.v1.Pod' } };

test('FieldsV1: "." marks an owned node that has owned children; keys sort f: < k: < v:', () => {
  const set = new FieldSet([
    ['f:spec', 'f:containers', 'k:{"name":"b"}'],
    ['f:spec', 'f:containers', 'k:{"name":"b"}', 'f:name'],
    ['f:spec', 'f:containers', 'k:{"name":"a"}', 'f:image'],
    ['f:metadata', 'f:finalizers', 'v:"x"'],
    ['f:metadata', 'f:finalizers'],
    ['f:metadata', 'f:labels', 'f:app'],
  ]);
  const encoded = toFieldsV1(set);
  assert.equal(
    JSON.stringify(encoded),
    '{"f:metadata":{"f:finalizers":{".":{},"v:\\"x\\"":{}},"f:labels":{"f:app":{}}},' +
      '"f:spec":{"f:containers":{"k:{\\"name\\":\\"a\\"}":{"f:image":{}},"k:{\\"name\\":\\"b\\"}":{".":{},"f:name":{}}}}}',
  );
  const back = fromFieldsV1(encoded);
  assert.equal(back.size, set.size);
  for (const p of set.list()) assert.ok(back.has(p), JSON.stringify(p));
});

test('paths print like structured-merge-diff', () => {
  assert.equal(pathToString(['f:spec', 'f:containers', 'k:{"name":"main"}', 'f:image']), '.spec.containers[name="main"].image');
  assert.equal(
    pathToString(['f:spec', 'f:containers', 'k:{"name":"c"}', 'f:ports', 'k:{"containerPort":80,"protocol":"TCP"}']),
    '.spec.containers[name="c"].ports[containerPort=80,protocol="TCP"]',
  );
  assert.equal(pathToString(['f:metadata', 'f:finalizers', 'v:"a"']), '.metadata.finalizers[="a"]');
  assert.equal(pathToString(['f:x', 'i:3']), '.x[3]');
});

test('path ordering puts field names before keys and compares names bytewise', () => {
  const paths = [['f:b'], ['k:{"a":1}'], ['f:a', 'f:z'], ['f:a'], ['v:1']];
  assert.deepEqual(paths.sort(comparePaths), [['f:a'], ['f:a', 'f:z'], ['f:b'], ['k:{"a":1}'], ['v:1']]);
});

test('fieldSetOf follows apply-configuration rules (atomic leaves, set items, empty maps)', () => {
  const set = fieldSetOf(
    {
      metadata: { labels: { app: 'x' }, finalizers: ['f1'], annotations: {} },
      spec: { containers: [{ name: 'c', args: ['a', 'b'], resources: {} }], tolerations: [{ key: 'k' }] },
    },
    pod,
    schema,
  );
  assert.deepEqual(toFieldsV1(set), {
    'f:metadata': { 'f:annotations': {}, 'f:finalizers': { 'v:"f1"': {} }, 'f:labels': { 'f:app': {} } },
    'f:spec': {
      'f:containers': { 'k:{"name":"c"}': { '.': {}, 'f:args': {}, 'f:name': {}, 'f:resources': {} } },
      'f:tolerations': {},
    },
  });
});

test('compareObjects reports added, modified and removed leaves and list items', () => {
  const a = { metadata: { labels: { app: 'x', old: 'y' } }, spec: { containers: [{ name: 'c', image: '1' }, { name: 'gone', image: 'g' }] } };
  const b = { metadata: { labels: { app: 'z', new: 'n' } }, spec: { containers: [{ name: 'c', image: '2' }] } };
  const c = compareObjects(a, b, pod, schema);
  const show = (s: FieldSet) => s.sorted().map(pathToString);
  assert.deepEqual(show(c.added), ['.metadata.labels.new']);
  assert.deepEqual(show(c.modified), ['.metadata.labels.app', '.spec.containers[name="c"].image']);
  assert.deepEqual(show(c.removed), [
    '.metadata.labels.old',
    '.spec.containers[name="gone"]',
    '.spec.containers[name="gone"].image',
    '.spec.containers[name="gone"].name',
    '.spec.containers[name="gone"].resources',
  ]);
});

test('real Deployment: kubectl create ownership matches what Kubernetes records', () => {
  const dep = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'nginx', namespace: 'default', labels: { app: 'nginx' }, uid: 'u', resourceVersion: '1', generation: 1 },
    spec: {
      replicas: 1,
      progressDeadlineSeconds: 600,
      revisionHistoryLimit: 10,
      selector: { matchLabels: { app: 'nginx' } },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
      template: {
        metadata: { labels: { app: 'nginx' } },
        spec: {
          containers: [{ name: 'nginx', image: 'nginx', imagePullPolicy: 'Always' }],
          dnsPolicy: 'ClusterFirst',
          securityContext: {},
        },
      },
    },
    status: { replicas: 0 },
  };
  const [mf] = recordUpdate({
    old: undefined,
    new: dep,
    manager: 'kubectl-create',
    apiVersion: 'apps/v1',
    now: new Date('2024-01-02T03:04:05Z'),
    rootTypeName: 'io.k8s.api.apps.v1.Deployment',
    lookup: typeByName,
  });
  assert.deepEqual(mf.fieldsV1, {
    'f:metadata': { 'f:labels': { '.': {}, 'f:app': {} } },
    'f:spec': {
      'f:progressDeadlineSeconds': {},
      'f:replicas': {},
      'f:revisionHistoryLimit': {},
      'f:selector': {},
      'f:strategy': { 'f:rollingUpdate': { '.': {}, 'f:maxSurge': {}, 'f:maxUnavailable': {} }, 'f:type': {} },
      'f:template': {
        'f:metadata': { 'f:labels': { '.': {}, 'f:app': {} } },
        'f:spec': {
          'f:containers': {
            'k:{"name":"nginx"}': { '.': {}, 'f:image': {}, 'f:imagePullPolicy': {}, 'f:name': {}, 'f:resources': {} },
          },
          'f:dnsPolicy': {},
          'f:securityContext': {},
        },
      },
    },
  });
});
