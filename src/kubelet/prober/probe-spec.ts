// A container probe with the API's defaults filled in, and which probes of a
// pod get workers.

import type { Handler } from './actions.js';

export type ProbeType = 'liveness' | 'readiness' | 'startup';

export interface ProbeSpec {
  handler: Handler;
  initialDelaySeconds: number;
  timeoutSeconds: number;
  periodSeconds: number;
  successThreshold: number;
  failureThreshold: number;
}

const positive = (v: unknown, dflt: number): number => (typeof v === 'number' && v > 0 ? v : dflt);

/** Defaults as the API server applies them (0 or missing → default). */
export function normalizeProbe(p: any): ProbeSpec {
  return {
    handler: { exec: p.exec, httpGet: p.httpGet, tcpSocket: p.tcpSocket, grpc: p.grpc },
    initialDelaySeconds: typeof p.initialDelaySeconds === 'number' && p.initialDelaySeconds > 0 ? p.initialDelaySeconds : 0,
    timeoutSeconds: positive(p.timeoutSeconds, 1),
    periodSeconds: positive(p.periodSeconds, 10),
    successThreshold: positive(p.successThreshold, 1),
    failureThreshold: positive(p.failureThreshold, 3),
  };
}

/** Capitalised name used in event texts ("Liveness probe failed: ..."). */
export function probeTitle(t: ProbeType): string {
  return t === 'liveness' ? 'Liveness' : t === 'readiness' ? 'Readiness' : 'Startup';
}

export interface ProbedContainer {
  container: any;
  /** 'spec.containers' or 'spec.initContainers' — for the event's fieldPath. */
  list: 'containers' | 'initContainers';
  type: ProbeType;
  spec: ProbeSpec;
}

const FIELD: Record<ProbeType, string> = { liveness: 'livenessProbe', readiness: 'readinessProbe', startup: 'startupProbe' };

/** Every (container, probe type) of the pod that needs a worker: app containers and restartable (sidecar) init containers. */
export function probedContainers(pod: any): ProbedContainer[] {
  const out: ProbedContainer[] = [];
  const add = (c: any, list: ProbedContainer['list']): void => {
    for (const type of ['startup', 'liveness', 'readiness'] as const) {
      const p = c?.[FIELD[type]];
      if (p && typeof p === 'object') out.push({ container: c, list, type, spec: normalizeProbe(p) });
    }
  };
  for (const c of pod?.spec?.initContainers ?? []) if (c?.restartPolicy === 'Always') add(c, 'initContainers');
  for (const c of pod?.spec?.containers ?? []) add(c, 'containers');
  return out;
}
