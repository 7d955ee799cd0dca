import { MemoryRateLimiter, type RateLimiter, type RateLimitPolicy } from '@volcanion-tracking/core';

/**
 * Rate limits of `createHandler` (`rateLimits`): token buckets per caller. Each request is charged
 * to exactly one bucket, chosen by its credentials: a write key's `ingest` bucket (ingestion
 * costs one token per event, at least one per request), a secret key's or the admin token's `api`
 * bucket (one per request), or, without valid credentials, its client address's
 * `unauthenticated` bucket. A system's own limits (`settings.rateLimits`) replace `ingest` and
 * `api` for its keys. Health checks, `/metrics`, `/openapi.json` and `/docs` are never limited.
 *
 * @see docs/rate-limits.md
 * @example
 * ```ts
 * import { createRedisRateLimiter } from '@volcanion-tracking/core/redis';
 * createHandler({ platform, admin, rateLimits: { limiter: createRedisRateLimiter({ client: redis }), ingest: { perSecond: 2000, burst: 20_000 } } });
 * ```
 */
export interface RateLimitOptions {
  /** Where the buckets live. Default: in this process (`MemoryRateLimiter`); pass a Redis limiter to share them between instances. */
  limiter?: RateLimiter;
  /** Each write key, in events. Default 5,000 events/s with a burst of 50,000. */
  ingest?: RateLimitPolicy;
  /** Each secret key, and the admin token, in requests. Default 100 requests/s with a burst of 1,000. */
  api?: RateLimitPolicy;
  /**
   * Each client address, for requests without valid credentials (none, or a wrong key). Default
   * 20 requests/s with a burst of 200. Not applied when the address is unknown (a fetch runtime
   * without `trustProxy`).
   */
  unauthenticated?: RateLimitPolicy;
}

/** Rate limit options with their defaults applied. */
export type ResolvedRateLimits = Required<RateLimitOptions>;

/** The defaults: generous enough for Segment's clients and our SDKs at full speed, tight enough to stop a runaway loop. */
export const defaultRateLimits = {
  ingest: { perSecond: 5000, burst: 50_000 },
  api: { perSecond: 100, burst: 1000 },
  unauthenticated: { perSecond: 20, burst: 200 },
} as const satisfies Record<string, RateLimitPolicy>;

export function resolveRateLimits(options: RateLimitOptions | false | undefined): ResolvedRateLimits | false {
  if (options === false) return false;
  return {
    limiter: options?.limiter ?? new MemoryRateLimiter(),
    ingest: options?.ingest ?? defaultRateLimits.ingest,
    api: options?.api ?? defaultRateLimits.api,
    unauthenticated: options?.unauthenticated ?? defaultRateLimits.unauthenticated,
  };
}

// Probes, scrapes and documentation: load balancers and monitoring must never be refused.
const EXEMPT_ROUTES = new Set(['/metrics', '/openapi.json', '/docs']);

/** True for routes no rate limit applies to, by their registered path. */
export function isExemptRoute(route: string): boolean {
  return EXEMPT_ROUTES.has(route) || route.startsWith('/health/') || route.startsWith('/docs/');
}
