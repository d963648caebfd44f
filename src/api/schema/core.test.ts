import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { FieldDef, TypeDef, TypeRef } from './dsl.js';
import { coreV1Types } from './core.js';

const CORE = 'io.k8s.api.core.v1.';
const META = 'io.k8s.apimachinery.pkg.apis.meta.v1.';
// Meta types written in meta.ts by another module; core/v1 may refer to these only.
const META_NAMES = new Set(['ObjectMeta', 'ListMeta', 'LabelSelector', 'Condition'].map((n) => META + n));

const byName = new Map(coreV1Types.map((t) => [t.name, t]));

function typeOf(short: string): TypeDef {
  const t = byName.get(CORE + short);
  assert.ok(t, `missing type ${short}`);
  return t;
}

function fieldOf(short: string, json: string): FieldDef {
  const f = typeOf(short).fields.find((x) => x.json === json);
  assert.ok(f, `missing field ${short}.${json}`);
  return f;
}

function refsIn(t: TypeRef): string[] {
  if (t.t === 'ref') return [t.name];
  if (t.t === 'array' || t.t === 'map') return refsIn(t.of);
  return [];
}

/** JSON-visible field names of a type: inline embedded structs contribute their own fields. */
function jsonNames(t: TypeDef): string[] {
  return t.fields.flatMap((f) => {
    if (!f.inline) return [f.json];
    const inner = f.type.t === 'ref' ? byName.get(f.type.name) : undefined;
    assert.ok(inner, `${t.name}.${f.json} inlines an unknown type`);
    return jsonNames(inner);
  });
}

/** The element type of an array field, or the field type itself. */
function elem(t: TypeRef): TypeRef {
  return t.t === 'array' ? t.of : t;
}

describe('coreV1Types structure', () => {
  it('has unique type names', () => {
    assert.equal(byName.size, coreV1Types.length);
  });

  it('resolves every ref to a core/v1 type or an allowed meta type', () => {
    const bad: string[] = [];
    for (const t of coreV1Types)
      for (const f of t.fields)
        for (const r of refsIn(f.type)) if (!byName.has(r) && !META_NAMES.has(r)) bad.push(`${t.name}.${f.json} -> ${r}`);
    assert.deepEqual(bad, []);
  });

  it('has no duplicate json names or proto numbers inside a type (inline fields flattened)', () => {
    for (const t of coreV1Types) {
      const jsons = jsonNames(t);
      assert.equal(new Set(jsons).size, jsons.length, `duplicate json name in ${t.name}`);
      const protos = t.fields.filter((f) => f.proto !== 0).map((f) => f.proto);
      assert.equal(new Set(protos).size, protos.length, `duplicate proto number in ${t.name}`);
      for (const p of protos) assert.ok(Number.isInteger(p) && p > 0, `bad proto ${p} in ${t.name}`);
    }
  });

  it('gives every type and every field a non-empty doc', () => {
    for (const t of coreV1Types) {
      assert.ok(t.doc.trim().length > 0, `${t.name} has no doc`);
      for (const f of t.fields) assert.ok(f.doc.trim().length > 10, `${t.name}.${f.json} has no doc`);
    }
  });

  it('only uses proto 0 for apiVersion/kind of top-level kinds', () => {
    for (const t of coreV1Types)
      for (const f of t.fields.filter((x) => x.proto === 0)) {
        assert.ok(t.gvk, `${t.name}.${f.json} has proto 0 but is not a kind`);
        assert.ok(f.json === 'apiVersion' || f.json === 'kind');
      }
  });

  it('gives GVKs to exactly the top-level kinds, each with metadata proto 1 -> ObjectMeta', () => {
    const kinds = coreV1Types.filter((t) => t.gvk).map((t) => t.gvk!.kind).sort();
    assert.deepEqual(kinds, [
      'Binding',
      'ConfigMap',
      'Endpoints',
      'Event',
      'Namespace',
      'Node',
      'Pod',
      'PodTemplate',
      'Secret',
      'Service',
      'ServiceAccount',
    ]);
    for (const t of coreV1Types.filter((x) => x.gvk)) {
      assert.deepEqual(t.gvk, { group: '', version: 'v1', kind: t.name.slice(CORE.length) });
      const md = t.fields.find((f) => f.json === 'metadata');
      assert.ok(md && md.proto === 1);
      assert.deepEqual(md.type, { t: 'ref', name: META + 'ObjectMeta' });
      assert.deepEqual(t.fields.slice(0, 2).map((f) => f.json), ['apiVersion', 'kind']);
    }
  });

  it('keeps list/patch metadata consistent with the element types', () => {
    for (const t of coreV1Types)
      for (const f of t.fields) {
        const where = `${t.name}.${f.json}`;
        if (f.listType || f.patchStrategy || f.mergeKey) assert.equal(f.type.t, 'array', `${where} is not a list`);
        if (f.listType === 'map') assert.ok(f.listMapKeys && f.listMapKeys.length > 0, `${where} has no map keys`);
        if (f.listMapKeys) assert.equal(f.listType, 'map', `${where} has map keys but is not a map list`);
        const e = elem(f.type);
        const item = e.t === 'ref' ? byName.get(e.name) : undefined;
        if (e.t === 'ref' && META_NAMES.has(e.name)) continue; // meta types live in meta.ts
        for (const key of [...(f.listMapKeys ?? []), ...(f.mergeKey ? [f.mergeKey] : [])]) {
          assert.ok(item, `${where} keys need an object element`);
          assert.ok(jsonNames(item).includes(key), `${where}: ${key} is not a field of ${item.name}`);
        }
        if (f.mergeKey) assert.ok(f.patchStrategy?.startsWith('merge'), `${where} has mergeKey without merge`);
      }
  });

  it('only sets defaults that satisfy the field type and enum', () => {
    for (const t of coreV1Types)
      for (const f of t.fields) {
        if (f.default === undefined) continue;
        const where = `${t.name}.${f.json}`;
        const k = f.type.t;
        if (k === 'string') {
          assert.equal(typeof f.default, 'string', where);
          if (f.type.enum) assert.ok(f.type.enum.includes(f.default as string), `${where} default not in enum`);
        } else if (k === 'int32' || k === 'int64') assert.ok(Number.isInteger(f.default), where);
        else if (k === 'boolean') assert.equal(typeof f.default, 'boolean', where);
        else assert.equal(k, 'ref', `${where}: unexpected default on ${k}`);
      }
  });

  it('marks exactly the JSON-inline embedded structs as inline', () => {
    const inline = coreV1Types.flatMap((t) =>
      t.fields.filter((f) => f.inline).map((f) => `${t.name.slice(CORE.length)}.${f.json}->${refsIn(f.type)[0]!.slice(CORE.length)}`),
    );
    assert.deepEqual(inline.sort(), [
      'ConfigMapEnvSource.localObjectReference->LocalObjectReference',
      'ConfigMapKeySelector.localObjectReference->LocalObjectReference',
      'ConfigMapProjection.localObjectReference->LocalObjectReference',
      'ConfigMapVolumeSource.localObjectReference->LocalObjectReference',
      'EphemeralContainer.ephemeralContainerCommon->EphemeralContainerCommon',
      'Probe.handler->ProbeHandler',
      'SecretEnvSource.localObjectReference->LocalObjectReference',
      'SecretKeySelector.localObjectReference->LocalObjectReference',
      'SecretProjection.localObjectReference->LocalObjectReference',
      'Volume.volumeSource->VolumeSource',
    ]);
  });

  it('covers every type the API server needs', () => {
    const needed = `Pod PodSpec PodStatus PodCondition PodIP HostIP ContainerStatus ContainerState ContainerStateWaiting
      ContainerStateRunning ContainerStateTerminated ContainerUser LinuxContainerUser VolumeMountStatus ResourceStatus
      ResourceHealth PodResourceClaimStatus PodTemplateSpec PodTemplate Binding Container EphemeralContainer
      EphemeralContainerCommon ContainerPort EnvVar EnvVarSource ConfigMapKeySelector SecretKeySelector ObjectFieldSelector
      ResourceFieldSelector EnvFromSource ConfigMapEnvSource SecretEnvSource VolumeMount VolumeDevice ResourceRequirements
      ResourceClaim ContainerResizePolicy Probe ProbeHandler ExecAction HTTPGetAction HTTPHeader TCPSocketAction GRPCAction
      Lifecycle LifecycleHandler SleepAction SecurityContext PodSecurityContext Capabilities SELinuxOptions SeccompProfile
      AppArmorProfile WindowsSecurityContextOptions Sysctl Affinity NodeAffinity NodeSelector NodeSelectorTerm
      NodeSelectorRequirement PreferredSchedulingTerm PodAffinity PodAntiAffinity PodAffinityTerm WeightedPodAffinityTerm
      Toleration TopologySpreadConstraint HostAlias PodDNSConfig PodDNSConfigOption PodReadinessGate PodOS
      PodSchedulingGate PodResourceClaim LocalObjectReference ObjectReference TypedLocalObjectReference Volume VolumeSource
      KeyToPath DownwardAPIVolumeFile VolumeProjection ClusterTrustBundleProjection ServiceAccountTokenProjection
      SecretProjection ConfigMapProjection DownwardAPIProjection PersistentVolumeClaimTemplate PersistentVolumeClaimSpec
      Namespace NamespaceSpec NamespaceStatus NamespaceCondition Node NodeSpec Taint NodeConfigSource
      ConfigMapNodeConfigSource NodeStatus NodeCondition NodeAddress NodeDaemonEndpoints DaemonEndpoint NodeSystemInfo
      ContainerImage AttachedVolume NodeConfigStatus NodeRuntimeHandler NodeRuntimeHandlerFeatures NodeFeatures Secret
      ConfigMap Service ServiceSpec ServicePort SessionAffinityConfig ClientIPConfig ServiceStatus LoadBalancerStatus
      LoadBalancerIngress PortStatus Endpoints EndpointSubset EndpointAddress EndpointPort Event EventSource EventSeries
      ServiceAccount`.split(/\s+/);
    for (const n of needed) typeOf(n);
    // Every VolumeSource member points at its own source type.
    const vs = typeOf('VolumeSource').fields.map((f) => f.json).sort();
    assert.deepEqual(
      vs,
      `awsElasticBlockStore azureDisk azureFile cephfs cinder configMap csi downwardAPI emptyDir ephemeral fc flexVolume
       flocker gcePersistentDisk gitRepo glusterfs hostPath image iscsi nfs persistentVolumeClaim photonPersistentDisk
       portworxVolume projected quobyte rbd scaleIO secret storageos vsphereVolume`.split(/\s+/),
    );
    for (const f of typeOf('VolumeSource').fields) assert.equal(f.pointer, true, `VolumeSource.${f.json}`);
  });
});

describe('coreV1Types facts (k8s.io/api v1.32 generated.proto / types.go)', () => {
  const fact = (short: string, json: string, expected: Partial<FieldDef>) => {
    const f = fieldOf(short, json);
    for (const [k, v] of Object.entries(expected)) assert.deepEqual(f[k as keyof FieldDef], v, `${short}.${json}.${k}`);
  };

  it('Container', () => {
    fact('Container', 'name', { proto: 1, required: true, type: { t: 'string' } });
    fact('Container', 'image', { proto: 2 });
    fact('Container', 'envFrom', { proto: 19, listType: 'atomic' });
    fact('Container', 'livenessProbe', { proto: 10, pointer: true, type: { t: 'ref', name: CORE + 'Probe' } });
    fact('Container', 'startupProbe', { proto: 22 });
    fact('Container', 'resizePolicy', { proto: 23 });
    fact('Container', 'restartPolicy', { proto: 24, pointer: true });
    fact('Container', 'ports', {
      proto: 6,
      patchStrategy: 'merge',
      mergeKey: 'containerPort',
      listType: 'map',
      listMapKeys: ['containerPort', 'protocol'],
    });
    fact('Container', 'env', { proto: 7, patchStrategy: 'merge', mergeKey: 'name' });
    fact('Container', 'volumeMounts', { proto: 9, patchStrategy: 'merge', mergeKey: 'mountPath' });
    fact('Container', 'volumeDevices', { proto: 21, mergeKey: 'devicePath' });
    fact('Container', 'terminationMessagePolicy', { proto: 20, default: 'File' });
    assert.equal(
      fieldOf('Container', 'livenessProbe').doc,
      'Periodic probe of container liveness. The container is restarted if the probe fails.',
    );
    // Ephemeral containers share the field set but document the restrictions.
    assert.deepEqual(
      typeOf('EphemeralContainerCommon').fields.map((f) => [f.json, f.proto]),
      typeOf('Container').fields.map((f) => [f.json, f.proto]),
    );
    assert.match(fieldOf('EphemeralContainerCommon', 'ports').doc, /not allowed for ephemeral/);
    fact('EphemeralContainer', 'targetContainerName', { proto: 2 });
  });

  it('ports, env, probes and mounts', () => {
    fact('ContainerPort', 'containerPort', { proto: 3, required: true, type: { t: 'int32' } });
    fact('ContainerPort', 'protocol', { proto: 4, default: 'TCP', type: { t: 'string', enum: ['SCTP', 'TCP', 'UDP'] } });
    fact('ContainerPort', 'hostIP', { proto: 5 });
    fact('EnvVarSource', 'secretKeyRef', { proto: 4, pointer: true });
    fact('VolumeMount', 'mountPath', { proto: 3, required: true });
    fact('VolumeMount', 'recursiveReadOnly', { proto: 7, pointer: true });
    fact('VolumeMount', 'subPathExpr', { proto: 6 });
    fact('Probe', 'terminationGracePeriodSeconds', { proto: 7, pointer: true, type: { t: 'int64' } });
    fact('Probe', 'periodSeconds', { proto: 4, default: 10 });
    fact('HTTPGetAction', 'port', { proto: 2, required: true, type: { t: 'intOrString' } });
    fact('GRPCAction', 'service', { proto: 2, pointer: true, default: '' });
    fact('LifecycleHandler', 'sleep', { proto: 4 });
    fact('ResourceRequirements', 'claims', { proto: 3, listType: 'map', listMapKeys: ['name'] });
    fact('ResourceRequirements', 'limits', { proto: 1, type: { t: 'map', of: { t: 'quantity' } } });
  });

  it('PodSpec and PodStatus', () => {
    fact('PodSpec', 'containers', {
      proto: 2,
      required: true,
      patchStrategy: 'merge',
      mergeKey: 'name',
      listType: 'map',
      listMapKeys: ['name'],
    });
    fact('PodSpec', 'volumes', { proto: 1, patchStrategy: 'merge,retainKeys', mergeKey: 'name' });
    fact('PodSpec', 'initContainers', { proto: 20 });
    fact('PodSpec', 'nodeName', { proto: 10 });
    fact('PodSpec', 'ephemeralContainers', { proto: 34 });
    fact('PodSpec', 'terminationGracePeriodSeconds', { proto: 4, pointer: true, default: 30 });
    fact('PodSpec', 'tolerations', { proto: 22, listType: 'atomic' });
    fact('PodSpec', 'hostAliases', { proto: 23, mergeKey: 'ip' });
    fact('PodSpec', 'topologySpreadConstraints', {
      proto: 33,
      mergeKey: 'topologyKey',
      listMapKeys: ['topologyKey', 'whenUnsatisfiable'],
    });
    fact('PodSpec', 'os', { proto: 36, pointer: true });
    fact('PodSpec', 'hostUsers', { proto: 37, pointer: true });
    fact('PodSpec', 'schedulingGates', { proto: 38 });
    fact('PodSpec', 'resourceClaims', { proto: 39, patchStrategy: 'merge,retainKeys' });
    fact('PodSpec', 'resources', { proto: 40 });
    fact('PodSpec', 'restartPolicy', { proto: 3, default: 'Always' });
    fact('PodStatus', 'podIPs', { proto: 12, mergeKey: 'ip', listType: 'map' });
    fact('PodStatus', 'hostIPs', { proto: 16, mergeKey: 'ip', listType: 'atomic' });
    fact('PodStatus', 'startTime', { proto: 7, type: { t: 'time' } });
    fact('PodStatus', 'resourceClaimStatuses', { proto: 15 });
    fact('ContainerStatus', 'imageID', { proto: 7, required: true });
    fact('ContainerStatus', 'allocatedResourcesStatus', { proto: 14, mergeKey: 'name' });
    fact('PodResourceClaim', 'resourceClaimTemplateName', { proto: 4, pointer: true });
    fact('Binding', 'target', { proto: 2, required: true, type: { t: 'ref', name: CORE + 'ObjectReference' } });
  });

  it('scheduling', () => {
    fact('Toleration', 'key', { proto: 1 });
    fact('Toleration', 'operator', { proto: 2, type: { t: 'string', enum: ['Equal', 'Exists'] } });
    fact('Toleration', 'value', { proto: 3 });
    fact('Toleration', 'effect', { proto: 4 });
    fact('Toleration', 'tolerationSeconds', { proto: 5, pointer: true, type: { t: 'int64' } });
    fact('NodeSelectorRequirement', 'operator', { proto: 2, required: true });
    fact('PodAffinityTerm', 'topologyKey', { proto: 3, required: true });
    fact('PodAffinityTerm', 'mismatchLabelKeys', { proto: 6 });
    fact('TopologySpreadConstraint', 'matchLabelKeys', { proto: 8, listType: 'atomic' });
    fact('Taint', 'timeAdded', { proto: 4, pointer: true, type: { t: 'time' } });
  });

  it('volumes', () => {
    fact('Volume', 'volumeSource', { proto: 2, inline: true });
    fact('VolumeSource', 'projected', { proto: 26 });
    fact('VolumeSource', 'image', { proto: 30 });
    fact('SecretVolumeSource', 'defaultMode', { proto: 3, pointer: true, default: 420 });
    fact('ConfigMapProjection', 'optional', { proto: 4 });
    fact('ClusterTrustBundleProjection', 'optional', { proto: 5 });
    fact('ISCSIVolumeSource', 'chapAuthSession', { proto: 11 });
    fact('ISCSIVolumeSource', 'initiatorName', { proto: 12, pointer: true });
    fact('PersistentVolumeClaimSpec', 'resources', {
      proto: 2,
      type: { t: 'ref', name: CORE + 'VolumeResourceRequirements' },
    });
    fact('PersistentVolumeClaimSpec', 'selector', { proto: 4, type: { t: 'ref', name: META + 'LabelSelector' } });
    fact('ScaleIOVolumeSource', 'secretRef', { proto: 3, required: true });
  });

  it('node, service, config and events', () => {
    fact('ConfigMap', 'data', { proto: 2, type: { t: 'map', of: { t: 'string' } } });
    fact('ConfigMap', 'binaryData', { proto: 3, type: { t: 'map', of: { t: 'bytes' } } });
    fact('ConfigMap', 'immutable', { proto: 4, pointer: true });
    fact('Secret', 'type', { proto: 3, default: 'Opaque' });
    fact('Secret', 'data', { proto: 2, type: { t: 'map', of: { t: 'bytes' } } });
    fact('Secret', 'stringData', { proto: 4 });
    fact('ServiceSpec', 'ports', {
      proto: 1,
      patchStrategy: 'merge',
      mergeKey: 'port',
      listType: 'map',
      listMapKeys: ['port', 'protocol'],
    });
    fact('ServiceSpec', 'clusterIPs', { proto: 18 });
    fact('ServiceSpec', 'trafficDistribution', { proto: 23, pointer: true });
    fact('ServicePort', 'targetPort', { proto: 4, type: { t: 'intOrString' } });
    fact('ServiceStatus', 'conditions', { proto: 2, type: { t: 'array', of: { t: 'ref', name: META + 'Condition' } } });
    fact('NodeSpec', 'podCIDRs', { proto: 7, patchStrategy: 'merge', listType: 'set' });
    fact('NodeStatus', 'features', { proto: 13 });
    fact('DaemonEndpoint', 'Port', { proto: 1, required: true });
    fact('Event', 'eventTime', { proto: 10, type: { t: 'microTime' } });
    fact('Event', 'involvedObject', { proto: 2, required: true });
    fact('EventSeries', 'lastObservedTime', { proto: 2, type: { t: 'microTime' } });
    fact('ServiceAccount', 'automountServiceAccountToken', { proto: 4, pointer: true });
  });

  it('leaves out fields added after v1.32', () => {
    const absent: Array<[string, string]> = [
      ['Container', 'restartPolicyRules'],
      ['Lifecycle', 'stopSignal'],
      ['ContainerStatus', 'stopSignal'],
      ['EnvVarSource', 'fileKeyRef'],
      ['PodSpec', 'hostnameOverride'],
      ['PodSpec', 'workloadRef'],
      ['PodStatus', 'observedGeneration'],
      ['PodCondition', 'observedGeneration'],
      ['SecurityContext', 'ulimits'],
      ['VolumeProjection', 'podCertificate'],
      ['NodeSystemInfo', 'swap'],
      ['NodeStatus', 'declaredFeatures'],
      ['VolumeMountStatus', 'volumeStatus'],
    ];
    for (const [t, f] of absent)
      assert.equal(typeOf(t).fields.some((x) => x.json === f), false, `${t}.${f} is not in v1.32`);
  });
});

// ---- proto wire fixtures captured from kubectl 1.32 (typed client bodies) ----

type Wire = Map<number, { wireType: number; values: Uint8Array[] }>;

/** Minimal protobuf reader: field number -> wire type and raw payloads (len-delimited bodies). */
function readWire(buf: Uint8Array): Wire {
  const out: Wire = new Map();
  let i = 0;
  const varint = (): number => {
    let r = 0;
    let s = 0;
    for (;;) {
      const b = buf[i++]!;
      r += (b & 0x7f) * 2 ** s;
      s += 7;
      if (!(b & 0x80)) return r;
    }
  };
  while (i < buf.length) {
    const key = varint();
    const num = Math.floor(key / 8);
    const wireType = key % 8;
    let value: Uint8Array;
    if (wireType === 0) {
      const start = i;
      varint();
      value = buf.subarray(start, i);
    } else if (wireType === 2) {
      const n = varint();
      value = buf.subarray(i, i + n);
      i += n;
    } else throw new Error(`unexpected wire type ${wireType}`);
    const slot = out.get(num) ?? { wireType, values: [] };
    slot.values.push(value);
    out.set(num, slot);
  }
  return out;
}

function fixture(name: string): Wire {
  const hex = readFileSync(new URL(`./testdata/${name}.hex`, import.meta.url), 'utf8').trim();
  const raw = Buffer.from(hex, 'hex');
  assert.equal(raw.subarray(0, 4).toString('hex'), '6b387300');
  const unknown = readWire(raw.subarray(4)); // runtime.Unknown: 2 = raw object bytes
  return readWire(unknown.get(2)!.values[0]!);
}

const sub = (w: Wire, ...path: number[]): Wire =>
  path.reduce((acc, n) => {
    const slot = acc.get(n);
    assert.ok(slot, `fixture has no field ${n}`);
    return readWire(slot.values[0]!);
  }, w);

const SCALARS = new Set(['string', 'int32', 'int64', 'boolean', 'bytes', 'double']);

/**
 * gogo-protobuf always writes non-pointer singular fields (even when zero) and never writes nil
 * pointers, so a body built from a near-empty object reveals which fields are Go pointers.
 * Checks: every number on the wire is a known field with a matching wire type, and the singular
 * non-pointer fields are exactly the ones present.
 */
function checkAgainstWire(w: Wire, short: string): void {
  const t = typeOf(short);
  for (const [num, slot] of w) {
    const f = t.fields.find((x) => x.proto === num);
    assert.ok(f, `${short}: unknown proto field ${num} on the wire`);
    const e = elem(f.type);
    const expectWire = SCALARS.has(e.t) && e.t !== 'string' && e.t !== 'bytes' && f.type.t !== 'array' ? 0 : 2;
    assert.equal(slot.wireType, expectWire, `${short}.${f.json} wire type`);
    if (e.t === 'ref' && e.name.startsWith(CORE) && f.type.t !== 'map')
      for (const v of slot.values) checkAgainstWire(readWire(v), e.name.slice(CORE.length));
  }
  const singularNonPointer = t.fields
    .filter((f) => f.proto > 0 && !f.pointer && f.type.t !== 'array' && f.type.t !== 'map')
    .map((f) => f.proto)
    .sort((a, b) => a - b);
  const presentSingular = [...w.keys()]
    .filter((n) => {
      const f = t.fields.find((x) => x.proto === n)!;
      return f.type.t !== 'array' && f.type.t !== 'map';
    })
    .sort((a, b) => a - b);
  assert.deepEqual(presentSingular, singularNonPointer, `${short}: singular fields on the wire vs non-pointer fields`);
}

describe('coreV1Types against kubectl protobuf bodies', () => {
  it('matches the pod template of `kubectl create job` (Job.spec.template)', () => {
    const template = sub(fixture('create-job'), 2, 6); // Job.spec(2).template(6)
    checkAgainstWire(template, 'PodTemplateSpec');
    const spec = sub(template, 2);
    assert.equal(Buffer.from(spec.get(3)!.values[0]!).toString(), 'Never'); // restartPolicy
    const container = readWire(spec.get(2)!.values[0]!);
    assert.equal(Buffer.from(container.get(2)!.values[0]!).toString(), 'busybox'); // image
  });

  it('matches the pod template of `kubectl create deployment` (Deployment.spec.template)', () => {
    checkAgainstWire(sub(fixture('create-deployment'), 2, 3), 'PodTemplateSpec');
  });

  it('matches `kubectl create service clusterip` (spec and status)', () => {
    const svc = fixture('create-service-clusterip');
    checkAgainstWire(sub(svc, 2), 'ServiceSpec');
    checkAgainstWire(sub(svc, 3), 'ServiceStatus');
    const port = readWire(sub(svc, 2).get(1)!.values[0]!);
    assert.equal(Buffer.from(port.get(1)!.values[0]!).toString(), '80-8080'); // ServicePort.name
    assert.equal(Buffer.from(port.get(2)!.values[0]!).toString(), 'TCP'); // ServicePort.protocol
  });

  it('matches `kubectl create namespace|secret|configmap`', () => {
    const ns = fixture('create-namespace');
    checkAgainstWire(sub(ns, 2), 'NamespaceSpec');
    checkAgainstWire(sub(ns, 3), 'NamespaceStatus');
    for (const [name, short] of [
      ['create-secret-generic', 'Secret'],
      ['create-secret-docker-registry', 'Secret'],
      ['create-configmap', 'ConfigMap'],
    ] as const) {
      const w = fixture(name);
      w.delete(1); // metadata is a meta type, checked elsewhere
      const t = typeOf(short);
      for (const n of w.keys()) assert.ok(t.fields.some((f) => f.proto === n), `${short}: unknown field ${n}`);
    }
    const secret = fixture('create-secret-docker-registry');
    assert.equal(Buffer.from(secret.get(3)!.values[0]!).toString(), 'kubernetes.io/dockerconfigjson'); // Secret.type = 3
    assert.equal(secret.has(5), false); // immutable is a pointer: absent when unset
  });
});

describe('coreV1Types size', () => {
  it('reports the number of types and fields', () => {
    const fields = coreV1Types.reduce((n, t) => n + t.fields.length, 0);
    assert.ok(coreV1Types.length >= 140, `only ${coreV1Types.length} types`);
    assert.ok(fields >= 700, `only ${fields} fields`);
  });
});
