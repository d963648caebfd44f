import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { ContainerConfigError, VolumeSetupError } from '../contracts.js';
import { FakeApi, fakeContext } from '../env/fake-context.js';
import { VolumeManager, expandSubPathExpr } from './volume-manager.js';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'skiff-vm-'));
after(() => fs.rmSync(root, { recursive: true, force: true }));
let n = 0;
const b64 = (s: string) => Buffer.from(s).toString('base64');

function setup() {
  const podsDir = path.join(root, `d${n++}`, 'pods');
  const api = new FakeApi();
  api.put('configmaps', { metadata: { name: 'cfg', namespace: 'shop' }, data: { 'app.conf': 'port=80\n', other: 'o' }, binaryData: { 'bin.dat': b64('\x00\x01') } });
  api.put('secrets', { metadata: { name: 'creds', namespace: 'shop' }, data: { password: b64('s3cret'), user: b64('admin') } });
  api.put('nodes', { metadata: { name: 'node-1' }, status: { allocatable: { cpu: '4', memory: '8Gi' } } });
  const { ctx } = fakeContext({ api, podsDir });
  return { api, ctx, podsDir, vm: new VolumeManager({ ctx }) };
}

let uidN = 0;
const pod = (volumes: any[], extra: any = {}) => ({
  metadata: { name: 'web', namespace: 'shop', uid: `uid-${uidN++}`, labels: { app: 'web', tier: 'front' }, annotations: { note: 'hi' } },
  spec: { volumes, containers: [{ name: 'app', resources: { limits: { memory: '64Mi' } } }], ...extra },
});
const mode = (p: string) => fs.statSync(p).mode & 0o7777;

async function setUpError(vm: VolumeManager, p: any): Promise<string> {
  try {
    await vm.setUpPod(p);
  } catch (e) {
    assert.ok(e instanceof VolumeSetupError, String(e));
    return e.message;
  }
  assert.fail('setUpPod did not fail');
}

test('configMap: all keys with defaultMode 0644, binaryData decoded', async () => {
  const { vm, podsDir } = setup();
  const p = pod([{ name: 'conf', configMap: { name: 'cfg' } }]);
  await vm.setUpPod(p);
  const dir = path.join(podsDir, p.metadata.uid, 'volumes/kubernetes.io~configmap/conf');
  assert.equal(fs.readFileSync(path.join(dir, 'app.conf'), 'utf8'), 'port=80\n');
  assert.deepEqual([...fs.readFileSync(path.join(dir, 'bin.dat'))], [0, 1]);
  assert.equal(fs.readlinkSync(path.join(dir, 'app.conf')), '..data/app.conf');
  assert.equal(mode(path.join(dir, 'other')), 0o644);
});

test('configMap: items map keys to paths with per-item mode; defaultMode', async () => {
  const { vm, podsDir } = setup();
  const p = pod([{ name: 'conf', configMap: { name: 'cfg', defaultMode: 0o600, items: [{ key: 'app.conf', path: 'etc/app.conf', mode: 0o444 }, { key: 'other', path: 'o.txt' }] } }]);
  await vm.setUpPod(p);
  const dir = path.join(podsDir, p.metadata.uid, 'volumes/kubernetes.io~configmap/conf');
  assert.deepEqual(fs.readdirSync(dir).filter((f) => !f.startsWith('..')).sort(), ['etc', 'o.txt']);
  assert.equal(fs.readFileSync(path.join(dir, 'etc/app.conf'), 'utf8'), 'port=80\n');
  assert.equal(mode(path.join(dir, 'etc/app.conf')), 0o444);
  assert.equal(mode(path.join(dir, 'o.txt')), 0o600);
});

test('configMap update: same folder, ..data flips, the key path shows the new value; no rewrite without change', async () => {
  const { vm, podsDir, api } = setup();
  const p = pod([{ name: 'conf', configMap: { name: 'cfg' } }]);
  await vm.setUpPod(p);
  const dir = path.join(podsDir, p.metadata.uid, 'volumes/kubernetes.io~configmap/conf');
  const first = fs.readlinkSync(path.join(dir, '..data'));
  await vm.setUpPod(p);
  assert.equal(fs.readlinkSync(path.join(dir, '..data')), first);
  const fd = path.join(dir, 'other');
  api.put('configmaps', { metadata: { name: 'cfg', namespace: 'shop' }, data: { other: 'changed' } });
  await vm.setUpPod(p);
  assert.notEqual(fs.readlinkSync(path.join(dir, '..data')), first);
  assert.equal(fs.readFileSync(fd, 'utf8'), 'changed');
  assert.equal(fs.existsSync(path.join(dir, 'app.conf')), false);
});

test('configMap/secret missing: FailedMount texts; optional gives an empty volume', async () => {
  const { vm, podsDir } = setup();
  assert.equal(
    await setUpError(vm, pod([{ name: 'conf', configMap: { name: 'nope' } }])),
    'MountVolume.SetUp failed for volume "conf" : configmap "nope" not found',
  );
  assert.equal(
    await setUpError(vm, pod([{ name: 'sec', secret: { secretName: 'nope' } }])),
    'MountVolume.SetUp failed for volume "sec" : secret "nope" not found',
  );
  assert.equal(
    await setUpError(vm, pod([{ name: 'conf', configMap: { name: 'cfg', items: [{ key: 'missing', path: 'm' }] } }])),
    'MountVolume.SetUp failed for volume "conf" : configmap references non-existent config key: missing',
  );
  assert.equal(
    await setUpError(vm, pod([{ name: 'sec', secret: { secretName: 'creds', items: [{ key: 'missing', path: 'm' }] } }])),
    'MountVolume.SetUp failed for volume "sec" : references non-existent secret key: missing',
  );
  const p = pod([
    { name: 'conf', configMap: { name: 'nope', optional: true } },
    { name: 'part', configMap: { name: 'cfg', optional: true, items: [{ key: 'missing', path: 'm' }, { key: 'other', path: 'o' }] } },
  ]);
  await vm.setUpPod(p);
  const base = path.join(podsDir, p.metadata.uid, 'volumes/kubernetes.io~configmap');
  assert.deepEqual(fs.readdirSync(path.join(base, 'conf')).filter((f) => !f.startsWith('..')), []);
  assert.deepEqual(fs.readdirSync(path.join(base, 'part')).filter((f) => !f.startsWith('..')), ['o']);
});

test('the first failing volume is reported; the others are still set up', async () => {
  const { vm, podsDir } = setup();
  const p = pod([
    { name: 'a', configMap: { name: 'nope' } },
    { name: 'b', secret: { secretName: 'nope' } },
    { name: 'c', emptyDir: {} },
  ]);
  assert.equal(await setUpError(vm, p), 'MountVolume.SetUp failed for volume "a" : configmap "nope" not found');
  assert.equal(fs.statSync(path.join(podsDir, p.metadata.uid, 'volumes/kubernetes.io~empty-dir/c')).isDirectory(), true);
});

test('secret: values decoded', async () => {
  const { vm, podsDir } = setup();
  const p = pod([{ name: 'sec', secret: { secretName: 'creds', defaultMode: 0o400 } }]);
  await vm.setUpPod(p);
  const dir = path.join(podsDir, p.metadata.uid, 'volumes/kubernetes.io~secret/sec');
  assert.equal(fs.readFileSync(path.join(dir, 'password'), 'utf8'), 's3cret');
  assert.equal(mode(path.join(dir, 'user')), 0o400);
});

test('downwardAPI: labels/annotations format, name, uid, resources', async () => {
  const { vm, podsDir } = setup();
  const p = pod([
    {
      name: 'info',
      downwardAPI: {
        items: [
          { path: 'labels', fieldRef: { fieldPath: 'metadata.labels' } },
          { path: 'annotations', fieldRef: { fieldPath: 'metadata.annotations' } },
          { path: 'name', fieldRef: { fieldPath: 'metadata.name' } },
          { path: 'meta/uid', fieldRef: { fieldPath: 'metadata.uid' }, mode: 0o400 },
          { path: 'tier', fieldRef: { fieldPath: "metadata.labels['tier']" } },
          { path: 'mem', resourceFieldRef: { containerName: 'app', resource: 'limits.memory', divisor: '1Mi' } },
          { path: 'cpu', resourceFieldRef: { containerName: 'app', resource: 'limits.cpu', divisor: '1m' } },
        ],
      },
    },
  ]);
  await vm.setUpPod(p);
  const dir = path.join(podsDir, p.metadata.uid, 'volumes/kubernetes.io~downward-api/info');
  const read = (f: string) => fs.readFileSync(path.join(dir, f), 'utf8');
  assert.equal(read('labels'), 'app="web"\ntier="front"');
  assert.equal(read('annotations'), 'note="hi"');
  assert.equal(read('name'), 'web');
  assert.equal(read('meta/uid'), p.metadata.uid);
  assert.equal(mode(path.join(dir, 'meta/uid')), 0o400);
  assert.equal(read('tier'), 'front');
  assert.equal(read('mem'), '64');
  assert.equal(read('cpu'), '4000');
  // a label change is written on the next sync
  p.metadata.labels.tier = 'back';
  await vm.setUpPod(p);
  assert.equal(read('tier'), 'back');
});

test('downwardAPI errors are aggregated', async () => {
  const { vm } = setup();
  const p = pod([
    { name: 'info', downwardAPI: { items: [{ path: 'a', fieldRef: { fieldPath: 'spec.nodeName' } }, { path: 'b', resourceFieldRef: { containerName: 'zz', resource: 'limits.cpu' } }] } },
  ]);
  assert.equal(await setUpError(vm, p), 'MountVolume.SetUp failed for volume "info" : [unsupported fieldPath: spec.nodeName, container zz not found]');
});

test('projected: sources merged, serviceAccountToken skipped, defaultMode applied', async () => {
  const { vm, podsDir } = setup();
  const p = pod([
    {
      name: 'all',
      projected: {
        defaultMode: 0o440,
        sources: [
          { serviceAccountToken: { path: 'token', expirationSeconds: 3600 } },
          { configMap: { name: 'cfg', items: [{ key: 'other', path: 'cfg/other' }] } },
          { secret: { name: 'creds', items: [{ key: 'user', path: 'user', mode: 0o400 }] } },
          { downwardAPI: { items: [{ path: 'namespace', fieldRef: { fieldPath: 'metadata.namespace' } }] } },
          { configMap: { name: 'absent', optional: true } },
        ],
      },
    },
  ]);
  await vm.setUpPod(p);
  const dir = path.join(podsDir, p.metadata.uid, 'volumes/kubernetes.io~projected/all');
  assert.deepEqual(fs.readdirSync(dir).filter((f) => !f.startsWith('..')).sort(), ['cfg', 'namespace', 'user']);
  assert.equal(fs.readFileSync(path.join(dir, 'cfg/other'), 'utf8'), 'o');
  assert.equal(mode(path.join(dir, 'cfg/other')), 0o440);
  assert.equal(mode(path.join(dir, 'user')), 0o400);
  assert.equal(fs.readFileSync(path.join(dir, 'namespace'), 'utf8'), 'shop');
  assert.equal(
    await setUpError(vm, pod([{ name: 'all', projected: { sources: [{ configMap: { name: 'nope' } }, { secret: { name: 'nope2' } }] } }])),
    'MountVolume.SetUp failed for volume "all" : [configmap "nope" not found, secret "nope2" not found]',
  );
});

test('emptyDir is a 0777 folder; hostPath type is checked; unsupported sources fail clearly', async () => {
  const { vm, podsDir } = setup();
  const p = pod([{ name: 'scratch', emptyDir: {} }, { name: 'host', hostPath: { path: path.join(podsDir, '..', 'made'), type: 'DirectoryOrCreate' } }]);
  await vm.setUpPod(p);
  assert.equal(mode(path.join(podsDir, p.metadata.uid, 'volumes/kubernetes.io~empty-dir/scratch')), 0o777);
  assert.equal(fs.statSync(path.join(podsDir, '..', 'made')).isDirectory(), true);
  assert.equal(
    await setUpError(vm, pod([{ name: 'h', hostPath: { path: '/no/such/dir', type: 'Directory' } }])),
    'MountVolume.SetUp failed for volume "h" : hostPath type check failed: /no/such/dir is not a directory',
  );
  assert.equal(
    await setUpError(vm, pod([{ name: 'data', persistentVolumeClaim: { claimName: 'c' } }])),
    'MountVolume.SetUp failed for volume "data" : volume type persistentVolumeClaim is not supported by this node',
  );
});

test('mountsFor: volume mounts, read-only plugins, propagation, /etc/hosts, termination log', async () => {
  const { vm, podsDir } = setup();
  const p = pod([
    { name: 'scratch', emptyDir: {} },
    { name: 'conf', configMap: { name: 'cfg' } },
    { name: 'host', hostPath: { path: '/tmp' } },
  ]);
  await vm.setUpPod(p);
  const c = {
    name: 'app',
    terminationMessagePath: '/dev/termination-log',
    volumeMounts: [
      { name: 'scratch', mountPath: '/scratch' },
      { name: 'conf', mountPath: '/etc/app' },
      { name: 'host', mountPath: '/host', readOnly: true, mountPropagation: 'HostToContainer' },
    ],
  };
  const podDir = path.join(podsDir, p.metadata.uid);
  const tlog = path.join(podDir, 'containers/app/termination-log');
  fs.mkdirSync(path.dirname(tlog), { recursive: true });
  fs.writeFileSync(tlog, 'old message');
  assert.deepEqual(await vm.mountsFor(p, c, '10.1.0.5'), [
    { container_path: '/scratch', host_path: path.join(podDir, 'volumes/kubernetes.io~empty-dir/scratch'), readonly: false, propagation: 'PROPAGATION_PRIVATE' },
    { container_path: '/etc/app', host_path: path.join(podDir, 'volumes/kubernetes.io~configmap/conf'), readonly: true, propagation: 'PROPAGATION_PRIVATE' },
    { container_path: '/host', host_path: '/tmp', readonly: true, propagation: 'PROPAGATION_HOST_TO_CONTAINER' },
    { container_path: '/etc/hosts', host_path: path.join(podDir, 'etc-hosts'), readonly: false },
    { container_path: '/dev/termination-log', host_path: tlog, readonly: false },
  ]);
  assert.match(fs.readFileSync(path.join(podDir, 'etc-hosts'), 'utf8'), /\n10\.1\.0\.5\tweb\n$/);
  assert.equal(fs.readFileSync(tlog, 'utf8'), '');
  assert.equal(mode(tlog), 0o666);
});

test('mountsFor: no /etc/hosts without a pod IP or when the container mounts its own; no termination log when its path is empty', async () => {
  const { vm, podsDir } = setup();
  const p = pod([{ name: 'scratch', emptyDir: {} }]);
  await vm.setUpPod(p);
  assert.deepEqual(await vm.mountsFor(p, { name: 'app', terminationMessagePath: '' }, ''), []);
  const own = await vm.mountsFor(p, { name: 'app', terminationMessagePath: '', volumeMounts: [{ name: 'scratch', mountPath: '/etc/hosts', subPath: 'hosts' }] }, '10.1.0.5');
  assert.deepEqual(own.map((m) => m.container_path), ['/etc/hosts']);
  assert.equal(own[0].host_path, path.join(podsDir, p.metadata.uid, 'volumes/kubernetes.io~empty-dir/scratch/hosts'));
  // default terminationMessagePath when the field is absent
  const dflt = await vm.mountsFor(p, { name: 'app' }, '');
  assert.deepEqual(dflt.map((m) => m.container_path), ['/dev/termination-log']);
});

test('mountsFor: hostNetwork pods get the node hosts file even without a pod IP', async () => {
  const { vm, podsDir } = setup();
  const p = pod([], { hostNetwork: true });
  await vm.setUpPod(p);
  const mounts = await vm.mountsFor(p, { name: 'app', terminationMessagePath: '' }, '');
  assert.deepEqual(mounts.map((m) => m.container_path), ['/etc/hosts']);
  assert.match(fs.readFileSync(path.join(podsDir, p.metadata.uid, 'etc-hosts'), 'utf8'), /^# Kubernetes-managed hosts file \(host network\)\.\n/);
});

test('subPath: created inside the volume; absolute, .. and symlink escapes refused', async () => {
  const { vm, podsDir } = setup();
  const p = pod([{ name: 'scratch', emptyDir: {} }, { name: 'conf', configMap: { name: 'cfg' } }]);
  await vm.setUpPod(p);
  const vol = path.join(podsDir, p.metadata.uid, 'volumes/kubernetes.io~empty-dir/scratch');
  const mk = (subPath: string, name = 'scratch') => ({ name: 'app', terminationMessagePath: '', volumeMounts: [{ name, mountPath: '/data', subPath }] });
  const [m] = await vm.mountsFor(p, mk('a/b'), '');
  assert.equal(m.host_path, path.join(vol, 'a/b'));
  assert.equal(fs.statSync(path.join(vol, 'a/b')).isDirectory(), true);
  assert.equal(mode(path.join(vol, 'a')), 0o777);
  const [file] = await vm.mountsFor(p, mk('app.conf', 'conf'), '');
  assert.equal(file.host_path, path.join(podsDir, p.metadata.uid, 'volumes/kubernetes.io~configmap/conf/app.conf'));
  await assert.rejects(vm.mountsFor(p, mk('/etc'), ''), { name: 'ContainerConfigError', message: 'error SubPath `/etc` must not be an absolute path' });
  await assert.rejects(vm.mountsFor(p, mk('a/../../x'), ''), { name: 'ContainerConfigError', message: "unable to provision SubPath `a/../../x`: must not contain '..'" });
  fs.symlinkSync('/etc', path.join(vol, 'escape'));
  await assert.rejects(vm.mountsFor(p, mk('escape'), ''), {
    name: 'ContainerConfigError',
    message: 'failed to prepare subPath for volumeMount "scratch" of container "app"',
  });
  await assert.rejects(vm.mountsFor(p, mk('escape/newdir'), ''), {
    name: 'ContainerConfigError',
    message: 'failed to prepare subPath for volumeMount "scratch" of container "app"',
  });
  assert.equal(fs.existsSync('/etc/newdir'), false);
});

test('subPathExpr expands the container environment', async () => {
  const { vm, podsDir } = setup();
  const p = pod([{ name: 'scratch', emptyDir: {} }], { enableServiceLinks: false });
  await vm.setUpPod(p);
  const c = {
    name: 'app',
    terminationMessagePath: '',
    env: [{ name: 'POD', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }],
    volumeMounts: [{ name: 'scratch', mountPath: '/logs', subPathExpr: 'logs/$(POD)' }],
  };
  const [m] = await vm.mountsFor(p, c, '');
  assert.equal(m.host_path, path.join(podsDir, p.metadata.uid, 'volumes/kubernetes.io~empty-dir/scratch/logs/web'));
  assert.equal(expandSubPathExpr('$(A)/x/$$(A)', new Map([['A', 'a']])), 'a/x/$(A)');
  assert.throws(() => expandSubPathExpr('$(B)/$(A)/$(C)', new Map([['A', 'a'], ['C', '']])), { name: 'ContainerConfigError', message: 'missing value for B, C' });
});

test('mountsFor: an unknown volume is a ContainerConfigError', async () => {
  const { vm } = setup();
  const p = pod([]);
  await assert.rejects(vm.mountsFor(p, { name: 'app', volumeMounts: [{ name: 'ghost', mountPath: '/g' }] }, ''), (e: unknown) => {
    assert.ok(e instanceof ContainerConfigError);
    assert.equal((e as Error).message, 'cannot find volume "ghost" to mount into container "app"');
    return true;
  });
});

test('tearDownPod removes the pod folder but not hostPath contents', async () => {
  const { vm, podsDir } = setup();
  const hostDir = path.join(podsDir, '..', 'keep');
  fs.mkdirSync(hostDir, { recursive: true });
  fs.writeFileSync(path.join(hostDir, 'f'), 'data');
  const p = pod([{ name: 's', emptyDir: {} }, { name: 'h', hostPath: { path: hostDir } }, { name: 'c', configMap: { name: 'cfg' } }]);
  await vm.setUpPod(p);
  await vm.mountsFor(p, { name: 'app', volumeMounts: [{ name: 'h', mountPath: '/h' }] }, '10.1.0.5');
  await vm.tearDownPod(p.metadata.uid);
  assert.equal(fs.existsSync(path.join(podsDir, p.metadata.uid)), false);
  assert.equal(fs.readFileSync(path.join(hostDir, 'f'), 'utf8'), 'data');
  await vm.tearDownPod(p.metadata.uid); // idempotent
});

const isRoot = process.getuid?.() === 0;

test('emptyDir medium Memory: a tmpfs of sizeLimit, mounted once, unmounted on teardown', { skip: !isRoot && 'needs root to mount tmpfs' }, async () => {
  const { vm, podsDir } = setup();
  const p = pod([{ name: 'mem', emptyDir: { medium: 'Memory', sizeLimit: '16Mi' } }, { name: 'mem2', emptyDir: { medium: 'Memory' } }]);
  const dir = path.join(podsDir, p.metadata.uid, 'volumes/kubernetes.io~empty-dir/mem');
  try {
    await vm.setUpPod(p);
    await vm.setUpPod(p); // idempotent: still exactly one mount
    const findmnt = (target: string) => execFileSync('findmnt', ['-n', '-o', 'FSTYPE,OPTIONS', '--mountpoint', target], { encoding: 'utf8' }).trim().split('\n');
    const lines = findmnt(dir);
    assert.equal(lines.length, 1);
    assert.match(lines[0], /^tmpfs\s+\S*size=16384k/);
    assert.equal(mode(dir), 0o777);
    fs.writeFileSync(path.join(dir, 'x'), 'in memory');
    assert.equal(findmnt(path.join(podsDir, p.metadata.uid, 'volumes/kubernetes.io~empty-dir/mem2'))[0].split(/\s+/)[0], 'tmpfs');
  } finally {
    await vm.tearDownPod(p.metadata.uid);
  }
  const mounted = fs.readFileSync('/proc/self/mountinfo', 'utf8').includes(p.metadata.uid);
  assert.equal(mounted, false);
  assert.equal(fs.existsSync(path.join(podsDir, p.metadata.uid)), false);
});

test('fsGroup: secret/configMap files get the group and group read; emptyDir gets group rw + setgid once', { skip: !isRoot && 'needs root to chown' }, async () => {
  const { vm, podsDir, api } = setup();
  const p = pod(
    [{ name: 'sec', secret: { secretName: 'creds', defaultMode: 0o400 } }, { name: 'conf', configMap: { name: 'cfg' } }, { name: 'scratch', emptyDir: {} }],
    { securityContext: { fsGroup: 2000 } },
  );
  await vm.setUpPod(p);
  const vol = (plugin: string, name: string) => path.join(podsDir, p.metadata.uid, 'volumes', plugin, name);
  const st = (f: string) => fs.statSync(f);
  const sec = vol('kubernetes.io~secret', 'sec');
  assert.deepEqual([st(path.join(sec, 'password')).gid, mode(path.join(sec, 'password'))], [2000, 0o440]);
  assert.deepEqual([st(sec).gid, mode(sec)], [2000, 0o2755]);
  assert.equal(fs.lstatSync(path.join(sec, '..data')).gid, 2000);
  const conf = vol('kubernetes.io~configmap', 'conf');
  assert.deepEqual([st(path.join(conf, 'other')).gid, mode(path.join(conf, 'other'))], [2000, 0o644]);
  const scratch = vol('kubernetes.io~empty-dir', 'scratch');
  assert.deepEqual([st(scratch).gid, mode(scratch)], [2000, 0o2777]);
  // Later syncs leave what the container did alone, and a new configMap version gets the group too.
  fs.chmodSync(scratch, 0o700);
  api.put('configmaps', { metadata: { name: 'cfg', namespace: 'shop' }, data: { other: 'changed' } });
  await vm.setUpPod(p);
  assert.equal(mode(scratch), 0o700);
  assert.equal(fs.readFileSync(path.join(conf, 'other'), 'utf8'), 'changed');
  assert.deepEqual([st(path.join(conf, 'other')).gid, mode(path.join(conf, 'other'))], [2000, 0o644]);
});

test('without fsGroup files keep root group and the requested mode', async () => {
  const { vm, podsDir } = setup();
  const p = pod([{ name: 'sec', secret: { secretName: 'creds', defaultMode: 0o400 } }]);
  await vm.setUpPod(p);
  const f = path.join(podsDir, p.metadata.uid, 'volumes/kubernetes.io~secret/sec/password');
  assert.equal(mode(f), 0o400);
  assert.equal(fs.statSync(f).gid, process.getgid?.());
});
