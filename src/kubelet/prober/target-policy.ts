// Which addresses a probe or hook may connect to. Skiff only ever dials the
// pod's own IP (which our CNI bridge handed out, or the node IP for
// hostNetwork pods) or loopback; any other host is refused without a
// connection attempt, so a pod spec can never make the node reach elsewhere.

import { isIP } from 'node:net';

export type DialTarget = { ok: true; address: string } | { ok: false; error: string };

function stripBrackets(host: string): string {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}

export function isLoopbackAddress(host: string): boolean {
  const h = stripBrackets(host).toLowerCase();
  if (isIP(h) === 4) return h.startsWith('127.');
  if (isIP(h) === 6) return h === '::1' || h === '0:0:0:0:0:0:0:1';
  return false;
}

/** Decides where to connect for `host` (empty: the pod IP). */
export function dialTarget(host: string, podIP: string): DialTarget {
  const h = stripBrackets(host || podIP);
  if (h === '') return { ok: false, error: 'the pod has no IP address yet' };
  if (h.toLowerCase() === 'localhost') return { ok: true, address: '127.0.0.1' };
  if (isLoopbackAddress(h)) return { ok: true, address: h };
  if (isIP(h) !== 0 && podIP !== '' && h === stripBrackets(podIP)) return { ok: true, address: h };
  return { ok: false, error: `refusing to connect to ${h}: probes may only reach the pod's own IP (${podIP || 'none'}) or loopback` };
}
