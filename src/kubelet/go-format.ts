// Go renderings the node agent's events, messages and errors must reproduce
// byte for byte: %q of a string, %v of a []string, time.Duration, the
// kubelet's format.Pod, net.JoinHostPort, gRPC status errors and Go's dial
// error wording.

import { CriError } from './cri/api.js';

/** Go's %q (strconv.Quote): double-quoted, Go's escapes for control and non-printable characters. */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    switch (ch) {
      case '"': out += '\\"'; continue;
      case '\\': out += '\\\\'; continue;
      case '\x07': out += '\\a'; continue;
      case '\b': out += '\\b'; continue;
      case '\f': out += '\\f'; continue;
      case '\n': out += '\\n'; continue;
      case '\r': out += '\\r'; continue;
      case '\t': out += '\\t'; continue;
      case '\v': out += '\\v'; continue;
    }
    if (cp < 0x20 || cp === 0x7f) out += '\\x' + cp.toString(16).padStart(2, '0');
    // strconv.IsPrint: letters, marks, numbers, punctuation and symbols (ASCII space aside).
    else if (cp >= 0x80 && !/[\p{L}\p{M}\p{N}\p{P}\p{S}]/u.test(ch)) {
      out += cp > 0xffff ? '\\U' + cp.toString(16).padStart(8, '0') : '\\u' + cp.toString(16).padStart(4, '0');
    } else out += ch;
  }
  return out + '"';
}

/** Go's %v of a []string: `[a b c]`. */
export function goSlice(items: readonly string[]): string {
  return `[${items.join(' ')}]`;
}

/**
 * time.Duration's String() of a number of milliseconds, truncated to whole
 * milliseconds first (as the kubelet's messages do): 313ms, 1.5s, 1m20s, 1h0m0s.
 */
export function goDuration(ms: number): string {
  ms = Math.trunc(ms);
  if (ms === 0) return '0s';
  const neg = ms < 0;
  let rest = Math.abs(ms);
  let out: string;
  if (rest < 1000) {
    out = `${rest}ms`;
  } else {
    const hours = Math.floor(rest / 3_600_000);
    rest -= hours * 3_600_000;
    const minutes = Math.floor(rest / 60_000);
    rest -= minutes * 60_000;
    const secs = Math.floor(rest / 1000);
    const frac = rest % 1000;
    const fracText = frac === 0 ? '' : '.' + String(frac).padStart(3, '0').replace(/0+$/, '');
    out = `${secs}${fracText}s`;
    if (hours > 0 || minutes > 0) out = `${minutes}m${out}`;
    if (hours > 0) out = `${hours}h${out}`;
  }
  return neg ? `-${out}` : out;
}

/** The kubelet's format.Pod: `name_namespace(uid)`. */
export function formatPod(pod: { metadata?: { name?: string; namespace?: string; uid?: string } }): string {
  const m = pod.metadata ?? {};
  return `${m.name ?? ''}_${m.namespace ?? ''}(${m.uid ?? ''})`;
}

/** net.JoinHostPort: IPv6 literals get brackets. */
export function joinHostPort(host: string, port: number | string): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

const GRPC_CODE_NAMES = [
  'OK', 'Canceled', 'Unknown', 'InvalidArgument', 'DeadlineExceeded', 'NotFound', 'AlreadyExists',
  'PermissionDenied', 'ResourceExhausted', 'FailedPrecondition', 'Aborted', 'OutOfRange',
  'Unimplemented', 'Internal', 'Unavailable', 'DataLoss', 'Unauthenticated',
];

/** A gRPC code's name as Go prints it (codes.Code.String()). */
export function grpcCodeName(code: number): string {
  return GRPC_CODE_NAMES[code] ?? `Code(${code})`;
}

/** A gRPC status error as grpc-go prints it. */
export function grpcErrorText(code: number, details: string): string {
  return `rpc error: code = ${grpcCodeName(code)} desc = ${details}`;
}

/** How a runtime error reads in the kubelet's events and messages: CRI errors as Go's gRPC error string. */
export function runtimeErrorText(e: unknown): string {
  if (e instanceof CriError) return grpcErrorText(e.code, e.details);
  return e instanceof Error ? e.message : String(e);
}

/** The text of a Node socket error as Go's net package words it, for `dial tcp <addr>: ...`. */
export function goDialErrorText(addr: string, err: NodeJS.ErrnoException): string {
  switch (err.code) {
    case 'ECONNREFUSED': return `dial tcp ${addr}: connect: connection refused`;
    case 'EHOSTUNREACH': return `dial tcp ${addr}: connect: no route to host`;
    case 'ENETUNREACH': return `dial tcp ${addr}: connect: network is unreachable`;
    case 'EADDRNOTAVAIL': return `dial tcp ${addr}: connect: cannot assign requested address`;
    case 'ETIMEDOUT': return `dial tcp ${addr}: i/o timeout`;
    default: return `dial tcp ${addr}: ${err.message}`;
  }
}
