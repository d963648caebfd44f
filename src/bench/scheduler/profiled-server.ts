// `skiff server` under node's built-in --cpu-prof. NODE_OPTIONS may not carry
// --cpu-prof, so this spawns node with the flag itself; otherwise it behaves
// like testing/server-process.ts's startSkiff (ready line, kubeconfig, stop).

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { cliCommand, type SkiffProcess } from '../../testing/server-process.js';

export async function startProfiledSkiff(profileDir: string, args: string[] = []): Promise<SkiffProcess> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'skiff-sched-bench-'));
  const { cmd, argv } = cliCommand(['server', '--port', '0', '--data-dir', dataDir, ...args]);
  const proc = spawn(cmd, ['--cpu-prof', '--cpu-prof-dir', profileDir, ...argv], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  proc.stderr!.on('data', (d) => (err = (err + d).slice(-20_000)));
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
    // SIGTERM lets the server exit through process.exit, which is when node writes the profile.
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
