// A token bucket with golang.org/x/time/rate reservation semantics: tokens may
// go negative, and the deficit tells how long the caller must wait. Both the
// REST client's QPS limiter and the workqueue's overall limiter use it.

export type Clock = () => number;

export const monotonicMs: Clock = () => performance.now();

export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    readonly qps: number,
    readonly burst: number,
    private readonly now: Clock = monotonicMs,
  ) {
    if (!(qps > 0)) throw new Error(`token bucket qps must be > 0, got ${qps}`);
    if (!(burst >= 1)) throw new Error(`token bucket burst must be >= 1, got ${burst}`);
    this.tokens = burst;
    this.last = now();
  }

  private refill(): void {
    const t = this.now();
    this.tokens = Math.min(this.burst, this.tokens + ((t - this.last) / 1000) * this.qps);
    this.last = t;
  }

  /** Takes one token now and returns how many ms the caller must wait before using it. */
  reserve(): number {
    this.refill();
    this.tokens -= 1;
    return this.tokens >= 0 ? 0 : (-this.tokens / this.qps) * 1000;
  }

  /** Takes a token only if one is available right now. */
  tryAccept(): boolean {
    this.refill();
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  /** Resolves when the caller may proceed. */
  async wait(): Promise<void> {
    const ms = this.reserve();
    if (ms > 0) await new Promise((r) => setTimeout(r, ms));
  }
}
