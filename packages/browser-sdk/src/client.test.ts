import { describe, expect, it } from 'vitest';
import { createVolcanion } from './client';

// The client's behaviour is tested in a real browser (test/*.test.ts). Here: it never throws where
// there is no browser at all, as in server-side rendering.
describe('createVolcanion without a DOM', () => {
  it('takes every call without throwing, before and after load()', () => {
    const client = createVolcanion([['track', ['Early', {}], 1]]);
    expect(() => {
      client.track('Before load');
      client.identify('user-1', { plan: 'pro' });
      client.identify({ plan: 'pro' });
      client.page();
      client.use({ name: 'p' });
      client.on('drop', () => {});
      client.load('wk', { host: 'https://collect.example' });
      client.track('After load');
      client.group('g');
      client.alias('u2');
      client.reset();
      client.flush();
      client.user();
      client.consent('denied');
    }).not.toThrow();
    expect(client.consent()).toBe('denied');
  });
});
