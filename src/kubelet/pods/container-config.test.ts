import { test } from 'node:test';
import assert from 'node:assert/strict';
import { containerConfig, containerHash, containerResources, milliCPUToQuota, milliCPUToShares, oomScoreAdj } from './container-config.js';

const GiB = 1024 ** 3;

function pod(containers: any[], extra: any = {}): any {
  return { metadata: { name: 'web', namespace: 'team', uid: 'u-1' }, spec: { containers, ...extra } };
}

test('cpu shares and quota follow the kubelet formulas', () => {
  assert.equal(milliCPUToShares(0), 2);
  assert.equal(milliCPUToShares(1), 2);
  assert.equal(milliCPUToShares(100), 102);
  assert.equal(milliCPUToShares(250), 256);
  assert.equal(milliCPUToShares(1000), 1024);
  assert.equal(milliCPUToShares(1_000_000), 262144);
  assert.equal(milliCPUToQuota(0), 0);
  assert.equal(milliCPUToQuota(5), 1000);
  assert.equal(milliCPUToQuota(500), 50000);
  assert.equal(milliCPUToQuota(2000), 200000);
});

test('resources: request sets shares, limit sets quota and memory; limit-only cpu gives shares from the limit', () => {
  const c = { name: 'a', image: 'i', resources: { requests: { cpu: '250m', memory: '64Mi' }, limits: { cpu: '500m', memory: '128Mi' } } };
  assert.deepEqual(containerResources(pod([c]), c, 4 * GiB), {
    cpu_period: '100000',
    cpu_quota: '50000',
    cpu_shares: '256',
    oom_score_adj: String(1000 - Math.floor((1000 * 64 * 1024 * 1024) / (4 * GiB))),
    memory_limit_in_bytes: String(128 * 1024 * 1024),
  });
  const limitOnly = { name: 'b', image: 'i', resources: { limits: { cpu: '2' } } };
  assert.equal(containerResources(pod([limitOnly]), limitOnly, GiB).cpu_shares, '2048');
  const none = { name: 'c', image: 'i' };
  const r = containerResources(pod([none]), none, GiB);
  assert.equal(r.cpu_shares, '2');
  assert.equal(r.cpu_quota, '0');
  assert.equal(r.memory_limit_in_bytes, undefined);
  assert.equal(r.oom_score_adj, '1000');
});

test('oom score: guaranteed -997, best effort 1000, burstable clamped to [3, 999], node-critical -997', () => {
  const g = { name: 'g', image: 'i', resources: { limits: { cpu: '1', memory: '1Gi' } } };
  assert.equal(oomScoreAdj(pod([g]), g, 4 * GiB), -997);
  const tinyReq = { name: 'b', image: 'i', resources: { requests: { memory: '1' } } };
  assert.equal(oomScoreAdj(pod([tinyReq]), tinyReq, 4 * GiB), 999);
  const hugeReq = { name: 'b', image: 'i', resources: { requests: { memory: '4Gi' } } };
  assert.equal(oomScoreAdj(pod([hugeReq]), hugeReq, 4 * GiB), 3);
  const tenth = { name: 'b', image: 'i', resources: { requests: { memory: '1Gi' } } };
  assert.equal(oomScoreAdj(pod([tenth]), tenth, 10 * GiB), 900);
  const be = { name: 'e', image: 'i' };
  assert.equal(oomScoreAdj(pod([be], { priorityClassName: 'system-node-critical' }), be, GiB), -997);
});

test('full container config: expansion, labels, annotations, log path, security context', () => {
  const c = {
    name: 'app',
    image: 'reg/app:1',
    command: ['/bin/sh', '-c'],
    args: ['echo $(GREETING) $$(GREETING) $(MISSING)'],
    workingDir: '/w',
    stdin: true,
    tty: true,
    ports: [{ containerPort: 80, protocol: 'TCP' }],
    terminationMessagePath: '/tmp/msg',
    terminationMessagePolicy: 'FallbackToLogsOnError',
    securityContext: { runAsUser: 7, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { add: ['NET_ADMIN'], drop: ['ALL'] } },
  };
  const p = pod([c], { securityContext: { runAsUser: 1, runAsGroup: 2 }, terminationGracePeriodSeconds: 5 });
  const envs = [{ key: 'GREETING', value: 'hi' }];
  const mounts = [{ container_path: '/data', host_path: '/h/data' }];
  const cfg = containerConfig(p, c, { nodeName: 'n1', kind: 'app', restartCount: 3, imageRef: 'sha256:abc', envs, mounts, memoryCapacity: GiB });
  assert.deepEqual(cfg.metadata, { name: 'app', attempt: 3 });
  assert.deepEqual(cfg.image, { image: 'sha256:abc' });
  assert.deepEqual(cfg.command, ['/bin/sh', '-c']);
  assert.deepEqual(cfg.args, ['echo hi $(GREETING) $(MISSING)']);
  assert.equal(cfg.working_dir, '/w');
  assert.equal(cfg.log_path, 'app/3.log');
  assert.deepEqual([cfg.stdin, cfg.stdin_once, cfg.tty], [true, false, true]);
  assert.deepEqual(cfg.envs, envs);
  assert.deepEqual(cfg.mounts, mounts);
  assert.deepEqual(cfg.labels, {
    'io.kubernetes.pod.name': 'web',
    'io.kubernetes.pod.namespace': 'team',
    'io.kubernetes.pod.uid': 'u-1',
    'skiff.dev/node': 'n1',
    'io.kubernetes.container.name': 'app',
  });
  assert.deepEqual(cfg.annotations, {
    'io.kubernetes.container.hash': containerHash(c),
    'io.kubernetes.container.restartCount': '3',
    'io.kubernetes.container.terminationMessagePath': '/tmp/msg',
    'io.kubernetes.container.terminationMessagePolicy': 'FallbackToLogsOnError',
    'skiff.dev/container-kind': 'app',
    'io.kubernetes.pod.terminationGracePeriod': '5',
    'io.kubernetes.container.ports': JSON.stringify(c.ports),
  });
  assert.deepEqual(cfg.linux!.security_context, {
    namespace_options: { network: 'POD', pid: 'CONTAINER', ipc: 'POD' },
    run_as_user: { value: '7' },
    run_as_group: { value: '2' },
    readonly_rootfs: true,
    no_new_privs: true,
    capabilities: { add_capabilities: ['NET_ADMIN'], drop_capabilities: ['ALL'] },
  });
});

test('no command/args in spec: the image defaults are kept (fields absent); spec image used without imageRef', () => {
  const c = { name: 'x', image: 'reg/x:1' };
  const cfg = containerConfig(pod([c], { hostNetwork: true, shareProcessNamespace: true }), c, { nodeName: 'n', kind: 'init', restartCount: 0, imageRef: '', envs: [], mounts: [], memoryCapacity: GiB });
  assert.equal('command' in cfg, false);
  assert.equal('args' in cfg, false);
  assert.equal('working_dir' in cfg, false);
  assert.deepEqual(cfg.image, { image: 'reg/x:1' });
  assert.equal(cfg.annotations!['skiff.dev/container-kind'], 'init');
  assert.deepEqual(cfg.linux!.security_context!.namespace_options, { network: 'NODE', pid: 'POD', ipc: 'POD' });
});

test('container hash changes with the image only', () => {
  const a = containerHash({ name: 'c', image: 'i:1', args: ['x'] });
  assert.equal(a, containerHash({ name: 'c', image: 'i:1', args: ['y'] }));
  assert.notEqual(a, containerHash({ name: 'c', image: 'i:2' }));
  assert.match(a, /^[0-9a-f]{1,8}$/);
});
