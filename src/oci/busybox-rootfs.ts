// Root filesystems for the images Skiff builds itself: a general-purpose busybox
// image (every applet as a /bin symlink) and a minimal pause image (sleep only).

import { execFileSync } from 'node:child_process';
import type { FileEntry } from './image-builder.js';

export const HOST_BUSYBOX = '/usr/bin/busybox';

/** PATH that Docker's busybox image sets; applets all live in /bin. */
export const BUSYBOX_PATH_ENV = 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

export const PASSWD = 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/home:/bin/false\n';
export const GROUP = 'root:x:0:\nnogroup:x:65534:\n';

/** Served by `httpd -h /www` in the nginx/tomcat-named test images. */
export const INDEX_HTML =
  '<!DOCTYPE html>\n<html>\n<head><title>Welcome to nginx!</title></head>\n' +
  '<body><h1>Welcome to nginx!</h1><p>Served by busybox httpd from a Skiff test image.</p></body>\n</html>\n';

/** Applet names compiled into the given busybox (`busybox --list`), without "busybox" itself. */
export function busyboxApplets(busybox = HOST_BUSYBOX): string[] {
  const out = execFileSync(busybox, ['--list'], { encoding: 'utf8' });
  return out
    .split('\n')
    .map((s) => s.trim())
    .filter((s) => s !== '' && s !== 'busybox' && !s.includes('/'))
    .sort();
}

/** The busybox binary must be static: the images carry no libc. */
function busyboxBinary(busybox: string): FileEntry {
  return { type: 'file', path: '/bin/busybox', source: busybox, mode: 0o755 };
}

/** Mount points the runtime fills in; present so the image looks like a normal distro root. */
function baseDirs(): FileEntry[] {
  return [
    { type: 'dir', path: '/bin' },
    { type: 'dir', path: '/dev' },
    { type: 'dir', path: '/etc' },
    { type: 'dir', path: '/proc', mode: 0o555 },
    { type: 'dir', path: '/sys', mode: 0o555 },
    { type: 'dir', path: '/tmp', mode: 0o1777 },
  ];
}

/**
 * General image: busybox plus a symlink per applet in /bin, /usr/bin/env (for `#!/usr/bin/env`
 * scripts), passwd/group with root and nobody, /root, /home, /var, and /www/index.html.
 * /etc/hosts, /etc/hostname and /etc/resolv.conf are left out: the runtime mounts them.
 */
export function busyboxRootfs(opts: { busybox?: string } = {}): FileEntry[] {
  const busybox = opts.busybox ?? HOST_BUSYBOX;
  const files: FileEntry[] = [
    ...baseDirs(),
    busyboxBinary(busybox),
    { type: 'dir', path: '/root', mode: 0o700 },
    { type: 'dir', path: '/home' },
    { type: 'dir', path: '/usr/bin' },
    { type: 'dir', path: '/var/log' },
    { type: 'dir', path: '/var/run' },
    { type: 'dir', path: '/www' },
    { type: 'file', path: '/etc/passwd', content: PASSWD, mode: 0o644 },
    { type: 'file', path: '/etc/group', content: GROUP, mode: 0o644 },
    { type: 'file', path: '/www/index.html', content: INDEX_HTML, mode: 0o644 },
    { type: 'symlink', path: '/usr/bin/env', target: '../../bin/busybox' },
  ];
  for (const applet of busyboxApplets(busybox)) {
    files.push({ type: 'symlink', path: `/bin/${applet}`, target: 'busybox' });
  }
  return files;
}

/** Pause image: just busybox and /bin/sleep, run as `sleep infinity`. */
export function pauseRootfs(opts: { busybox?: string } = {}): FileEntry[] {
  return [
    ...baseDirs(),
    busyboxBinary(opts.busybox ?? HOST_BUSYBOX),
    { type: 'symlink', path: '/bin/sleep', target: 'busybox' },
  ];
}
