import { describe, expect, it } from 'vitest';
import { createMessage } from './message';

const context = { library: { name: 'lib', version: '1' }, page: { path: '/' } };

describe('createMessage', () => {
  it('stamps a fresh messageId, the time of the call, the ids and the context', () => {
    const time = Date.parse('2026-03-04T05:06:07.089Z');
    const a = createMessage('track', { event: 'Clicked', properties: { x: 1 } }, 'anon-1', 'user-1', context, time);
    const b = createMessage('track', { event: 'Clicked' }, 'anon-1', null, context, time);
    expect(a).toEqual({
      type: 'track',
      messageId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      timestamp: '2026-03-04T05:06:07.089Z',
      anonymousId: 'anon-1',
      userId: 'user-1',
      event: 'Clicked',
      properties: { x: 1 },
      context,
    });
    expect(b.messageId).not.toBe(a.messageId);
    expect(JSON.parse(JSON.stringify(b))).not.toHaveProperty('userId');
  });

  it('lets the call\'s fields and options win, merging context', () => {
    const message = createMessage('alias', { userId: 'new', previousId: 'old' }, 'anon-1', 'current', context, 0, {
      context: { ip: '203.0.113.1', page: { path: '/other' } },
      timestamp: '2020-01-01T00:00:00.000Z',
      messageId: 'mine',
      integrations: { All: false },
    });
    expect(message).toMatchObject({
      type: 'alias',
      userId: 'new',
      previousId: 'old',
      messageId: 'mine',
      timestamp: '2020-01-01T00:00:00.000Z',
      integrations: { All: false },
      context: { library: context.library, ip: '203.0.113.1', page: { path: '/other' } },
    });
  });
});
