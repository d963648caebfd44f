import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ingressClassPrinter, ingressPrinter, networkPolicyPrinter } from './networking.js';
import { NOW, meta, M } from './test-helpers.js';

test('ingress row with TLS and load balancer', () => {
  const ing = {
    metadata: meta('web', 5 * M),
    spec: { ingressClassName: 'nginx', rules: [{ host: 'a.example.com' }, { host: 'b.example.com' }], tls: [{ hosts: ['a.example.com'] }] },
    status: { loadBalancer: { ingress: [{ ip: '203.0.113.5' }] } },
  };
  assert.deepEqual(ingressPrinter.row(ing, NOW), ['web', 'nginx', 'a.example.com,b.example.com', '203.0.113.5', '80, 443', '5m']);
});

test('ingress hosts: wildcard, overflow and defaults', () => {
  const row = (spec: object) => ingressPrinter.row({ metadata: meta('i', 5 * M), spec }, NOW);
  assert.deepEqual(row({ rules: [{ http: {} }] }).slice(1, 5), ['<none>', '*', '', '80']);
  assert.equal(row({ rules: [{ host: 'a' }, { host: 'b' }, { host: 'c' }, { host: 'd' }, { host: 'e' }] })[2], 'a,b,c + 2 more...');
  assert.equal(row({})[2], '*');
});

test('ingressclass rows', () => {
  const ic = { metadata: meta('nginx', 5 * M), spec: { controller: 'k8s.io/ingress-nginx', parameters: { apiGroup: 'k8s.example.com', kind: 'IngressParameters', name: 'p' } } };
  assert.deepEqual(ingressClassPrinter.row(ic, NOW), ['nginx', 'k8s.io/ingress-nginx', 'IngressParameters.k8s.example.com/p', '5m']);
  assert.equal(ingressClassPrinter.row({ metadata: meta('x'), spec: { controller: 'c' } }, NOW)[2], '<none>');
});

test('networkpolicy rows', () => {
  assert.deepEqual(networkPolicyPrinter.row({ metadata: meta('deny', 5 * M), spec: { podSelector: {} } }, NOW), ['deny', '<none>', '5m']);
  assert.equal(networkPolicyPrinter.row({ metadata: meta('web'), spec: { podSelector: { matchLabels: { app: 'web' } } } }, NOW)[1], 'app=web');
});
