import { z } from 'zod';
import type { RateLimitPolicy } from './rate-limiter';

/**
 * A system's own rate limits. A `null` limit means the server's default applies; servers that
 * turn rate limiting off ignore these.
 */
export interface SystemRateLimits {
  /** Each write key of the system: events per second and burst, in events. */
  ingest: RateLimitPolicy | null;
  /** Each secret key of the system (reading its data): requests per second and burst. */
  api: RateLimitPolicy | null;
}

/** A system starts on the server's defaults. */
export const defaultSystemRateLimits: SystemRateLimits = { ingest: null, api: null };

const policyInput = z
  .object({
    perSecond: z.number('must be a number').positive('must be greater than 0').max(1_000_000, 'must be at most 1,000,000'),
    burst: z.number('must be a number').int('must be a whole number').min(1, 'must be at least 1').max(100_000_000, 'must be at most 100,000,000'),
  })
  .strict();

/**
 * Input of a system's `rateLimits` setting: each limit replaced by a policy, reset to the server
 * default with `null`, or kept when left out; `rateLimits: null` resets both.
 */
export const systemRateLimitsInput = z
  .object({ ingest: policyInput.nullable().optional(), api: policyInput.nullable().optional() })
  .strict()
  .nullable();

/** Applies a `rateLimits` input to the current limits. */
export function changeRateLimits(current: SystemRateLimits, input: z.output<typeof systemRateLimitsInput>): SystemRateLimits {
  if (input === null) return { ...defaultSystemRateLimits };
  return {
    ingest: input.ingest === undefined ? current.ingest : input.ingest,
    api: input.api === undefined ? current.api : input.api,
  };
}
