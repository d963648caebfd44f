import { test } from 'node:test';
import assert from 'node:assert/strict';
import { array, field, map, raw, ref, str, int32, type, type TypeDef } from '../schema/dsl.js';
import { strategicMergePatch, goFormat, findField } from './strategic-merge.js';
import { PatchError } from './json-patch.js';
import { typeByName } from '../schema/index.js';

// A small hand-made schema shaped like the real Deployment/Pod types.
const types: TypeDef[] = [
  type('Deployment', '', {
    metadata: field(1, ref('ObjectMeta'), ''),
    spec: field(2, ref('DeploymentSpec'), ''),
  }, { group: 'apps', version: 'v1', kind: 'Deployment' }),
  type('ObjectMeta', '', {
    name: field(1, str(), ''),
    labels: field(2, map(str()), ''),
    annotations: field(3, map(str()), ''),
    finalizers: field(4, array(str()), '', { patchStrategy: 'merge', listType: 'set' }),
    ownerReferences: field(5, array(ref('OwnerReference')), '', { patchStrategy: 'merge', mergeKey: 'uid' }),
  }),
  type('OwnerReference', '', { uid: field(1, str(), ''), name: field(2, str(), ''), kind: field(3, str(), '') }),
  type('DeploymentSpec', '', {
    replicas: field(1, int32(), ''),
    strategy: field(2, ref('Strategy'), '', { patchStrategy: 'retainKeys' }),
    template: field(3, ref('PodTemplateSpec'), ''),
    extra: field(4, raw(), ''),
  }),
  type('Strategy', '', { type: field(1, str(), ''), rollingUpdate: field(2, ref('RollingUpdate'), '') }),
  type('RollingUpdate', '', { maxSurge: field(1, str(), ''), maxUnavailable: field(2, str(), '') }),
  type('PodTemplateSpec', '', { metadata: field(1, ref('ObjectMeta'), ''), spec: field(2, ref('PodSpec'), '') }),
  type('PodSpec', '', {
    containers: field(1, array(ref('Container')), '', { patchStrategy: 'merge', mergeKey: 'name' }),
    volumes: field(2, array(ref('Volume')), '', { patchStrategy: 'merge,retainKeys', mergeKey: 'name' }),
    tolerations: field(3, array(ref('Toleration')), ''),
    nodeSelector: field(4, map(str()), '', { patchStrategy: 'replace' }),
  }),
  type('Toleration', '', { key: field(1, str(), ''), effect: field(2, str(), '') }),
  type('Volume', '', { name: field(1, str(), ''), source: field(2, ref('VolumeSource'), '', { inline: true }) }),
  type('VolumeSource', '', { emptyDir: field(1, map(str()), ''), configMap: field(2, map(str()), '') }),
  type('Container', '', {
    name: field(1, str(), ''),
    image: field(2, str(), ''),
    args: field(3, array(str()), ''),
    env: field(4, array(ref('EnvVar')), '', { patchStrategy: 'merge', mergeKey: 'name' }),
    ports: field(5, array(ref('ContainerPort')), '', { patchStrategy: 'merge', mergeKey: 'containerPort' }),
  }),
  type('EnvVar', '', { name: field(1, str(), ''), value: field(2, str(), '') }),
  type('ContainerPort', '', { containerPort: field(1, int32(), ''), protocol: field(2, str(), '') }),
  // Mirrors apimachinery's own test struct.
  type('MergeItem', '', {
    name: field(1, str(), ''),
    value: field(2, str(), ''),
    other: field(3, str(), ''),
    mergingList: field(4, array(ref('MergeItem')), '', { patchStrategy: 'merge', mergeKey: 'name' }),
    nonMergingList: field(5, array(ref('MergeItem')), ''),
    mergingIntList: field(6, array(int32()), '', { patchStrategy: 'merge' }),
    nonMergingIntList: field(7, array(int32()), ''),
    simpleMap: field(8, map(str()), ''),
    retainKeysMap: field(9, ref('MergeItem'), '', { patchStrategy: 'retainKeys' }),
  }),
];
const byName = new Map(types.map((t) => [t.name, t]));
const lookup = (n: string) => byName.get(n);
const smp = (o: unknown, p: unknown, root = 'Deployment') => strategicMergePatch(o, p, root, lookup);

function deployment() {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', labels: { app: 'web' }, annotations: { note: 'x' } },
    spec: {
      replicas: 1,
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: {
          containers: [
            {
              name: 'c',
              image: 'nginx:1',
              env: [
                { name: 'A', value: '1' },
                { name: 'B', value: '2' },
              ],
              ports: [{ containerPort: 80, protocol: 'TCP' }],
            },
            { name: 'd', image: 'busybox' },
          ],
        },
      },
    },
  };
}

test('the client-side apply patch from the wire contract §5.2', () => {
  const patch = {
    metadata: { labels: null },
    spec: {
      replicas: 3,
      strategy: { $retainKeys: ['type'], type: 'Recreate' },
      template: {
        spec: {
          '$setElementOrder/containers': [{ name: 'c' }],
          containers: [
            {
              '$setElementOrder/env': [{ name: 'B' }],
              args: ['x'],
              env: [{ $patch: 'delete', name: 'A' }],
              image: 'nginx:2',
              name: 'c',
              ports: null,
            },
            { $patch: 'delete', name: 'd' },
          ],
        },
      },
    },
  };
  const original = deployment();
  const out = smp(original, patch);
  assert.deepEqual(out, {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', annotations: { note: 'x' } },
    spec: {
      replicas: 3,
      strategy: { type: 'Recreate' },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: {
          containers: [{ name: 'c', image: 'nginx:2', env: [{ name: 'B', value: '2' }], args: ['x'] }],
        },
      },
    },
  });
  assert.deepEqual(original, deployment(), 'original untouched');
});

test('patch items update their match; new items go before server-only ones (no order hint)', () => {
  const out = smp(deployment(), {
    spec: { template: { spec: { containers: [{ name: 'd', image: 'busybox:2' }, { name: 'e', image: 'x' }] } } },
  });
  assert.deepEqual(
    out.spec.template.spec.containers.map((c: any) => [c.name, c.image]),
    [
      ['c', 'nginx:1'],
      ['d', 'busybox:2'],
      ['e', 'x'],
    ],
  );
  const added = smp(deployment(), { spec: { template: { spec: { containers: [{ name: 'z', image: 'z' }] } } } });
  assert.deepEqual(
    added.spec.template.spec.containers.map((c: any) => c.name),
    ['z', 'c', 'd'],
  );
});

test('$setElementOrder puts new and existing items in the requested order', () => {
  const out = smp(deployment(), {
    spec: {
      template: {
        spec: {
          '$setElementOrder/containers': [{ name: 'd' }, { name: 'new' }, { name: 'c' }],
          containers: [{ name: 'new', image: 'n' }],
        },
      },
    },
  });
  assert.deepEqual(
    out.spec.template.spec.containers.map((c: any) => c.name),
    ['d', 'new', 'c'],
  );
});

test('env merges by name, ports merge by containerPort, null deletes inside an element', () => {
  const out = smp(deployment(), {
    spec: {
      template: {
        spec: {
          containers: [
            {
              name: 'c',
              env: [{ name: 'B', value: 'changed' }, { name: 'C', value: '3' }],
              ports: [{ containerPort: 80, protocol: null }, { containerPort: 443 }],
            },
          ],
        },
      },
    },
  });
  const c = out.spec.template.spec.containers[0];
  // A precedes B in the live list, so it stays first; C follows the patch order.
  assert.deepEqual(c.env, [
    { name: 'A', value: '1' },
    { name: 'B', value: 'changed' },
    { name: 'C', value: '3' },
  ]);
  assert.deepEqual(c.ports, [{ containerPort: 80 }, { containerPort: 443 }]);
});

test('$patch: replace inside a merging list replaces the whole list', () => {
  const out = smp(deployment(), {
    spec: { template: { spec: { containers: [{ name: 'only', image: 'o' }, { $patch: 'replace' }] } } },
  });
  assert.deepEqual(out.spec.template.spec.containers, [{ name: 'only', image: 'o' }]);
});

test('$patch on maps: replace swaps the map, delete leaves it empty', () => {
  const replaced = smp(deployment(), { spec: { strategy: { $patch: 'replace', type: 'Recreate' } } });
  assert.deepEqual(replaced.spec.strategy, { type: 'Recreate' });
  const deleted = smp(deployment(), { metadata: { labels: { $patch: 'delete' } } });
  assert.deepEqual(deleted.metadata.labels, {});
  const absent = smp(deployment(), { spec: { template: { metadata: { annotations: { $patch: 'delete' } } } } });
  assert.equal('annotations' in absent.spec.template.metadata, false);
});

test('lists without merge strategy are replaced (tolerations, args)', () => {
  const base = deployment() as any;
  base.spec.template.spec.tolerations = [{ key: 'a', effect: 'NoSchedule' }];
  const out = smp(base, {
    spec: { template: { spec: { tolerations: [{ key: 'b' }], containers: [{ name: 'c', args: ['1'] }] } } },
  });
  assert.deepEqual(out.spec.template.spec.tolerations, [{ key: 'b' }]);
  assert.deepEqual(out.spec.template.spec.containers[0].args, ['1']);
});

test('patchStrategy replace on a map replaces it', () => {
  const base = deployment() as any;
  base.spec.template.spec.nodeSelector = { a: '1', b: '2' };
  const out = smp(base, { spec: { template: { spec: { nodeSelector: { c: '3' } } } } });
  assert.deepEqual(out.spec.template.spec.nodeSelector, { c: '3' });
});

test('finalizers merge as a set; $deleteFromPrimitiveList removes', () => {
  const base = deployment() as any;
  base.metadata.finalizers = ['a', 'b'];
  const added = smp(base, { metadata: { finalizers: ['c', 'a'] } });
  assert.deepEqual(added.metadata.finalizers, ['c', 'a', 'b']);
  const removed = smp(base, { metadata: { '$deleteFromPrimitiveList/finalizers': ['a'] } });
  assert.deepEqual(removed.metadata.finalizers, ['b']);
  const noop = smp(deployment(), { metadata: { '$deleteFromPrimitiveList/finalizers': ['a'] } });
  assert.equal('finalizers' in noop.metadata, false);
});

test('ownerReferences merge by uid and can be deleted by uid', () => {
  const base = deployment() as any;
  base.metadata.ownerReferences = [{ uid: 'u1', name: 'rs1', kind: 'ReplicaSet' }];
  const out = smp(base, {
    metadata: { ownerReferences: [{ uid: 'u1', name: 'renamed' }, { uid: 'u2', name: 'rs2' }] },
  });
  assert.deepEqual(out.metadata.ownerReferences, [
    { uid: 'u1', name: 'renamed', kind: 'ReplicaSet' },
    { uid: 'u2', name: 'rs2' },
  ]);
  const del = smp(out, { metadata: { ownerReferences: [{ $patch: 'delete', uid: 'u1' }] } });
  assert.deepEqual(del.metadata.ownerReferences, [{ uid: 'u2', name: 'rs2' }]);
});

test('volumes: inline source fields and merge,retainKeys strategy merge by name', () => {
  const base = deployment() as any;
  base.spec.template.spec.volumes = [{ name: 'v', emptyDir: {} }];
  const out = smp(base, {
    spec: {
      template: {
        spec: { volumes: [{ name: 'v', $retainKeys: ['configMap', 'name'], configMap: { name: 'cm' } }] },
      },
    },
  });
  assert.deepEqual(out.spec.template.spec.volumes, [{ name: 'v', configMap: { name: 'cm' } }]);
});

test('unknown and free-form fields merge like JSON merge patch', () => {
  const base = deployment() as any;
  base.spec.extra = { a: { b: 1, c: [1, 2] } };
  base.spec.unknownThing = { keep: true, list: [1] };
  const out = smp(base, { spec: { extra: { a: { b: null, c: [3] } }, unknownThing: { list: [2], x: 1 } } });
  assert.deepEqual(out.spec.extra, { a: { c: [3] } });
  assert.deepEqual(out.spec.unknownThing, { keep: true, list: [2], x: 1 });
});

test('directives and nulls never leak into values the original lacked', () => {
  const out = smp({ metadata: { name: 'n' } }, {
    spec: {
      template: {
        spec: {
          '$setElementOrder/containers': [{ name: 'a' }],
          containers: [{ name: 'a', image: null, '$setElementOrder/env': [{ name: 'X' }], env: [{ name: 'X' }] }],
        },
      },
      replicas: null,
    },
  });
  assert.deepEqual(out, { metadata: { name: 'n' }, spec: { template: { spec: { containers: [{ name: 'a', env: [{ name: 'X' }] }] } } } });
});

// Cases from apimachinery's strategicpatch test table (three-way patch applied to "current").
test('apimachinery case: merge lists of maps with setElementOrder', () => {
  const out = smp(
    { mergingList: [{ name: '1', other: 'a' }, { name: '2', value: '2', other: 'b' }] },
    {
      '$setElementOrder/mergingList': [{ name: '4' }, { name: '1' }, { name: '2' }, { name: '3' }],
      mergingList: [{ name: '4', value: '4' }, { name: '3', value: '3' }],
    },
    'MergeItem',
  );
  assert.deepEqual(out.mergingList, [
    { name: '4', value: '4' },
    { name: '1', other: 'a' },
    { name: '2', value: '2', other: 'b' },
    { name: '3', value: '3' },
  ]);
});

test('apimachinery case: nested patch merge with empty list', () => {
  const out = smp(
    { name: 'hi', mergingList: [{ name: 'hello2' }] },
    {
      '$setElementOrder/mergingList': [{ name: 'hello' }, { name: 'doesntexist' }],
      mergingList: [{ name: 'hello' }, { $patch: 'delete', name: 'doesntexist' }],
    },
    'MergeItem',
  );
  assert.deepEqual(out, { name: 'hi', mergingList: [{ name: 'hello' }, { name: 'hello2' }] });
});

test('apimachinery case: add and delete items in lists of scalars', () => {
  const out = smp(
    { mergingIntList: [1, 2, 3, 4] },
    { '$setElementOrder/mergingIntList': [1, 2, 4], '$deleteFromPrimitiveList/mergingIntList': [3], mergingIntList: [4] },
    'MergeItem',
  );
  assert.deepEqual(out, { mergingIntList: [1, 2, 4] });
  const dup = smp(
    { mergingIntList: [1, 2, 3, 3, 4] },
    { '$setElementOrder/mergingIntList': [1, 2], '$deleteFromPrimitiveList/mergingIntList': [3] },
    'MergeItem',
  );
  assert.deepEqual(dup, { mergingIntList: [1, 2, 4] });
});

test('apimachinery case: retainKeys map kept when patch does not mention it', () => {
  const out = smp({ name: 'a', other: 'c', retainKeysMap: { name: 'foo' } }, { value: 'b' }, 'MergeItem');
  assert.deepEqual(out, { name: 'a', other: 'c', value: 'b', retainKeysMap: { name: 'foo' } });
});

test('kubectl three-way patches that only carry the diff', () => {
  // Changing one label and the image: kubectl sends just those keys plus order hints.
  const out = smp(deployment(), {
    metadata: { labels: { tier: 'fe' } },
    spec: {
      template: {
        spec: { '$setElementOrder/containers': [{ name: 'c' }, { name: 'd' }], containers: [{ image: 'nginx:3', name: 'c' }] },
      },
    },
  });
  assert.deepEqual(out.metadata.labels, { app: 'web', tier: 'fe' });
  assert.deepEqual(
    out.spec.template.spec.containers.map((c: any) => [c.name, c.image]),
    [
      ['c', 'nginx:3'],
      ['d', 'busybox'],
    ],
  );
  assert.deepEqual(out.spec.template.spec.containers[0].env, deployment().spec.template.spec.containers[0].env);
  // A field removed from the manifest arrives as null.
  const dropped = smp(deployment(), { spec: { replicas: null } });
  assert.equal('replicas' in dropped.spec, false);
});

function rejects(fn: () => unknown, code: number, reason: string, message: string): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof PatchError);
    assert.equal(e.message, message);
    assert.equal(e.code, code);
    assert.equal(e.reason, reason);
    return true;
  });
}

test('errors carry the apiserver status for each failure', () => {
  rejects(
    () => smp(deployment(), { spec: { template: { spec: { containers: [{ $patch: 'bogus', name: 'c' }] } } } }),
    500,
    '',
    'unknown patch type: bogus in map: map[$patch:bogus name:c]',
  );
  rejects(() => smp(deployment(), { spec: { strategy: { $patch: 'frob' } } }), 500, '', 'unknown patch type: frob in map: map[$patch:frob]');
  rejects(
    () => smp(deployment(), { spec: { template: { spec: { containers: [{ image: 'x' }] } } } }),
    500,
    '',
    'map: map[image:x] does not contain declared merge key: name',
  );
  rejects(
    () => smp(deployment(), { spec: { strategy: { $retainKeys: ['type'], rollingUpdate: {} } } }),
    400,
    'BadRequest',
    'invalid patch format of retainKeys',
  );
  rejects(() => smp(deployment(), { spec: { strategy: { $retainKeys: 'type' } } }), 400, 'BadRequest', 'invalid patch format of retainKeys');
  rejects(
    () => smp({ metadata: { finalizers: ['a'] } }, { metadata: { $deleteFromPrimitiveListfinalizers: ['a'] } }),
    400,
    'BadRequest',
    'invalid patch format of primitive list',
  );
  rejects(
    () => smp({ mergingIntList: [[1]] }, { mergingIntList: [[2]] }, 'MergeItem'),
    422,
    'Invalid',
    'the server rejected our request due to an error in our request',
  );
  rejects(
    () => smp(deployment(), { spec: { template: { spec: { containers: [{ name: 'c', $patch: 'merge' }] } } } }),
    500,
    '',
    'merging lists cannot yet be specified in the patch',
  );
  rejects(() => smp({}, [1]), 400, 'BadRequest', 'json: cannot unmarshal array into Go value of type map[string]interface {}');
});

test('setElementOrder that contradicts the patch list is refused', () => {
  rejects(
    () =>
      smp(deployment(), {
        spec: {
          template: {
            spec: { '$setElementOrder/containers': [{ name: 'c' }], containers: [{ name: 'd', image: 'q' }] },
          },
        },
      }),
    500,
    '',
    "the order in patch list:\n[map[image:q name:d]]\n doesn't match $setElementOrder list:\n[map[name:c]]",
  );
});

test('goFormat prints like Go %v', () => {
  assert.equal(goFormat({ b: [1, 'x'], a: null, c: { d: true } }), 'map[a:<nil> b:[1 x] c:map[d:true]]');
});

test('findField looks through inline fields', () => {
  assert.equal(findField(lookup('Volume')!, 'configMap', lookup)?.json, 'configMap');
  assert.equal(findField(lookup('Volume')!, 'nope', lookup), undefined);
});

test('real Deployment schema: §5.2 patch with apps/v1 types', () => {
  const root = 'io.k8s.api.apps.v1.Deployment';
  assert.ok(typeByName(root), 'schema index provides Deployment');
  const out = strategicMergePatch(
    deployment(),
    {
      metadata: { labels: null },
      spec: {
        strategy: { $retainKeys: ['type'], type: 'Recreate' },
        template: {
          spec: {
            '$setElementOrder/containers': [{ name: 'c' }],
            containers: [
              { '$setElementOrder/env': [{ name: 'B' }], env: [{ $patch: 'delete', name: 'A' }], name: 'c', ports: null },
              { $patch: 'delete', name: 'd' },
            ],
          },
        },
      },
    },
    root,
    typeByName,
  );
  assert.deepEqual(out.spec.strategy, { type: 'Recreate' });
  assert.deepEqual(out.spec.template.spec.containers, [{ name: 'c', image: 'nginx:1', env: [{ name: 'B', value: '2' }] }]);
  assert.equal('labels' in out.metadata, false);
});

test('real Pod schema: ports merge by containerPort, volumeMounts by mountPath, tolerations replace', () => {
  const root = 'io.k8s.api.core.v1.Pod';
  const pod = {
    metadata: { name: 'p' },
    spec: {
      containers: [
        {
          name: 'main',
          image: 'x',
          ports: [{ containerPort: 80, protocol: 'TCP' }],
          volumeMounts: [{ name: 'a', mountPath: '/a' }],
        },
      ],
      tolerations: [{ key: 'k', operator: 'Exists' }],
    },
  };
  const out = strategicMergePatch(
    pod,
    {
      spec: {
        containers: [
          { name: 'main', ports: [{ containerPort: 80, name: 'http' }], volumeMounts: [{ name: 'b', mountPath: '/a' }] },
        ],
        tolerations: [{ key: 'z', operator: 'Exists' }],
      },
    },
    root,
    typeByName,
  );
  assert.deepEqual(out.spec.containers[0].ports, [{ containerPort: 80, protocol: 'TCP', name: 'http' }]);
  assert.deepEqual(out.spec.containers[0].volumeMounts, [{ name: 'b', mountPath: '/a' }]);
  assert.deepEqual(out.spec.tolerations, [{ key: 'z', operator: 'Exists' }]);
});
