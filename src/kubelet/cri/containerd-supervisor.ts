// Keeps the agent's own containerd running: when it dies unexpectedly it is
// started again (same dir, socket and state) after a back-off. Pods survive a
// containerd restart — their shims keep running — and the CRI client's gRPC
// channel reconnects to the socket by itself.

import { startContainerd, type ContainerdHandle, type ContainerdOptions } from './containerd-process.js';
import { log } from '../../log.js';

export interface SupervisedContainerd {
  socket: string;
  /** How many times containerd was restarted after an unexpected exit. */
  restarts(): number;
  current(): ContainerdHandle;
  stop(): Promise<void>;
}

export async function superviseContainerd(
  opts: ContainerdOptions,
  backoff = { initialMs: 1000, maxMs: 30_000 },
  start: (o: ContainerdOptions) => Promise<ContainerdHandle> = startContainerd,
): Promise<SupervisedContainerd> {
  let handle = await start(opts);
  let stopping = false;
  let restarts = 0;
  let delay = backoff.initialMs;
  let timer: NodeJS.Timeout | undefined;
  /** A restart under way; stop() waits for it, so a containerd it starts is stopped too. */
  let restarting: Promise<void> | undefined;

  const watch = (h: ContainerdHandle) => {
    void h.exited.then(() => {
      if (stopping) return;
      log.warn('containerd exited; restarting it', { pid: h.pid, inMs: delay, log: h.logFile });
      scheduleRestart();
    });
  };
  const scheduleRestart = () => {
    timer = setTimeout(() => (restarting = restart().finally(() => (restarting = undefined))), delay);
    delay = Math.min(delay * 2, backoff.maxMs);
  };
  const restart = async () => {
    if (stopping) return;
    try {
      handle = await start(opts);
      restarts++;
      delay = backoff.initialMs;
      log.info('containerd restarted', { pid: handle.pid });
      watch(handle);
    } catch (e) {
      if (stopping) return;
      log.warn('containerd restart failed', { error: e instanceof Error ? e.message : String(e), retryInMs: delay });
      scheduleRestart();
    }
  };
  watch(handle);
  return {
    socket: handle.socket,
    restarts: () => restarts,
    current: () => handle,
    async stop() {
      stopping = true;
      clearTimeout(timer);
      await restarting;
      await handle.stop();
    },
  };
}
