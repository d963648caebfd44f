// How a runtime error reads in the kubelet's events and waiting messages: the
// Go gRPC error string, `rpc error: code = Unknown desc = <runtime message>`.

import { CriError } from '../cri/api.js';
import { rpcErrorString } from '../cri/cri-client.js';

export function runtimeErrorText(e: unknown): string {
  if (e instanceof CriError) return rpcErrorString(e);
  return e instanceof Error ? e.message : String(e);
}
