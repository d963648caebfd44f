// Running a probe or lifecycle-hook handler (exec / httpGet / tcpSocket /
// grpc / sleep) against one container, with the kubelet's semantics for
// each use:
//   * probes (runProbeHandler): a ProbeOutcome — success, warning (an
//     unfollowed redirect), failure with output, or an error;
//   * hooks (runLifecycleHook): success, or failure whose output is the
//     kubelet's FailedPostStartHook event text ("Exec lifecycle hook ([...])
//     for Container "c" in Pod "p_ns(uid)" failed - error: ..., message: ...").
// runHandler is the one entry point of the contract; it defaults to hooks.

import type { KubeObject } from '../../client/index.js';
import type { ActionResult, KubeletContext } from '../contracts.js';
import { resolveContainerPort } from './container-port.js';
import { execInContainer, runExecProbe } from './exec-action.js';
import { expandCommandWithStaticEnv } from '../expansion.js';
import { formatPod, goQuote, goSlice } from '../go-format.js';
import { probeGrpc } from './grpc-health.js';
import { runHttpGet, type HttpGetAction } from './http-get.js';
import type { ProbeOutcome } from './probe-result.js';
import { runSleep } from './sleep-action.js';
import { probeTcp } from './tcp-socket.js';

export interface Handler {
  exec?: { command?: string[] };
  httpGet?: HttpGetAction;
  tcpSocket?: { host?: string; port?: number | string };
  grpc?: { port: number; service?: string };
  sleep?: { seconds: number };
}

export interface ContainerSpec {
  name: string;
  env?: { name: string; value?: string }[];
  ports?: { name?: string; containerPort?: number }[];
  [k: string]: unknown;
}

/** A hook's result: on failure `output` is the event text, `error` the bare Go error. */
export interface HookResult extends ActionResult {
  error?: string;
}

export interface HandlerOptions {
  /** 'lifecycle' (default): hook semantics and event text; 'probe': probe semantics. */
  purpose?: 'lifecycle' | 'probe';
  /** Aborts a sleep hook (the container is being killed). */
  signal?: AbortSignal;
}

/** Runs one probe attempt. timeoutSeconds bounds exec/http/tcp/grpc. */
export async function runProbeHandler(ctx: KubeletContext, pod: KubeObject, container: ContainerSpec, containerId: string, podIP: string, handler: Handler, timeoutSeconds: number): Promise<ProbeOutcome> {
  if (handler.exec) {
    // Only the container's literal env values are substituted (no downward API, no valueFrom).
    const cmd = expandCommandWithStaticEnv(handler.exec.command ?? [], container.env);
    return runExecProbe(ctx.cri, containerId, cmd, timeoutSeconds);
  }
  if (handler.httpGet) {
    return runHttpGet(handler.httpGet, container, podIP, { purpose: 'probe', timeoutMs: timeoutSeconds * 1000 });
  }
  if (handler.tcpSocket) {
    const port = resolveContainerPort(handler.tcpSocket.port, container);
    if (!port.ok) return { result: 'unknown', output: '', error: port.error };
    return probeTcp(handler.tcpSocket.host ?? '', port.port, podIP, timeoutSeconds * 1000);
  }
  if (handler.grpc) {
    return probeGrpc(podIP, handler.grpc.port, handler.grpc.service ?? '', timeoutSeconds);
  }
  return { result: 'unknown', output: '', error: `missing probe handler for ${formatPod(pod)}:${container.name}` };
}

/** Go's %v of an IntOrString: {Type IntVal StrVal}. */
function intOrStringV(v: number | string | undefined): string {
  return typeof v === 'string' ? `{1 0 ${v}}` : `{0 ${v ?? 0} }`;
}

/** Runs a postStart/preStop handler. timeoutSeconds > 0 bounds it (0: no limit). */
export async function runLifecycleHook(ctx: KubeletContext, pod: KubeObject, container: ContainerSpec, containerId: string, podIP: string, handler: Handler, timeoutSeconds: number, signal?: AbortSignal): Promise<HookResult> {
  const where = `for Container ${goQuote(container.name)} in Pod ${goQuote(formatPod(pod))} failed`;
  if (handler.exec) {
    const cmd = handler.exec.command ?? [];
    const run = await execInContainer(ctx.cri, containerId, cmd, timeoutSeconds);
    if (run.error === undefined) return { result: 'success', output: '' };
    return {
      result: 'failure',
      error: run.error,
      output: `Exec lifecycle hook (${goSlice(cmd)}) ${where} - error: ${run.error}, message: ${goQuote(run.output.toString('utf8'))}`,
    };
  }
  if (handler.httpGet) {
    const res = await runHttpGet(handler.httpGet, container, podIP, { purpose: 'lifecycle', timeoutMs: timeoutSeconds * 1000 });
    if (res.result === 'success') return { result: 'success', output: '' };
    const error = res.error ?? res.output;
    return { result: 'failure', error, output: `HTTP lifecycle hook (${handler.httpGet.path ?? ''}) ${where} - error: ${error}` };
  }
  if (handler.sleep) {
    const res = await runSleep(handler.sleep.seconds, timeoutSeconds, signal);
    if (res.ok) return { result: 'success', output: '' };
    return { result: 'failure', error: res.error, output: `Sleep lifecycle hook (${handler.sleep.seconds}) ${where} - error: ${res.error}` };
  }
  // The kubelet has no tcpSocket (or empty) hook runner: it reports the handler as invalid.
  const tcp = handler.tcpSocket ? `&TCPSocketAction{Port:${intOrStringV(handler.tcpSocket.port)},Host:${handler.tcpSocket.host ?? ''},}` : 'nil';
  const error = `invalid handler: &LifecycleHandler{Exec:nil,HTTPGet:nil,TCPSocket:${tcp},Sleep:nil,}`;
  return { result: 'failure', error, output: `Cannot run handler: ${error}` };
}

/**
 * The handler runner of the contract. Default: lifecycle hook semantics
 * (failure output = the FailedPostStartHook event text). With purpose
 * 'probe': probe semantics, where a warning counts as success and an
 * errored attempt as failure with the error text.
 */
export async function runHandler(ctx: KubeletContext, pod: KubeObject, container: ContainerSpec, containerId: string, podIP: string, handler: Handler, timeoutSeconds: number, opts: HandlerOptions = {}): Promise<HookResult> {
  if ((opts.purpose ?? 'lifecycle') === 'lifecycle') {
    return runLifecycleHook(ctx, pod, container, containerId, podIP, handler, timeoutSeconds, opts.signal);
  }
  const o = await runProbeHandler(ctx, pod, container, containerId, podIP, handler, timeoutSeconds);
  if (o.error !== undefined) return { result: 'failure', output: o.error, error: o.error };
  return { result: o.result === 'success' || o.result === 'warning' ? 'success' : 'failure', output: o.output };
}
