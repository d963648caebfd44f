// Services: cluster IPs and node ports are allocated by the API server on create
// and kept on update, as Kubernetes' service REST storage does.

import type { WriteContext } from './registry.js';
import { DefaultStrategy } from './strategy.js';
import { ServiceAllocator } from './service-allocator.js';

export class ServiceStrategy extends DefaultStrategy {
  static allocator = new ServiceAllocator();

  override prepareForCreate(obj: any, ctx: WriteContext): void {
    super.prepareForCreate(obj, ctx);
    obj.status = { loadBalancer: {} };
  }

  afterValidateCreate(obj: any): void {
    ServiceStrategy.allocator.allocate(obj);
  }

  override prepareForUpdate(obj: any, old: any, ctx: WriteContext, subresource?: string): void {
    super.prepareForUpdate(obj, old, ctx, subresource);
    if (subresource === 'status') return;
    const spec = (obj.spec ??= {});
    // An update that leaves these out keeps the allocated values.
    if (!spec.clusterIP && old.spec?.clusterIP) spec.clusterIP = old.spec.clusterIP;
    if (!spec.clusterIPs && old.spec?.clusterIPs) spec.clusterIPs = old.spec.clusterIPs;
    for (const p of spec.ports ?? []) {
      if (p.nodePort) continue;
      const prev = (old.spec?.ports ?? []).find((q: any) => q.port === p.port && (q.protocol ?? 'TCP') === (p.protocol ?? 'TCP'));
      if (prev?.nodePort && spec.type !== 'ClusterIP') p.nodePort = prev.nodePort;
    }
  }

  afterValidateUpdate(obj: any): void {
    ServiceStrategy.allocator.allocate(obj);
  }
}
