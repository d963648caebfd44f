// Allocates service cluster IPs (from 10.96.0.0/16) and node ports (30000-32767).
// The set of used values is rebuilt from the service cache on start.

const BASE = (10 << 24) | (96 << 16);
const SIZE = 1 << 16;

function ipString(n: number): string {
  return [(n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

export class ServiceAllocator {
  private readonly ips = new Set<string>();
  private readonly ports = new Set<number>();
  private next = 10;

  /** Record values of existing services (at start and for every service seen). */
  observe(svc: any): void {
    for (const ip of svc.spec?.clusterIPs ?? [svc.spec?.clusterIP]) if (ip && ip !== 'None') this.ips.add(ip);
    for (const p of svc.spec?.ports ?? []) if (p.nodePort) this.ports.add(p.nodePort);
  }

  release(svc: any): void {
    for (const ip of svc.spec?.clusterIPs ?? [svc.spec?.clusterIP]) if (ip) this.ips.delete(ip);
    for (const p of svc.spec?.ports ?? []) if (p.nodePort) this.ports.delete(p.nodePort);
  }

  allocate(svc: any): void {
    const spec = (svc.spec ??= {});
    if (spec.type !== 'ExternalName') {
      if (!spec.clusterIP) {
        spec.clusterIP = this.nextIp();
      }
      if (spec.clusterIP !== 'None') this.ips.add(spec.clusterIP);
      spec.clusterIPs = [spec.clusterIP];
    }
    if (spec.type === 'NodePort' || spec.type === 'LoadBalancer') {
      for (const p of spec.ports ?? []) {
        if (!p.nodePort) p.nodePort = this.nextPort();
        this.ports.add(p.nodePort);
      }
    }
  }

  private nextIp(): string {
    for (let i = 0; i < SIZE - 2; i++) {
      const off = ((this.next + i) % (SIZE - 2)) + 1;
      const ip = ipString(BASE + off);
      if (!this.ips.has(ip)) {
        this.next = off + 1;
        return ip;
      }
    }
    throw new Error('the service cluster IP range is full');
  }

  private nextPort(): number {
    for (let i = 0; i < 2768; i++) {
      const port = 30000 + Math.floor(Math.random() * 2768);
      if (!this.ports.has(port)) return port;
    }
    for (let port = 30000; port <= 32767; port++) if (!this.ports.has(port)) return port;
    throw new Error('the node port range is full');
  }
}
