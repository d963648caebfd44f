import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  array,
  bool,
  bytes,
  double,
  field,
  fieldsV1,
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
import { buildOpenApiV2, buildOpenApiV3, buildOpenApiV3Index, operationGroupVersion, type OpenApiResource } from './openapi.js';

const M = 'io.k8s.apimachinery.pkg.apis.meta.v1.';
const C = 'io.k8s.api.core.v1.';
const types: TypeDef[] = [
  type(M + 'ObjectMeta', 'Standard object metadata.', {
    name: field(1, str(), 'Unique name within a namespace.'),
    labels: field(11, map(str()), 'Labels.'),
    creationTimestamp: field(8, time(), 'When the object was created.'),
    managedFields: field(17, array(ref(M + 'ManagedFieldsEntry')), 'Field ownership.', { listType: 'atomic' }),
  }),
  type(M + 'ManagedFieldsEntry', 'Who owns which fields.', { fieldsV1: field(7, fieldsV1(), 'The owned fields.') }),
  type(C + 'ExecAction', 'Run a command.', { command: field(1, array(str()), 'The command.', { listType: 'atomic' }) }),
  type(C + 'ProbeHandler', 'What a probe does.', { exec: field(1, ref(C + 'ExecAction'), 'Exec.', { pointer: true }) }),
  type(C + 'Probe', 'Probe describes a health check to be performed against a container.', {
    handler: field(1, ref(C + 'ProbeHandler'), 'inline', { inline: true }),
    initialDelaySeconds: field(2, int32(), 'Seconds before the first probe.'),
    successRatio: field(9, double(), 'A ratio.', { default: 1 }),
  }),
  type(C + 'ContainerPort', 'A port.', {
    containerPort: field(3, int32(), 'Port number.', { required: true }),
    protocol: field(4, str(['SCTP', 'TCP', 'UDP']), 'Protocol.', { default: 'TCP' }),
    targetPort: field(5, intOrString(), 'Target.'),
  }),
  type(C + 'Container', 'A single application container.', {
    name: field(1, str(), 'Name of the container.', { required: true }),
    image: field(2, str(), 'Image.'),
    ports: field(6, array(ref(C + 'ContainerPort')), 'Ports.', {
      patchStrategy: 'merge',
      mergeKey: 'containerPort',
      listType: 'map',
      listMapKeys: ['containerPort', 'protocol'],
    }),
    livenessProbe: field(10, ref(C + 'Probe'), 'Periodic probe of container liveness.', { pointer: true }),
    limits: field(8, map(quantity()), 'Limits.'),
    stdin: field(16, bool(), 'Stdin.'),
  }),
  type(C + 'PodSpec', 'Pod spec.', {
    containers: field(2, array(ref(C + 'Container')), 'Containers.', { required: true, patchStrategy: 'merge', mergeKey: 'name' }),
    activeDeadlineSeconds: field(5, int64(), 'Deadline.'),
    overhead: field(32, raw(), 'Free form.'),
  }),
  type(C + 'Pod', 'Pod is a collection of containers.', { metadata: field(1, ref(M + 'ObjectMeta'), 'Standard object metadata.'), spec: field(2, ref(C + 'PodSpec'), 'Spec.') }, { group: '', version: 'v1', kind: 'Pod' }),
  type(C + 'Namespace', 'Namespace scopes names.', { metadata: field(1, ref(M + 'ObjectMeta'), 'Metadata.') }, { group: '', version: 'v1', kind: 'Namespace' }),
  type(C + 'Secret', 'Secret data.', { data: field(2, map(bytes()), 'Data.') }, { group: '', version: 'v1', kind: 'Secret' }),
];
const byName = new Map(types.map((t) => [t.name, t]));
const lookup = (n: string) => byName.get(n);
const resources: OpenApiResource[] = [
  { kind: 'Pod', plural: 'pods', namespaced: true, typeName: C + 'Pod', subresources: ['status', 'log', 'exec', 'binding'] },
  { kind: 'Namespace', plural: 'namespaces', namespaced: false, typeName: C + 'Namespace', subresources: ['finalize'] },
];

const doc = buildOpenApiV3({ group: '', version: 'v1' }, resources, lookup) as any;
const schemas = doc.components.schemas;
const REF = (n: string) => ({ $ref: `#/components/schemas/${n}` });

test('document header and path layout', () => {
  assert.equal(doc.openapi, '3.0.0');
  assert.deepEqual(doc.info, { title: 'Kubernetes', version: 'v1.32.0' });
  assert.deepEqual(Object.keys(doc.paths), [
    '/api/v1/namespaces/{namespace}/pods',
    '/api/v1/namespaces/{namespace}/pods/{name}',
    '/api/v1/pods',
    '/api/v1/namespaces/{namespace}/pods/{name}/status',
    '/api/v1/namespaces/{namespace}/pods/{name}/log',
    '/api/v1/namespaces/{namespace}/pods/{name}/exec',
    '/api/v1/namespaces/{namespace}/pods/{name}/binding',
    '/api/v1/namespaces',
    '/api/v1/namespaces/{name}',
    '/api/v1/namespaces/{name}/finalize',
  ]);
  const item = doc.paths['/api/v1/namespaces/{namespace}/pods/{name}'];
  assert.deepEqual(Object.keys(item), ['get', 'put', 'delete', 'patch', 'parameters']);
  assert.deepEqual(item.parameters.map((p: any) => `${p.in}:${p.name}`), ['path:name', 'path:namespace', 'query:pretty']);
  assert.deepEqual(Object.keys(doc.paths['/api/v1/namespaces/{namespace}/pods']), ['get', 'post', 'delete', 'parameters']);
  assert.equal(doc.paths['/api/v1/pods'].get.operationId, 'listCoreV1PodForAllNamespaces');
  assert.equal(item.get.operationId, 'readCoreV1NamespacedPod');
  assert.equal(doc.paths['/api/v1/namespaces/{name}'].patch.operationId, 'patchCoreV1Namespace');
  assert.equal(doc.paths['/api/v1/namespaces/{namespace}/pods/{name}/exec'].post.operationId, 'connectCoreV1PostNamespacedPodExec');
  assert.deepEqual(Object.keys(doc.paths['/api/v1/namespaces/{name}/finalize']), ['put', 'parameters']);
});

test('patch operations carry the GVK object and inline fieldValidation/fieldManager/dryRun/force', () => {
  const patch = doc.paths['/api/v1/namespaces/{namespace}/pods/{name}'].patch;
  assert.deepEqual(patch['x-kubernetes-group-version-kind'], { group: '', kind: 'Pod', version: 'v1' });
  assert.equal(patch['x-kubernetes-action'], 'patch');
  assert.deepEqual(patch.parameters.map((p: any) => p.name), ['dryRun', 'fieldManager', 'fieldValidation', 'force']);
  const fv = patch.parameters.find((p: any) => p.name === 'fieldValidation');
  assert.deepEqual({ in: fv.in, schema: fv.schema }, { in: 'query', schema: { type: 'string', uniqueItems: true } });
  assert.deepEqual(patch.parameters.find((p: any) => p.name === 'force').schema.type, 'boolean');
  assert.deepEqual(Object.keys(patch.requestBody.content), [
    'application/apply-patch+yaml',
    'application/json-patch+json',
    'application/merge-patch+json',
    'application/strategic-merge-patch+json',
  ]);
  assert.deepEqual(patch.responses['200'].content['application/json'].schema, REF(C + 'Pod'));
  const put = doc.paths['/api/v1/namespaces/{namespace}/pods/{name}'].put;
  const post = doc.paths['/api/v1/namespaces/{namespace}/pods'].post;
  for (const op of [put, post]) assert.ok(op.parameters.some((p: any) => p.name === 'fieldValidation'));
  assert.deepEqual(post.requestBody.content['*/*'].schema, REF(C + 'Pod'));
  const list = doc.paths['/api/v1/namespaces/{namespace}/pods'].get;
  assert.deepEqual(list.responses['200'].content['application/json'].schema, REF(C + 'PodList'));
  assert.ok(list.parameters.some((p: any) => p.name === 'labelSelector'));
  const status = doc.paths['/api/v1/namespaces/{namespace}/pods/{name}/status'];
  assert.deepEqual(status.patch['x-kubernetes-group-version-kind'], { group: '', kind: 'Pod', version: 'v1' });
  assert.equal(status.patch.operationId, 'patchCoreV1NamespacedPodStatus');
});

test('every reachable type and only those are in components.schemas', () => {
  assert.deepEqual(Object.keys(schemas), [
    C + 'Binding',
    C + 'Container',
    C + 'ContainerPort',
    C + 'ExecAction',
    C + 'Namespace',
    C + 'NamespaceList',
    C + 'Pod',
    C + 'PodList',
    C + 'PodSpec',
    C + 'Probe',
    'io.k8s.apimachinery.pkg.api.resource.Quantity',
    M + 'DeleteOptions',
    M + 'FieldsV1',
    M + 'ListMeta',
    M + 'ManagedFieldsEntry',
    M + 'ObjectMeta',
    M + 'Patch',
    M + 'Status',
    M + 'Time',
    'io.k8s.apimachinery.pkg.runtime.RawExtension',
    'io.k8s.apimachinery.pkg.util.intstr.IntOrString',
  ]);
  // ProbeHandler is inline-only, so it is flattened away (as in Kubernetes), Secret is not reachable
  assert.equal(schemas[C + 'ProbeHandler'], undefined);
  assert.equal(schemas[C + 'Secret'], undefined);
});

test('object schemas: refs in allOf, arrays, maps, formats, enums, defaults, patch and list extensions', () => {
  const pod = schemas[C + 'Pod'];
  assert.equal(pod.type, 'object');
  assert.equal(pod.description, 'Pod is a collection of containers.');
  assert.deepEqual(pod['x-kubernetes-group-version-kind'], [{ group: '', kind: 'Pod', version: 'v1' }]);
  assert.deepEqual(Object.keys(pod.properties), ['apiVersion', 'kind', 'metadata', 'spec']);
  assert.deepEqual(pod.properties.metadata, { allOf: [REF(M + 'ObjectMeta')], description: 'Standard object metadata.' });
  assert.deepEqual(pod.properties.apiVersion.type, 'string');

  const spec = schemas[C + 'PodSpec'];
  assert.deepEqual(spec.required, ['containers']);
  assert.deepEqual(spec.properties.containers, {
    type: 'array',
    items: { allOf: [REF(C + 'Container')] },
    description: 'Containers.',
    'x-kubernetes-patch-merge-key': 'name',
    'x-kubernetes-patch-strategy': 'merge',
  });
  assert.deepEqual(spec.properties.activeDeadlineSeconds, { type: 'integer', format: 'int64', description: 'Deadline.' });
  assert.deepEqual(spec.properties.overhead.allOf, [REF('io.k8s.apimachinery.pkg.runtime.RawExtension')]);

  const c = schemas[C + 'Container'];
  assert.deepEqual(c.required, ['name']);
  assert.deepEqual(c.properties.ports['x-kubernetes-list-type'], 'map');
  assert.deepEqual(c.properties.ports['x-kubernetes-list-map-keys'], ['containerPort', 'protocol']);
  assert.deepEqual(c.properties.livenessProbe, { allOf: [REF(C + 'Probe')], description: 'Periodic probe of container liveness.' });
  assert.deepEqual(c.properties.limits, {
    type: 'object',
    additionalProperties: REF('io.k8s.apimachinery.pkg.api.resource.Quantity'),
    description: 'Limits.',
  });
  assert.deepEqual(c.properties.stdin, { type: 'boolean', description: 'Stdin.' });

  const port = schemas[C + 'ContainerPort'];
  assert.deepEqual(port.properties.protocol, { type: 'string', enum: ['SCTP', 'TCP', 'UDP'], description: 'Protocol.', default: 'TCP' });
  assert.deepEqual(port.properties.containerPort, { type: 'integer', format: 'int32', description: 'Port number.' });

  // the inline ProbeHandler's fields sit directly in Probe
  const probe = schemas[C + 'Probe'];
  assert.deepEqual(Object.keys(probe.properties), ['exec', 'initialDelaySeconds', 'successRatio']);
  assert.deepEqual(probe.properties.successRatio, { type: 'number', format: 'double', description: 'A ratio.', default: 1 });

  assert.deepEqual(schemas[M + 'ObjectMeta'].properties.managedFields['x-kubernetes-list-type'], 'atomic');
  assert.equal(schemas[M + 'ObjectMeta'].properties.labels.additionalProperties.type, 'string');
});

test('special apimachinery types', () => {
  // v3: two-typed values are oneOf without a top-level type (kubectl explain then prints <Quantity>)
  const q = schemas['io.k8s.apimachinery.pkg.api.resource.Quantity'];
  assert.deepEqual([q.type, q.oneOf], [undefined, [{ type: 'string' }, { type: 'number' }]]);
  const ios = schemas['io.k8s.apimachinery.pkg.util.intstr.IntOrString'];
  assert.deepEqual([ios.type, ios.format, ios.oneOf], [undefined, 'int-or-string', [{ type: 'integer' }, { type: 'string' }]]);
  assert.deepEqual([schemas[M + 'Time'].type, schemas[M + 'Time'].format], ['string', 'date-time']);
  assert.equal(schemas[M + 'FieldsV1'].type, 'object');
  assert.equal(schemas['io.k8s.apimachinery.pkg.runtime.RawExtension'].type, 'object');
  for (const s of Object.values(schemas) as any[]) assert.equal(typeof s.description, 'string');
});

test('generated List types', () => {
  const list = schemas[C + 'PodList'];
  assert.deepEqual(list['x-kubernetes-group-version-kind'], [{ group: '', kind: 'PodList', version: 'v1' }]);
  assert.deepEqual(list.required, ['items']);
  assert.deepEqual(list.properties.items.items, { allOf: [REF(C + 'Pod')] });
  assert.deepEqual(list.properties.metadata.allOf, [REF(M + 'ListMeta')]);
});

test('every $ref resolves', () => {
  const refs: string[] = [];
  const visit = (v: unknown) => {
    if (Array.isArray(v)) v.forEach(visit);
    else if (v && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        if (k === '$ref') refs.push(x as string);
        else visit(x);
      }
    }
  };
  visit(doc);
  assert.ok(refs.length > 20);
  for (const r of refs) assert.ok(schemas[r.replace('#/components/schemas/', '')], r);
});

test('group version naming and the index', () => {
  assert.equal(operationGroupVersion({ group: '', version: 'v1' }), 'CoreV1');
  assert.equal(operationGroupVersion({ group: 'apps', version: 'v1' }), 'AppsV1');
  assert.equal(operationGroupVersion({ group: 'rbac.authorization.k8s.io', version: 'v1' }), 'RbacAuthorizationV1');
  assert.equal(operationGroupVersion({ group: 'autoscaling', version: 'v2beta1' }), 'AutoscalingV2beta1');
  const apps = buildOpenApiV3({ group: 'apps', version: 'v1' }, [{ kind: 'Pod', plural: 'pods', namespaced: true, typeName: C + 'Pod', subresources: ['scale'] }], lookup) as any;
  assert.ok(apps.paths['/apis/apps/v1/namespaces/{namespace}/pods/{name}/scale'].get);
  assert.equal(apps.paths['/apis/apps/v1/namespaces/{namespace}/pods'].post.tags[0], 'apps_v1');
  assert.ok(apps.components.schemas['io.k8s.api.autoscaling.v1.Scale']);
  assert.deepEqual(buildOpenApiV3Index([{ path: 'api/v1', hash: 'ABC' }, { path: 'apis/apps/v1', hash: 'DEF' }]), {
    paths: {
      'api/v1': { serverRelativeURL: '/openapi/v3/api/v1?hash=ABC' },
      'apis/apps/v1': { serverRelativeURL: '/openapi/v3/apis/apps/v1?hash=DEF' },
    },
  });
});

test('Swagger 2.0 document', () => {
  const v2 = buildOpenApiV2(
    [
      { group: '', version: 'v1', resources },
      { group: 'apps', version: 'v1', resources: [{ kind: 'Secret', plural: 'secrets', namespaced: true, typeName: C + 'Secret', subresources: [] }] },
    ],
    lookup,
  ) as any;
  assert.equal(v2.swagger, '2.0');
  assert.ok(v2.paths['/api/v1/namespaces/{namespace}/pods/{name}']);
  assert.ok(v2.paths['/apis/apps/v1/namespaces/{namespace}/secrets']);
  const d = v2.definitions;
  assert.deepEqual(d[C + 'Pod'].properties.metadata, { $ref: '#/definitions/' + M + 'ObjectMeta', description: 'Standard object metadata.' });
  assert.deepEqual(d[C + 'PodSpec'].properties.containers.items, { $ref: '#/definitions/' + C + 'Container' });
  assert.deepEqual(d[C + 'Secret'].properties.data.additionalProperties, { type: 'string', format: 'byte' });
  const patch = v2.paths['/api/v1/namespaces/{namespace}/pods/{name}'].patch;
  assert.deepEqual(patch.parameters[0], { name: 'body', in: 'body', required: true, schema: { $ref: '#/definitions/' + M + 'Patch' } });
  assert.deepEqual(patch.parameters.find((p: any) => p.name === 'fieldValidation').type, 'string');
  assert.deepEqual(patch.responses['200'].schema, { $ref: '#/definitions/' + C + 'Pod' });
  assert.ok(!JSON.stringify(v2).includes('#/components/'));
  assert.ok(!JSON.stringify(v2).includes('allOf'));
  const ios2 = d['io.k8s.apimachinery.pkg.util.intstr.IntOrString'];
  assert.deepEqual([ios2.type, ios2.format, ios2.oneOf], ['string', 'int-or-string', undefined]);
  assert.deepEqual(d[C + 'Container'].properties.limits.additionalProperties, { $ref: '#/definitions/io.k8s.apimachinery.pkg.api.resource.Quantity' });
});

// ---- against the real schema data (skipped until src/api/schema/index.ts exists) ----
const realSchema = await import('./index.js').catch(() => undefined);
const skipReal = realSchema ? false : 'src/api/schema/index.ts is missing';

test('real schema: core/v1 and apps/v1 documents', { skip: skipReal }, () => {
  const core = buildOpenApiV3(
    { group: '', version: 'v1' },
    [
      { kind: 'Pod', plural: 'pods', namespaced: true, typeName: C + 'Pod', subresources: ['status', 'log', 'exec'] },
      { kind: 'Namespace', plural: 'namespaces', namespaced: false, typeName: C + 'Namespace', subresources: ['status', 'finalize'] },
      { kind: 'ConfigMap', plural: 'configmaps', namespaced: true, typeName: C + 'ConfigMap', subresources: [] },
      { kind: 'Secret', plural: 'secrets', namespaced: true, typeName: C + 'Secret', subresources: [] },
    ],
    realSchema!.typeByName,
  ) as any;
  const s = core.components.schemas;
  for (const kind of ['Pod', 'Namespace', 'ConfigMap', 'Secret']) {
    assert.deepEqual(s[C + kind]['x-kubernetes-group-version-kind'], [{ group: '', kind, version: 'v1' }]);
    assert.deepEqual(s[C + kind + 'List'].required, ['items']);
  }
  assert.deepEqual(s[C + 'PodSpec'].required, ['containers']);
  assert.deepEqual(s[C + 'Container'].required, ['name']);
  // Probe embeds ProbeHandler inline: its actions are Probe's own properties
  for (const p of ['exec', 'httpGet', 'tcpSocket', 'grpc', 'periodSeconds']) assert.ok(s[C + 'Probe'].properties[p], p);
  assert.deepEqual(s[C + 'Container'].properties.livenessProbe.allOf, [REF(C + 'Probe')]);
  assert.equal(s[C + 'Secret'].properties.data.additionalProperties.format, 'byte');
  assert.equal(s[M + 'ObjectMeta'].properties.creationTimestamp.allOf[0].$ref, `#/components/schemas/${M}Time`);

  const refs = JSON.stringify(core).match(/"\$ref":"[^"]+"/g)!;
  for (const r of refs) assert.ok(s[r.slice(8, -1).replace('#/components/schemas/', '')], r);

  const apps = buildOpenApiV3(
    { group: 'apps', version: 'v1' },
    [{ kind: 'Deployment', plural: 'deployments', namespaced: true, typeName: 'io.k8s.api.apps.v1.Deployment', subresources: ['status', 'scale'] }],
    realSchema!.typeByName,
  ) as any;
  const patch = apps.paths['/apis/apps/v1/namespaces/{namespace}/deployments/{name}'].patch;
  assert.deepEqual(patch['x-kubernetes-group-version-kind'], { group: 'apps', kind: 'Deployment', version: 'v1' });
  assert.ok(patch.parameters.some((p: any) => p.name === 'fieldValidation'));
  assert.deepEqual(apps.components.schemas['io.k8s.api.apps.v1.DeploymentSpec'].required, ['selector', 'template']);
  assert.ok(apps.components.schemas['io.k8s.api.autoscaling.v1.Scale'].properties.spec);
});
