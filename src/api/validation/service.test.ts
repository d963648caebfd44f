import { test } from 'node:test';
import assert from 'node:assert/strict';
import { validateService, validateServiceUpdate } from './service.js';
import { defaulted, lines } from './test-helpers.js';

const svc = (spec: Record<string, any>, name = 'web') =>
  defaulted('Service', { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'default' }, spec: { selector: { app: 'web' }, ...spec } });
const errs = (spec: Record<string, any>, name?: string) => lines(validateService(svc(spec, name)));

test('a defaulted ClusterIP service is valid', () => {
  assert.deepEqual(errs({ ports: [{ port: 80 }] }), []);
});

test('service names are DNS-1035 labels', () => {
  assert.deepEqual(errs({ ports: [{ port: 80 }] }, '1web'), [
    "metadata.name: Invalid value: \"1web\": a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')",
  ]);
});

test('ports required unless headless or ExternalName', () => {
  assert.deepEqual(errs({}), ['spec.ports: Required value']);
  assert.deepEqual(errs({ clusterIP: 'None' }), []);
  assert.deepEqual(errs({ type: 'ExternalName', externalName: 'db.example.com' }), []);
});

test('port range, names required when several, duplicates', () => {
  assert.deepEqual(errs({ ports: [{ port: 0 }] }), [
    'spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive',
    'spec.ports[0].targetPort: Invalid value: 0: must be between 1 and 65535, inclusive',
  ]);
  assert.deepEqual(errs({ ports: [{ port: 80 }, { name: 'b', port: 81 }] }), ['spec.ports[0].name: Required value']);
  assert.deepEqual(errs({ ports: [{ name: 'a', port: 80 }, { name: 'b', port: 80 }] }), [
    'spec.ports[1]: Duplicate value: core.ServicePort{Name:"", Protocol:"TCP", AppProtocol:(*string)(nil), Port:80, TargetPort:intstr.IntOrString{Type:0, IntVal:0, StrVal:""}, NodePort:0}',
  ]);
});

test('type and session affinity values', () => {
  assert.deepEqual(errs({ type: 'Public', ports: [{ port: 80 }] }), [
    'spec.type: Unsupported value: "Public": supported values: "ClusterIP", "ExternalName", "LoadBalancer", "NodePort"',
  ]);
  assert.deepEqual(errs({ sessionAffinity: 'Sticky', ports: [{ port: 80 }] }), [
    'spec.sessionAffinity: Unsupported value: "Sticky": supported values: "ClientIP", "None"',
  ]);
});

test('nodePort is forbidden for ClusterIP services', () => {
  assert.deepEqual(errs({ ports: [{ port: 80, nodePort: 30080 }] }), ["spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'"]);
  assert.deepEqual(errs({ type: 'NodePort', ports: [{ port: 80, nodePort: 30080 }] }), []);
});

test('NodePort may not be headless; ExternalName needs a name', () => {
  assert.deepEqual(errs({ type: 'NodePort', clusterIP: 'None', ports: [{ port: 80 }] }), [
    "spec.clusterIPs[0]: Invalid value: \"None\": may not be set to 'None' for NodePort services",
  ]);
  assert.deepEqual(errs({ type: 'ExternalName' }), ['spec.externalName: Required value']);
});

test('clusterIP must be an IP', () => {
  assert.deepEqual(errs({ clusterIP: '10.0.0.300', ports: [{ port: 80 }] }), [
    'spec.clusterIPs[0]: Invalid value: "10.0.0.300": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)',
  ]);
});

test('update: clusterIP may not change', () => {
  const old = svc({ clusterIP: '10.96.0.10', clusterIPs: ['10.96.0.10'], ports: [{ port: 80 }] });
  const next = structuredClone(old);
  next.spec.clusterIP = '10.96.0.11';
  next.spec.clusterIPs = ['10.96.0.11'];
  assert.deepEqual(lines(validateServiceUpdate(next, old)), ['spec.clusterIPs[0]: Invalid value: []string{"10.96.0.11"}: may not change once set']);
  const same = structuredClone(old);
  same.spec.ports[0].port = 8080;
  same.spec.ports[0].targetPort = 8080;
  assert.deepEqual(validateServiceUpdate(same, old), []);
});
