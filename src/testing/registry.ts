// Test helper: runs Debian's docker-registry (distribution 2.8) on a free loopback port
// with filesystem storage, optionally behind htpasswd Basic auth.

import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import bcrypt from 'bcryptjs';

export const REGISTRY_BINARY = '/usr/bin/docker-registry';

export interface RegistryAuth {
  username: string;
  password: string;
}

export interface TestRegistry {
  /** `http://127.0.0.1:PORT` */
  url: string;
  /** `127.0.0.1:PORT`, the prefix of image references. */
  host: string;
  port: number;
  dir: string;
  auth?: RegistryAuth;
  pid: number;
  /** What the registry wrote to stderr so far (last 64 KiB). */
  logs(): string;
  /** SIGTERM, and wait for the process to exit (SIGKILL after 5 s). */
  stop(): Promise<void>;
}

/**
 * The htpasswd line for the registry. distribution only accepts bcrypt hashes (MD5-crypt
 * gets 401). A low cost keeps every authenticated request cheap; this is a test fixture.
 */
export function htpasswdLine(auth: RegistryAuth, cost = 5): string {
  if (auth.username.includes(':')) throw new Error('htpasswd user names cannot contain ":"');
  return `${auth.username}:${bcrypt.hashSync(auth.password, cost)}\n`;
}

/** The registry config. YAML is a superset of JSON, so it is written as JSON. */
export function registryConfig(opts: { port: number; dataDir: string; htpasswdPath?: string }): Record<string, unknown> {
  return {
    version: '0.1',
    log: { level: 'warn', formatter: 'text', accesslog: { disabled: true } },
    storage: {
      filesystem: { rootdirectory: opts.dataDir },
      delete: { enabled: true },
      maintenance: { uploadpurging: { enabled: false } },
    },
    http: { addr: `127.0.0.1:${opts.port}`, secret: 'skiff-test-registry' },
    ...(opts.htpasswdPath ? { auth: { htpasswd: { realm: 'skiff-test-registry', path: opts.htpasswdPath } } } : {}),
  };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

function probeV2(port: number): Promise<number> {
  return new Promise((resolve) => {
    const req = http.get({ host: '127.0.0.1', port, path: '/v2/', agent: false, timeout: 1000 }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(0));
  });
}

/** Environment without REGISTRY_* overrides, which would silently change the config. */
function cleanEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('REGISTRY_')));
}

async function launch(dir: string, port: number, htpasswdPath: string | undefined): Promise<{ proc: ChildProcess; logs: () => string } | undefined> {
  const configPath = path.join(dir, 'config.yml');
  fs.writeFileSync(configPath, JSON.stringify(registryConfig({ port, dataDir: path.join(dir, 'data'), htpasswdPath }), null, 2));
  const proc = spawn(REGISTRY_BINARY, ['serve', configPath], { stdio: ['ignore', 'ignore', 'pipe'], env: cleanEnv() });
  let log = '';
  proc.stderr!.on('data', (d: Buffer) => {
    log = (log + d.toString('utf8')).slice(-65536);
  });
  let exited = false;
  proc.once('exit', () => (exited = true));
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    if (exited) {
      if (/address already in use/.test(log)) return undefined; // lost the port race; caller retries
      throw new Error(`docker-registry exited before it was ready:\n${log}`);
    }
    const status = await probeV2(port);
    if (status === 200 || status === 401) return { proc, logs: () => log };
    await new Promise((r) => setTimeout(r, 30));
  }
  proc.kill('SIGKILL');
  throw new Error(`docker-registry did not answer /v2/ within 10 s:\n${log}`);
}

function waitForExit(proc: ChildProcess, ms: number): Promise<boolean> {
  if (proc.exitCode !== null || proc.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    proc.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

export async function startRegistry(opts: { dir: string; auth?: RegistryAuth }): Promise<TestRegistry> {
  if (!fs.existsSync(REGISTRY_BINARY)) throw new Error(`${REGISTRY_BINARY} not found (Debian package docker-registry)`);
  fs.mkdirSync(path.join(opts.dir, 'data'), { recursive: true });
  let htpasswdPath: string | undefined;
  if (opts.auth) {
    htpasswdPath = path.join(opts.dir, 'htpasswd');
    fs.writeFileSync(htpasswdPath, htpasswdLine(opts.auth), { mode: 0o600 });
  }
  for (let attempt = 0; attempt < 5; attempt++) {
    const port = await freePort();
    const started = await launch(opts.dir, port, htpasswdPath);
    if (!started) continue;
    const { proc, logs } = started;
    // Do not leave a registry behind if the test process exits without calling stop().
    const killOnExit = () => proc.kill('SIGKILL');
    process.once('exit', killOnExit);
    let stopping: Promise<void> | undefined;
    return {
      url: `http://127.0.0.1:${port}`,
      host: `127.0.0.1:${port}`,
      port,
      dir: opts.dir,
      auth: opts.auth,
      pid: proc.pid!,
      logs,
      stop() {
        stopping ??= (async () => {
          process.removeListener('exit', killOnExit);
          proc.kill('SIGTERM');
          if (!(await waitForExit(proc, 5000))) {
            proc.kill('SIGKILL');
            await waitForExit(proc, 5000);
          }
        })();
        return stopping;
      },
    };
  }
  throw new Error('could not find a free port for docker-registry after 5 attempts');
}
