/**
 * Exponential backoff with full jitter: a delay drawn uniformly from `[0, min(max, base · 2^(retry−1))]`.
 * Full jitter spreads out the retries of many clients that failed together (a server restart), so they
 * do not come back in lockstep; see AWS's "Exponential Backoff and Jitter".
 *
 * ### Examples
 * ```ts
 * backoffDelay(1, 200, 30_000); // 0–200 ms
 * backoffDelay(4, 200, 30_000); // 0–1,600 ms
 * ```
 */
export function backoffDelay(retry: number, base: number, max: number, random: () => number = Math.random): number {
  // 2^30 already exceeds any sensible cap; bounding the exponent keeps the product finite.
  const ceiling = Math.min(max, base * 2 ** Math.min(Math.max(retry - 1, 0), 30));
  return Math.floor(random() * ceiling);
}
