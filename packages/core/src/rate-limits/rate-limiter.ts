/** How fast a bucket refills and how much it holds: the sustained rate and the largest burst. */
export interface RateLimitPolicy {
  /** Tokens added per second (events or requests per second); may be fractional (`0.5` = one every 2 s). */
  perSecond: number;
  /** Tokens the bucket holds when full: the most a caller may spend at once after being idle. */
  burst: number;
}

/** What one {@link RateLimiter.take} decided, with what the `RateLimit-*` headers report. */
export interface RateLimitDecision {
  /** True when the tokens were taken; false when the caller must wait. */
  allowed: boolean;
  /** The bucket's capacity (the policy's `burst`). */
  limit: number;
  /** Whole tokens left after this take (0 while the bucket is in debt). */
  remaining: number;
  /** Seconds, rounded up, until the bucket is full again. */
  resetSeconds: number;
  /** Seconds, rounded up, until this same take would be allowed; 0 when allowed. */
  retryAfterSeconds: number;
}

/**
 * A token-bucket rate limiter keyed by caller: each key has a bucket of `policy.burst` tokens that
 * refills at `policy.perSecond`. A take of `cost` tokens is allowed when the bucket holds
 * `min(cost, burst)` tokens; it then removes all `cost`, so the bucket may go into debt. A request
 * larger than the burst is therefore never refused for good, yet the long-run rate still holds.
 * A key without a bucket starts full. Implementations must take atomically: concurrent takes
 * never admit more than the tokens there are.
 *
 * ### Examples
 * ```ts
 * import { MemoryRateLimiter } from '@volcanion-tracking/core';
 * const limiter = new MemoryRateLimiter();
 * const decision = await limiter.take('ingest:key-id', 100, { perSecond: 1000, burst: 10_000 });
 * if (!decision.allowed) console.log(`retry in ${decision.retryAfterSeconds} s`);
 * ```
 */
export interface RateLimiter {
  /** Takes `cost` tokens (≥ 0) from the bucket of `key`, or decides that the caller must wait. */
  take(key: string, cost: number, policy: RateLimitPolicy): Promise<RateLimitDecision>;
}
