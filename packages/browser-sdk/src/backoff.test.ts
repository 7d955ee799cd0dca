import { describe, expect, it } from 'vitest';
import { backoff } from './backoff';

describe('backoff', () => {
  it('doubles from one second with jitter between half and all of it', () => {
    expect(backoff(0, 0)).toBe(500);
    expect(backoff(0, 1)).toBe(1000);
    expect(backoff(3, 1)).toBe(8000);
    expect(backoff(3, 0)).toBe(4000);
  });

  it('never waits more than a minute', () => {
    expect(backoff(30, 1)).toBe(60_000);
    expect(backoff(1000, 0.5)).toBe(45_000);
    for (let attempt = 0; attempt < 50; attempt++) expect(backoff(attempt)).toBeLessThanOrEqual(60_000);
  });
});
