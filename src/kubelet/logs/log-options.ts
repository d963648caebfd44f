// PodLogOptions as they travel in a query string (API server /log and the
// kubelet's /containerLogs), with Kubernetes' decoding and validation rules.

import type { FieldError } from '../../api/validation/field-error.js';
import { parseLogTime, type LogTime } from './cri-log-line.js';

export interface PodLogOptions {
  container?: string;
  follow: boolean;
  previous: boolean;
  timestamps: boolean;
  tailLines?: number;
  limitBytes?: number;
  sinceSeconds?: number;
  /** RFC 3339 text as received. */
  sinceTime?: string;
}

/** The query could not be decoded (400 BadRequest). */
export class LogQueryError extends Error {}

// Go's strconv.ParseBool spellings.
const TRUE = new Set(['1', 't', 'T', 'TRUE', 'true', 'True']);
const FALSE = new Set(['0', 'f', 'F', 'FALSE', 'false', 'False']);

function boolParam(q: URLSearchParams, name: string): boolean {
  const v = q.get(name);
  if (v === null || v === '') return false;
  if (TRUE.has(v)) return true;
  if (FALSE.has(v)) return false;
  throw new LogQueryError(`strconv.ParseBool: parsing ${JSON.stringify(v)}: invalid syntax`);
}

function intParam(q: URLSearchParams, name: string): number | undefined {
  const v = q.get(name);
  if (v === null || v === '') return undefined;
  if (!/^[+-]?\d+$/.test(v)) throw new LogQueryError(`strconv.ParseInt: parsing ${JSON.stringify(v)}: invalid syntax`);
  return Number(v);
}

/** Decodes the query; throws LogQueryError on malformed values. */
export function parseLogQuery(q: URLSearchParams): PodLogOptions {
  const opts: PodLogOptions = {
    follow: boolParam(q, 'follow'),
    previous: boolParam(q, 'previous'),
    timestamps: boolParam(q, 'timestamps'),
  };
  const container = q.get('container');
  if (container) opts.container = container;
  const tail = intParam(q, 'tailLines');
  if (tail !== undefined) opts.tailLines = tail;
  const limit = intParam(q, 'limitBytes');
  if (limit !== undefined) opts.limitBytes = limit;
  const since = intParam(q, 'sinceSeconds');
  if (since !== undefined) opts.sinceSeconds = since;
  const sinceTime = q.get('sinceTime');
  if (sinceTime) {
    if (!parseLogTime(sinceTime)) {
      throw new LogQueryError(`parsing time ${JSON.stringify(sinceTime)} as "2006-01-02T15:04:05Z07:00": cannot parse ${JSON.stringify(sinceTime)} as "2006"`);
    }
    opts.sinceTime = sinceTime;
  }
  return opts;
}

/** Kubernetes' ValidatePodLogOptions; the API server answers 422 PodLogOptions "<pod>" is invalid. */
export function validateLogOptions(o: PodLogOptions): FieldError[] {
  const errs: FieldError[] = [];
  if (o.tailLines !== undefined && o.tailLines < 0) {
    errs.push({ reason: 'FieldValueInvalid', field: 'tailLines', message: `Invalid value: ${o.tailLines}: must be greater than or equal to 0` });
  }
  if (o.limitBytes !== undefined && o.limitBytes < 1) {
    errs.push({ reason: 'FieldValueInvalid', field: 'limitBytes', message: `Invalid value: ${o.limitBytes}: must be greater than 0` });
  }
  if (o.sinceSeconds !== undefined && o.sinceTime !== undefined) {
    errs.push({ reason: 'FieldValueForbidden', field: '', message: 'Forbidden: at most one of `sinceTime` or `sinceSeconds` may be specified' });
  } else if (o.sinceSeconds !== undefined && o.sinceSeconds < 1) {
    errs.push({ reason: 'FieldValueInvalid', field: 'sinceSeconds', message: `Invalid value: ${o.sinceSeconds}: must be greater than 0` });
  }
  return errs;
}

/** The query the API server sends to the kubelet (same parameters Kubernetes' LogLocation adds). */
export function logOptionsQuery(o: PodLogOptions): string {
  const q = new URLSearchParams();
  if (o.follow) q.set('follow', 'true');
  if (o.previous) q.set('previous', 'true');
  if (o.timestamps) q.set('timestamps', 'true');
  if (o.sinceSeconds !== undefined) q.set('sinceSeconds', String(o.sinceSeconds));
  if (o.sinceTime !== undefined) {
    // Kubernetes re-formats sinceTime with second precision.
    const t = parseLogTime(o.sinceTime)!;
    q.set('sinceTime', new Date(t.sec * 1000).toISOString().replace('.000Z', 'Z'));
  }
  if (o.tailLines !== undefined) q.set('tailLines', String(o.tailLines));
  if (o.limitBytes !== undefined) q.set('limitBytes', String(o.limitBytes));
  const s = q.toString();
  return s ? `?${s}` : '';
}

/** The earliest record time to print (sinceSeconds relative to now, or sinceTime, whichever is later). */
export function sinceBound(o: PodLogOptions, nowMs: number): LogTime | undefined {
  let bound: LogTime | undefined;
  if (o.sinceSeconds !== undefined) {
    const ms = nowMs - o.sinceSeconds * 1000;
    const sec = Math.floor(ms / 1000);
    bound = { sec, nsec: (ms - sec * 1000) * 1_000_000 };
  }
  if (o.sinceTime !== undefined) {
    const t = parseLogTime(o.sinceTime)!;
    if (!bound || t.sec > bound.sec || (t.sec === bound.sec && t.nsec > bound.nsec)) bound = t;
  }
  return bound;
}
