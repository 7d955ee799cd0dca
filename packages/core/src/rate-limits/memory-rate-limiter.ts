import type { RateLimitDecision, RateLimiter, RateLimitPolicy } from './rate-limiter';
import { assertTakeable, decisionFor, fits, msUntilFull, refill } from './token-bucket';

/** Options of {@link MemoryRateLimiter}. */
export interface MemoryRateLimiterOptions {
  /** Most buckets kept; past it the least recently used one is forgotten (it starts full again). Default 100,000. */
  maxBuckets?: number;
  /** The current time in ms. Default `Date.now`. */
  now?: () => number;
}

interface Bucket {
  tokens: number;
  at: number;
  /** When the bucket is full again; from then on forgetting it changes nothing. */
  fullAt: number;
}

/**
 * A {@link RateLimiter} whose buckets live in this process: the default, right for one instance.
 * Several instances behind a load balancer each keep their own buckets, so a caller gets each
 * instance's budget; share them through Redis (`createRedisRateLimiter`) instead.
 *
 * Memory stays bounded: a bucket that has refilled is dropped, as a missing bucket is a full one,
 * and past `maxBuckets` the least recently used bucket is dropped too.
 *
 * ### Examples
 * ```ts
 * import { MemoryRateLimiter } from '@volcanion-tracking/core';
 * const limiter = new MemoryRateLimiter({ maxBuckets: 10_000 });
 * await limiter.take('api:key-id', 1, { perSecond: 100, burst: 1000 });
 * ```
 */
export class MemoryRateLimiter implements RateLimiter {
  // Map order is write order: the first entries are the buckets least recently taken from.
  readonly #buckets = new Map<string, Bucket>();
  readonly #maxBuckets: number;
  readonly #now: () => number;

  constructor(options: MemoryRateLimiterOptions = {}) {
    this.#maxBuckets = Math.max(1, options.maxBuckets ?? 100_000);
    this.#now = options.now ?? Date.now;
  }

  /** How many buckets are held now (for tests and metrics). */
  get size(): number {
    return this.#buckets.size;
  }

  async take(key: string, cost: number, policy: RateLimitPolicy): Promise<RateLimitDecision> {
    assertTakeable(cost, policy);
    const now = this.#now();
    const tokens = refill(this.#buckets.get(key), policy, now);
    const allowed = fits(tokens, cost, policy);
    if (allowed) {
      const after = tokens - cost;
      this.#buckets.delete(key);
      this.#buckets.set(key, { tokens: after, at: now, fullAt: now + msUntilFull(after, policy) });
    }
    this.#evict(now);
    return decisionFor(tokens, cost, allowed, policy);
  }

  // A little work per take instead of a timer: the oldest buckets are the likeliest to be full.
  #evict(now: number): void {
    let checked = 0;
    for (const [key, bucket] of this.#buckets) {
      if (checked++ >= 2 || bucket.fullAt > now) break;
      this.#buckets.delete(key);
    }
    while (this.#buckets.size > this.#maxBuckets) this.#buckets.delete(this.#buckets.keys().next().value!);
  }
}
