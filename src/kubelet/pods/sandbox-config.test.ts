import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseResolvConf, podDNSConfig } from './dns-config.js';
import { podCgroupParent, podHostname, sandboxConfig } from './sandbox-config.js';

const paths = { dataDir: '/d', podsDir: '/d/pods', podLogsDir: '/d/logs/pods' };
const host = parseResolvConf('# comment\nnameserver 10.0.0.2\nnameserver 10.0.0.3\nsearch corp.example lab.example\noptions rotate timeout:2\n');

function pod(spec: any = {}, meta: any = {}): any {
  return { metadata: { name: 'web', namespace: 'team', uid: 'u-1', ...meta }, spec: { containers: [{ name: 'c', image: 'i' }], ...spec } };
}

const input = (attempt = 0) => ({ nodeName: 'n1', paths, clusterDNS: ['10.96.0.10'], clusterDomain: 'cluster.local', hostDNS: host, attempt });

test('parseResolvConf reads servers, search list and options', () => {
  assert.deepEqual(host, { servers: ['10.0.0.2', '10.0.0.3'], searches: ['corp.example', 'lab.example'], options: ['rotate', 'timeout:2'] });
  assert.deepEqual(parseResolvConf('domain a.b\nsearch x y\n').searches, ['x', 'y']);
  assert.deepEqual(parseResolvConf('search x y\ndomain a.b\n').searches, ['a.b']);
});

test('ClusterFirst: cluster servers, namespace search list in front of the host list, ndots:5', () => {
  assert.deepEqual(podDNSConfig(pod(), ['10.96.0.10'], 'cluster.local', host), {
    servers: ['10.96.0.10'],
    searches: ['team.svc.cluster.local', 'svc.cluster.local', 'cluster.local', 'corp.example', 'lab.example'],
    options: ['ndots:5'],
  });
});

test('ClusterFirst without cluster DNS, Default, and hostNetwork use the host resolver', () => {
  const hostCfg = { servers: ['10.0.0.2', '10.0.0.3'], searches: ['corp.example', 'lab.example'], options: ['rotate', 'timeout:2'] };
  assert.deepEqual(podDNSConfig(pod(), [], 'cluster.local', host), hostCfg);
  assert.deepEqual(podDNSConfig(pod({ dnsPolicy: 'Default' }), ['10.96.0.10'], 'cluster.local', host), hostCfg);
  assert.deepEqual(podDNSConfig(pod({ hostNetwork: true }), ['10.96.0.10'], 'cluster.local', host), hostCfg);
  assert.deepEqual(podDNSConfig(pod({ hostNetwork: true, dnsPolicy: 'ClusterFirstWithHostNet' }), ['10.96.0.10'], 'cluster.local', host).servers, ['10.96.0.10']);
});

test('None uses only dnsConfig; dnsConfig merges with dedupe and option override', () => {
  const none = pod({ dnsPolicy: 'None', dnsConfig: { nameservers: ['1.1.1.1'], searches: ['a.example'], options: [{ name: 'ndots', value: '2' }, { name: 'edns0' }] } });
  assert.deepEqual(podDNSConfig(none, ['10.96.0.10'], 'cluster.local', host), { servers: ['1.1.1.1'], searches: ['a.example'], options: ['ndots:2', 'edns0'] });
  const merged = pod({ dnsConfig: { nameservers: ['10.96.0.10', '8.8.8.8'], searches: ['cluster.local', 'z.example'], options: [{ name: 'ndots', value: '1' }] } });
  assert.deepEqual(podDNSConfig(merged, ['10.96.0.10'], 'cluster.local', { servers: [], searches: [], options: [] }), {
    servers: ['10.96.0.10', '8.8.8.8'],
    searches: ['team.svc.cluster.local', 'svc.cluster.local', 'cluster.local', 'z.example'],
    options: ['ndots:1'],
  });
});

test('search list is capped at 32 entries', () => {
  const many = { servers: [], searches: Array.from({ length: 40 }, (_, i) => `d${i}.example`), options: [] };
  assert.equal(podDNSConfig(pod(), ['10.96.0.10'], 'cluster.local', many).searches!.length, 32);
});

test('hostname: spec.hostname, else name, cut to 63 without a trailing dash', () => {
  assert.equal(podHostname(pod({ hostname: 'h' })), 'h');
  assert.equal(podHostname(pod()), 'web');
  const long = 'a'.repeat(62) + '-bbbb';
  assert.equal(podHostname(pod({}, { name: long })), 'a'.repeat(62));
});

test('cgroup parent per QoS class', () => {
  assert.equal(podCgroupParent('x', 'Guaranteed'), '/kubepods/podx');
  assert.equal(podCgroupParent('x', 'Burstable'), '/kubepods/burstable/podx');
  assert.equal(podCgroupParent('x', 'BestEffort'), '/kubepods/besteffort/podx');
});

test('full sandbox config of a pod with host ports, security context and sysctls', () => {
  const p = pod(
    {
      containers: [
        { name: 'a', image: 'i', ports: [{ containerPort: 80, hostPort: 8080 }, { containerPort: 81 }], resources: { requests: { cpu: '100m' } } },
        { name: 'b', image: 'i', ports: [{ containerPort: 53, hostPort: 5353, protocol: 'UDP', hostIP: '127.0.0.1' }], securityContext: { privileged: true } },
      ],
      securityContext: { runAsUser: 1000, runAsGroup: 2000, fsGroup: 3000, supplementalGroups: [4000], sysctls: [{ name: 'net.ipv4.ip_local_port_range', value: '1024 65000' }] },
      shareProcessNamespace: true,
    },
    { labels: { app: 'web' }, annotations: { note: 'x' } },
  );
  assert.deepEqual(sandboxConfig(p, input(2)), {
    metadata: { name: 'web', namespace: 'team', uid: 'u-1', attempt: 2 },
    hostname: 'web',
    log_directory: '/d/logs/pods/team_web_u-1',
    dns_config: {
      servers: ['10.96.0.10'],
      searches: ['team.svc.cluster.local', 'svc.cluster.local', 'cluster.local', 'corp.example', 'lab.example'],
      options: ['ndots:5'],
    },
    port_mappings: [
      { protocol: 'TCP', container_port: 80, host_port: 8080 },
      { protocol: 'UDP', container_port: 53, host_port: 5353, host_ip: '127.0.0.1' },
    ],
    labels: { 'io.kubernetes.pod.name': 'web', 'io.kubernetes.pod.namespace': 'team', 'io.kubernetes.pod.uid': 'u-1', 'skiff.dev/node': 'n1' },
    annotations: { note: 'x' },
    linux: {
      cgroup_parent: '/kubepods/burstable/podu-1',
      security_context: {
        namespace_options: { network: 'POD', pid: 'POD', ipc: 'POD' },
        run_as_user: { value: '1000' },
        run_as_group: { value: '2000' },
        supplemental_groups: ['3000', '4000'],
        privileged: true,
      },
      sysctls: { 'net.ipv4.ip_local_port_range': '1024 65000' },
    },
  });
});

test('host network / PID / IPC sandbox has an empty hostname and NODE namespaces', () => {
  const cfg = sandboxConfig(pod({ hostNetwork: true, hostPID: true, hostIPC: true }), input());
  assert.equal(cfg.hostname, '');
  assert.deepEqual(cfg.linux!.security_context!.namespace_options, { network: 'NODE', pid: 'NODE', ipc: 'NODE' });
  assert.equal(cfg.linux!.cgroup_parent, '/kubepods/besteffort/podu-1');
  assert.deepEqual(sandboxConfig(pod(), input()).linux!.security_context!.namespace_options, { network: 'POD', pid: 'CONTAINER', ipc: 'POD' });
});
