// Test helper: runs the real `skiff server` as a child process on a free port
// with its own data dir, and hands back its kubeconfig.

import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const compiled = import.meta.url.endsWith('.js');
const mainScript = path.resolve(here, '..', 'cli', compiled ? 'main.js' : 'main.ts');

export interface SkiffProcess {
  proc: ChildProcess;
  dataDir: string;
  kubeconfig: string;
  url: string;
  port: number;
  token: string;
  caCertPem: string;
  stderr(): string;
  /** SIGTERM and wait for exit. */
  stop(): Promise<number | null>;
  /** SIGKILL and wait for exit. */
  kill(): Promise<void>;
}

export function cliCommand(args: string[]): { cmd: string; argv: string[] } {
  return { cmd: process.execPath, argv: compiled ? [mainScript, ...args] : ['--import', 'tsx', mainScript, ...args] };
}

/**
 * Start a server. By default the scheduler is left out (--disable scheduler) so API tests see a quiet
 * server whose resourceVersions and events only they change; pass `scheduler: true` to run it.
 */
export async function startSkiff(
  opts: {
    dataDir?: string;
    args?: string[];
    env?: Record<string, string>;
    command?: string;
    scheduler?: boolean;
    /** Flags for node itself, e.g. --cpu-prof (NODE_OPTIONS may not carry it). */
    nodeArgs?: string[];
  } = {},
): Promise<SkiffProcess> {
  const dataDir = opts.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'skiff-test-'));
  const extra = [...(opts.args ?? [])];
  if (!opts.scheduler && !extra.includes('--disable')) extra.push('--disable', 'scheduler');
  const { cmd, argv } = cliCommand([opts.command ?? 'server', '--port', '0', '--data-dir', dataDir, ...extra]);
  const proc = spawn(cmd, [...(opts.nodeArgs ?? []), ...argv], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...opts.env } });
  let out = '';
  let err = '';
  proc.stderr!.on('data', (d) => (err += d));
  const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`skiff did not start in 30s: ${err}`)), 30_000);
    proc.stdout!.on('data', (d) => {
      out += d;
      const m = out.match(/ready at (https:\/\/\S+)/);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`skiff exited with ${code} before it was ready: ${err}`));
    });
  });
  const kubeconfig = path.join(dataDir, 'kubeconfig.yaml');
  const kc = fs.readFileSync(kubeconfig, 'utf8');
  const token = kc.match(/token:\s*(\S+)/)![1];
  const caCertPem = Buffer.from(kc.match(/certificate-authority-data:\s*(\S+)/)![1], 'base64').toString('utf8');
  return {
    proc,
    dataDir,
    kubeconfig,
    url,
    port: Number(new URL(url).port),
    token,
    caCertPem,
    stderr: () => err,
    async stop() {
      if (proc.exitCode === null) proc.kill('SIGTERM');
      return exited;
    },
    async kill() {
      if (proc.exitCode === null) proc.kill('SIGKILL');
      await exited;
    },
  };
}

/** A minimal HTTPS JSON client for tests that want raw API access. */
export async function apiRequest(
  s: Pick<SkiffProcess, 'url' | 'token' | 'caCertPem'>,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: any; text: string; headers: Record<string, string | string[] | undefined> }> {
  const https = await import('node:https');
  const u = new URL(path, s.url);
  const payload = body === undefined ? undefined : typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = https.request(
      u,
      {
        method,
        ca: s.caCertPem,
        headers: {
          Authorization: `Bearer ${s.token}`,
          ...(payload !== undefined ? { 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(payload)) } : {}),
          ...headers,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed: any;
          try {
            parsed = JSON.parse(text);
          } catch {
            parsed = undefined;
          }
          resolve({ status: res.statusCode ?? 0, body: parsed, text, headers: res.headers });
        });
      },
    );
    req.on('error', reject);
    if (payload !== undefined) req.write(payload);
    req.end();
  });
}
