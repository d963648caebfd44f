// The container runtime's health as the kubelet tracks it for the Ready
// condition: the last successful CRI Status call, and the RuntimeReady /
// NetworkReady conditions it returned. Produces the kubelet's error texts.

import type { RuntimeCondition } from '../cri/api.js';

/** Go's "%v" of a *RuntimeCondition: "NetworkReady=false reason:X message:Y", or "<nil>" when missing. */
export function conditionText(c: RuntimeCondition | undefined): string {
  return c ? `${c.type}=${c.status} reason:${c.reason} message:${c.message}` : '<nil>';
}

export class RuntimeHealth {
  private lastSyncMs?: number;
  private runtimeError?: string;
  /** The kubelet starts with the network state unknown. */
  private networkError?: string = 'network state unknown';

  /** downAfterMs: how stale the last good status may get before "container runtime is down" (kubelet: 30 s). */
  constructor(private readonly downAfterMs = 30_000) {}

  /** Records one CRI Status result (conditions) or failure (an Error, which changes nothing, as in the kubelet). */
  observe(result: RuntimeCondition[] | Error, nowMs: number): void {
    if (result instanceof Error) return;
    const runtime = result.find((c) => c.type === 'RuntimeReady');
    if (!runtime || !runtime.status) {
      this.runtimeError = `container runtime not ready: ${conditionText(runtime)}`;
      return;
    }
    this.runtimeError = undefined;
    const network = result.find((c) => c.type === 'NetworkReady');
    this.networkError = !network || !network.status ? `container runtime network not ready: ${conditionText(network)}` : undefined;
    this.lastSyncMs = nowMs;
  }

  /** The reasons the node is not ready (empty when it is). */
  errors(nowMs: number): string[] {
    const errs: string[] = [];
    if (this.lastSyncMs === undefined) errs.push('container runtime status check may not have completed yet');
    else if (this.lastSyncMs + this.downAfterMs <= nowMs) errs.push('container runtime is down');
    if (this.runtimeError) errs.push(this.runtimeError);
    if (this.networkError) errs.push(this.networkError);
    return errs;
  }
}
