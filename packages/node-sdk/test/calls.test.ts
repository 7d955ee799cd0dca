import { describe, expect, it } from 'vitest';
import { InvalidCallError, TrackingClient, type DroppedMessage } from '../src';
import { SDK_NAME, SDK_VERSION } from '../src/version';
import { FakeHttpClient } from './support/fake-http-client';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

function setUp() {
  const http = new FakeHttpClient();
  const client = new TrackingClient({ writeKey: 'wk_test', host: 'http://127.0.0.1:1/base/', flushAt: 100, httpClient: http });
  const errors: Error[] = [];
  const dropped: DroppedMessage[] = [];
  client.on('error', (e) => errors.push(e)).on('dropped', (d) => dropped.push(d));
  return { http, client, errors, dropped };
}

describe('message shapes', () => {
  it("sends Segment's shapes with a client-side messageId, timestamp, library and a per-request sentAt", async () => {
    const { http, client } = setUp();
    const before = Date.now();
    const results = await Promise.all([
      client.track({ userId: 'u1', event: 'Clicked', properties: { button: 'buy' } }),
      client.identify({ anonymousId: 'a1', traits: { plan: 'pro' } }),
      client.page({ userId: 'u1', name: 'Home', category: 'Landing' }),
      client.screen({ userId: 'u1', name: 'Settings', properties: { tab: 2 } }),
      client.group({ userId: 'u1', groupId: 7, traits: { name: 'Acme' } }),
      client.alias({ userId: 'u1', previousId: 'a1' }),
      client.flush(),
    ]);
    expect(http.requests).toHaveLength(1);
    const { request, body } = http.requests[0]!;
    expect(request.url).toBe('http://127.0.0.1:1/base/v1/batch');
    expect(request.method).toBe('POST');
    expect(request.headers.authorization).toBe(`Basic ${Buffer.from('wk_test:').toString('base64')}`);
    expect(request.headers['content-type']).toBe('application/json');
    expect(request.headers['user-agent']).toMatch(/^@volcanion-tracking\/node-sdk\//);
    expect(Date.parse(body.sentAt)).toBeGreaterThanOrEqual(before);
    const library = { name: SDK_NAME, version: SDK_VERSION };
    const [track, identify, page, screen, group, alias] = body.batch;
    expect(track).toMatchObject({ type: 'track', event: 'Clicked', userId: 'u1', properties: { button: 'buy' }, context: { library } });
    expect(identify).toMatchObject({ type: 'identify', anonymousId: 'a1', traits: { plan: 'pro' } });
    expect(page).toMatchObject({ type: 'page', name: 'Home', properties: { category: 'Landing' } });
    expect(screen).toMatchObject({ type: 'screen', name: 'Settings', properties: { tab: 2 } });
    expect(group).toMatchObject({ type: 'group', groupId: 7, traits: { name: 'Acme' } });
    expect(alias).toMatchObject({ type: 'alias', userId: 'u1', previousId: 'a1' });
    for (const [i, message] of body.batch.entries()) {
      expect(message.messageId).toMatch(UUID);
      expect(message.messageId).toBe(results[i] && 'messageId' in results[i]! ? (results[i] as { messageId: string }).messageId : undefined);
      expect(Date.parse(message.timestamp as string)).toBeGreaterThanOrEqual(before);
    }
    expect(new Set(body.batch.map((m) => m.messageId)).size).toBe(6);
  });

  it('keeps your messageId, timestamp, context (library added unless you set one) and integrations', async () => {
    const { http, client } = setUp();
    const at = new Date('2026-01-02T03:04:05.678Z');
    client.track({ userId: 'u1', event: 'E', messageId: 'my-id-1', timestamp: at, context: { ip: '1.2.3.4' }, integrations: { All: false } });
    client.track({ userId: 'u1', event: 'E', timestamp: '2026-01-02T03:04:05Z', context: { library: { name: 'wrapper', version: '9' } } });
    client.track({ userId: 'u1', event: 'E', timestamp: at.getTime() });
    await client.flush();
    const [first, second, third] = http.messages;
    expect(first).toMatchObject({ messageId: 'my-id-1', timestamp: at.toISOString(), context: { ip: '1.2.3.4', library: { name: SDK_NAME } }, integrations: { All: false } });
    expect(second).toMatchObject({ timestamp: '2026-01-02T03:04:05.000Z', context: { library: { name: 'wrapper', version: '9' } } });
    expect(third!.timestamp).toBe(at.toISOString());
  });

  it('serializes at call time: changing the objects afterwards changes nothing', async () => {
    const { http, client } = setUp();
    const properties = { step: 1 };
    client.track({ userId: 'u1', event: 'E', properties });
    properties.step = 2;
    await client.flush();
    expect(http.messages[0]!.properties).toEqual({ step: 1 });
  });
});

describe('a call never throws', () => {
  const invalid: [string, (c: TrackingClient) => Promise<unknown>, string][] = [
    ['no userId or anonymousId', (c) => c.track({ event: 'E' } as never), 'userId'],
    ['an empty userId', (c) => c.identify({ userId: '' } as never), 'userId'],
    ['an object as userId', (c) => c.identify({ userId: {} } as never), 'userId'],
    ['track without event', (c) => c.track({ userId: 'u' } as never), 'event'],
    ['group without groupId', (c) => c.group({ userId: 'u' } as never), 'groupId'],
    ['alias without previousId', (c) => c.alias({ userId: 'u' } as never), 'previousId'],
    ['alias without userId', (c) => c.alias({ previousId: 'p', anonymousId: 'a' } as never), 'userId'],
    ['properties as an array', (c) => c.track({ userId: 'u', event: 'E', properties: [1] } as never), 'properties'],
    ['traits as a string', (c) => c.identify({ userId: 'u', traits: 'x' } as never), 'traits'],
    ['an unreadable timestamp', (c) => c.track({ userId: 'u', event: 'E', timestamp: 'yesterday' }), 'timestamp'],
    ['a messageId over 100 characters', (c) => c.track({ userId: 'u', event: 'E', messageId: 'x'.repeat(101) }), 'messageId'],
    ['null instead of a call', (c) => c.track(null as never), ''],
    ['no argument at all', (c) => (c.identify as (x?: unknown) => Promise<unknown>)(), ''],
    ['a BigInt property', (c) => c.track({ userId: 'u', event: 'E', properties: { n: 1n } }), ''],
    ['a circular property', (c) => {
      const loop: Record<string, unknown> = {};
      loop.self = loop;
      return c.track({ userId: 'u', event: 'E', properties: loop });
    }, ''],
    ['a throwing toJSON', (c) => c.track({ userId: 'u', event: 'E', properties: { toJSON() { throw new Error('boom'); } } }), ''],
  ];

  it.each(invalid)('%s: resolves { ok: false, reason: "invalid" }, emits error and dropped, and the rest goes on', async (_, call, field) => {
    const { http, client, errors, dropped } = setUp();
    let promise: Promise<unknown> | undefined;
    expect(() => (promise = call(client))).not.toThrow();
    const result = (await promise) as { ok: boolean; reason: string; error: InvalidCallError; messageId: string };
    expect(result).toMatchObject({ ok: false, reason: 'invalid' });
    expect(result.error).toBeInstanceOf(InvalidCallError);
    expect(result.error.field).toBe(field);
    expect(errors).toEqual([result.error]);
    expect(dropped).toMatchObject([{ messageId: result.messageId, reason: 'invalid' }]);
    const fine = client.track({ userId: 'u', event: 'Fine' });
    await client.flush();
    expect(await fine).toMatchObject({ ok: true });
    expect(http.messages.map((m) => m.event)).toEqual(['Fine']);
  });

  it('refuses a message over maxEventBytes with reason too_large', async () => {
    const http = new FakeHttpClient();
    const client = new TrackingClient({ writeKey: 'wk', host: 'http://127.0.0.1:1', httpClient: http, maxEventBytes: 1024 });
    client.on('error', () => {});
    const result = await client.track({ userId: 'u', event: 'Big', properties: { blob: 'é'.repeat(600) } });
    // 600 × 'é' is 1,200 bytes of UTF-8 though only 600 characters: the limit counts bytes.
    expect(result).toMatchObject({ ok: false, reason: 'too_large', error: { limit: 1024 } });
    expect(http.requests).toHaveLength(0);
  });

  it('refuses calls after closeAndFlush with reason closed', async () => {
    const { client, dropped } = setUp();
    await client.closeAndFlush();
    expect(client.closed).toBe(true);
    const result = await client.track({ userId: 'u', event: 'Late' });
    expect(result).toMatchObject({ ok: false, reason: 'closed' });
    expect(dropped[0]!.message).toMatchObject({ type: 'track', event: 'Late' });
  });

  it('has bound methods, so they can be passed around', async () => {
    const { http, client } = setUp();
    const { track, flush } = client;
    track({ userId: 'u', event: 'Detached' });
    await flush();
    expect(http.messages).toHaveLength(1);
  });
});

describe('settings', () => {
  it.each([
    [{}, /writeKey/],
    [{ writeKey: 'wk' }, /host/],
    [{ writeKey: 'wk', host: 'tracking.example.com' }, /host/],
    [{ writeKey: 'wk', host: 'http://x', flushAt: 0 }, /flushAt/],
    [{ writeKey: 'wk', host: 'http://x', timeout: -1 }, /timeout/],
    [{ writeKey: 'wk', host: 'http://x', queueFullPolicy: 'block' }, /queueFullPolicy/],
    [{ writeKey: 'wk', host: 'http://x', maxEventBytes: 1000, maxBatchBytes: 1000 }, /maxBatchBytes/],
  ])('throws a TypeError at construction for %j', (settings, message) => {
    expect(() => new TrackingClient(settings as never)).toThrow(message);
  });
});
