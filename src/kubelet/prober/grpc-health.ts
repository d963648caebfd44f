// grpc handler: the standard health check (grpc.health.v1.Health/Check) on
// the pod IP, plaintext, with the kubelet's result texts. The two tiny
// messages are encoded by hand (one field each).

import { Client, credentials, Metadata, status as grpcStatus, type ServiceError } from '@grpc/grpc-js';
import { isIP } from 'node:net';
import { KUBE_MAJOR_MINOR } from './http-get.js';
import { goDuration, goQuote, grpcErrorText, joinHostPort } from '../go-format.js';
import type { ProbeOutcome } from './probe-result.js';
import { dialTarget } from './target-policy.js';

const SERVING_STATUS = ['UNKNOWN', 'SERVING', 'NOT_SERVING', 'SERVICE_UNKNOWN'];

function encodeVarint(n: number): number[] {
  const out: number[] = [];
  while (n > 0x7f) {
    out.push((n & 0x7f) | 0x80);
    n >>>= 7;
  }
  out.push(n);
  return out;
}

/** HealthCheckRequest { string service = 1 }. */
export function encodeHealthCheckRequest(service: string): Buffer {
  if (service === '') return Buffer.alloc(0);
  const bytes = Buffer.from(service, 'utf8');
  return Buffer.concat([Buffer.from([0x0a, ...encodeVarint(bytes.length)]), bytes]);
}

/** HealthCheckResponse { ServingStatus status = 1 } → the status number (0 when absent). */
export function decodeHealthCheckResponse(buf: Buffer): number {
  let i = 0;
  let status = 0;
  const varint = (): number => {
    let v = 0;
    let shift = 0;
    for (;;) {
      const b = buf[i++];
      if (b === undefined) throw new Error('truncated message');
      v += (b & 0x7f) * 2 ** shift;
      if ((b & 0x80) === 0) return v;
      shift += 7;
    }
  };
  while (i < buf.length) {
    const tag = varint();
    const field = Math.floor(tag / 8);
    const wire = tag & 7;
    if (wire === 0) {
      const v = varint();
      if (field === 1) status = v;
    } else if (wire === 2) {
      const len = varint(); // read first: `i += varint()` would add to the old i
      i += len;
    } else if (wire === 1) i += 8;
    else if (wire === 5) i += 4;
    else throw new Error(`unsupported wire type ${wire}`);
  }
  return status;
}

export async function probeGrpc(podIP: string, port: number, service: string, timeoutSeconds: number): Promise<ProbeOutcome> {
  const addr = joinHostPort(podIP, port);
  const target = dialTarget('', podIP);
  if (!target.ok) return { result: 'failure', output: `error: failed to connect service at ${goQuote(addr)}: ${target.error}` };
  const scheme = isIP(target.address) === 6 ? 'ipv6' : 'ipv4';
  const client = new Client(`${scheme}:${joinHostPort(target.address, port)}`, credentials.createInsecure(), {
    'grpc.primary_user_agent': `kube-probe/${KUBE_MAJOR_MINOR}`,
  });
  const deadline = new Date(Date.now() + timeoutSeconds * 1000);
  try {
    const ready = await new Promise<Error | undefined>((resolve) => client.waitForReady(deadline, (err) => resolve(err ?? undefined)));
    if (ready) {
      return { result: 'failure', output: `timeout: failed to connect service ${goQuote(addr)} within ${goDuration(timeoutSeconds * 1000)}: context deadline exceeded` };
    }
    const answer = await new Promise<{ err?: ServiceError; status?: number }>((resolve) => {
      client.makeUnaryRequest(
        '/grpc.health.v1.Health/Check',
        (s: string) => encodeHealthCheckRequest(s),
        (b: Buffer) => decodeHealthCheckResponse(b),
        service,
        new Metadata(),
        { deadline },
        (err, value) => resolve(err ? { err } : { status: value ?? 0 }),
      );
    });
    if (answer.err) {
      const e = answer.err;
      if (e.code === grpcStatus.UNIMPLEMENTED) {
        return { result: 'failure', output: `error: this server does not implement the grpc health protocol (grpc.health.v1.Health): ${e.details}` };
      }
      if (e.code === grpcStatus.DEADLINE_EXCEEDED) {
        return { result: 'failure', output: `timeout: health rpc did not complete within ${goDuration(timeoutSeconds * 1000)}` };
      }
      return { result: 'failure', output: `error: health rpc probe failed: ${grpcErrorText(e.code, e.details)}` };
    }
    const st = answer.status ?? 0;
    if (st !== 1) {
      return { result: 'failure', output: `service unhealthy (responded with ${goQuote(SERVING_STATUS[st] ?? String(st))})` };
    }
    return { result: 'success', output: 'service is serving' };
  } finally {
    client.close();
  }
}
