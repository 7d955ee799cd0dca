import { deflateSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { basic, startTestServer, type TestServer } from '../support/test-server';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => server?.close());

async function events(systemId: string, query = '') {
  const body = await (await server.api(`/api/systems/${systemId}/events?limit=1000${query}`)).json();
  return body.data as Record<string, unknown>[];
}

function post(path: string, body: BodyInit, headers: Record<string, string>) {
  return fetch(`${server.url}${path}`, { method: 'POST', body, headers });
}

describe('routes', () => {
  it.each([
    ['track', 't', { event: 'Clicked' }],
    ['identify', 'i', { traits: { plan: 'pro' } }],
    ['page', 'p', { name: 'Home' }],
    ['screen', 's', { name: 'Settings' }],
    ['group', 'g', { groupId: 'g-1' }],
    ['alias', 'a', { previousId: 'anon-1' }],
  ])('stores %s through /v1/%s and its one-letter route', async (type, letter, fields) => {
    const { systemId, writeKey } = await server.newSystem();
    for (const path of [`/v1/${type}`, `/v1/${letter}`]) {
      const response = await post(path, JSON.stringify({ userId: 'u-1', messageId: `${path}-m`, ...fields }), {
        authorization: basic(writeKey),
        'content-type': 'application/json',
      });
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ success: true });
    }
    const stored = await events(systemId);
    expect(stored.map((e) => [e.type, e.messageId])).toEqual([
      [type, `/v1/${letter}-m`],
      [type, `/v1/${type}-m`],
    ]);
  });

  it.each(['/v1/batch', '/v1/import', '/v1/b'])('stores a batch through %s', async (path) => {
    const { systemId, writeKey } = await server.newSystem();
    const batch = [
      { type: 'identify', userId: 'u-1', traits: { email: 'a@b.c' } },
      { type: 'track', userId: 'u-1', event: 'Bought' },
    ];
    const response = await post(path, JSON.stringify({ batch }), { authorization: basic(writeKey), 'content-type': 'application/json' });
    expect(response.status).toBe(200);
    expect((await events(systemId)).map((e) => e.type).sort()).toEqual(['identify', 'track']);
  });

  it('answers 405 with Allow for a wrong method', async () => {
    const response = await fetch(`${server.url}/v1/track`);
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('POST');
  });
});

describe('authentication forms', () => {
  it('takes the key as Basic username, as Bearer, or as writeKey in the body; a secret key may ingest', async () => {
    const { systemId, writeKey, secretKey } = await server.newSystem();
    const json = { 'content-type': 'application/json' };
    const message = (id: string, extra: object = {}) => JSON.stringify({ userId: 'u', event: 'E', messageId: id, ...extra });
    expect((await post('/v1/track', message('basic'), { ...json, authorization: basic(writeKey) })).status).toBe(200);
    expect((await post('/v1/track', message('bearer'), { ...json, authorization: `Bearer ${writeKey}` })).status).toBe(200);
    expect((await post('/v1/track', message('body', { writeKey }), json)).status).toBe(200);
    expect((await post('/v1/track', message('secret'), { ...json, authorization: basic(secretKey) })).status).toBe(200);
    expect((await events(systemId)).map((e) => e.messageId).sort()).toEqual(['basic', 'bearer', 'body', 'secret']);
  });

  it('refuses unknown and revoked keys with 401', async () => {
    const { systemId, writeKey, writeKeyId } = await server.newSystem();
    const json = { 'content-type': 'application/json' };
    const body = JSON.stringify({ userId: 'u', event: 'E' });
    expect((await post('/v1/track', body, { ...json, authorization: basic('wk_0000000000000000_' + 'A'.repeat(43)) })).status).toBe(401);
    expect((await post('/v1/track', body, json)).status).toBe(401);
    expect((await server.api(`/api/systems/${systemId}/keys/${writeKeyId}`, { method: 'DELETE' })).status).toBe(204);
    const revoked = await post('/v1/track', body, { ...json, authorization: basic(writeKey) });
    expect(revoked.status).toBe(401);
    expect(revoked.headers.get('content-type')).toBe('application/problem+json');
  });
});

describe('bodies', () => {
  const message = (id: string) => JSON.stringify({ userId: 'u', event: 'E', messageId: id });

  it('accepts text/plain, form-encoded JSON, no content type, gzip and deflate', async () => {
    const { systemId, writeKey } = await server.newSystem();
    const auth = { authorization: basic(writeKey) };
    expect((await post('/v1/track', message('plain'), { ...auth, 'content-type': 'text/plain' })).status).toBe(200);
    expect((await post('/v1/track', message('form'), { ...auth, 'content-type': 'application/x-www-form-urlencoded' })).status).toBe(200);
    expect((await post('/v1/track', new Blob([message('none')]), auth)).status).toBe(200);
    const gz = await post('/v1/track', gzipSync(message('gzip')), { ...auth, 'content-type': 'application/json', 'content-encoding': 'gzip' });
    expect(gz.status).toBe(200);
    const df = await post('/v1/track', deflateSync(message('deflate')), { ...auth, 'content-type': 'application/json', 'content-encoding': 'deflate' });
    expect(df.status).toBe(200);
    expect((await events(systemId)).map((e) => e.messageId).sort()).toEqual(['deflate', 'form', 'gzip', 'none', 'plain']);
  });

  it('refuses a zip bomb with 413 once it inflates past the limit', async () => {
    const { writeKey } = await server.newSystem();
    const bomb = gzipSync(Buffer.alloc(50 * 1024 * 1024, 0x20));
    expect(bomb.byteLength).toBeLessThan(100 * 1024);
    const response = await post('/v1/batch', bomb, { authorization: basic(writeKey), 'content-type': 'application/json', 'content-encoding': 'gzip' });
    expect(response.status).toBe(413);
    expect((await response.json()).detail).toContain('decompressed');
  });

  it('names the problem with corrupt gzip, unknown encodings and content types', async () => {
    const { writeKey } = await server.newSystem();
    const auth = { authorization: basic(writeKey), 'content-type': 'application/json' };
    expect((await post('/v1/track', 'not gzip at all', { ...auth, 'content-encoding': 'gzip' })).status).toBe(400);
    expect((await post('/v1/track', message('x'), { ...auth, 'content-encoding': 'br' })).status).toBe(415);
    expect((await post('/v1/track', message('x'), { authorization: basic(writeKey), 'content-type': 'application/xml' })).status).toBe(415);
    const invalid = await post('/v1/track', '{"userId":', auth);
    expect(invalid.status).toBe(400);
    expect((await invalid.json()).detail).toContain('not valid JSON');
  });
});

describe('limits', () => {
  it('refuses a single message over 32 KB with 413 naming the limit', async () => {
    const { writeKey } = await server.newSystem();
    const big = JSON.stringify({ userId: 'u', event: 'E', properties: { blob: 'x'.repeat(33 * 1024) } });
    const response = await post('/v1/track', big, { authorization: basic(writeKey), 'content-type': 'application/json' });
    expect(response.status).toBe(413);
    expect((await response.json()).detail).toContain('32 KB');
  });

  it('rejects an oversize batch item by index and stores its neighbours', async () => {
    const { systemId, writeKey } = await server.newSystem();
    const batch = [
      { type: 'track', userId: 'u', event: 'Small', messageId: 'ok-1' },
      { type: 'track', userId: 'u', event: 'Big', messageId: 'big', properties: { blob: 'x'.repeat(33 * 1024) } },
      { type: 'track', userId: 'u', event: 'Small', messageId: 'ok-2' },
    ];
    const response = await post('/v1/batch', JSON.stringify({ batch }), { authorization: basic(writeKey), 'content-type': 'application/json' });
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body.rejected).toEqual([{ index: 1, messageId: 'big', errors: [{ pointer: '', message: expect.stringContaining('32 KB') }] }]);
    expect((await events(systemId)).map((e) => e.messageId).sort()).toEqual(['ok-1', 'ok-2']);
  });

  it('refuses more than 2,500 messages in a batch and a request over 500 KB', async () => {
    const { writeKey } = await server.newSystem();
    const auth = { authorization: basic(writeKey), 'content-type': 'application/json' };
    const many = Array.from({ length: 2501 }, (_, i) => ({ type: 'track', userId: 'u', event: 'E', messageId: `m${i}` }));
    const tooMany = await post('/v1/batch', JSON.stringify({ batch: many }), auth);
    expect(tooMany.status).toBe(400);
    expect((await tooMany.json()).errors[0]).toMatchObject({ field: 'batch', message: expect.stringContaining('2500') });
    const huge = JSON.stringify({ batch: Array.from({ length: 30 }, () => ({ type: 'track', userId: 'u', event: 'E', properties: { b: 'x'.repeat(20_000) } })) });
    const tooLarge = await post('/v1/batch', huge, auth);
    expect(tooLarge.status).toBe(413);
    expect((await tooLarge.json()).detail).toContain('500000');
  });

  it('refuses a messageId over 100 characters naming it', async () => {
    const { writeKey } = await server.newSystem();
    const response = await post('/v1/track', JSON.stringify({ userId: 'u', event: 'E', messageId: 'm'.repeat(101) }), {
      authorization: basic(writeKey),
      'content-type': 'application/json',
    });
    expect(response.status).toBe(400);
    expect((await response.json()).errors).toEqual([expect.objectContaining({ field: 'messageId' })]);
  });
});

describe('semantics', () => {
  it('corrects clock skew, keeps originalTimestamp, and lends the batch root to its items', async () => {
    const { systemId, writeKey } = await server.newSystem();
    const batch = {
      sentAt: '2026-01-01T00:00:10.000Z',
      context: { library: { name: 'batch-root' } },
      integrations: { All: true },
      batch: [
        { type: 'track', userId: 'u', event: 'Skewed', messageId: 'skew', timestamp: '2026-01-01T00:00:00.000Z' },
        { type: 'track', userId: 'u', event: 'Own', messageId: 'own', context: { library: { name: 'item' } } },
      ],
    };
    const before = Date.now();
    expect((await post('/v1/batch', JSON.stringify(batch), { authorization: basic(writeKey), 'content-type': 'application/json' })).status).toBe(200);
    const after = Date.now();
    const stored = Object.fromEntries((await events(systemId)).map((e) => [e.messageId, e]));
    const skew = stored.skew!;
    const received = Date.parse(skew.receivedAt as string);
    expect(received).toBeGreaterThanOrEqual(before - 5);
    expect(received).toBeLessThanOrEqual(after + 5);
    expect(Date.parse(skew.timestamp as string)).toBe(received - 10_000);
    expect(skew.originalTimestamp).toBe('2026-01-01T00:00:00.000Z');
    expect(skew.sentAt).toBe('2026-01-01T00:00:10.000Z');
    expect(skew.context).toEqual({ library: { name: 'batch-root' }, ip: '127.0.0.1' });
    expect(skew.integrations).toEqual({ All: true });
    expect(stored.own!.context).toEqual({ library: { name: 'item' }, ip: '127.0.0.1' });
  });

  it('stores a batch resent three times, also concurrently, exactly once', async () => {
    const { systemId, writeKey } = await server.newSystem();
    const batch = JSON.stringify({ batch: Array.from({ length: 50 }, (_, i) => ({ type: 'track', userId: 'u', event: 'E', messageId: `r${i}` })) });
    const send = () => post('/v1/batch', batch, { authorization: basic(writeKey), 'content-type': 'application/json' });
    expect((await send()).status).toBe(200);
    const concurrent = await Promise.all([send(), send(), send()]);
    expect(concurrent.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(await events(systemId)).toHaveLength(50);
  });
});

describe('validation policy', () => {
  const schema = { type: 'object', properties: { total: { type: 'number' } }, required: ['total'] };

  it('flags or rejects by the system settings, and always stores valid neighbours', async () => {
    const { systemId, writeKey } = await server.newSystem();
    await server.api(`/api/systems/${systemId}/event-structures/Order%20Completed`, { method: 'PUT', json: { schema } });
    const batch = (ids: string[]) =>
      JSON.stringify({
        batch: [
          { type: 'track', userId: 'u', event: 'Order Completed', messageId: ids[0], properties: { total: 10 } },
          { type: 'track', userId: 'u', event: 'Order Completed', messageId: ids[1], properties: { total: 'ten' } },
          { type: 'track', userId: 'u', event: 'Unplanned', messageId: ids[2] },
        ],
      });
    const auth = { authorization: basic(writeKey), 'content-type': 'application/json' };
    expect((await post('/v1/batch', batch(['v1', 'f1', 'u1']), auth)).status).toBe(200);
    const flagged = await events(systemId, '&valid=false');
    expect(flagged).toEqual([expect.objectContaining({ messageId: 'f1', valid: false, validationErrors: [{ path: '/properties/total', message: 'must be number' }] })]);

    await server.api(`/api/systems/${systemId}/settings`, { method: 'PATCH', json: { invalidEvents: 'reject', unplannedEvents: 'reject' } });
    const response = await post('/v1/batch', batch(['v2', 'f2', 'u2']), auth);
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body.rejected.map((r: { index: number; messageId: string }) => [r.index, r.messageId])).toEqual([
      [1, 'f2'],
      [2, 'u2'],
    ]);
    expect(body.rejected[0].errors).toEqual([{ pointer: '/properties/total', message: 'must be number' }]);
    expect((await events(systemId)).map((e) => e.messageId).sort()).toEqual(['f1', 'u1', 'v1', 'v2']);
  });
});
