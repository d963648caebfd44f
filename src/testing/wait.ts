// Polling helpers for tests that wait on something asynchronous (a pod
// status, a container exit, an event).

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls until check() is true; throws with the label after timeoutMs (a function label is read at that moment). */
export async function waitFor(check: () => Promise<boolean>, timeoutMs: number, label: string | (() => string), intervalMs = 250): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${typeof label === 'function' ? label() : label}`);
    await sleep(intervalMs);
  }
}

/** Polls f until it returns a truthy value, which it resolves with; throws naming `what` after timeoutMs. */
export async function until<T>(what: string, f: () => Promise<T | undefined | false | null>, timeoutMs = 15_000, intervalMs = 100): Promise<T> {
  let value: T | undefined | false | null;
  await waitFor(async () => Boolean((value = await f())), timeoutMs, what, intervalMs);
  return value as T;
}
