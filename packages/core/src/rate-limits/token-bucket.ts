import type { RateLimitDecision, RateLimitPolicy } from './rate-limiter';

/**
 * The token-bucket arithmetic every limiter shares; the Redis script does the same in Lua. Tokens
 * are fractional so that slow rates (0.5/s) refill smoothly between takes.
 */

/** Tokens a bucket holds at `now` (ms), given what it held at `at`; a missing bucket is full. */
export function refill(stored: { tokens: number; at: number } | undefined, policy: RateLimitPolicy, now: number): number {
  if (!stored) return policy.burst;
  const elapsedSeconds = Math.max(0, now - stored.at) / 1000;
  return Math.min(policy.burst, stored.tokens + elapsedSeconds * policy.perSecond);
}

/** Whether a take of `cost` fits in `tokens`: it needs `min(cost, burst)`, so even a huge one fits a full bucket. */
export function fits(tokens: number, cost: number, policy: RateLimitPolicy): boolean {
  return tokens >= Math.min(cost, policy.burst);
}

/** Milliseconds until a bucket holding `tokens` is full again: from then on it equals a missing one. */
export function msUntilFull(tokens: number, policy: RateLimitPolicy): number {
  return (Math.max(0, policy.burst - tokens) / policy.perSecond) * 1000;
}

/** The decision for a take of `cost` from a bucket holding `tokens` (after refill, before the take). */
export function decisionFor(tokens: number, cost: number, allowed: boolean, policy: RateLimitPolicy): RateLimitDecision {
  const after = allowed ? tokens - cost : tokens;
  // A hair under a whole token (float refill) must not round a wait down to zero seconds.
  const wait = allowed ? 0 : Math.max(1, Math.ceil((Math.min(cost, policy.burst) - tokens) / policy.perSecond - 1e-9));
  return {
    allowed,
    limit: policy.burst,
    remaining: Math.max(0, Math.floor(after + 1e-9)),
    resetSeconds: Math.ceil(msUntilFull(after, policy) / 1000 - 1e-9),
    retryAfterSeconds: wait,
  };
}

/** Throws on a policy or cost no bucket can work with; a programming error, not bad user input. */
export function assertTakeable(cost: number, policy: RateLimitPolicy): void {
  if (!(policy.perSecond > 0) || !Number.isFinite(policy.perSecond)) throw new RangeError(`perSecond must be a positive number, got ${policy.perSecond}`);
  if (!(policy.burst >= 1) || !Number.isFinite(policy.burst)) throw new RangeError(`burst must be at least 1, got ${policy.burst}`);
  if (!(cost >= 0) || !Number.isFinite(cost)) throw new RangeError(`cost must be a number ≥ 0, got ${cost}`);
}
