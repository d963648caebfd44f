// tcpSocket handler: success when a TCP connection opens within the timeout.

import { connect } from 'node:net';
import { goDialErrorText, joinHostPort } from '../go-format.js';
import type { ProbeOutcome } from './probe-result.js';
import { dialTarget } from './target-policy.js';

export function probeTcp(host: string, port: number, podIP: string, timeoutMs: number): Promise<ProbeOutcome> {
  const shown = joinHostPort(host || podIP, port);
  const target = dialTarget(host, podIP);
  if (!target.ok) return Promise.resolve({ result: 'failure', output: `dial tcp ${shown}: connect: ${target.error}` });
  const addr = joinHostPort(target.address, port);
  return new Promise((resolve) => {
    let done = false;
    const finish = (o: ProbeOutcome): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(o);
    };
    const socket = connect({ host: target.address, port });
    const timer = timeoutMs > 0 ? setTimeout(() => finish({ result: 'failure', output: `dial tcp ${addr}: i/o timeout` }), timeoutMs) : undefined;
    socket.once('connect', () => finish({ result: 'success', output: '' }));
    socket.once('error', (err: NodeJS.ErrnoException) => finish({ result: 'failure', output: goDialErrorText(addr, err) }));
  });
}
