import { describe, expect, it } from 'vitest';
import { parseServerSettings } from '../../src/server';
import { runCli } from '../support/spawn-server';

describe('rate limit settings of the standalone server', () => {
  it('defaults to on, with the handler\'s default limits', () => {
    const settings = parseServerSettings({});
    expect(settings).toMatchObject({
      rateLimits: true,
      ingestRateLimit: { perSecond: 5000, burst: 50_000 },
      apiRateLimit: { perSecond: 100, burst: 1000 },
      unauthenticatedRateLimit: { perSecond: 20, burst: 200 },
      redisPrefix: 'vt:',
    });
  });

  it('reads PER_SECOND:BURST from flags and variables, and objects from code', () => {
    expect(parseServerSettings({ ingestRateLimit: '0.5:3', apiRateLimit: { perSecond: 2, burst: 4 }, rateLimits: 'off' })).toMatchObject({
      rateLimits: false,
      ingestRateLimit: { perSecond: 0.5, burst: 3 },
      apiRateLimit: { perSecond: 2, burst: 4 },
    });
  });

  it.each([
    ['ingestRateLimit', '100', 'must be PER_SECOND:BURST'],
    ['apiRateLimit', '0:10', 'greater than 0'],
    ['unauthenticatedRateLimit', '10:0', 'burst must be a whole number'],
    ['rateLimits', 'maybe', 'must be on or off'],
  ])('refuses %s %s, naming it', (setting, value, message) => {
    expect(() => parseServerSettings({ [setting]: value })).toThrow(message);
    expect(() => parseServerSettings({ [setting]: value })).toThrow(`(${setting})`);
  });

  it('lists the flags and variables in --help, and exits naming a bad one', async () => {
    const help = await runCli(['--help']);
    for (const name of ['--rate-limits', 'VOLCANION_RATE_LIMITS', '--ingest-rate-limit', 'VOLCANION_INGEST_RATE_LIMIT', '--api-rate-limit', '--unauthenticated-rate-limit', '--redis-prefix', 'default 5000:50000']) {
      expect(help.output).toContain(name);
    }
    const bad = await runCli(['serve', '--ingest-rate-limit', 'lots']);
    expect(bad.code).toBe(1);
    expect(bad.output).toContain('--ingest-rate-limit / VOLCANION_INGEST_RATE_LIMIT');
  });
});
