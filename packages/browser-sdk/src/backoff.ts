/**
 * How long to wait before retry number `attempt` (0-based): 1 s doubling up to 1 min, with jitter
 * between half and all of it so that many clients coming back online do not retry in step.
 */
export const backoff = (attempt: number, random: number = Math.random()): number =>
  Math.min(6e4, 1e3 * 2 ** attempt) * (0.5 + random / 2);
