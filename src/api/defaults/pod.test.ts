import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyDefaults, defaultPullPolicy } from './index.js';

const pod = (spec: Record<string, any>) => {
  const p = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default' }, spec };
  applyDefaults('Pod', p);
  return p as any;
};

test('pod spec defaults', () => {
  const p = pod({ containers: [{ name: 'c', image: 'nginx:1.27' }] });
  assert.equal(p.spec.restartPolicy, 'Always');
  assert.equal(p.spec.dnsPolicy, 'ClusterFirst');
  assert.equal(p.spec.schedulerName, 'default-scheduler');
  assert.equal(p.spec.terminationGracePeriodSeconds, 30);
  assert.deepEqual(p.spec.securityContext, {});
  assert.equal(p.spec.enableServiceLinks, true);
  assert.equal(p.spec.preemptionPolicy, 'PreemptLowerPriority');
  assert.equal(p.spec.priority, 0);
  assert.equal(p.spec.serviceAccountName, 'default');
  assert.equal(p.spec.serviceAccount, 'default');
});

test('container defaults', () => {
  const p = pod({ containers: [{ name: 'c', image: 'nginx:1.27', ports: [{ containerPort: 80 }] }] });
  const c = p.spec.containers[0];
  assert.equal(c.terminationMessagePath, '/dev/termination-log');
  assert.equal(c.terminationMessagePolicy, 'File');
  assert.equal(c.imagePullPolicy, 'IfNotPresent');
  assert.deepEqual(c.resources, {});
  assert.deepEqual(c.ports, [{ containerPort: 80, protocol: 'TCP' }]);
});

test('image pull policy from the tag', () => {
  assert.equal(defaultPullPolicy('nginx'), 'Always');
  assert.equal(defaultPullPolicy('nginx:latest'), 'Always');
  assert.equal(defaultPullPolicy('nginx:1.27'), 'IfNotPresent');
  assert.equal(defaultPullPolicy('nginx@sha256:' + 'a'.repeat(64)), 'IfNotPresent');
  assert.equal(defaultPullPolicy('localhost:5000/app'), 'Always');
  assert.equal(defaultPullPolicy('localhost:5000/app:v2'), 'IfNotPresent');
  assert.equal(defaultPullPolicy('registry.example.com/team/app:latest'), 'Always');
  assert.equal(defaultPullPolicy('Nginx'), 'IfNotPresent');
  assert.equal(pod({ containers: [{ name: 'c', image: 'x', imagePullPolicy: 'Never' }] }).spec.containers[0].imagePullPolicy, 'Never');
});

test('probe and handler defaults', () => {
  const p = pod({ containers: [{ name: 'c', image: 'x', livenessProbe: { httpGet: { port: 80 } }, readinessProbe: { tcpSocket: { port: 80 }, periodSeconds: 5 } }] });
  assert.deepEqual(p.spec.containers[0].livenessProbe, {
    httpGet: { port: 80, path: '/', scheme: 'HTTP' },
    timeoutSeconds: 1,
    periodSeconds: 10,
    successThreshold: 1,
    failureThreshold: 3,
  });
  assert.equal(p.spec.containers[0].readinessProbe.periodSeconds, 5);
});

test('requests default from limits on pods (not on templates)', () => {
  const p = pod({ containers: [{ name: 'c', image: 'x', resources: { limits: { cpu: '1', memory: '1Gi' }, requests: { cpu: '500m' } } }] });
  assert.deepEqual(p.spec.containers[0].resources.requests, { cpu: '500m', memory: '1Gi' });
  const d: any = { spec: { template: { spec: { containers: [{ name: 'c', image: 'x', resources: { limits: { cpu: '1' } } }] } } } };
  applyDefaults('Deployment', d);
  assert.equal(d.spec.template.spec.containers[0].resources.requests, undefined);
  assert.equal(d.spec.template.spec.enableServiceLinks, undefined);
});

test('volume source defaults', () => {
  const p = pod({
    containers: [{ name: 'c', image: 'x' }],
    volumes: [{ name: 'a' }, { name: 'b', configMap: { name: 'cm' } }, { name: 'c', secret: { secretName: 's' } }, { name: 'd', hostPath: { path: '/x' } }],
  });
  assert.deepEqual(p.spec.volumes, [
    { name: 'a', emptyDir: {} },
    { name: 'b', configMap: { name: 'cm', defaultMode: 420 } },
    { name: 'c', secret: { secretName: 's', defaultMode: 420 } },
    { name: 'd', hostPath: { path: '/x', type: '' } },
  ]);
});

test('env fieldRef apiVersion defaults to v1', () => {
  const p = pod({ containers: [{ name: 'c', image: 'x', env: [{ name: 'N', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }] }] });
  assert.equal(p.spec.containers[0].env[0].valueFrom.fieldRef.apiVersion, 'v1');
});

test('default tolerations are added once', () => {
  const p = pod({ containers: [{ name: 'c', image: 'x' }] });
  assert.deepEqual(p.spec.tolerations, [
    { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
    { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
  ]);
  applyDefaults('Pod', p);
  assert.equal(p.spec.tolerations.length, 2);
  const own = pod({ containers: [{ name: 'c', image: 'x' }], tolerations: [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 10 }] });
  assert.deepEqual(own.spec.tolerations.map((t: any) => `${t.key}=${t.tolerationSeconds}`), ['node.kubernetes.io/not-ready=10', 'node.kubernetes.io/unreachable=300']);
  const all = pod({ containers: [{ name: 'c', image: 'x' }], tolerations: [{ operator: 'Exists' }] });
  assert.equal(all.spec.tolerations.length, 1);
});

test('negative grace period becomes 1; host network copies ports', () => {
  const p = pod({ containers: [{ name: 'c', image: 'x', ports: [{ containerPort: 8080 }] }], terminationGracePeriodSeconds: -3, hostNetwork: true });
  assert.equal(p.spec.terminationGracePeriodSeconds, 1);
  assert.equal(p.spec.containers[0].ports[0].hostPort, 8080);
});

test('system priority classes resolve their value', () => {
  assert.equal(pod({ containers: [], priorityClassName: 'system-node-critical' }).spec.priority, 2000001000);
  assert.equal(pod({ containers: [], priorityClassName: 'custom' }).spec.priority, undefined);
});
