// Runs the real kubectl for end-to-end tests, isolated from the machine's own
// kubectl state: HOME points at a throwaway dir (so ~/.kube is never read or
// written), KUBECONFIG and friends are not inherited, and every kubeconfig
// gets its own --cache-dir, because kubectl caches discovery per host:port for
// hours and test servers reuse ports.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface KubectlOptions {
  kubeconfig: string;
  stdin?: string;
  /** Extra environment variables, applied after sanitising. */
  env?: Record<string, string>;
  /** Default 30 000 ms; on expiry the process group is killed. */
  timeoutMs?: number;
  /** Overrides the per-kubeconfig cache dir. */
  cacheDir?: string;
}

export interface KubectlResult {
  /** Exit code; -1 when killed by a signal or the timeout. */
  code: number;
  stdout: string;
  stderr: string;
  timedOut?: boolean;
}

export const DEFAULT_KUBECTL_TIMEOUT_MS = 30_000;

/** Variables passed through from the parent environment; everything else is dropped. */
const PASSTHROUGH_ENV = ['PATH', 'LANG', 'LC_ALL', 'TZ', 'TMPDIR', 'SYSTEMROOT'];

const createdDirs: string[] = [];
const cacheDirs = new Map<string, string>();
let homeDir: string | undefined;

/** Makes a fresh directory under the OS temp dir, removed by cleanupTempDirs(). */
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix.endsWith('-') ? prefix : `${prefix}-`));
  createdDirs.push(dir);
  return dir;
}

/** Removes every directory made by tempDir() (including kubectl's HOME and cache dirs). */
export function cleanupTempDirs(): void {
  for (const dir of createdDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  cacheDirs.clear();
  homeDir = undefined;
}

/** The binary to run: $KUBECTL if set, else /usr/bin/kubectl. */
export function kubectlPath(): string {
  return process.env['KUBECTL'] || '/usr/bin/kubectl';
}

/** The cache dir used for a kubeconfig path (created on first use). */
export function cacheDirFor(kubeconfig: string): string {
  const key = path.resolve(kubeconfig);
  let dir = cacheDirs.get(key);
  if (!dir) {
    dir = tempDir('skiff-kubectl-cache');
    cacheDirs.set(key, dir);
  }
  return dir;
}

/** The environment kubectl runs with. */
export function kubectlEnv(extra: Record<string, string> = {}): Record<string, string> {
  homeDir ??= tempDir('skiff-kubectl-home');
  const env: Record<string, string> = {};
  for (const name of PASSTHROUGH_ENV) {
    const v = process.env[name];
    if (v !== undefined) env[name] = v;
  }
  env['HOME'] = homeDir;
  return { ...env, ...extra };
}

/**
 * Puts the global flags right after the subcommand word: kubectl refuses flags
 * placed before an unknown command ("flags cannot be placed before plugin
 * name"), which would hide its normal "unknown command" error.
 */
export function withGlobalFlags(args: string[], flags: string[]): string[] {
  const first = args[0];
  if (first === undefined || first.startsWith('-')) return [...flags, ...args];
  return [first, ...flags, ...args.slice(1)];
}

export function kubectl(args: string[], opts: KubectlOptions): Promise<KubectlResult> {
  const timeoutMs = opts.timeoutMs ?? DEFAULT_KUBECTL_TIMEOUT_MS;
  const fullArgs = withGlobalFlags(args, [
    `--kubeconfig=${opts.kubeconfig}`,
    `--cache-dir=${opts.cacheDir ?? cacheDirFor(opts.kubeconfig)}`,
  ]);
  return new Promise((resolve, reject) => {
    // detached: own process group, so a timeout also kills anything kubectl exec'd or forked.
    const child = spawn(kubectlPath(), fullArgs, {
      env: kubectlEnv(opts.env),
      stdio: ['pipe', 'pipe', 'pipe'],
      detached: true,
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let timedOut = false;
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => err.push(c));
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
    }, timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      let stderr = Buffer.concat(err).toString('utf8');
      if (timedOut) stderr += `\n[kubectl helper] killed after ${timeoutMs} ms timeout: kubectl ${args.join(' ')}\n`;
      resolve({
        code: timedOut || code === null ? -1 : code,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr,
        ...(timedOut ? { timedOut } : {}),
      });
    });
    // kubectl may exit before reading stdin; ignore the resulting EPIPE.
    child.stdin.on('error', () => {});
    child.stdin.end(opts.stdin ?? '');
  });
}
