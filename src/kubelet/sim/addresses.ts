// Addresses for simulated nodes and their pods. Nothing ever connects to
// them: they exist so that node and pod objects look like real ones.
//   node i  → InternalIP 10.200.<(i+1)/256>.<(i+1)%256>
//   node i  → pod CIDR: the i-th /24 counting up from 10.244.0.0/24 (wrapping
//             within 10.0.0.0/8, so 50 000 nodes stay clear of 10.200.x.x)
//   pod     → host .2-.254 of its node's /24, handed out round-robin

export function nodeInternalIP(index: number): string {
  const n = index + 1;
  return `10.200.${(n >> 8) & 255}.${n & 255}`;
}

/** The first three octets of node i's pod /24, e.g. "10.244.3". */
export function podSubnetPrefix(index: number): string {
  const block = (244 * 256 + index) % 65536;
  return `10.${block >> 8}.${block & 255}`;
}

export function podCIDR(index: number): string {
  return `${podSubnetPrefix(index)}.0/24`;
}

const FIRST_HOST = 2;
const LAST_HOST = 254;

/** Pod IPs of one node, keyed by pod uid, so a retried start gets the same address. */
export class PodIPAllocator {
  private readonly byUid = new Map<string, number>();
  private readonly used = new Set<number>();
  private cursor = FIRST_HOST;

  constructor(private readonly prefix: string) {}

  get size(): number {
    return this.byUid.size;
  }

  /** The pod's address (allocating one if needed), or undefined when the /24 is full. */
  allocate(uid: string): string | undefined {
    const have = this.byUid.get(uid);
    if (have !== undefined) return this.format(have);
    const span = LAST_HOST - FIRST_HOST + 1;
    for (let tried = 0; tried < span; tried++) {
      const host = this.cursor;
      this.cursor = host === LAST_HOST ? FIRST_HOST : host + 1;
      if (!this.used.has(host)) {
        this.used.add(host);
        this.byUid.set(uid, host);
        return this.format(host);
      }
    }
    return undefined;
  }

  /** Records an address a pod already has (e.g. from before a restart). False if it is not ours or is taken by another pod. */
  claim(uid: string, ip: string): boolean {
    if (!ip.startsWith(this.prefix + '.')) return false;
    const host = Number(ip.slice(this.prefix.length + 1));
    if (!Number.isInteger(host) || host < FIRST_HOST || host > LAST_HOST) return false;
    const have = this.byUid.get(uid);
    if (have === host) return true;
    if (have !== undefined || this.used.has(host)) return false;
    this.used.add(host);
    this.byUid.set(uid, host);
    return true;
  }

  release(uid: string): void {
    const host = this.byUid.get(uid);
    if (host === undefined) return;
    this.byUid.delete(uid);
    this.used.delete(host);
  }

  private format(host: number): string {
    return `${this.prefix}.${host}`;
  }
}
