// Runs a private containerd as a child of the node agent, with everything
// (root, state, runc state, CNI config and IPAM leases, socket) under one dir
// so several can run on one machine.
//
// Stale instances: the pid is recorded in <dir>/containerd.pid. If a previous
// agent died without stopping its containerd, the next start finds that pid
// still running containerd with this dir's config and stops it first (SIGTERM,
// then SIGKILL), so exactly one containerd owns the dir and the handle always
// refers to our own child. Pods survive that: their shims are separate
// processes and the new containerd recovers them from root/state.

import { spawn, execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { CriError } from './api.js';
import { waitReady } from './cri-client.js';
import { isValidBridgeName, isValidPodCIDR, renderCniConflist, renderContainerdConfig } from './containerd-config.js';

export interface ContainerdOptions {
  dir: string;
  bridge: string;
  podCIDR: string;
  pauseImage: string;
  /** Default <dir>/containerd.log (appended to). */
  logFile?: string;
  debug?: boolean;
  /** CNI network name (default "skiff"). */
  networkName?: string;
  /** containerd binary (default "containerd" from PATH). */
  binary?: string;
  /** How long to wait for the socket to answer (default 20 s). */
  startTimeoutMs?: number;
}

export interface ContainerdHandle {
  socket: string;
  pid: number;
  dir: string;
  logFile: string;
  /** Resolves when the process exits, for whatever reason. */
  exited: Promise<void>;
  /** SIGTERM, wait until the process is gone (up to 10 s), then SIGKILL. Idempotent. */
  stop(): Promise<void>;
}

/** Where things live under a containerd dir. */
export function containerdLayout(dir: string) {
  const d = path.resolve(dir);
  return {
    dir: d,
    root: path.join(d, 'root'),
    state: path.join(d, 'state'),
    runcRoot: path.join(d, 'runc'),
    cniConfDir: path.join(d, 'cni', 'net.d'),
    cniConflist: path.join(d, 'cni', 'net.d', '10-skiff.conflist'),
    ipamDir: path.join(d, 'cni', 'ipam'),
    config: path.join(d, 'containerd.toml'),
    socket: path.join(d, 'containerd.sock'),
    log: path.join(d, 'containerd.log'),
    pidFile: path.join(d, 'containerd.pid'),
  };
}

/** sun_path holds 108 bytes with the NUL; containerd also makes "<socket>.ttrpc". */
const MAX_SOCKET_PATH = 107 - '.ttrpc'.length;

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** True when p settles within ms; the timer is cleared so it never holds the process open. */
async function within(p: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((r) => { timer = setTimeout(() => r(false), ms); });
  try {
    return await Promise.race([p.then(() => true as const), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** True while the process exists and is not a zombie. */
export function isProcessAlive(pid: number): boolean {
  let stat: string;
  try {
    stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return false;
  }
  // Field 3, after the parenthesised command name (which may itself contain spaces or parens).
  const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
  return state !== 'Z' && state !== 'X';
}

/** Polls until pid is gone; true when it went within timeoutMs. */
export async function waitForExit(pid: number, timeoutMs: number): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  while (isProcessAlive(pid)) {
    if (Date.now() >= end) return false;
    await sleep(20);
  }
  return true;
}

/** SIGTERM, wait, SIGKILL, wait (P20: containerd takes over a second to exit). */
export async function terminateProcess(pid: number, graceMs = 10_000): Promise<void> {
  const signal = (sig: NodeJS.Signals) => {
    try {
      process.kill(pid, sig);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ESRCH') throw e;
    }
  };
  if (!isProcessAlive(pid)) return;
  signal('SIGTERM');
  if (await waitForExit(pid, graceMs)) return;
  signal('SIGKILL');
  if (!(await waitForExit(pid, 5_000))) throw new Error(`process ${pid} did not exit after SIGKILL`);
}

/** The command line of pid as argv, or undefined when it is gone. */
function cmdline(pid: number): string[] | undefined {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter((a) => a !== '');
  } catch {
    return undefined;
  }
}

/** Stops a containerd left running on this dir by an earlier agent. Returns its pid when one was stopped. */
export async function stopStaleContainerd(dir: string): Promise<number | undefined> {
  const l = containerdLayout(dir);
  let pid: number;
  try {
    pid = Number(fs.readFileSync(l.pidFile, 'utf8').trim());
  } catch {
    return undefined;
  }
  const argv = Number.isInteger(pid) && pid > 0 && isProcessAlive(pid) ? cmdline(pid) : undefined;
  // A recycled pid belonging to something else is left alone.
  const ours = argv !== undefined && path.basename(argv[0] ?? '') === 'containerd' && argv.includes(l.config);
  if (ours) await terminateProcess(pid);
  fs.rmSync(l.pidFile, { force: true });
  return ours ? pid : undefined;
}

function tail(file: string, bytes = 2000): string {
  try {
    const buf = fs.readFileSync(file);
    return buf.subarray(Math.max(0, buf.length - bytes)).toString('utf8').trim();
  } catch {
    return '';
  }
}

/** Writes config + conflist and starts containerd; resolves once CRI answers Version. */
export async function startContainerd(opts: ContainerdOptions): Promise<ContainerdHandle> {
  const l = containerdLayout(opts.dir);
  if (!isValidBridgeName(opts.bridge)) throw new Error(`invalid bridge name ${JSON.stringify(opts.bridge)}`);
  if (!isValidPodCIDR(opts.podCIDR)) throw new Error(`invalid pod CIDR ${JSON.stringify(opts.podCIDR)}`);
  if (Buffer.byteLength(l.socket) > MAX_SOCKET_PATH) {
    throw new Error(`containerd dir ${l.dir} is too long: socket path must be at most ${MAX_SOCKET_PATH} bytes`);
  }
  const logFile = path.resolve(opts.logFile ?? l.log);

  await stopStaleContainerd(l.dir);

  for (const d of [l.root, l.state, l.runcRoot, l.cniConfDir, l.ipamDir]) fs.mkdirSync(d, { recursive: true, mode: 0o711 });
  fs.mkdirSync(path.dirname(logFile), { recursive: true });
  // Written before containerd starts: a conflist moved in later is not noticed (P8).
  fs.writeFileSync(l.cniConflist, renderCniConflist({
    name: opts.networkName ?? 'skiff', bridge: opts.bridge, podCIDR: opts.podCIDR, ipamDir: l.ipamDir,
  }));
  fs.writeFileSync(l.config, renderContainerdConfig({
    root: l.root, state: l.state, socket: l.socket, runcRoot: l.runcRoot, cniConfDir: l.cniConfDir,
    pauseImage: opts.pauseImage, debug: opts.debug,
  }));
  fs.rmSync(l.socket, { force: true });

  const logFd = fs.openSync(logFile, 'a');
  let child;
  try {
    // Own session: a terminal's Ctrl-C reaches the agent, which stops containerd in order.
    child = spawn(opts.binary ?? 'containerd', ['--config', l.config], { stdio: ['ignore', logFd, logFd], detached: true });
  } finally {
    fs.closeSync(logFd);
  }
  let exitCode: number | null | undefined;
  let spawnError: Error | undefined;
  const exited = new Promise<void>((resolve) => {
    child.once('exit', (code, sig) => { exitCode = code ?? (sig ? -1 : null); resolve(); });
    child.once('error', (e) => { spawnError = e; exitCode = -1; resolve(); });
  });
  child.unref();

  const handle: ContainerdHandle = {
    socket: l.socket,
    pid: child.pid ?? -1,
    dir: l.dir,
    logFile,
    exited,
    stop: async () => {
      if (exitCode === undefined && child.pid !== undefined) {
        try {
          process.kill(child.pid, 'SIGTERM');
        } catch { /* already gone */ }
        const gone = await within(exited, 10_000);
        if (!gone && exitCode === undefined) {
          try { process.kill(child.pid, 'SIGKILL'); } catch { /* already gone */ }
          await within(exited, 5_000);
        }
        await waitForExit(child.pid, 5_000);
      }
      fs.rmSync(l.pidFile, { force: true });
    },
  };

  if (child.pid !== undefined) fs.writeFileSync(l.pidFile, `${child.pid}\n`);

  const end = Date.now() + (opts.startTimeoutMs ?? 20_000);
  for (;;) {
    if (exitCode !== undefined) {
      fs.rmSync(l.pidFile, { force: true });
      const why = spawnError ? spawnError.message : `exited with code ${exitCode}`;
      throw new Error(`containerd ${why}; log ${logFile}:\n${tail(logFile)}`);
    }
    try {
      await waitReady(l.socket, Math.min(250, Math.max(1, end - Date.now())));
      return handle;
    } catch (e) {
      if (!(e instanceof CriError)) throw e;
    }
    if (Date.now() >= end) {
      await handle.stop();
      throw new Error(`containerd did not answer on ${l.socket} within ${opts.startTimeoutMs ?? 20_000}ms; log ${logFile}:\n${tail(logFile)}`);
    }
  }
}

/** The installed containerd's version, e.g. "1.6.20~ds1" (not strict semver). */
export async function containerdVersion(binary = 'containerd'): Promise<string> {
  const { stdout } = await promisify(execFile)(binary, ['--version']);
  return parseContainerdVersion(stdout);
}

/** "containerd github.com/containerd/containerd 1.6.20~ds1 1.6.20~ds1-1+deb12u3" → "1.6.20~ds1". */
export function parseContainerdVersion(out: string): string {
  const parts = out.trim().split(/\s+/);
  if (parts[0] !== 'containerd' || parts.length < 3) throw new Error(`unexpected containerd --version output: ${out.trim()}`);
  return parts[2].replace(/^v/, '');
}
