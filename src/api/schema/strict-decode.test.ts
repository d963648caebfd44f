import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  array,
  bool,
  bytes,
  duration,
  field,
  int32,
  int64,
  intOrString,
  map,
  quantity,
  raw,
  ref,
  str,
  time,
  type,
  type TypeDef,
} from './dsl.js';
import {
  checkFields,
  durationError,
  findDuplicateFields,
  quantityError,
  strictErrorMessage,
  timeError,
  warningHeaderValue,
} from './strict-decode.js';

// A miniature apps/v1 Deployment, enough to mirror Kubernetes' own field-validation test.
const M = 'io.k8s.apimachinery.pkg.apis.meta.v1.';
const C = 'io.k8s.api.core.v1.';
const A = 'io.k8s.api.apps.v1.';
const types: TypeDef[] = [
  type(M + 'ObjectMeta', '', {
    name: field(1, str(), ''),
    labels: field(11, map(str()), ''),
    generation: field(7, int64(), ''),
    creationTimestamp: field(8, time(), ''),
  }),
  type(M + 'LabelSelector', '', { matchLabels: field(1, map(str()), '') }),
  type(C + 'ExecAction', '', { command: field(1, array(str()), '') }),
  type(C + 'ProbeHandler', '', { exec: field(1, ref(C + 'ExecAction'), '', { pointer: true }) }),
  type(C + 'Probe', '', {
    handler: field(1, ref(C + 'ProbeHandler'), '', { inline: true }),
    periodSeconds: field(4, int32(), ''),
  }),
  type(C + 'ContainerPort', '', { containerPort: field(3, int32(), '', { required: true }) }),
  type(C + 'ResourceRequirements', '', { limits: field(1, map(quantity()), '') }),
  type(C + 'Container', '', {
    name: field(1, str(), '', { required: true }),
    image: field(2, str(), ''),
    imagePullPolicy: field(14, str(['Always', 'IfNotPresent', 'Never']), ''),
    ports: field(6, array(ref(C + 'ContainerPort')), ''),
    livenessProbe: field(10, ref(C + 'Probe'), '', { pointer: true }),
    resources: field(8, ref(C + 'ResourceRequirements'), ''),
    tty: field(18, bool(), ''),
  }),
  type(C + 'PodSpec', '', {
    containers: field(2, array(ref(C + 'Container')), ''),
    activeDeadlineSeconds: field(5, int64(), '', { pointer: true }),
  }),
  type(C + 'PodTemplateSpec', '', {
    metadata: field(1, ref(M + 'ObjectMeta'), ''),
    spec: field(2, ref(C + 'PodSpec'), ''),
  }),
  type(A + 'DeploymentSpec', '', {
    replicas: field(1, int32(), '', { pointer: true }),
    selector: field(2, ref(M + 'LabelSelector'), ''),
    template: field(3, ref(C + 'PodTemplateSpec'), ''),
    paused: field(7, bool(), ''),
    progressDeadline: field(9, duration(), ''),
    extra: field(10, raw(), ''),
    blob: field(11, bytes(), ''),
    maxSurge: field(12, intOrString(), ''),
  }),
  type(
    A + 'Deployment',
    '',
    { metadata: field(1, ref(M + 'ObjectMeta'), ''), spec: field(2, ref(A + 'DeploymentSpec'), '') },
    { group: 'apps', version: 'v1', kind: 'Deployment' },
  ),
];
const byName = new Map(types.map((t) => [t.name, t]));
const lookup = (n: string) => byName.get(n);
const DEPLOY = A + 'Deployment';

const invalidBody = `{
  "apiVersion": "apps/v1",
  "kind": "Deployment",
  "metadata": {"name": "d1", "name": "d1", "unknownMeta": "x", "labels": {"app": "nginx"}},
  "spec": {
    "unknown1": "val1",
    "unknownDupe": "valDupe",
    "unknownDupe": "valDupe2",
    "paused": true,
    "paused": false,
    "selector": {"matchLabels": {"app": "nginx"}},
    "template": {
      "metadata": {"labels": {"app": "nginx"}},
      "spec": {"containers": [{
        "name": "nginx",
        "image": "nginx:latest",
        "unknownNested": "val1",
        "imagePullPolicy": "Always",
        "imagePullPolicy": "Never"
      }]}
    }
  }
}`;

test('unknown and duplicate fields in document order, as Kubernetes words them', () => {
  const r = checkFields(JSON.parse(invalidBody), DEPLOY, lookup, invalidBody);
  assert.deepEqual(r.problems, [
    'duplicate field "metadata.name"',
    'unknown field "metadata.unknownMeta"',
    'unknown field "spec.unknown1"',
    'unknown field "spec.unknownDupe"',
    'duplicate field "spec.paused"',
    'unknown field "spec.template.spec.containers[0].unknownNested"',
    'duplicate field "spec.template.spec.containers[0].imagePullPolicy"',
  ]);
  assert.deepEqual(r.unknown, ['metadata.unknownMeta', 'spec.unknown1', 'spec.unknownDupe', 'spec.template.spec.containers[0].unknownNested']);
  assert.deepEqual(r.duplicates, ['metadata.name', 'spec.paused', 'spec.template.spec.containers[0].imagePullPolicy']);
  assert.deepEqual(r.typeErrors, []);
  assert.equal(
    strictErrorMessage('Deployment', 'v1', r.problems),
    'Deployment in version "v1" cannot be handled as a Deployment: strict decoding error: duplicate field "metadata.name", ' +
      'unknown field "metadata.unknownMeta", unknown field "spec.unknown1", unknown field "spec.unknownDupe", ' +
      'duplicate field "spec.paused", unknown field "spec.template.spec.containers[0].unknownNested", ' +
      'duplicate field "spec.template.spec.containers[0].imagePullPolicy"',
  );
});

test('without the JSON text: unknown fields only, inline fields accepted, free-form fields unchecked', () => {
  const obj = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { labelz: { a: 'b' } },
    spec: {
      extra: { anything: { goes: [1, 2] } },
      template: {
        spec: {
          containers: [
            { name: 'a', imagee: 'x', livenessProbe: { exec: { command: ['true'], bogus: 1 }, periodSeconds: 3 } },
            { name: 'b', Image: 'case matters' },
          ],
        },
      },
    },
    status: {},
  };
  const r = checkFields(obj, DEPLOY, lookup);
  assert.deepEqual(r.unknown, [
    'metadata.labelz',
    'spec.template.spec.containers[0].imagee',
    'spec.template.spec.containers[0].livenessProbe.exec.bogus',
    'spec.template.spec.containers[1].Image',
    'status',
  ]);
  assert.deepEqual(r.duplicates, []);
  assert.deepEqual(r.typeErrors, []);
});

test('Go type mismatch messages name the struct and the field path without list indexes', () => {
  const cases: [unknown, string][] = [
    [{ spec: { replicas: 'two' } }, 'json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32'],
    [{ spec: { replicas: 1.5 } }, 'json: cannot unmarshal number 1.5 into Go struct field DeploymentSpec.spec.replicas of type int32'],
    [{ spec: { replicas: 3000000000 } }, 'json: cannot unmarshal number 3000000000 into Go struct field DeploymentSpec.spec.replicas of type int32'],
    [{ spec: { paused: 'yes' } }, 'json: cannot unmarshal string into Go struct field DeploymentSpec.spec.paused of type bool'],
    [{ metadata: 'x' }, 'json: cannot unmarshal string into Go struct field Deployment.metadata of type v1.ObjectMeta'],
    [{ metadata: { name: 5 } }, 'json: cannot unmarshal number into Go struct field ObjectMeta.metadata.name of type string'],
    [{ metadata: { name: { a: 1 } } }, 'json: cannot unmarshal object into Go struct field ObjectMeta.metadata.name of type string'],
    [{ metadata: { labels: { a: 1 } } }, 'json: cannot unmarshal number into Go struct field ObjectMeta.metadata.labels of type string'],
    [{ metadata: { labels: ['a'] } }, 'json: cannot unmarshal array into Go struct field ObjectMeta.metadata.labels of type map[string]string'],
    [
      { spec: { template: { spec: { containers: { name: 'x' } } } } },
      'json: cannot unmarshal object into Go struct field PodSpec.spec.template.spec.containers of type []v1.Container',
    ],
    [
      { spec: { template: { spec: { containers: [{ name: 'a' }, { ports: [{ containerPort: '80' }] }] } } } },
      'json: cannot unmarshal string into Go struct field ContainerPort.spec.template.spec.containers.ports.containerPort of type int32',
    ],
    [
      { spec: { template: { spec: { containers: [{ tty: 1 }] } } } },
      'json: cannot unmarshal number into Go struct field Container.spec.template.spec.containers.tty of type bool',
    ],
    [
      { spec: { template: { spec: { containers: [{ livenessProbe: { exec: { command: 'ls' } } }] } } } },
      'json: cannot unmarshal string into Go struct field ExecAction.spec.template.spec.containers.livenessProbe.exec.command of type []string',
    ],
  ];
  for (const [obj, message] of cases) {
    const r = checkFields(obj, DEPLOY, lookup);
    assert.equal(r.typeErrors[0]?.message, message, JSON.stringify(obj));
  }
  assert.equal(
    checkFields({ spec: { template: { spec: { containers: [{}, { ports: [{ containerPort: '1' }] }] } } } }, DEPLOY, lookup)
      .typeErrors[0].path,
    'spec.template.spec.containers[1].ports[0].containerPort',
  );
  assert.equal(checkFields([1], DEPLOY, lookup).typeErrors[0].message, 'json: cannot unmarshal array into Go value of type v1.Deployment');
});

test('number literals are judged on their text when it is available', () => {
  const text = '{"spec":{"replicas":1.0,"template":{"spec":{"activeDeadlineSeconds":9223372036854775808}}}}';
  const r = checkFields(JSON.parse(text), DEPLOY, lookup, text);
  assert.deepEqual(
    r.typeErrors.map((e) => e.message),
    [
      'json: cannot unmarshal number 1.0 into Go struct field DeploymentSpec.spec.replicas of type int32',
      'json: cannot unmarshal number 9223372036854775808 into Go struct field PodSpec.spec.template.spec.activeDeadlineSeconds of type int64',
    ],
  );
  assert.deepEqual(checkFields({ spec: { replicas: 2, template: { spec: { activeDeadlineSeconds: -5 } } } }, DEPLOY, lookup).typeErrors, []);
});

test('null is accepted everywhere; quantity and intOrString take strings and numbers', () => {
  const ok = {
    metadata: null,
    spec: {
      replicas: null,
      maxSurge: '25%',
      template: { spec: { containers: [{ name: 'a', resources: { limits: { cpu: '250m', memory: 128, gpu: '1e3' } } }] } },
    },
  };
  assert.deepEqual(checkFields(ok, DEPLOY, lookup).typeErrors, []);
  assert.deepEqual(checkFields({ spec: { maxSurge: 1 } }, DEPLOY, lookup).typeErrors, []);
});

test('custom unmarshalers report their own errors, without Go struct context, and stop decoding', () => {
  const err = (obj: unknown) => checkFields(obj, DEPLOY, lookup).typeErrors[0]?.message;
  const limits = (v: unknown) => ({ spec: { template: { spec: { containers: [{ resources: { limits: { cpu: v } } }] } } } });
  assert.equal(err(limits('lots')), "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'");
  assert.equal(err(limits({})), "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'");
  assert.equal(err(limits('1.2.3')), 'unable to parse numeric part of quantity');
  assert.equal(err(limits('5Qi')), "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'");
  assert.equal(err(limits('5iK')), "unable to parse quantity's suffix");
  assert.equal(err({ spec: { maxSurge: true } }), 'json: cannot unmarshal bool into Go value of type int32');
  assert.equal(err({ spec: { maxSurge: 2.5 } }), 'json: cannot unmarshal number 2.5 into Go value of type int32');
  assert.equal(err({ metadata: { creationTimestamp: 5 } }), 'json: cannot unmarshal number into Go value of type string');
  assert.equal(
    err({ metadata: { creationTimestamp: '2024/01/02' } }),
    'parsing time "2024/01/02" as "2006-01-02T15:04:05Z07:00": cannot parse "/01/02" as "-"',
  );
  assert.equal(err({ spec: { progressDeadline: '10x' } }), 'time: unknown unit "x" in duration "10x"');
  assert.equal(err({ spec: { blob: 'a$==' } }), 'illegal base64 data at input byte 1');
  // a fatal error wins over a type error seen before it
  const r = checkFields({ spec: { paused: 1, maxSurge: {} } }, DEPLOY, lookup);
  assert.equal(r.typeErrors[0].message, 'json: cannot unmarshal object into Go value of type int32');
  assert.equal(r.typeErrors[1].message, 'json: cannot unmarshal number into Go struct field DeploymentSpec.spec.paused of type bool');
});

test('strict problems are deduplicated and capped at 100', () => {
  const many: Record<string, number> = {};
  for (let i = 0; i < 150; i++) many[`f${i}`] = i;
  const r = checkFields({ spec: many }, DEPLOY, lookup);
  assert.equal(r.problems.length, 100);
  assert.equal(r.problems[99], 'unknown field "spec.f99"');
  const text = '{"spec":{"x":1,"x":2,"x":3}}';
  assert.deepEqual(checkFields(JSON.parse(text), DEPLOY, lookup, text).problems, ['unknown field "spec.x"']);
});

test('findDuplicateFields with and without a schema', () => {
  const text = '{"metadata":{"name":"a","name":"b","labels":{"k":"1","k":"2"}},"spec":{"extra":{"z":1,"z":2},"zz":{"q":1,"q":2}},"items":[{"a":1,"a":1}]}';
  assert.deepEqual(findDuplicateFields(text), ['metadata.name', 'metadata.labels.k', 'spec.extra.z', 'spec.zz.q', 'items[0].a']);
  // with the schema, free-form (raw) and unknown subtrees are not looked into
  assert.deepEqual(findDuplicateFields(text, DEPLOY, lookup), ['metadata.name', 'metadata.labels.k']);
  assert.deepEqual(findDuplicateFields('{"a":'), []);
});

test('RFC 3339 and duration parsing errors', () => {
  assert.equal(timeError('2024-01-02T03:04:05Z', false), undefined);
  assert.equal(timeError('2024-01-02T03:04:05.123+02:00', false), undefined);
  assert.equal(timeError('', false), 'parsing time "" as "2006-01-02T15:04:05Z07:00": cannot parse "" as "2006"');
  assert.equal(timeError('2024-13-02T03:04:05Z', false), 'parsing time "2024-13-02T03:04:05Z": month out of range');
  assert.equal(timeError('2023-02-29T03:04:05Z', false), 'parsing time "2023-02-29T03:04:05Z": day out of range');
  assert.equal(timeError('2024-01-02T03:04:05', false), 'parsing time "2024-01-02T03:04:05" as "2006-01-02T15:04:05Z07:00": cannot parse "" as "Z07:00"');
  assert.equal(timeError('2024-01-02T03:04:05Zjunk', false), 'parsing time "2024-01-02T03:04:05Zjunk": extra text: "junk"');
  assert.equal(timeError('2024-01-02T03:04:05.123456Z', true), undefined);
  assert.equal(timeError('2024-01-02T03:04:05Z', true), 'parsing time "2024-01-02T03:04:05Z" as "2006-01-02T15:04:05.000000Z07:00": cannot parse "Z" as ".000000"');
  assert.equal(durationError('1h30m'), undefined);
  assert.equal(durationError('0'), undefined);
  assert.equal(durationError('1.5s'), undefined);
  assert.equal(durationError('5'), 'time: missing unit in duration "5"');
  assert.equal(durationError(''), 'time: invalid duration ""');
  assert.equal(quantityError('100Mi'), undefined);
  assert.equal(quantityError('-1.5e3'), undefined);
});

test('warning header encoding', () => {
  assert.equal(warningHeaderValue('unknown field "spec.foo"'), '299 - "unknown field \\"spec.foo\\""');
});

// ---- against the real schema data (skipped until src/api/schema/index.ts exists) ----
const realSchema = await import('./index.js').catch(() => undefined);
const skipReal = realSchema ? false : 'src/api/schema/index.ts is missing';

test('real schema: Pod, Deployment, Namespace, ConfigMap, Secret', { skip: skipReal }, () => {
  const real = realSchema!.typeByName;
  const pod = `{"apiVersion":"v1","kind":"Pod","metadata":{"name":"demo","labelz":{}},
    "spec":{"containers":[{"name":"main","image":"busybox","imagee":"x","command":["sleep","3600"],
      "livenessProbe":{"exec":{"command":["true"]},"periodSeconds":5},
      "resources":{"limits":{"cpu":"250m","memory":"64Mi"}},"ports":[{"containerPort":80,"protocol":"TCP"}]}],
      "volumes":[{"name":"v","emptyDir":{}}],"foo":1}}`;
  const r = checkFields(JSON.parse(pod), C + 'Pod', real, pod);
  assert.deepEqual(r.problems, ['unknown field "metadata.labelz"', 'unknown field "spec.containers[0].imagee"', 'unknown field "spec.foo"']);
  assert.deepEqual(r.typeErrors, []);
  assert.equal(
    strictErrorMessage('Pod', 'v1', r.problems),
    'Pod in version "v1" cannot be handled as a Pod: strict decoding error: unknown field "metadata.labelz", unknown field "spec.containers[0].imagee", unknown field "spec.foo"',
  );

  const deploy = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' }, spec: { replicas: 'three', selector: { matchLabels: { a: 'b' } } } };
  assert.equal(
    checkFields(deploy, A + 'Deployment', real).typeErrors[0].message,
    'json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32',
  );
  assert.deepEqual(checkFields({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'n' }, spec: { finalizers: ['kubernetes'] } }, C + 'Namespace', real).problems, []);
  assert.deepEqual(checkFields({ data: { a: 'b' }, binaryData: { b: 'AAE=' }, immutable: true, extra: 1 }, C + 'ConfigMap', real).problems, ['unknown field "extra"']);
  const secret = checkFields({ data: { k: 'not base64!' }, stringData: { k: 'v' }, type: 'Opaque' }, C + 'Secret', real);
  assert.equal(secret.typeErrors[0].message, 'illegal base64 data at input byte 3');
});
