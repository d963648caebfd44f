// sleep handler: waits; ends early (as a failure) when the hook's time runs
// out or the caller aborts, as the kubelet's does when the container is
// being killed.

export const SLEEP_INTERRUPTED = 'container terminated before sleep hook finished';

export function runSleep(seconds: number, timeoutSeconds: number, signal?: AbortSignal): Promise<{ ok: boolean; error?: string }> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve({ ok: false, error: SLEEP_INTERRUPTED });
    const timers: NodeJS.Timeout[] = [];
    const end = (r: { ok: boolean; error?: string }): void => {
      for (const t of timers) clearTimeout(t);
      signal?.removeEventListener('abort', onAbort);
      resolve(r);
    };
    const onAbort = (): void => end({ ok: false, error: SLEEP_INTERRUPTED });
    signal?.addEventListener('abort', onAbort, { once: true });
    timers.push(setTimeout(() => end({ ok: true }), Math.max(0, seconds) * 1000));
    if (timeoutSeconds > 0 && timeoutSeconds < seconds) timers.push(setTimeout(onAbort, timeoutSeconds * 1000));
  });
}
