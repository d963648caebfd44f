import assert from 'node:assert/strict';
import { test } from 'node:test';
import { envVariableName, serviceEnvVars } from './service-env.js';

const svc = (name: string, clusterIP: string, ports: any[]) => ({ metadata: { name, namespace: 'default' }, spec: { clusterIP, ports } });

test('names: upper case, dots and dashes to underscores, leading digit prefixed', () => {
  assert.equal(envVariableName('my-svc.v1'), 'MY_SVC_V1');
  assert.equal(envVariableName('9lives'), '_9LIVES');
});

test('one unnamed TCP port: host, port and the docker link family', () => {
  assert.deepEqual(serviceEnvVars([svc('kubernetes', '10.0.0.1', [{ name: 'https', port: 443, protocol: 'TCP' }])]), [
    { name: 'KUBERNETES_SERVICE_HOST', value: '10.0.0.1' },
    { name: 'KUBERNETES_SERVICE_PORT', value: '443' },
    { name: 'KUBERNETES_SERVICE_PORT_HTTPS', value: '443' },
    { name: 'KUBERNETES_PORT', value: 'tcp://10.0.0.1:443' },
    { name: 'KUBERNETES_PORT_443_TCP', value: 'tcp://10.0.0.1:443' },
    { name: 'KUBERNETES_PORT_443_TCP_PROTO', value: 'tcp' },
    { name: 'KUBERNETES_PORT_443_TCP_PORT', value: '443' },
    { name: 'KUBERNETES_PORT_443_TCP_ADDR', value: '10.0.0.1' },
  ]);
});

test('several ports, UDP, default protocol, named ports', () => {
  const vars = serviceEnvVars([svc('dns-svc', '10.0.0.10', [{ name: 'dns', port: 53, protocol: 'UDP' }, { name: 'dns-tcp', port: 53 }])]);
  assert.deepEqual(
    vars.map((v) => `${v.name}=${v.value}`),
    [
      'DNS_SVC_SERVICE_HOST=10.0.0.10',
      'DNS_SVC_SERVICE_PORT=53',
      'DNS_SVC_SERVICE_PORT_DNS=53',
      'DNS_SVC_SERVICE_PORT_DNS_TCP=53',
      'DNS_SVC_PORT=udp://10.0.0.10:53',
      'DNS_SVC_PORT_53_UDP=udp://10.0.0.10:53',
      'DNS_SVC_PORT_53_UDP_PROTO=udp',
      'DNS_SVC_PORT_53_UDP_PORT=53',
      'DNS_SVC_PORT_53_UDP_ADDR=10.0.0.10',
      'DNS_SVC_PORT_53_TCP=tcp://10.0.0.10:53',
      'DNS_SVC_PORT_53_TCP_PROTO=tcp',
      'DNS_SVC_PORT_53_TCP_PORT=53',
      'DNS_SVC_PORT_53_TCP_ADDR=10.0.0.10',
    ],
  );
});

test('headless and IP-less services are skipped; IPv6 addresses are bracketed in URLs', () => {
  assert.deepEqual(serviceEnvVars([svc('h', 'None', [{ port: 80 }]), svc('e', '', [{ port: 80 }])]), []);
  const v6 = serviceEnvVars([svc('v6', 'fd00::1', [{ port: 80 }])]);
  assert.equal(v6.find((v) => v.name === 'V6_PORT')!.value, 'tcp://[fd00::1]:80');
  assert.equal(v6.find((v) => v.name === 'V6_PORT_80_TCP_ADDR')!.value, 'fd00::1');
});
