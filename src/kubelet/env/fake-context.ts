// Test support: a KubeletContext whose API client is an in-memory object
// table (get/list only, NotFound as the API server sends it) and whose
// recorder keeps the events it is given.

import type { ResourceDef } from '../../api/resources.js';
import { ApiStatusError, type KubeObject, type ObjectList, type RestClient, type EventRecorder } from '../../client/index.js';
import type { KubeletContext } from '../contracts.js';
import type { CriRuntime } from '../cri/api.js';

export interface RecordedEvent {
  object: string;
  type: string;
  reason: string;
  message: string;
}

export class FakeApi {
  readonly objects = new Map<string, KubeObject>();
  /** Every call, as "get configmaps default/x" / "list services default". */
  readonly calls: string[] = [];
  failLists = false;

  private key(plural: string, ns: string | undefined, name: string): string {
    return `${plural}/${ns ?? ''}/${name}`;
  }

  put(plural: string, obj: KubeObject): void {
    this.objects.set(this.key(plural, obj.metadata.namespace, obj.metadata.name!), obj);
  }

  remove(plural: string, ns: string | undefined, name: string): void {
    this.objects.delete(this.key(plural, ns, name));
  }

  async get(def: ResourceDef, ns: string | undefined, name: string): Promise<KubeObject> {
    this.calls.push(`get ${def.plural} ${ns ?? ''}/${name}`);
    const obj = this.objects.get(this.key(def.plural, ns, name));
    if (obj) return structuredClone(obj);
    throw new ApiStatusError({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: `${def.plural} "${name}" not found`,
      reason: 'NotFound',
      details: { name, kind: def.plural },
      code: 404,
    });
  }

  async list(def: ResourceDef, ns?: string): Promise<ObjectList<KubeObject>> {
    this.calls.push(`list ${def.plural} ${ns ?? ''}`);
    if (this.failLists) throw new Error('connection refused');
    const prefix = `${def.plural}/${ns ?? ''}/`;
    const items = [...this.objects].filter(([k]) => (ns ? k.startsWith(prefix) : k.startsWith(`${def.plural}/`))).map(([, v]) => structuredClone(v));
    return { metadata: { resourceVersion: '1' }, items };
  }
}

export function fakeContext(opts: { api?: FakeApi; podsDir?: string; nodeIP?: string; now?: () => Date } = {}): {
  ctx: KubeletContext;
  api: FakeApi;
  events: RecordedEvent[];
} {
  const api = opts.api ?? new FakeApi();
  const events: RecordedEvent[] = [];
  const recorder = {
    event(obj: KubeObject, type: string, reason: string, message: string) {
      events.push({ object: `${obj.metadata?.namespace}/${obj.metadata?.name}`, type, reason, message });
    },
  } as unknown as EventRecorder;
  const podsDir = opts.podsDir ?? '/nonexistent/pods';
  const ctx: KubeletContext = {
    nodeName: 'node-1',
    nodeIP: opts.nodeIP ?? '192.168.1.10',
    client: api as unknown as RestClient,
    cri: {} as CriRuntime,
    recorder,
    paths: { dataDir: podsDir.replace(/\/pods$/, ''), podsDir, podLogsDir: `${podsDir}/../logs/pods` },
    clusterDNS: [],
    clusterDomain: 'cluster.local',
    pauseImage: 'localhost/pause:1.0',
    now: opts.now ?? (() => new Date()),
  };
  return { ctx, api, events };
}
