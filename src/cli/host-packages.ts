// The system programs a node needs. `skiff up`/`skiff agent` install missing
// ones with apt-get when run as root on Debian, and otherwise say exactly
// what is missing and how to get it.

import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';

export interface HostRequirement {
  /** Debian package that provides it. */
  pkg: string;
  /** A file whose presence means it is installed. */
  file: string;
}

export const NODE_REQUIREMENTS: readonly HostRequirement[] = [
  { pkg: 'containerd', file: '/usr/bin/containerd' },
  { pkg: 'runc', file: '/usr/sbin/runc' },
  { pkg: 'containernetworking-plugins', file: '/usr/lib/cni/bridge' },
  { pkg: 'iptables', file: '/usr/sbin/iptables' },
  { pkg: 'busybox-static', file: '/usr/bin/busybox' },
];

export function missingRequirements(reqs: readonly HostRequirement[], exists: (f: string) => boolean = fs.existsSync): HostRequirement[] {
  return reqs.filter((r) => !exists(r.file));
}

/** Installs what is missing, or throws an error naming the packages. */
export function ensureHostPackages(reqs: readonly HostRequirement[] = NODE_REQUIREMENTS, progress: (line: string) => void = () => {}): void {
  const missing = missingRequirements(reqs);
  if (missing.length === 0) return;
  const pkgs = [...new Set(missing.map((m) => m.pkg))];
  const isRoot = process.getuid?.() === 0;
  const isDebian = fs.existsSync('/etc/debian_version') && fs.existsSync('/usr/bin/apt-get');
  if (!isRoot || !isDebian) {
    throw new Error(
      `this machine lacks what a node needs: ${missing.map((m) => `${m.file} (package ${m.pkg})`).join(', ')}. ` +
        (isDebian ? `Run as root, or install them first: sudo apt-get install ${pkgs.join(' ')}` : `Install ${pkgs.join(', ')} with your system's package manager.`),
    );
  }
  progress(`installing ${pkgs.join(' ')} with apt-get`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  let r = spawnSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...pkgs], { stdio: 'inherit', env });
  if (r.status !== 0) {
    progress('apt-get install failed; refreshing package lists and retrying');
    execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
    r = spawnSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...pkgs], { stdio: 'inherit', env });
  }
  const still = missingRequirements(reqs);
  if (r.status !== 0 || still.length > 0) throw new Error(`could not install ${pkgs.join(' ')} (apt-get exit ${r.status})`);
}
