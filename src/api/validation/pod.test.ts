import { test } from 'node:test';
import assert from 'node:assert/strict';
import { validatePod, validatePodUpdate, POD_UPDATE_FORBIDDEN } from './pod.js';
import { LABEL_MSG, SUBDOMAIN_MSG, lines, makePod } from './test-helpers.js';

const errs = (spec: Record<string, any>, meta?: Record<string, any>) => lines(validatePod(makePod(spec, meta)));
const c = (extra: Record<string, any> = {}) => ({ name: 'main', image: 'busybox', ...extra });

test('a defaulted minimal pod is valid', () => {
  assert.deepEqual(errs({}), []);
});

test('the kubectl examples', () => {
  assert.deepEqual(errs({}, { name: 'Demo' }), [`metadata.name: Invalid value: "Demo": ${SUBDOMAIN_MSG}`]);
  assert.deepEqual(errs({ containers: [{ name: 'main' }] }), ['spec.containers[0].image: Required value']);
  assert.deepEqual(errs({ restartPolicy: 'Sometimes' }), ['spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"']);
});

test('containers are required', () => {
  assert.deepEqual(errs({ containers: [] }), ['spec.containers: Required value']);
});

test('container names: required, DNS label, unique across init and app containers', () => {
  assert.deepEqual(errs({ containers: [{ image: 'x' }] }), ['spec.containers[0].name: Required value']);
  assert.deepEqual(errs({ containers: [c({ name: 'Web' })] }), [`spec.containers[0].name: Invalid value: "Web": ${LABEL_MSG}`]);
  assert.deepEqual(errs({ containers: [c(), c()] }), ['spec.containers[1].name: Duplicate value: "main"']);
  assert.deepEqual(errs({ initContainers: [c()] }), ['spec.initContainers[0].name: Duplicate value: "main"']);
});

test('ports: range, protocol, duplicate names, host port conflicts', () => {
  assert.deepEqual(errs({ containers: [c({ ports: [{ containerPort: 0 }] })] }), ['spec.containers[0].ports[0].containerPort: Required value']);
  assert.deepEqual(errs({ containers: [c({ ports: [{ containerPort: 70000 }] })] }), [
    'spec.containers[0].ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive',
  ]);
  assert.deepEqual(errs({ containers: [c({ ports: [{ containerPort: 80, protocol: 'HTTP' }] })] }), [
    'spec.containers[0].ports[0].protocol: Unsupported value: "HTTP": supported values: "SCTP", "TCP", "UDP"',
  ]);
  assert.deepEqual(errs({ containers: [c({ ports: [{ name: 'web', containerPort: 80 }, { name: 'web', containerPort: 81 }] })] }), [
    'spec.containers[0].ports[1].name: Duplicate value: "web"',
  ]);
  assert.deepEqual(
    errs({ containers: [c({ ports: [{ containerPort: 80, hostPort: 8080 }] }), c({ name: 'b', ports: [{ containerPort: 81, hostPort: 8080 }] })] }),
    ['spec.containers[1].ports[0].hostPort: Duplicate value: "/TCP/8080"'],
  );
  assert.deepEqual(errs({ containers: [c({ ports: [{ name: 'HTTP', containerPort: 80 }] })] }), [
    'spec.containers[0].ports[0].name: Invalid value: "HTTP": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)',
    'spec.containers[0].ports[0].name: Invalid value: "HTTP": must contain at least one letter (a-z)',
  ]);
});

test('hostNetwork: host ports must equal container ports', () => {
  assert.deepEqual(errs({ hostNetwork: true, containers: [c({ ports: [{ containerPort: 80 }] })] }), []);
  assert.deepEqual(errs({ hostNetwork: true, containers: [c({ ports: [{ containerPort: 80, hostPort: 81 }] })] }), [
    'spec.containers[0].ports[0].hostPort: Invalid value: 81: must match `containerPort` when `hostNetwork` is true',
  ]);
});

test('env: names, valueFrom sources', () => {
  assert.deepEqual(errs({ containers: [c({ env: [{ value: 'x' }] })] }), ['spec.containers[0].env[0].name: Required value']);
  assert.deepEqual(errs({ containers: [c({ env: [{ name: 'A=B' }] })] }), [
    "spec.containers[0].env[0].name: Invalid value: \"A=B\": a valid environment variable name must consist only of printable ASCII characters other than '='",
  ]);
  assert.deepEqual(errs({ containers: [c({ env: [{ name: 'A', valueFrom: {} }] })] }), [
    'spec.containers[0].env[0].valueFrom: Invalid value: "": must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`',
  ]);
  assert.deepEqual(errs({ containers: [c({ env: [{ name: 'A', value: 'x', valueFrom: { secretKeyRef: { name: 's', key: 'k' } } }] })] }), [
    'spec.containers[0].env[0].valueFrom: Invalid value: "": may not be specified when `value` is not empty',
  ]);
  assert.deepEqual(errs({ containers: [c({ env: [{ name: 'A', valueFrom: { configMapKeyRef: { name: 'cm' } } }] })] }), [
    'spec.containers[0].env[0].valueFrom.configMapKeyRef.key: Required value',
  ]);
  assert.deepEqual(errs({ containers: [c({ env: [{ name: 'A', valueFrom: { fieldRef: { fieldPath: 'spec.restartPolicy' } } }] })] }), [
    'spec.containers[0].env[0].valueFrom.fieldRef.fieldPath: Unsupported value: "spec.restartPolicy": supported values: "metadata.name", "metadata.namespace", "metadata.uid", "spec.nodeName", "spec.serviceAccountName", "status.hostIP", "status.hostIPs", "status.podIP", "status.podIPs"',
  ]);
  assert.deepEqual(errs({ containers: [c({ env: [{ name: 'A', valueFrom: { fieldRef: { fieldPath: "metadata.labels['app']" } } }] })] }), []);
});

test('volumes: unique names, exactly one source; mounts must refer to them', () => {
  assert.deepEqual(errs({ volumes: [{ name: 'data' }], containers: [c({ volumeMounts: [{ name: 'data', mountPath: '/d' }] })] }), []);
  assert.deepEqual(errs({ volumes: [{ name: 'a', emptyDir: {} }, { name: 'a', emptyDir: {} }] }), ['spec.volumes[1].name: Duplicate value: "a"']);
  assert.deepEqual(errs({ volumes: [{ name: 'a', emptyDir: {}, hostPath: { path: '/x' } }] }), [
    'spec.volumes[0].hostPath: Forbidden: may not specify more than 1 volume type',
  ]);
  assert.deepEqual(errs({ containers: [c({ volumeMounts: [{ name: 'missing', mountPath: '/d' }] })] }), [
    'spec.containers[0].volumeMounts[0].name: Not found: "missing"',
  ]);
  assert.deepEqual(errs({ volumes: [{ name: 'v', secret: {} }] }), ['spec.volumes[0].secret.secretName: Required value']);
  assert.deepEqual(errs({ volumes: [{ name: 'v', hostPath: { path: '/x', type: 'Dir' } }] }), [
    'spec.volumes[0].hostPath.type: Unsupported value: "Dir": supported values: "", "BlockDevice", "CharDevice", "Directory", "DirectoryOrCreate", "File", "FileOrCreate", "Socket"',
  ]);
  assert.deepEqual(errs({ volumes: [{ name: 'v', configMap: { name: 'c', defaultMode: 1000 } }] }), [
    'spec.volumes[0].configMap.defaultMode: Invalid value: 1000: must be a number between 0 and 0777 (octal), both inclusive',
  ]);
  assert.deepEqual(errs({ volumes: [{ name: 'v', emptyDir: {} }], containers: [c({ volumeMounts: [{ name: 'v', mountPath: '/a' }, { name: 'v', mountPath: '/a' }] })] }), [
    'spec.containers[0].volumeMounts[1].mountPath: Invalid value: "/a": must be unique',
  ]);
});

test('resources: quantities and requests ≤ limits', () => {
  assert.deepEqual(errs({ containers: [c({ resources: { requests: { cpu: '2' }, limits: { cpu: '1' } } })] }), [
    'spec.containers[0].resources.requests: Invalid value: "2": must be less than or equal to cpu limit of 1',
  ]);
  assert.deepEqual(errs({ containers: [c({ resources: { requests: { memory: '-1Mi' } } })] }), [
    'spec.containers[0].resources.requests[memory]: Invalid value: "-1Mi": must be greater than or equal to 0',
  ]);
  assert.deepEqual(errs({ containers: [c({ resources: { limits: { cpu: '1.5.5' } } })] }), [
    "spec.containers[0].resources.limits[cpu]: Invalid value: \"1.5.5\": quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'",
    // defaulting copied the limit into requests, so it is reported there too
    "spec.containers[0].resources.requests[cpu]: Invalid value: \"1.5.5\": quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'",
  ]);
  assert.deepEqual(errs({ containers: [c({ resources: { limits: { gpu: '1' } } })] }), [
    'spec.containers[0].resources.limits[gpu]: Invalid value: "gpu": must be a standard resource type or fully qualified',
    'spec.containers[0].resources.requests[gpu]: Invalid value: "gpu": must be a standard resource type or fully qualified',
  ]);
  assert.deepEqual(errs({ containers: [c({ resources: { requests: { 'example.com/dev': '1' } } })] }), [
    'spec.containers[0].resources.limits: Required value: Limit must be set for non overcommitable resources',
  ]);
  assert.deepEqual(errs({ containers: [c({ resources: { limits: { 'example.com/dev': '500m' } } })] }), [
    'spec.containers[0].resources.limits[example.com/dev]: Invalid value: 500m: must be an integer',
    'spec.containers[0].resources.requests[example.com/dev]: Invalid value: 500m: must be an integer',
  ]);
  assert.deepEqual(errs({ containers: [c({ resources: { requests: { cpu: '250m', memory: '64Mi' }, limits: { cpu: '500m', memory: '128Mi' } } })] }), []);
});

test('probes: one handler, non-negative timings, liveness successThreshold 1', () => {
  assert.deepEqual(errs({ containers: [c({ livenessProbe: {} })] }), ['spec.containers[0].livenessProbe: Required value: must specify a handler type']);
  assert.deepEqual(errs({ containers: [c({ readinessProbe: { exec: { command: ['true'] }, tcpSocket: { port: 80 } } })] }), [
    'spec.containers[0].readinessProbe.tcpSocket: Forbidden: may not specify more than 1 handler type',
  ]);
  assert.deepEqual(errs({ containers: [c({ livenessProbe: { exec: { command: ['true'] }, successThreshold: 2, initialDelaySeconds: -1 } })] }), [
    'spec.containers[0].livenessProbe.initialDelaySeconds: Invalid value: -1: must be greater than or equal to 0',
    'spec.containers[0].livenessProbe.successThreshold: Invalid value: 2: must be 1',
  ]);
  assert.deepEqual(errs({ containers: [c({ readinessProbe: { httpGet: { port: 0 } } })] }), [
    'spec.containers[0].readinessProbe.httpGet.port: Invalid value: 0: must be between 1 and 65535, inclusive',
  ]);
  assert.deepEqual(errs({ containers: [c({ startupProbe: { exec: {} } })] }), ['spec.containers[0].startupProbe.exec.command: Required value']);
  assert.deepEqual(errs({ initContainers: [c({ name: 'init', livenessProbe: { exec: { command: ['x'] } } })] }), [
    'spec.initContainers[0].livenessProbe: Forbidden: may not be set for init containers without restartPolicy=Always',
  ]);
});

test('enumerated pod fields', () => {
  assert.deepEqual(errs({ dnsPolicy: 'Google' }), [
    'spec.dnsPolicy: Unsupported value: "Google": supported values: "ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"',
  ]);
  assert.deepEqual(errs({ containers: [c({ imagePullPolicy: 'Sometimes' })] }), [
    'spec.containers[0].imagePullPolicy: Unsupported value: "Sometimes": supported values: "Always", "IfNotPresent", "Never"',
  ]);
  assert.deepEqual(errs({ activeDeadlineSeconds: 0 }), ['spec.activeDeadlineSeconds: Invalid value: 0: must be between 1 and 2147483647, inclusive']);
  assert.deepEqual(errs({ dnsPolicy: 'None' }), ['spec.dnsConfig: Required value: must provide `dnsConfig` when `dnsPolicy` is None']);
  assert.deepEqual(errs({ nodeSelector: { 'disk type': 'ssd' } }).length, 1);
});

test('tolerations', () => {
  assert.deepEqual(errs({ tolerations: [{ operator: 'Equal', value: 'x' }] }), [
    'spec.tolerations[0].operator: Invalid value: "Equal": operator must be Exists when `key` is empty, which means "match all values and all keys"',
  ]);
  assert.deepEqual(errs({ tolerations: [{ key: 'k', operator: 'Exists', value: 'v' }] }), [
    'spec.tolerations[0].operator: Invalid value: core.Toleration{Key:"k", Operator:"Exists", Value:"v", Effect:"", TolerationSeconds:(*int64)(nil)}: value must be empty when `operator` is \'Exists\'',
  ]);
  assert.deepEqual(errs({ tolerations: [{ key: 'k', operator: 'Equal', effect: 'NoSchedule', tolerationSeconds: 5 }] }), [
    "spec.tolerations[0].effect: Invalid value: \"NoSchedule\": effect must be 'NoExecute' when `tolerationSeconds` is set",
  ]);
  assert.deepEqual(errs({ tolerations: [{ key: 'k', operator: 'Is' }] }), ['spec.tolerations[0].operator: Unsupported value: "Is": supported values: "Equal", "Exists"']);
  assert.deepEqual(errs({ tolerations: [{ key: 'k', operator: 'Exists', effect: 'Sometimes' }] }), [
    'spec.tolerations[0].effect: Unsupported value: "Sometimes": supported values: "NoSchedule", "PreferNoSchedule", "NoExecute"',
  ]);
});

test('pods refuse ephemeral containers on create and images with whitespace', () => {
  assert.deepEqual(errs({ ephemeralContainers: [{ name: 'dbg', image: 'busybox' }] }), ['spec.ephemeralContainers: Forbidden: cannot be set on create']);
  assert.deepEqual(errs({ containers: [c({ image: ' busybox' })] }), [
    'spec.containers[0].image: Invalid value: " busybox": must not have leading or trailing whitespace',
  ]);
});

test('update: image changes are allowed', () => {
  const old = makePod();
  const next = structuredClone(old);
  next.spec.containers[0].image = 'busybox:1.37';
  next.spec.activeDeadlineSeconds = 100;
  assert.deepEqual(validatePodUpdate(next, old), []);
});

test('update: other spec changes are forbidden with the Kubernetes message', () => {
  const old = makePod();
  const next = structuredClone(old);
  next.spec.restartPolicy = 'Never';
  const result = validatePodUpdate(next, old);
  assert.equal(result.length, 1);
  assert.equal(result[0].field, 'spec');
  assert.equal(result[0].reason, 'FieldValueForbidden');
  assert.ok(result[0].message.startsWith(`Forbidden: ${POD_UPDATE_FORBIDDEN}\n  core.PodSpec{\n`));
  assert.ok(result[0].message.includes('- \tRestartPolicy: "Always",\n+ \tRestartPolicy: "Never",'));
  assert.equal(
    POD_UPDATE_FORBIDDEN,
    'pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)',
  );
});

test('update: containers cannot be added; deadlines only shrink; tolerations only grow', () => {
  const old = makePod({ activeDeadlineSeconds: 50 });
  const added = structuredClone(old);
  added.spec.containers.push({ ...added.spec.containers[0], name: 'b' });
  assert.deepEqual(lines(validatePodUpdate(added, old)), ['spec.containers: Forbidden: pod updates may not add or remove containers']);
  const longer = structuredClone(old);
  longer.spec.activeDeadlineSeconds = 60;
  assert.deepEqual(lines(validatePodUpdate(longer, old)), ['spec.activeDeadlineSeconds: Invalid value: 60: must be less than or equal to previous value']);
  const dropped = structuredClone(old);
  dropped.spec.tolerations = dropped.spec.tolerations.slice(1);
  assert.deepEqual(lines(validatePodUpdate(dropped, old)), ['spec.tolerations: Forbidden: existing toleration can not be modified except its tolerationSeconds']);
  const grown = structuredClone(old);
  grown.spec.tolerations.push({ key: 'x', operator: 'Exists' });
  grown.spec.tolerations[0].tolerationSeconds = 10;
  assert.deepEqual(validatePodUpdate(grown, old), []);
});

test('update: a negative grace period may become 1', () => {
  const old = makePod();
  old.spec.terminationGracePeriodSeconds = -5;
  const next = structuredClone(old);
  next.spec.terminationGracePeriodSeconds = 1;
  assert.deepEqual(validatePodUpdate(next, old), []);
  next.spec.terminationGracePeriodSeconds = 2;
  assert.equal(validatePodUpdate(next, old)[0]?.field, 'spec');
});
