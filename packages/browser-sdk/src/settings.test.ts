import { describe, expect, it } from 'vitest';
import { resolveSettings } from './settings';

describe('resolveSettings', () => {
  it('sends to the page\'s own origin by default', () => {
    expect(resolveSettings('wk', {})).toEqual(['/v1/batch', 20, 5000, 32_000, 1000, undefined]);
  });

  it('mounts under any host and path prefix', () => {
    expect(resolveSettings('wk', { host: 'https://shop.example', path: '/collect' })[0]).toBe('https://shop.example/collect/v1/batch');
    expect(resolveSettings('wk', { host: 'https://collect.example/' })[0]).toBe('https://collect.example/v1/batch');
    expect(resolveSettings('wk', { path: '/a/b/' })[0]).toBe('/a/b/v1/batch');
  });

  it('takes the batching options, keeping batches within keepalive\'s 64 KB', () => {
    expect(resolveSettings('wk', { flushAt: 5, flushInterval: 100, maxBatchBytes: 10_000, maxQueue: 50 }).slice(1, 5)).toEqual([5, 100, 10_000, 50]);
    expect(resolveSettings('wk', { maxBatchBytes: 500_000 })[3]).toBe(64_000);
  });

  it('makes the Basic authorization header when asked', () => {
    expect(resolveSettings('wk_123', { authHeader: true })[5]).toBe(`Basic ${Buffer.from('wk_123:').toString('base64')}`);
  });
});
