import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyDefaults } from './index.js';

const apply = (kind: string, obj: any) => {
  applyDefaults(kind, obj);
  return obj;
};

test('service defaults', () => {
  const s = apply('Service', { spec: { ports: [{ port: 80 }, { port: 443, targetPort: 'https' }] } });
  assert.deepEqual(s.spec, {
    ports: [
      { port: 80, protocol: 'TCP', targetPort: 80 },
      { port: 443, targetPort: 'https', protocol: 'TCP' },
    ],
    sessionAffinity: 'None',
    type: 'ClusterIP',
    internalTrafficPolicy: 'Cluster',
    ipFamilyPolicy: 'SingleStack',
    ipFamilies: ['IPv4'],
  });
});

test('NodePort/LoadBalancer and ClientIP defaults', () => {
  const s = apply('Service', { spec: { type: 'LoadBalancer', sessionAffinity: 'ClientIP', ports: [{ port: 80 }] } });
  assert.equal(s.spec.externalTrafficPolicy, 'Cluster');
  assert.equal(s.spec.allocateLoadBalancerNodePorts, true);
  assert.deepEqual(s.spec.sessionAffinityConfig, { clientIP: { timeoutSeconds: 10800 } });
  const e = apply('Service', { spec: { type: 'ExternalName', externalName: 'x.example.com' } });
  assert.equal(e.spec.ipFamilies, undefined);
  assert.equal(e.spec.internalTrafficPolicy, undefined);
});

test('deployment defaults', () => {
  const d = apply('Deployment', { spec: { template: { spec: { containers: [{ name: 'c', image: 'nginx' }] } } } });
  assert.equal(d.spec.replicas, 1);
  assert.deepEqual(d.spec.strategy, { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } });
  assert.equal(d.spec.revisionHistoryLimit, 10);
  assert.equal(d.spec.progressDeadlineSeconds, 600);
  assert.equal(d.spec.template.spec.restartPolicy, 'Always');
  assert.equal(d.spec.template.spec.containers[0].imagePullPolicy, 'Always');
  const r = apply('Deployment', { spec: { replicas: 0, strategy: { type: 'Recreate' } } });
  assert.equal(r.spec.replicas, 0);
  assert.deepEqual(r.spec.strategy, { type: 'Recreate' });
});

test('replica set defaults', () => {
  const rs = apply('ReplicaSet', { spec: { template: { spec: { containers: [] } } } });
  assert.equal(rs.spec.replicas, 1);
  assert.equal(rs.spec.template.spec.dnsPolicy, 'ClusterFirst');
});

test('job defaults and generated selector', () => {
  const j = apply('Job', {
    metadata: { name: 'pi', uid: 'u-1' },
    spec: { template: { metadata: { labels: { app: 'pi' } }, spec: { containers: [{ name: 'c', image: 'perl' }], restartPolicy: 'Never' } } },
  });
  assert.equal(j.spec.completions, 1);
  assert.equal(j.spec.parallelism, 1);
  assert.equal(j.spec.backoffLimit, 6);
  assert.equal(j.spec.completionMode, 'NonIndexed');
  assert.equal(j.spec.suspend, false);
  assert.equal(j.spec.podReplacementPolicy, 'TerminatingOrFailed');
  assert.equal(j.spec.manualSelector, false);
  assert.deepEqual(j.spec.selector, { matchLabels: { 'batch.kubernetes.io/controller-uid': 'u-1' } });
  const expectedLabels = {
    app: 'pi',
    'job-name': 'pi',
    'batch.kubernetes.io/job-name': 'pi',
    'controller-uid': 'u-1',
    'batch.kubernetes.io/controller-uid': 'u-1',
  };
  assert.deepEqual(j.spec.template.metadata.labels, expectedLabels);
  assert.deepEqual(j.metadata.labels, expectedLabels);
  const par = apply('Job', { metadata: { name: 'p', uid: 'u' }, spec: { parallelism: 3, template: { spec: {} } } });
  assert.equal(par.spec.completions, undefined);
  assert.equal(par.spec.parallelism, 3);
  assert.equal(par.metadata.labels, undefined);
  const manual = apply('Job', { metadata: { name: 'm', uid: 'u' }, spec: { manualSelector: true, template: { spec: {} } } });
  assert.equal(manual.spec.selector, undefined);
});

test('secret defaults fold stringData into data', () => {
  const s = apply('Secret', { data: { a: 'eA==' }, stringData: { b: 'hello', a: 'y' } });
  assert.deepEqual(s, { type: 'Opaque', data: { a: 'eQ==', b: 'aGVsbG8=' } });
});

test('namespace defaults', () => {
  const ns = apply('Namespace', { metadata: { name: 'team-a' } });
  assert.deepEqual(ns, {
    metadata: { name: 'team-a', labels: { 'kubernetes.io/metadata.name': 'team-a' } },
    spec: { finalizers: ['kubernetes'] },
    status: { phase: 'Active' },
  });
});

test('node, endpoints, event and priority class defaults', () => {
  const node = apply('Node', { status: { capacity: { cpu: '4' } } });
  assert.deepEqual(node.status.allocatable, { cpu: '4' });
  const ep = apply('Endpoints', { subsets: [{ ports: [{ port: 80 }] }] });
  assert.equal(ep.subsets[0].ports[0].protocol, 'TCP');
  const ev = apply('Event', { apiVersion: 'v1' });
  assert.deepEqual(ev, { apiVersion: 'v1', reportingComponent: '', reportingInstance: '', eventTime: null });
  const ev2 = apply('Event', { apiVersion: 'events.k8s.io/v1' });
  assert.deepEqual(ev2, { apiVersion: 'events.k8s.io/v1' });
  assert.equal(apply('PriorityClass', { value: 1 }).preemptionPolicy, 'PreemptLowerPriority');
  assert.deepEqual(apply('Widget', { a: 1 }), { a: 1 });
});
