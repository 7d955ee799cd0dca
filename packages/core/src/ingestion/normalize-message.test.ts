import { describe, expect, it } from 'vitest';
import { MAX_MESSAGE_ID_LENGTH, normalizeMessage, type BatchDefaults } from './normalize-message';
import type { MessageType, TrackingEvent } from './tracking-event';

const receivedAt = new Date('2024-05-01T12:00:00.000Z');

function normalize(raw: unknown, options: { type?: MessageType; defaults?: BatchDefaults } = {}) {
  return normalizeMessage(raw, { systemId: 'sys-1', receivedAt, ...options });
}

function accepted(raw: unknown, options: { type?: MessageType; defaults?: BatchDefaults } = {}): TrackingEvent {
  const result = normalize(raw, options);
  if (!result.ok) throw new Error(`rejected: ${JSON.stringify(result.issues)}`);
  return result.event;
}

function rejectedFields(raw: unknown, options: { type?: MessageType; defaults?: BatchDefaults } = {}): string[] {
  const result = normalize(raw, options);
  if (result.ok) throw new Error('expected the message to be rejected');
  return result.issues.map((i) => i.field);
}

describe('normalizeMessage', () => {
  it('normalizes a track message', () => {
    const event = accepted({
      type: 'track',
      event: 'Order Completed',
      userId: 'u1',
      messageId: 'm1',
      properties: { price: 9.5 },
      context: { ip: '203.0.113.9' },
    });
    expect(event).toEqual({
      systemId: 'sys-1',
      messageId: 'm1',
      type: 'track',
      event: 'Order Completed',
      userId: 'u1',
      anonymousId: null,
      groupId: null,
      previousId: null,
      properties: { price: 9.5 },
      traits: {},
      context: { ip: '203.0.113.9' },
      integrations: {},
      timestamp: receivedAt,
      originalTimestamp: null,
      sentAt: null,
      receivedAt,
      valid: true,
      validationErrors: [],
    });
  });

  it('takes the type from the route over the message', () => {
    expect(accepted({ type: 'page', userId: 'u1', event: 'Signed Up' }, { type: 'track' }).type).toBe('track');
  });

  it('rejects a missing or unknown type, naming `type`', () => {
    expect(rejectedFields({ userId: 'u1' })).toEqual(['type']);
    expect(rejectedFields({ type: 'click', userId: 'u1' })).toEqual(['type']);
  });

  it.each([null, 'track', 42, [{ type: 'track' }]])('rejects %j as not a JSON object', (raw) => {
    expect(normalize(raw)).toEqual({ ok: false, issues: [{ field: '', message: 'must be a JSON object' }] });
  });

  describe('identity', () => {
    it('requires userId or anonymousId', () => {
      expect(rejectedFields({ type: 'identify' })).toEqual(['userId']);
      expect(rejectedFields({ type: 'identify', userId: '', anonymousId: null })).toEqual(['userId']);
      expect(accepted({ type: 'identify', anonymousId: 'a1' })).toMatchObject({ userId: null, anonymousId: 'a1' });
    });

    it('stores a numeric userId as a string', () => {
      expect(accepted({ type: 'identify', userId: 12345 }).userId).toBe('12345');
      expect(accepted({ type: 'identify', userId: 0 }).userId).toBe('0');
    });

    it('rejects an id that is neither a string nor a finite number', () => {
      expect(rejectedFields({ type: 'identify', userId: { id: 1 }, anonymousId: 'a1' })).toEqual(['userId']);
      expect(rejectedFields({ type: 'identify', anonymousId: true, userId: 'u1' })).toEqual(['anonymousId']);
    });
  });

  describe('type-specific fields', () => {
    it('requires `event` on track', () => {
      expect(rejectedFields({ type: 'track', userId: 'u1' })).toEqual(['event']);
      expect(rejectedFields({ type: 'track', userId: 'u1', event: '' })).toEqual(['event']);
      expect(rejectedFields({ type: 'track', userId: 'u1', event: 7 })).toEqual(['event']);
    });

    it('uses `name` as the event of a page or screen', () => {
      expect(accepted({ type: 'page', userId: 'u1', name: 'Home' }).event).toBe('Home');
      expect(accepted({ type: 'screen', userId: 'u1' }).event).toBeNull();
    });

    it('requires groupId on group', () => {
      expect(rejectedFields({ type: 'group', userId: 'u1' })).toEqual(['groupId']);
      expect(accepted({ type: 'group', userId: 'u1', groupId: 77 }).groupId).toBe('77');
    });

    it('requires previousId and userId on alias', () => {
      expect(rejectedFields({ type: 'alias', userId: 'u1' })).toEqual(['previousId']);
      expect(rejectedFields({ type: 'alias', previousId: 'a1', anonymousId: 'a1' })).toEqual(['userId']);
      expect(accepted({ type: 'alias', previousId: 'a1', userId: 'u1' })).toMatchObject({ previousId: 'a1', userId: 'u1' });
    });
  });

  describe('messageId', () => {
    it('assigns a messageId when absent, different each time', () => {
      const a = accepted({ type: 'identify', userId: 'u1' }).messageId;
      const b = accepted({ type: 'identify', userId: 'u1' }).messageId;
      expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(a).not.toBe(b);
    });

    it(`accepts ${MAX_MESSAGE_ID_LENGTH} characters and rejects more`, () => {
      const longest = 'm'.repeat(MAX_MESSAGE_ID_LENGTH);
      expect(accepted({ type: 'identify', userId: 'u1', messageId: longest }).messageId).toBe(longest);
      expect(rejectedFields({ type: 'identify', userId: 'u1', messageId: `${longest}m` })).toEqual(['messageId']);
    });
  });

  describe('objects', () => {
    it.each(['properties', 'traits', 'context', 'integrations'])('rejects %s that is an array or a string', (field) => {
      expect(rejectedFields({ type: 'track', event: 'E', userId: 'u1', [field]: [1, 2] })).toEqual([field]);
      expect(rejectedFields({ type: 'track', event: 'E', userId: 'u1', [field]: 'x' })).toEqual([field]);
    });

    it('defaults absent or null objects to empty ones', () => {
      expect(accepted({ type: 'identify', userId: 'u1', traits: null, properties: null })).toMatchObject({
        properties: {},
        traits: {},
        context: {},
        integrations: {},
      });
    });
  });

  describe('batch defaults', () => {
    const defaults: BatchDefaults = {
      context: { library: { name: 'analytics-node' }, ip: '203.0.113.9' },
      integrations: { All: false },
      sentAt: '2024-05-01T11:59:59.000Z',
    };

    it('lends context, integrations and sentAt to an item that lacks them', () => {
      const event = accepted({ type: 'identify', userId: 'u1' }, { defaults });
      expect(event.context).toEqual(defaults.context);
      expect(event.integrations).toEqual({ All: false });
      expect(event.sentAt).toEqual(new Date('2024-05-01T11:59:59.000Z'));
    });

    it("lets the item's own values win", () => {
      const event = accepted(
        {
          type: 'identify',
          userId: 'u1',
          context: { ip: '198.51.100.1' },
          integrations: { All: true },
          sentAt: '2024-05-01T11:00:00.000Z',
        },
        { defaults },
      );
      expect(event.context).toEqual({ library: { name: 'analytics-node' }, ip: '198.51.100.1' });
      expect(event.integrations).toEqual({ All: true });
      expect(event.sentAt).toEqual(new Date('2024-05-01T11:00:00.000Z'));
    });
  });

  describe('timestamps', () => {
    it('corrects clock skew: timestamp = receivedAt − (sentAt − originalTimestamp)', () => {
      // The client clock runs one hour fast; the event happened 5 s before it was sent.
      const event = accepted({
        type: 'identify',
        userId: 'u1',
        timestamp: '2024-05-01T12:59:55.000Z',
        sentAt: '2024-05-01T13:00:00.000Z',
      });
      expect(event.timestamp).toEqual(new Date('2024-05-01T11:59:55.000Z'));
      expect(event.originalTimestamp).toEqual(new Date('2024-05-01T12:59:55.000Z'));
      expect(event.sentAt).toEqual(new Date('2024-05-01T13:00:00.000Z'));
      expect(event.receivedAt).toBe(receivedAt);
    });

    it("corrects with the batch's sentAt when the item has none", () => {
      const event = accepted(
        { type: 'identify', userId: 'u1', timestamp: '2024-05-01T12:59:55.000Z' },
        { defaults: { sentAt: '2024-05-01T13:00:00.000Z' } },
      );
      expect(event.timestamp).toEqual(new Date('2024-05-01T11:59:55.000Z'));
    });

    it('reads originalTimestamp when timestamp is absent', () => {
      const event = accepted({ type: 'identify', userId: 'u1', originalTimestamp: '2024-05-01T12:59:55.000Z', sentAt: '2024-05-01T13:00:00.000Z' });
      expect(event.timestamp).toEqual(new Date('2024-05-01T11:59:55.000Z'));
    });

    it('takes the timestamp as-is without sentAt', () => {
      const event = accepted({ type: 'identify', userId: 'u1', timestamp: '2024-04-30T08:00:00.000Z' });
      expect(event.timestamp).toEqual(new Date('2024-04-30T08:00:00.000Z'));
      expect(event.originalTimestamp).toEqual(new Date('2024-04-30T08:00:00.000Z'));
      expect(event.sentAt).toBeNull();
    });

    it('uses receivedAt without a timestamp, even with sentAt', () => {
      const event = accepted({ type: 'identify', userId: 'u1', sentAt: '2024-05-01T13:00:00.000Z' });
      expect(event.timestamp).toEqual(receivedAt);
      expect(event.originalTimestamp).toBeNull();
    });

    it.each(['timestamp', 'originalTimestamp', 'sentAt'])('rejects an invalid %s, naming it', (field) => {
      expect(rejectedFields({ type: 'identify', userId: 'u1', [field]: 'yesterday-ish' })).toEqual([field]);
      expect(rejectedFields({ type: 'identify', userId: 'u1', [field]: { at: 1 } })).toEqual([field]);
    });
  });

  it('reports every issue of a message at once', () => {
    expect(rejectedFields({ type: 'track', properties: [], timestamp: 'never' }).sort()).toEqual([
      'event',
      'properties',
      'timestamp',
      'userId',
    ]);
  });
});

describe('dates', () => {
  it.each(['1', 'March 7', '2024-13-45T00:00:00Z', '1714560000000'])('refuses %s, which is not ISO-8601', (timestamp) => {
    expect(rejectedFields({ userId: 'u', type: 'track', event: 'E', timestamp })).toEqual(['timestamp']);
  });

  it.each(['2024-05-01T11:59:58Z', '2024-05-01T11:59:58.123+02:00', '2024-05-01T11:59:58.123456Z', '2024-05-01'])(
    'accepts %s',
    (timestamp) => {
      expect(accepted({ userId: 'u', type: 'track', event: 'E', timestamp }).originalTimestamp).toEqual(new Date(timestamp));
    },
  );
});

describe('text PostgreSQL cannot store', () => {
  it.each([
    [{ userId: 'u', type: 'track', event: 'E', properties: { note: 'a\u0000b' } }, 'properties.note'],
    [{ userId: 'u\u0000', type: 'track', event: 'E' }, 'userId'],
    [{ userId: 'u', type: 'track', event: 'E', properties: { ['k\u0000']: 1 } }, 'properties.k\u0000'],
    [{ userId: 'u', type: 'track', event: 'E', context: { page: { title: 'x\ud800' } } }, 'context.page.title'],
    [{ userId: 'u', type: 'track', event: 'E', properties: { list: ['ok', '\udc00'] } }, 'properties.list.1'],
  ])('is rejected naming the field', (raw, field) => {
    expect(rejectedFields(raw)).toEqual([field]);
  });

  it('accepts well-formed astral characters', () => {
    expect(accepted({ userId: 'u', type: 'track', event: 'E', properties: { emoji: '🎉' } }).properties).toEqual({ emoji: '🎉' });
  });
});
