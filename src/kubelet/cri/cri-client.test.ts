// The client against an in-process gRPC server speaking the same proto:
// request encoding (nothing dropped), response decoding, NOT_FOUND handling,
// error mapping and deadlines.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { loadCriPackageDefinition } from './cri-proto.js';
import { connectCri, waitReady } from './cri-client.js';
import { grpcCodeName, runtimeErrorText } from '../go-format.js';
import { CriError, isCriNotFound, nsToMs, type ContainerConfig, type CriRuntime, type PodSandboxConfig } from './api.js';

let dir: string;
let socket: string;
let server: grpc.Server;
let cri: CriRuntime;
/** Last request each RPC received. */
const seen: Record<string, any> = {};

const notFound = (what: string) => ({ code: grpc.status.NOT_FOUND, details: `an error occurred when try to find ${what}: not found` });

function handler(name: string, respond: (req: any) => any | { code: number; details: string } | 'hang') {
  return (call: grpc.ServerUnaryCall<any, any>, cb: grpc.sendUnaryData<any>) => {
    seen[name] = call.request;
    const r = respond(call.request);
    if (r === 'hang') return; // never answers: the client's deadline must fire
    if (r && typeof r.code === 'number' && typeof r.details === 'string') cb(r as grpc.ServiceError, null);
    else cb(null, r);
  };
}

const BIG_NS = '1764000000123456789';

before(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'skiff-cri-client-'));
  socket = path.join(dir, 'fake.sock');
  const pkg = grpc.loadPackageDefinition(loadCriPackageDefinition()) as any;
  server = new grpc.Server();
  server.addService(pkg.runtime.v1.RuntimeService.service, {
    Version: handler('Version', () => ({ version: '0.1.0', runtime_name: 'fake', runtime_version: '1.6.20~ds1', runtime_api_version: 'v1' })),
    Status: handler('Status', () => ({
      status: { conditions: [
        { type: 'RuntimeReady', status: true, reason: '', message: '' },
        { type: 'NetworkReady', status: false, reason: 'NetworkPluginNotReady', message: 'cni plugin not initialized' },
      ] },
    })),
    RunPodSandbox: handler('RunPodSandbox', (req) => (req.config.metadata.name === 'fail'
      ? { code: grpc.status.UNKNOWN, details: 'failed to setup network for sandbox' }
      : { pod_sandbox_id: 'sb1' })),
    StopPodSandbox: handler('StopPodSandbox', (req) => (req.pod_sandbox_id === 'gone' ? notFound('sandbox') : {})),
    RemovePodSandbox: handler('RemovePodSandbox', (req) => (req.pod_sandbox_id === 'gone' ? notFound('sandbox') : {})),
    PodSandboxStatus: handler('PodSandboxStatus', (req) => (req.pod_sandbox_id === 'gone' ? notFound('sandbox') : {
      status: {
        id: req.pod_sandbox_id, metadata: { name: 'p', uid: 'u', namespace: 'ns', attempt: 1 }, state: 'SANDBOX_READY',
        created_at: BIG_NS, network: { ip: '10.1.2.3', additional_ips: [] }, labels: { a: 'b' }, annotations: {},
      },
    })),
    ListPodSandbox: handler('ListPodSandbox', () => ({
      items: [{ id: 'sb1', metadata: { name: 'p', uid: 'u', namespace: 'ns', attempt: 0 }, state: 'SANDBOX_NOTREADY', created_at: BIG_NS, labels: {}, annotations: {} }],
    })),
    CreateContainer: handler('CreateContainer', () => ({ container_id: 'c1' })),
    StartContainer: handler('StartContainer', (req) => (req.container_id === 'bad'
      ? { code: grpc.status.UNKNOWN, details: 'failed to create containerd task: exec: "/no/such": not found' }
      : {})),
    StopContainer: handler('StopContainer', (req) => (req.container_id === 'gone' ? notFound('container') : {})),
    RemoveContainer: handler('RemoveContainer', (req) => (req.container_id === 'gone' ? notFound('container') : {})),
    ListContainers: handler('ListContainers', () => ({
      containers: [{ id: 'c1', pod_sandbox_id: 'sb1', metadata: { name: 'app', attempt: 2 }, image: { image: 'sha256:abc' },
        image_ref: 'sha256:abc', state: 'CONTAINER_EXITED', created_at: BIG_NS, labels: {}, annotations: {} }],
    })),
    ContainerStatus: handler('ContainerStatus', (req) => (req.container_id === 'gone' ? notFound('container') : {
      status: {
        id: req.container_id, metadata: { name: 'app', attempt: 3 }, state: 'CONTAINER_EXITED',
        created_at: BIG_NS, started_at: '1764000001000000000', finished_at: '1764000002999999999', exit_code: 137,
        image: { image: 'localhost/x:1' }, image_ref: 'sha256:abc', reason: 'OOMKilled', message: '',
        labels: {}, annotations: { 'io.kubernetes.container.restartCount': '3' },
        mounts: [{ container_path: '/data', host_path: '/tmp/d', readonly: true, propagation: 'PROPAGATION_HOST_TO_CONTAINER' }],
        log_path: '/logs/app/3.log',
      },
    })),
    ReopenContainerLog: handler('ReopenContainerLog', () => 'hang'),
    ExecSync: handler('ExecSync', (req) => (req.cmd[0] === 'hang' ? 'hang'
      : { stdout: Buffer.from('out\n'), stderr: Buffer.from('err\n'), exit_code: 3 })),
    Exec: handler('Exec', () => ({ url: 'http://127.0.0.1:1234/exec/abcdefgh' })),
    Attach: handler('Attach', () => ({ url: 'http://127.0.0.1:1234/attach/abcdefgh' })),
    PortForward: handler('PortForward', () => ({ url: 'http://127.0.0.1:1234/portforward/abcdefgh' })),
  });
  server.addService(pkg.runtime.v1.ImageService.service, {
    ListImages: handler('ListImages', () => ({
      images: [{ id: 'sha256:abc', repo_tags: ['localhost/x:1'], repo_digests: [], size: '1153434', uid: { value: '65534' }, username: '', pinned: false }],
    })),
    ImageStatus: handler('ImageStatus', (req) => (req.image.image === 'localhost/x:1'
      ? { image: { id: 'sha256:abc', repo_tags: ['localhost/x:1'], repo_digests: [], size: '99', uid: null, username: 'nobody', pinned: false } }
      : { image: null })),
    PullImage: handler('PullImage', (req) => (req.auth?.username === 'wrong'
      ? { code: grpc.status.UNKNOWN, details: 'failed to pull and unpack image: 401 Unauthorized' }
      : { image_ref: 'sha256:def' })),
    RemoveImage: handler('RemoveImage', (req) => (req.image.image === 'gone' ? notFound('image') : {})),
  });
  await new Promise<void>((resolve, reject) =>
    server.bindAsync(`unix://${socket}`, grpc.ServerCredentials.createInsecure(), (e) => (e ? reject(e) : resolve())));
  cri = connectCri(socket, { timeoutMs: 300, execGraceMs: 200 });
});

after(async () => {
  cri?.close();
  await new Promise<void>((resolve) => server.tryShutdown(() => resolve()));
  fs.rmSync(dir, { recursive: true, force: true });
});

test('version sends the kubelet API version and returns the four fields', async () => {
  assert.deepEqual(await cri.version(), { version: '0.1.0', runtime_name: 'fake', runtime_version: '1.6.20~ds1', runtime_api_version: 'v1' });
  assert.equal(seen.Version.version, '0.1.0');
});

test('status returns the runtime conditions', async () => {
  const conds = await cri.status();
  assert.deepEqual(conds.map((c) => [c.type, c.status, c.reason]), [
    ['RuntimeReady', true, ''],
    ['NetworkReady', false, 'NetworkPluginNotReady'],
  ]);
  assert.equal(seen.Status.verbose, false);
});

const sandboxConfig: PodSandboxConfig = {
  metadata: { name: 'web', uid: 'uid-1', namespace: 'default', attempt: 2 },
  hostname: 'web',
  log_directory: '/var/log/pods/default_web_uid-1',
  dns_config: { servers: ['10.96.0.10'], searches: ['default.svc.cluster.local'], options: ['ndots:5'] },
  port_mappings: [{ protocol: 'UDP', container_port: 53, host_port: 5353, host_ip: '127.0.0.1' }],
  labels: { 'io.kubernetes.pod.uid': 'uid-1' },
  annotations: { 'kubernetes.io/config.seen': 'x' },
  linux: {
    cgroup_parent: '/kubepods/burstable/poduid-1',
    sysctls: { 'net.ipv4.ip_forward': '1' },
    security_context: {
      namespace_options: { network: 'NODE', pid: 'CONTAINER', ipc: 'POD' },
      run_as_user: { value: 1000 },
      run_as_group: { value: '3000' },
      readonly_rootfs: true,
      supplemental_groups: [4, '5'],
      privileged: true,
    },
  },
};

test('runPodSandbox encodes every sandbox field (nothing dropped) and returns the id', async () => {
  assert.equal(await cri.runPodSandbox(sandboxConfig, 'runc'), 'sb1');
  const req = seen.RunPodSandbox;
  assert.equal(req.runtime_handler, 'runc');
  assert.deepEqual(req.config.metadata, { name: 'web', uid: 'uid-1', namespace: 'default', attempt: 2 });
  assert.equal(req.config.hostname, 'web');
  assert.equal(req.config.log_directory, '/var/log/pods/default_web_uid-1');
  assert.deepEqual(req.config.dns_config, { servers: ['10.96.0.10'], searches: ['default.svc.cluster.local'], options: ['ndots:5'] });
  assert.deepEqual(req.config.port_mappings, [{ protocol: 'UDP', container_port: 53, host_port: 5353, host_ip: '127.0.0.1' }]);
  assert.deepEqual(req.config.labels, { 'io.kubernetes.pod.uid': 'uid-1' });
  assert.deepEqual(req.config.annotations, { 'kubernetes.io/config.seen': 'x' });
  assert.equal(req.config.linux.cgroup_parent, '/kubepods/burstable/poduid-1');
  assert.deepEqual(req.config.linux.sysctls, { 'net.ipv4.ip_forward': '1' });
  assert.deepEqual(req.config.linux.security_context, {
    namespace_options: { network: 'NODE', pid: 'CONTAINER', ipc: 'POD', target_id: '' },
    run_as_user: { value: '1000' },
    run_as_group: { value: '3000' },
    readonly_rootfs: true,
    supplemental_groups: ['4', '5'],
    privileged: true,
  });
});

test('runPodSandbox failure rejects with CriError carrying method, code and details', async () => {
  const err = await cri.runPodSandbox({ ...sandboxConfig, metadata: { ...sandboxConfig.metadata, name: 'fail' } }).then(() => null, (e) => e);
  assert.ok(err instanceof CriError);
  assert.equal(err.method, 'RunPodSandbox');
  assert.equal(err.code, 2);
  assert.equal(err.details, 'failed to setup network for sandbox');
  assert.equal(err.message, 'RunPodSandbox: failed to setup network for sandbox');
  assert.equal(runtimeErrorText(err), 'rpc error: code = Unknown desc = failed to setup network for sandbox');
  assert.equal(seen.RunPodSandbox.runtime_handler, '');
});

test('createContainer encodes every container field', async () => {
  const config: ContainerConfig = {
    metadata: { name: 'app', attempt: 1 },
    image: { image: 'sha256:abc', annotations: { k: 'v' } },
    command: ['/bin/sh'],
    args: ['-c', 'sleep 1'],
    working_dir: '/work',
    envs: [{ key: 'A', value: '1' }, { key: 'B', value: '' }],
    mounts: [
      { container_path: '/etc/hosts', host_path: '/pods/u/etc-hosts', readonly: false, selinux_relabel: true, propagation: 'PROPAGATION_BIDIRECTIONAL' },
    ],
    labels: { 'io.kubernetes.container.name': 'app' },
    annotations: { 'io.kubernetes.container.restartCount': '1' },
    log_path: 'app/1.log',
    stdin: true,
    stdin_once: true,
    tty: true,
    linux: {
      resources: {
        cpu_period: 100000, cpu_quota: '50000', cpu_shares: 256, memory_limit_in_bytes: '67108864', oom_score_adj: 900,
        cpuset_cpus: '0-1', cpuset_mems: '0', unified: { 'memory.high': '1' }, memory_swap_limit_in_bytes: 67108864,
      },
      security_context: {
        capabilities: { add_capabilities: ['NET_ADMIN'], drop_capabilities: ['ALL'] },
        privileged: false,
        namespace_options: { pid: 'TARGET', target_id: 'c0' },
        run_as_user: { value: 0 },
        run_as_username: 'root',
        readonly_rootfs: true,
        supplemental_groups: [10],
        no_new_privs: true,
        run_as_group: { value: 20 },
      },
    },
  };
  assert.equal(await cri.createContainer('sb1', config, sandboxConfig), 'c1');
  const req = seen.CreateContainer;
  assert.equal(req.pod_sandbox_id, 'sb1');
  assert.equal(req.sandbox_config.metadata.name, 'web');
  const c = req.config;
  assert.deepEqual(c.metadata, { name: 'app', attempt: 1 });
  assert.deepEqual(c.image, { image: 'sha256:abc', annotations: { k: 'v' } });
  assert.deepEqual([c.command, c.args, c.working_dir], [['/bin/sh'], ['-c', 'sleep 1'], '/work']);
  assert.deepEqual(c.envs, [{ key: 'A', value: '1' }, { key: 'B', value: '' }]);
  assert.deepEqual(c.mounts, [
    { container_path: '/etc/hosts', host_path: '/pods/u/etc-hosts', readonly: false, selinux_relabel: true, propagation: 'PROPAGATION_BIDIRECTIONAL' },
  ]);
  assert.deepEqual([c.labels, c.annotations, c.log_path], [{ 'io.kubernetes.container.name': 'app' }, { 'io.kubernetes.container.restartCount': '1' }, 'app/1.log']);
  assert.deepEqual([c.stdin, c.stdin_once, c.tty], [true, true, true]);
  assert.deepEqual(c.linux.resources, {
    cpu_period: '100000', cpu_quota: '50000', cpu_shares: '256', memory_limit_in_bytes: '67108864', oom_score_adj: '900',
    cpuset_cpus: '0-1', cpuset_mems: '0', unified: { 'memory.high': '1' }, memory_swap_limit_in_bytes: '67108864',
  });
  assert.deepEqual(c.linux.security_context, {
    capabilities: { add_capabilities: ['NET_ADMIN'], drop_capabilities: ['ALL'] },
    privileged: false,
    namespace_options: { network: 'POD', pid: 'TARGET', ipc: 'POD', target_id: 'c0' },
    run_as_user: { value: '0' },
    run_as_username: 'root',
    readonly_rootfs: true,
    supplemental_groups: ['10'],
    no_new_privs: true,
    run_as_group: { value: '20' },
  });
});

test('status calls decode int64 nanoseconds without rounding', async () => {
  const s = await cri.containerStatus('c1');
  assert.ok(s);
  assert.equal(s.created_at, BIG_NS);
  assert.equal(s.finished_at, '1764000002999999999');
  assert.equal(nsToMs(s.finished_at), 1764000002999);
  assert.equal(s.exit_code, 137);
  assert.equal(s.reason, 'OOMKilled');
  assert.equal(s.state, 'CONTAINER_EXITED');
  assert.deepEqual(s.mounts, [{ container_path: '/data', host_path: '/tmp/d', readonly: true, selinux_relabel: false, propagation: 'PROPAGATION_HOST_TO_CONTAINER' }]);
  assert.equal(s.log_path, '/logs/app/3.log');
  assert.equal(seen.ContainerStatus.verbose, false);

  const sb = await cri.podSandboxStatus('sb1');
  assert.ok(sb);
  assert.equal(sb.created_at, BIG_NS);
  assert.equal(sb.network?.ip, '10.1.2.3');
  assert.deepEqual(sb.metadata, { name: 'p', uid: 'u', namespace: 'ns', attempt: 1 });
});

test('NOT_FOUND: status calls give undefined, stop/remove calls succeed', async () => {
  assert.equal(await cri.containerStatus('gone'), undefined);
  assert.equal(await cri.podSandboxStatus('gone'), undefined);
  await cri.stopContainer('gone', 0);
  await cri.removeContainer('gone');
  await cri.stopPodSandbox('gone');
  await cri.removePodSandbox('gone');
  await cri.removeImage('gone');
  assert.equal(seen.StopContainer.container_id, 'gone');
  assert.equal(seen.RemoveImage.image.image, 'gone');
});

test('stopContainer sends the grace period in seconds', async () => {
  await cri.stopContainer('c1', 30);
  assert.equal(seen.StopContainer.timeout, '30');
});

test('startContainer errors are CriErrors that are not NOT_FOUND', async () => {
  const err = await cri.startContainer('bad').then(() => null, (e) => e);
  assert.ok(err instanceof CriError);
  assert.equal(err.method, 'StartContainer');
  assert.equal(err.code, 2);
  assert.equal(isCriNotFound(err), false);
  assert.match(err.details, /exec: "\/no\/such"/);
});

test('list calls pass filters and return items', async () => {
  const sbs = await cri.listPodSandbox({ state: { state: 'SANDBOX_READY' }, label_selector: { 'skiff.dev/node': 'n1' } });
  assert.deepEqual(sbs.map((s) => [s.id, s.state, s.created_at]), [['sb1', 'SANDBOX_NOTREADY', BIG_NS]]);
  assert.deepEqual(seen.ListPodSandbox.filter, { id: '', state: { state: 'SANDBOX_READY' }, label_selector: { 'skiff.dev/node': 'n1' } });
  await cri.listPodSandbox();
  assert.equal(seen.ListPodSandbox.filter, null);

  const cs = await cri.listContainers({ pod_sandbox_id: 'sb1', state: { state: 'CONTAINER_RUNNING' } });
  assert.deepEqual(cs.map((c) => [c.id, c.metadata.attempt, c.state]), [['c1', 2, 'CONTAINER_EXITED']]);
  assert.deepEqual(seen.ListContainers.filter, { id: '', state: { state: 'CONTAINER_RUNNING' }, pod_sandbox_id: 'sb1', label_selector: {} });
});

test('execSync returns buffers and exit code; sends timeout seconds', async () => {
  const r = await cri.execSync('c1', ['sh', '-c', 'x'], 7);
  assert.ok(Buffer.isBuffer(r.stdout) && Buffer.isBuffer(r.stderr));
  assert.equal(r.stdout.toString(), 'out\n');
  assert.equal(r.stderr.toString(), 'err\n');
  assert.equal(r.exit_code, 3);
  assert.deepEqual(seen.ExecSync.cmd, ['sh', '-c', 'x']);
  assert.equal(seen.ExecSync.timeout, '7');
});

test('execSync deadline is its timeout plus the grace period', async () => {
  const start = Date.now();
  const err = await cri.execSync('c1', ['hang'], 1).then(() => null, (e) => e);
  const took = Date.now() - start;
  assert.ok(err instanceof CriError);
  assert.equal(err.code, 4);
  assert.equal(err.method, 'ExecSync');
  assert.ok(took >= 1150 && took < 3000, `took ${took}ms`);
});

test('ordinary calls have a deadline (DEADLINE_EXCEEDED)', async () => {
  const start = Date.now();
  const err = await cri.reopenContainerLog('c1').then(() => null, (e) => e);
  assert.ok(err instanceof CriError);
  assert.equal(err.code, 4);
  assert.equal(grpcCodeName(err.code), 'DeadlineExceeded');
  assert.ok(Date.now() - start < 2000);
});

test('exec, attach and portForward requests and URLs', async () => {
  assert.equal(await cri.exec({ container_id: 'c1', cmd: ['ls'], stdout: true, stderr: true }), 'http://127.0.0.1:1234/exec/abcdefgh');
  assert.deepEqual(seen.Exec, { container_id: 'c1', cmd: ['ls'], tty: false, stdin: false, stdout: true, stderr: true });
  assert.equal(await cri.attach({ container_id: 'c1', stdin: true, tty: true, stdout: true }), 'http://127.0.0.1:1234/attach/abcdefgh');
  assert.deepEqual(seen.Attach, { container_id: 'c1', stdin: true, tty: true, stdout: true, stderr: false });
  assert.equal(await cri.portForward('sb1', [8080, 53]), 'http://127.0.0.1:1234/portforward/abcdefgh');
  assert.deepEqual(seen.PortForward, { pod_sandbox_id: 'sb1', port: [8080, 53] });
});

test('images: list, status (absent = undefined), pull with auth', async () => {
  const imgs = await cri.listImages({ image: 'localhost/x:1' });
  assert.deepEqual(imgs.map((i) => [i.id, i.repo_tags, i.size, i.uid?.value]), [['sha256:abc', ['localhost/x:1'], '1153434', '65534']]);
  assert.deepEqual(seen.ListImages.filter.image, { image: 'localhost/x:1', annotations: {} });

  const st = await cri.imageStatus('localhost/x:1');
  assert.equal(st?.id, 'sha256:abc');
  assert.equal(st?.uid, null);
  assert.equal(st?.username, 'nobody');
  assert.equal(await cri.imageStatus('localhost/absent:1'), undefined);

  assert.equal(await cri.pullImage('127.0.0.1:5002/x:1', { username: 'u', password: 'p', server_address: 'http://127.0.0.1:5002' }), 'sha256:def');
  assert.deepEqual(seen.PullImage.auth, { username: 'u', password: 'p', auth: '', server_address: 'http://127.0.0.1:5002', identity_token: '', registry_token: '' });
  assert.equal(seen.PullImage.sandbox_config, null);
  const err = await cri.pullImage('127.0.0.1:5002/x:1', { username: 'wrong' }).then(() => null, (e) => e);
  assert.ok(err instanceof CriError);
  assert.equal(runtimeErrorText(err), 'rpc error: code = Unknown desc = failed to pull and unpack image: 401 Unauthorized');
});

test('waitReady resolves with Version once the runtime answers', async () => {
  const v = await waitReady(socket, 2000);
  assert.equal(v.runtime_name, 'fake');
});

test('waitReady on a missing socket rejects with UNAVAILABLE after the timeout', async () => {
  const start = Date.now();
  const err = await waitReady(path.join(dir, 'missing.sock'), 200).then(() => null, (e) => e);
  assert.ok(err instanceof CriError);
  assert.equal(err.code, 14);
  assert.match(err.details, /not ready after 200ms: socket does not exist$/);
  assert.ok(Date.now() - start >= 200);
});

test('a call to a dead socket fails with UNAVAILABLE', async () => {
  const dead = connectCri(path.join(dir, 'missing.sock'), { timeoutMs: 500 });
  try {
    const err = await dead.version().then(() => null, (e) => e);
    assert.ok(err instanceof CriError);
    assert.equal(err.code, 14);
  } finally {
    dead.close();
  }
});
