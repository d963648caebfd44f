// Test helper for node-agent parts tested against a real API server: a
// Skiff server process, a RestClient on its kubeconfig and an EventRecorder
// writing as the kubelet of one node.

import { findResource, type ResourceDef } from '../api/resources.js';
import { EventRecorder, RestClient } from '../client/index.js';
import { startSkiff, type SkiffProcess } from './server-process.js';

/** A core (v1) resource by plural, e.g. coreDef('pods'). */
export function coreDef(plural: string): ResourceDef {
  const def = findResource('', 'v1', plural);
  if (!def) throw new Error(`no core resource ${JSON.stringify(plural)}`);
  return def;
}

export interface ApiFixture {
  skiff: SkiffProcess;
  client: RestClient;
  /** Events as component "kubelet" on the node. */
  recorder: EventRecorder;
  /** Flushes the recorder, closes the client, stops the server. */
  stop(): Promise<void>;
}

export async function startApiFixture(opts: { nodeName?: string } = {}): Promise<ApiFixture> {
  const skiff = await startSkiff();
  const client = new RestClient({ kubeconfig: skiff.kubeconfig });
  const recorder = new EventRecorder(client, { component: 'kubelet', host: opts.nodeName ?? 'node-1' });
  return {
    skiff,
    client,
    recorder,
    async stop() {
      await recorder.stop();
      client.close();
      await skiff.stop();
    },
  };
}
