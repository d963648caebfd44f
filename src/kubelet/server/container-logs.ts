// GET /containerLogs/{namespace}/{pod}/{container}: the kubelet's log endpoint.

import { access } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CriRuntime } from '../cri/api.js';
import { containerIdForLogs, ContainerLogStatusError } from '../logs/container-log-status.js';
import { readCriLog } from '../logs/cri-log-reader.js';
import { LogQueryError, parseLogQuery, sinceBound, validateLogOptions } from '../logs/log-options.js';
import { containerInstances } from './container-lookup.js';
import { HttpTextError, sendText } from './http-text.js';

export interface LogsDeps {
  cri: CriRuntime;
  getPod(namespace: string, name: string): Promise<any | undefined>;
  now(): Date;
  pollMs?: number;
}

/** Spec containers the kubelet serves logs for. */
export function hasContainer(pod: any, name: string): boolean {
  const spec = pod?.spec ?? {};
  return [spec.containers, spec.initContainers, spec.ephemeralContainers].some((l: any[] | undefined) => (l ?? []).some((c) => c?.name === name));
}

async function resolveContainerId(d: LogsDeps, pod: any, container: string, previous: boolean): Promise<string> {
  try {
    return containerIdForLogs(pod.metadata.name, pod.status, container, previous);
  } catch (e) {
    if (!(e instanceof ContainerLogStatusError) || !/ is not available$/.test(e.message)) throw e;
    // The status does not list the container yet (just started, status not posted): ask the runtime.
    const instances = await containerInstances(d.cri, pod.metadata.namespace, pod.metadata.name, container);
    const pick = instances[previous ? 1 : 0];
    if (pick) return pick.id;
    if (previous) throw new ContainerLogStatusError(`previous terminated container ${JSON.stringify(container)} in pod ${JSON.stringify(pod.metadata.name)} not found`);
    throw new ContainerLogStatusError(`container ${JSON.stringify(container)} in pod ${JSON.stringify(pod.metadata.name)} is waiting to start: ContainerCreating`);
  }
}

export async function serveContainerLogs(d: LogsDeps, _req: IncomingMessage, res: ServerResponse, namespace: string, podName: string, container: string, query: URLSearchParams): Promise<void> {
  let opts;
  try {
    opts = parseLogQuery(query);
  } catch (e) {
    if (e instanceof LogQueryError) throw new HttpTextError(400, '{"message": "Unable to decode query."}');
    throw e;
  }
  if (validateLogOptions(opts).length) throw new HttpTextError(422, '{"message": "Invalid request."}');
  const pod = await d.getPod(namespace, podName);
  if (!pod) throw new HttpTextError(404, `pod ${JSON.stringify(podName)} does not exist\n`);
  if (!hasContainer(pod, container)) throw new HttpTextError(404, `container ${JSON.stringify(container)} not found in pod ${JSON.stringify(podName)}\n`);

  let id: string;
  try {
    id = await resolveContainerId(d, pod, container, opts.previous);
  } catch (e) {
    if (e instanceof ContainerLogStatusError) throw new HttpTextError(400, e.message);
    throw e;
  }
  const status = await d.cri.containerStatus(id);
  if (!status) throw new HttpTextError(400, `failed to get container status ${JSON.stringify(id)}: not found`);
  if (!status.log_path) throw new HttpTextError(400, `container ${JSON.stringify(id)} has no log file`);
  // Checked up front: with follow the headers go out before the first read.
  await access(status.log_path).catch((e: Error) => {
    throw new HttpTextError(400, `failed to open log file ${JSON.stringify(status.log_path)}: ${e.message}`);
  });

  const ac = new AbortController();
  res.on('close', () => ac.abort());
  let started = false;
  const start = () => {
    if (started) return;
    started = true;
    res.writeHead(200, { 'Content-Type': 'text/plain', 'Cache-Control': 'no-cache, private' });
    res.flushHeaders();
  };
  // Headers go out at once so a follower sees the stream open even before any line.
  if (opts.follow) start();
  const sink = async (chunk: Buffer) => {
    start();
    if (!res.write(chunk)) {
      await new Promise<void>((resolve) => {
        const done = () => {
          res.off('drain', done);
          res.off('close', done);
          resolve();
        };
        res.on('drain', done);
        res.on('close', done);
      });
    }
  };
  try {
    await readCriLog(
      status.log_path,
      { follow: opts.follow, tailLines: opts.tailLines, limitBytes: opts.limitBytes, timestamps: opts.timestamps, since: sinceBound(opts, d.now().getTime()) },
      sink,
      {
        signal: ac.signal,
        pollMs: d.pollMs,
        isRunning: async () => (await d.cri.containerStatus(id).catch(() => undefined))?.state === 'CONTAINER_RUNNING',
      },
    );
  } catch (e) {
    if (!started) throw new HttpTextError(400, `failed to open log file ${JSON.stringify(status.log_path)}: ${(e as Error).message}`);
    res.destroy();
    return;
  }
  start();
  res.end();
}
