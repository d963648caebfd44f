// Test helpers for port forwarding: run `kubectl port-forward` as a child
// process until it reports its local port, and talk to that port over
// loopback (HTTP GET, or raw bytes with an optional half-close).

import { spawn } from 'node:child_process';
import http from 'node:http';
import net from 'node:net';
import { cacheDirFor, kubectlEnv, kubectlPath, withGlobalFlags } from '../testing/kubectl.js';

export interface KubectlPortForward {
  localPort: number;
  stdout(): string;
  stderr(): string;
  /** Resolves with the exit code (null when killed by a signal). */
  exited: Promise<number | null>;
  /** SIGTERM (then SIGKILL after 5 s) and wait for exit. */
  stop(): Promise<void>;
}

/**
 * Runs `kubectl port-forward <args>` (use `:PORT` so kubectl picks a free local
 * port) and waits for "Forwarding from 127.0.0.1:<local> -> <remote>".
 */
export function startKubectlPortForward(kubeconfig: string, args: string[], opts: { env?: Record<string, string>; timeoutMs?: number } = {}): Promise<KubectlPortForward> {
  const full = withGlobalFlags(['port-forward', '--address=127.0.0.1', ...args], [`--kubeconfig=${kubeconfig}`, `--cache-dir=${cacheDirFor(kubeconfig)}`]);
  const child = spawn(kubectlPath(), full, { env: kubectlEnv(opts.env), stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (err += d));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(t);
    }
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`kubectl port-forward did not start in ${opts.timeoutMs ?? 30_000} ms: ${out}${err}`));
    }, opts.timeoutMs ?? 30_000);
    const check = () => {
      const m = /Forwarding from 127\.0\.0\.1:(\d+) -> \d+/.exec(out);
      if (!m) return;
      clearTimeout(timer);
      child.stdout.off('data', check);
      resolve({ localPort: Number(m[1]), stdout: () => out, stderr: () => err, exited, stop });
    };
    child.stdout.on('data', check);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`kubectl port-forward exited with ${code}: ${out}${err}`));
    });
  });
}

/** kubectl's exit code, or 'still running' after `ms`. */
export async function exitWithin(pf: KubectlPortForward, ms: number): Promise<number | null | 'still running'> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'still running'>((r) => (timer = setTimeout(() => r('still running'), ms)));
  try {
    return await Promise.race([pf.exited, late]);
  } finally {
    clearTimeout(timer);
  }
}

/** GET http://127.0.0.1:<port><path> on a fresh connection. */
export function httpGet(port: number, path = '/', timeoutMs = 10_000): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path, agent: false, timeout: timeoutMs }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`GET :${port}${path} timed out after ${timeoutMs} ms`)));
    req.on('error', reject);
  });
}

/**
 * Sends `bytes` on a new connection, half-closes if asked, and collects
 * everything until the other side closes.
 */
export function rawExchange(port: number, bytes: Buffer, opts: { halfClose: boolean; timeoutMs?: number }): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const sock = net.connect({ host: '127.0.0.1', port, allowHalfOpen: true });
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => {
      sock.destroy();
      reject(new Error(`no close from :${port} after ${opts.timeoutMs ?? 10_000} ms; got ${JSON.stringify(Buffer.concat(chunks).toString())}`));
    }, opts.timeoutMs ?? 10_000);
    sock.on('connect', () => {
      sock.write(bytes);
      if (opts.halfClose) sock.end();
    });
    sock.on('data', (d: Buffer) => chunks.push(d));
    sock.on('end', () => sock.end());
    sock.on('close', () => {
      clearTimeout(timer);
      resolve(Buffer.concat(chunks));
    });
    sock.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
  });
}
