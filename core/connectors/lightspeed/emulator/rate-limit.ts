// X-Series' rate limit (docs/rate_limiting): per retailer and application, `300 × registers + 50` requests in a
// 5-minute window. Every answer says the limit and what is left (`X-RateLimit-Limit`, `X-RateLimit-Remaining`);
// past the limit the answer is 429 with `Retry-After` as an HTTP date (RFC 1123), not a number of seconds. The
// window slides: a place frees up when the request that took it is a window old.

export interface LsRateLimits {
  perRegister: number;
  base: number;
  windowMs: number;
}

export const DEFAULT_RATE_LIMITS: LsRateLimits = { perRegister: 300, base: 50, windowMs: 5 * 60_000 };

export type RateDecision =
  { ok: true; limit: number; remaining: number } | { ok: false; limit: number; retryAt: number };

export interface RateStats {
  /** Requests answered 429 by the limit (faults not included). */
  rateLimited: number;
}

export class RateLimiter {
  readonly stats: RateStats = { rateLimited: 0 };
  private readonly windows = new Map<string, number[]>();

  constructor(
    readonly limits: LsRateLimits,
    private readonly registers: () => number,
    private readonly now: () => number,
  ) {}

  limit(): number {
    return this.limits.perRegister * this.registers() + this.limits.base;
  }

  /** Counts a request of `principal`, or refuses it with the time a place frees up. */
  take(principal: string): RateDecision {
    const now = this.now();
    const limit = this.limit();
    let times = this.windows.get(principal);
    if (!times) this.windows.set(principal, (times = []));
    const cutoff = now - this.limits.windowMs;
    let expired = 0;
    while (expired < times.length && times[expired]! <= cutoff) expired++;
    if (expired > 0) times.splice(0, expired);
    if (times.length >= limit) {
      this.stats.rateLimited++;
      return { ok: false, limit, retryAt: times[times.length - limit]! + this.limits.windowMs };
    }
    times.push(now);
    return { ok: true, limit, remaining: limit - times.length };
  }
}

/** Retry-After as X-Series sends it: an HTTP date, rounded up to the next whole second (dates have no fractions). */
export function retryAfterDate(retryAt: number): string {
  return new Date(Math.ceil(retryAt / 1000) * 1000).toUTCString();
}
