import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  isValidBridgeName,
  isValidPodCIDR,
  renderCniConflist,
  renderContainerdConfig,
  tomlString,
} from './containerd-config.js';

const opts = {
  root: '/tmp/n1/root',
  state: '/tmp/n1/state',
  socket: '/tmp/n1/containerd.sock',
  runcRoot: '/tmp/n1/runc',
  cniConfDir: '/tmp/n1/cni/net.d',
  pauseImage: 'localhost/skiff/pause:1.0',
};

/** The lines of the rendered config, trimmed, without comments and blanks. */
function lines(s: string): string[] {
  return s.split('\n').map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#'));
}

test('containerd config: the exact settings, in their sections', () => {
  assert.deepEqual(lines(renderContainerdConfig(opts)), [
    'version = 2',
    'root = "/tmp/n1/root"',
    'state = "/tmp/n1/state"',
    'disabled_plugins = ["io.containerd.snapshotter.v1.btrfs", "io.containerd.snapshotter.v1.zfs", "io.containerd.snapshotter.v1.devmapper", "io.containerd.snapshotter.v1.aufs"]',
    '[grpc]',
    'address = "/tmp/n1/containerd.sock"',
    '[debug]',
    'level = "info"',
    '[plugins."io.containerd.grpc.v1.cri"]',
    'sandbox_image = "localhost/skiff/pause:1.0"',
    'stream_server_address = "127.0.0.1"',
    'stream_server_port = "0"',
    'enable_tls_streaming = false',
    'netns_mounts_under_state_dir = true',
    'max_container_log_line_size = 16384',
    'disable_apparmor = true',
    'restrict_oom_score_adj = true',
    '[plugins."io.containerd.grpc.v1.cri".containerd]',
    'snapshotter = "overlayfs"',
    'default_runtime_name = "runc"',
    '[plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]',
    'runtime_type = "io.containerd.runc.v2"',
    '[plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]',
    'SystemdCgroup = false',
    'Root = "/tmp/n1/runc"',
    '[plugins."io.containerd.grpc.v1.cri".cni]',
    'bin_dir = "/usr/lib/cni"',
    'conf_dir = "/tmp/n1/cni/net.d"',
    'max_conf_num = 1',
  ]);
});

test('containerd config: debug level, stream address/port and CNI bin dir overrides', () => {
  const text = renderContainerdConfig({ ...opts, debug: true, streamAddress: '127.0.0.2', streamPort: '10010', cniBinDir: '/opt/cni/bin' });
  const l = lines(text);
  assert.ok(l.includes('level = "debug"'));
  assert.ok(l.includes('stream_server_address = "127.0.0.2"'));
  assert.ok(l.includes('stream_server_port = "10010"'));
  assert.ok(l.includes('bin_dir = "/opt/cni/bin"'));
  assert.ok(!l.includes('level = "info"'));
});

test('containerd config: paths are TOML-escaped', () => {
  const text = renderContainerdConfig({ ...opts, root: '/tmp/we"ird\\dir' });
  assert.ok(lines(text).includes('root = "/tmp/we\\"ird\\\\dir"'));
});

test('tomlString escapes quotes, backslashes and control characters', () => {
  assert.equal(tomlString('a"b\\c'), '"a\\"b\\\\c"');
  assert.equal(tomlString('x\ny\tz\u0001'), '"x\\ny\\tz\\u0001"');
  assert.equal(tomlString('plain/path'), '"plain/path"');
});

test('CNI conflist: bridge + portmap, host-local with its own dataDir, no loopback', () => {
  const text = renderCniConflist({ name: 'skiff', bridge: 'sk1a2b', podCIDR: '10.123.4.0/24', ipamDir: '/tmp/n1/cni/ipam' });
  assert.ok(text.endsWith('}\n'));
  assert.deepEqual(JSON.parse(text), {
    cniVersion: '1.0.0',
    name: 'skiff',
    plugins: [
      {
        type: 'bridge', bridge: 'sk1a2b', isGateway: true, ipMasq: true, hairpinMode: true,
        ipam: { type: 'host-local', ranges: [[{ subnet: '10.123.4.0/24' }]], routes: [{ dst: '0.0.0.0/0' }], dataDir: '/tmp/n1/cni/ipam' },
      },
      { type: 'portmap', capabilities: { portMappings: true } },
    ],
  });
  assert.ok(!text.includes('loopback'));
});

test('bridge names: Linux interface name rules', () => {
  assert.equal(isValidBridgeName('sk1a2b'), true);
  assert.equal(isValidBridgeName('skiff-bridge-15'), true);
  assert.equal(isValidBridgeName('skiff-bridge-016'), false); // 16 bytes
  assert.equal(isValidBridgeName(''), false);
  assert.equal(isValidBridgeName('a/b'), false);
  assert.equal(isValidBridgeName('a b'), false);
  assert.equal(isValidBridgeName('a:b'), false);
});

test('pod CIDRs: IPv4 with a usable prefix', () => {
  assert.equal(isValidPodCIDR('10.123.4.0/24'), true);
  assert.equal(isValidPodCIDR('10.42.0.0/16'), true);
  assert.equal(isValidPodCIDR('10.42.0.0/31'), false);
  assert.equal(isValidPodCIDR('10.256.0.0/24'), false);
  assert.equal(isValidPodCIDR('10.42.0.0'), false);
  assert.equal(isValidPodCIDR('fd00::/64'), false);
});
