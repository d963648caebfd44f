import { test } from 'node:test';
import assert from 'node:assert/strict';
import { servicePrinter } from './services.js';
import { NOW, meta, M } from './test-helpers.js';
import type { JsonObject } from './table.js';

function svc(spec: JsonObject, status: JsonObject = {}): JsonObject {
  return { apiVersion: 'v1', kind: 'Service', metadata: meta('web', 20 * M), spec, status };
}

test('ClusterIP service full row', () => {
  const s = svc({
    type: 'ClusterIP',
    clusterIP: '10.96.0.10',
    clusterIPs: ['10.96.0.10'],
    ports: [
      { port: 80, protocol: 'TCP', targetPort: 8080 },
      { port: 53, protocol: 'UDP' },
    ],
    selector: { app: 'web', tier: 'fe' },
  });
  assert.deepEqual(servicePrinter.row(s, NOW), ['web', 'ClusterIP', '10.96.0.10', '<none>', '80/TCP,53/UDP', '20m', 'app=web,tier=fe']);
});

test('NodePort service with external IPs', () => {
  const s = svc({ type: 'NodePort', clusterIP: '10.96.1.1', externalIPs: ['1.2.3.4', '5.6.7.8'], ports: [{ port: 80, nodePort: 30080, protocol: 'TCP' }] });
  assert.deepEqual(servicePrinter.row(s, NOW).slice(1, 5), ['NodePort', '10.96.1.1', '1.2.3.4,5.6.7.8', '80:30080/TCP']);
});

test('LoadBalancer without ingress is <pending>', () => {
  const s = svc({ type: 'LoadBalancer', clusterIP: '10.96.2.2', ports: [{ port: 443, nodePort: 31443, protocol: 'TCP' }] });
  assert.equal(servicePrinter.row(s, NOW)[3], '<pending>');
});

test('LoadBalancer ingress: unique, sorted, hostname fallback, never truncated; external IPs appended', () => {
  const status = { loadBalancer: { ingress: [{ ip: '9.9.9.9' }, { hostname: 'a-very-long-hostname.elb.example.com' }, { ip: '9.9.9.9' }, { ip: '1.1.1.1' }] } };
  assert.equal(servicePrinter.row(svc({ type: 'LoadBalancer' }, status), NOW)[3], '1.1.1.1,9.9.9.9,a-very-long-hostname.elb.example.com');
  assert.equal(
    servicePrinter.row(svc({ type: 'LoadBalancer', externalIPs: ['7.7.7.7'] }, { loadBalancer: { ingress: [{ ip: '2.2.2.2' }] } }), NOW)[3],
    '2.2.2.2,7.7.7.7',
  );
  assert.equal(servicePrinter.row(svc({ type: 'LoadBalancer', externalIPs: ['7.7.7.7'] }), NOW)[3], '7.7.7.7');
});

test('ExternalName service, headless service, missing ports', () => {
  assert.deepEqual(servicePrinter.row(svc({ type: 'ExternalName', externalName: 'db.example.com' }), NOW).slice(1, 5), [
    'ExternalName',
    '<none>',
    'db.example.com',
    '<none>',
  ]);
  const headless = servicePrinter.row(svc({ type: 'ClusterIP', clusterIP: 'None', ports: [{ port: 5432, protocol: 'TCP' }] }), NOW);
  assert.deepEqual(headless.slice(2, 5), ['None', '<none>', '5432/TCP']);
  assert.equal(headless[6], '<none>');
});

test('defaults as the API applies them: type ClusterIP, protocol TCP; clusterIPs fallback', () => {
  const row = servicePrinter.row(svc({ clusterIPs: ['10.0.0.1', 'fd00::1'], ports: [{ port: 8080 }] }), NOW);
  assert.deepEqual(row.slice(1, 5), ['ClusterIP', '10.0.0.1', '<none>', '8080/TCP']);
});

test('service column layout', () => {
  assert.deepEqual(
    servicePrinter.columns.map((c) => `${c.name}:${c.priority}`),
    ['Name:0', 'Type:0', 'Cluster-IP:0', 'External-IP:0', 'Port(s):0', 'Age:0', 'Selector:1'],
  );
});
