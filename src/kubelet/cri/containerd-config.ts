// Renders the containerd config and the CNI conflist for one node agent.
// Every setting here was needed on this machine (docs/cri-notes.md §1-2):
// cgroup v1 without systemd, root without CAP_SYS_RESOURCE, no AppArmor,
// and other containerds running next to ours.

export interface ContainerdConfigOptions {
  root: string;
  state: string;
  socket: string;
  /** Private runc state dir; the default /run/containerd/runc is shared by every containerd (P3). */
  runcRoot: string;
  cniConfDir: string;
  cniBinDir?: string;
  /** Fully qualified; must be imported before the first RunPodSandbox (P16). */
  pauseImage: string;
  /** Address of the exec/attach/port-forward server (default 127.0.0.1). */
  streamAddress?: string;
  /** "0" picks a free port on every start (default). */
  streamPort?: string;
  debug?: boolean;
}

export const DEFAULT_CNI_BIN_DIR = '/usr/lib/cni';

/** Snapshotters that cannot work here: disabling them makes start faster and the log quieter. */
const DISABLED_PLUGINS = [
  'io.containerd.snapshotter.v1.btrfs',
  'io.containerd.snapshotter.v1.zfs',
  'io.containerd.snapshotter.v1.devmapper',
  'io.containerd.snapshotter.v1.aufs',
];

/** A TOML basic string. */
export function tomlString(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\r') out += '\\r';
    else if (c < 0x20 || c === 0x7f) out += `\\u${c.toString(16).padStart(4, '0')}`;
    else out += ch;
  }
  return out + '"';
}

export function renderContainerdConfig(o: ContainerdConfigOptions): string {
  const cri = 'plugins."io.containerd.grpc.v1.cri"';
  const runc = `${cri}.containerd.runtimes.runc`;
  return [
    'version = 2',
    `root = ${tomlString(o.root)}`,
    `state = ${tomlString(o.state)}`,
    `disabled_plugins = [${DISABLED_PLUGINS.map(tomlString).join(', ')}]`,
    '',
    '[grpc]',
    `  address = ${tomlString(o.socket)}`,
    '',
    '[debug]',
    `  level = ${tomlString(o.debug ? 'debug' : 'info')}`,
    '',
    `[${cri}]`,
    `  sandbox_image = ${tomlString(o.pauseImage)}`,
    `  stream_server_address = ${tomlString(o.streamAddress ?? '127.0.0.1')}`,
    `  stream_server_port = ${tomlString(o.streamPort ?? '0')}`,
    '  enable_tls_streaming = false',
    '  netns_mounts_under_state_dir = true',
    '  max_container_log_line_size = 16384',
    '  disable_apparmor = true',
    '  # root here lacks CAP_SYS_RESOURCE: negative oom_score_adj would kill runc init (P1)',
    '  restrict_oom_score_adj = true',
    `  [${cri}.containerd]`,
    '    snapshotter = "overlayfs"',
    '    default_runtime_name = "runc"',
    `    [${runc}]`,
    '      runtime_type = "io.containerd.runc.v2"',
    `      [${runc}.options]`,
    '        # cgroup v1 and no systemd: cgroupfs paths only (P4)',
    '        SystemdCgroup = false',
    `        Root = ${tomlString(o.runcRoot)}`,
    `  [${cri}.cni]`,
    `    bin_dir = ${tomlString(o.cniBinDir ?? DEFAULT_CNI_BIN_DIR)}`,
    `    conf_dir = ${tomlString(o.cniConfDir)}`,
    '    max_conf_num = 1',
    '',
  ].join('\n');
}

export interface CniConfigOptions {
  /** Network name; host-local keeps its leases under ipamDir/<name>. */
  name: string;
  bridge: string;
  podCIDR: string;
  ipamDir: string;
}

/**
 * bridge + portmap with host-local IPAM. No loopback plugin: containerd brings
 * lo up in every pod netns itself.
 */
export function renderCniConflist(o: CniConfigOptions): string {
  const conf = {
    cniVersion: '1.0.0',
    name: o.name,
    plugins: [
      {
        type: 'bridge',
        bridge: o.bridge,
        isGateway: true,
        ipMasq: true,
        hairpinMode: true,
        ipam: {
          type: 'host-local',
          ranges: [[{ subnet: o.podCIDR }]],
          routes: [{ dst: '0.0.0.0/0' }],
          dataDir: o.ipamDir,
        },
      },
      { type: 'portmap', capabilities: { portMappings: true } },
    ],
  };
  return JSON.stringify(conf, null, 2) + '\n';
}

/** Linux interface names: 1-15 bytes, no '/', ':', whitespace. */
export function isValidBridgeName(name: string): boolean {
  return /^[A-Za-z0-9_.-]{1,15}$/.test(name) && name !== '.' && name !== '..';
}

/** An IPv4 CIDR "a.b.c.d/n" with n in 8..30 (the pod range needs room for a gateway and pods). */
export function isValidPodCIDR(cidr: string): boolean {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(cidr);
  if (!m) return false;
  const octets = m.slice(1, 5).map(Number);
  const bits = Number(m[5]);
  return octets.every((o) => o <= 255) && bits >= 8 && bits <= 30;
}
