import type { RateLimitDecision, RateLimitPolicy } from '@volcanion-tracking/core';
import type { ApiResponse } from '../handler/api-message';
import { HttpProblem, problemResponse } from '../handler/problem';

/** The bucket a request was charged to. */
export type LimitName = 'ingest' | 'api' | 'unauthenticated';

const described: Record<LimitName, (who: string, p: RateLimitPolicy) => string> = {
  ingest: (who, p) => `the ingestion limit of ${who} (${p.perSecond} events per second, bursts of ${p.burst})`,
  api: (who, p) => `the API limit of ${who} (${p.perSecond} requests per second, bursts of ${p.burst})`,
  unauthenticated: (who, p) => `the limit for requests without valid credentials from ${who} (${p.perSecond} per second, bursts of ${p.burst})`,
};

/** 429: the caller's bucket is empty. The problem names the limit; `Retry-After` says when to come back. */
export class RateLimited extends HttpProblem {
  constructor(
    readonly limit: LimitName,
    who: string,
    policy: RateLimitPolicy,
    readonly decision: RateLimitDecision,
  ) {
    super('rate_limited', `Too many requests: ${described[limit](who, policy)} is used up; retry in ${decision.retryAfterSeconds} s`);
  }

  override toResponse(): ApiResponse {
    return problemResponse('rate_limited', this.message, {
      headers: { ...rateLimitHeaders(this.decision), 'retry-after': String(this.decision.retryAfterSeconds) },
      members: { limit: this.limit, retryAfter: this.decision.retryAfterSeconds },
    });
  }
}

/** The `RateLimit-*` headers of a decision (draft-ietf-httpapi-ratelimit-headers, separate-field form). */
export function rateLimitHeaders(decision: RateLimitDecision): Record<string, string> {
  return {
    'ratelimit-limit': String(decision.limit),
    'ratelimit-remaining': String(decision.remaining),
    'ratelimit-reset': String(decision.resetSeconds),
  };
}

/** Lets browser clients read the rate limit headers of cross-origin answers (they are not CORS-safelisted). */
export const EXPOSED_RATE_LIMIT_HEADERS = 'retry-after, ratelimit-limit, ratelimit-remaining, ratelimit-reset';
