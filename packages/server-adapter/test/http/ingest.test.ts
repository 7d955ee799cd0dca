import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, basic, startTestServer, type TestServer } from '../support/test-server';
import { allEvents, expectFields, expectJson, expectProblem, expectUnauthorized, ingest, unknownWriteKey, type Body } from './helpers';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(() => t.close());

const raw = (path: string, body: string, headers: Record<string, string>) => t.api(path, { method: 'POST', body, headers });

describe('single-message routes', () => {
  it('stores one message of each type through its route', async () => {
    const { systemId, writeKey } = await t.newSystem();
    const messages: [string, Record<string, unknown>][] = [
      ['track', { userId: 'u1', event: 'Signed Up', properties: { plan: 'pro' } }],
      ['identify', { userId: 'u1', traits: { email: 'u1@example.com' } }],
      ['page', { anonymousId: 'a1', name: 'Home' }],
      ['screen', { userId: 42, name: 'Settings' }],
      ['group', { userId: 'u1', groupId: 'g1' }],
      ['alias', { userId: 'u1', previousId: 'a1' }],
    ];
    for (const [type, body] of messages) {
      expect(await expectJson(await ingest(t, `/v1/${type}`, writeKey, { ...body, messageId: type }), 200)).toEqual({ success: true });
    }
    const stored = Object.fromEntries((await allEvents(t, systemId)).map((e) => [e.messageId, e]));
    expect(Object.keys(stored).sort()).toEqual(['alias', 'group', 'identify', 'page', 'screen', 'track']);
    for (const [type] of messages) expect(stored[type].type).toBe(type);
    expect(stored.track).toMatchObject({ event: 'Signed Up', userId: 'u1', properties: { plan: 'pro' } });
    expect(stored.page).toMatchObject({ event: 'Home', anonymousId: 'a1' });
    expect(stored.screen.userId).toBe('42');
    expect(stored.group.groupId).toBe('g1');
    expect(stored.alias.previousId).toBe('a1');
  });

  it.each([
    ['track', { userId: 'u1' }, 'event'],
    ['track', { event: 'No One' }, 'userId'],
    ['track', { userId: 'u1', event: 5 }, 'event'],
    ['track', { userId: 'u1', event: 'E', properties: 'x' }, 'properties'],
    ['track', { userId: 'u1', event: 'E', timestamp: 'yesterday' }, 'timestamp'],
    ['track', { userId: { id: 1 }, event: 'E' }, 'userId'],
    ['track', { userId: 'u1', event: 'E', messageId: 'm'.repeat(101) }, 'messageId'],
    ['identify', { traits: { a: 1 } }, 'userId'],
    ['identify', { userId: 'u1', context: [] }, 'context'],
    ['group', { userId: 'u1' }, 'groupId'],
    ['alias', { userId: 'u1' }, 'previousId'],
    ['alias', { previousId: 'a1' }, 'userId'],
  ])('/v1/%s answers 400 for %j naming the field, and stores nothing', async (type, body, field) => {
    const { systemId, writeKey } = await t.newSystem();
    await expectFields(await ingest(t, `/v1/${type}`, writeKey, body), [field]);
    expect(await allEvents(t, systemId)).toEqual([]);
  });

  it('stores a repeated messageId once', async () => {
    const { systemId, writeKey } = await t.newSystem();
    for (let i = 0; i < 2; i++) await expectJson(await ingest(t, '/v1/track', writeKey, { userId: 'u1', event: 'E', messageId: 'same' }), 200);
    expect(await allEvents(t, systemId)).toHaveLength(1);
  });
});

describe('credentials', () => {
  it('accepts the write key as Basic username, as Bearer, and as writeKey in a text/plain body; and the secret key', async () => {
    const { systemId, writeKey, secretKey } = await t.newSystem();
    const body = (messageId: string) => JSON.stringify({ userId: 'u1', event: 'E', messageId });
    await expectJson(await raw('/v1/track', body('basic'), { authorization: basic(writeKey), 'content-type': 'application/json' }), 200);
    await expectJson(await raw('/v1/track', body('bearer'), { authorization: `Bearer ${writeKey}`, 'content-type': 'application/json; charset=utf-8' }), 200);
    const inBody = JSON.stringify({ writeKey, userId: 'u1', event: 'E', messageId: 'in-body' });
    await expectJson(await raw('/v1/track', inBody, { authorization: '', 'content-type': 'text/plain' }), 200);
    await expectJson(await raw('/v1/track', body('secret'), { authorization: basic(secretKey), 'content-type': 'application/json' }), 200);
    expect((await allEvents(t, systemId)).map((e) => e.messageId).sort()).toEqual(['basic', 'bearer', 'in-body', 'secret']);
  });

  it('answers 401 without credentials or with unknown ones, and 403 for the admin token', async () => {
    const { systemId } = await t.newSystem();
    const json = { userId: 'u1', event: 'E' };
    await expectUnauthorized(await t.api('/v1/track', { method: 'POST', json, headers: { authorization: '' } }));
    await expectUnauthorized(await ingest(t, '/v1/track', unknownWriteKey, json));
    await expectUnauthorized(await ingest(t, '/v1/batch', 'not-a-key', { batch: [{ type: 'track', ...json }] }));
    await expectUnauthorized(await t.api('/v1/track', { method: 'POST', json, headers: { authorization: 'Basic !!!' } }));
    await expectUnauthorized(await t.api('/v1/track', { method: 'POST', json: { ...json, writeKey: unknownWriteKey }, headers: { authorization: '' } }));
    await expectProblem(await t.api('/v1/track', { method: 'POST', json }), 403, 'forbidden');
    await expectProblem(await ingest(t, '/v1/track', ADMIN_TOKEN, json), 403, 'forbidden');
    expect(await allEvents(t, systemId)).toEqual([]);
  });
});

describe('POST /v1/batch and /v1/import', () => {
  it('stores the valid items, names the rejected ones by index, and applies root defaults', async () => {
    const { systemId, writeKey } = await t.newSystem();
    const batch = [
      { type: 'track', messageId: 'ok-0', userId: 'u1', event: 'A' },
      { type: 'track', messageId: 'bad-1', userId: 'u1' },
      { type: 'identify', messageId: 'ok-2', anonymousId: 'a1', context: { locale: 'de' } },
      'not an object',
      { type: 'teleport', messageId: 'bad-4', userId: 'u1' },
    ];
    const res = await expectJson(await ingest(t, '/v1/batch', writeKey, { batch, context: { library: { name: 'test' } } }), 200);
    expect(res.success).toBe(true);
    expect(res.rejected.map((r: Body) => [r.index, r.messageId])).toEqual([[1, 'bad-1'], [3, null], [4, 'bad-4']]);
    expect(res.rejected[0].errors).toEqual([expect.objectContaining({ pointer: '/event' })]);
    expect(res.rejected[2].errors).toEqual(expect.arrayContaining([expect.objectContaining({ pointer: '/type' })]));

    const stored = await allEvents(t, systemId);
    expect(stored.map((e) => e.messageId)).toEqual(['ok-2', 'ok-0']);
    expect(stored[1].context).toEqual({ library: { name: 'test' }, ip: '127.0.0.1' });
    expect(stored[0].context).toEqual({ library: { name: 'test' }, locale: 'de', ip: '127.0.0.1' });
  });

  it('answers 400 naming batch.<index>.<field> when every item is rejected', async () => {
    const { systemId, writeKey } = await t.newSystem();
    const batch = [{ type: 'track', event: 'A' }, { type: 'group', userId: 'u1' }];
    await expectFields(await ingest(t, '/v1/batch', writeKey, { batch }), ['batch.0.userId', 'batch.1.groupId']);
    expect(await allEvents(t, systemId)).toEqual([]);
  });

  it.each([
    ['a missing batch', {}, 'batch'],
    ['a batch object', { batch: { type: 'track' } }, 'batch'],
    ['a malformed root sentAt', { batch: [{ type: 'track', userId: 'u', event: 'E' }], sentAt: 'soon' }, 'sentAt'],
  ])('answers 400 for %s naming the field', async (_label, body, field) => {
    const { systemId, writeKey } = await t.newSystem();
    await expectFields(await ingest(t, '/v1/batch', writeKey, body), [field]);
    expect(await allEvents(t, systemId)).toEqual([]);
  });

  it('corrects the timestamp for client clock skew using sentAt', async () => {
    const { systemId, writeKey } = await t.newSystem();
    const batch = [{ type: 'track', userId: 'u', event: 'E', timestamp: '2000-01-01T00:00:00.000Z' }];
    const before = Date.now();
    await expectJson(await ingest(t, '/v1/import', writeKey, { batch, sentAt: '2000-01-01T00:00:10.000Z' }), 200);
    const [event] = await allEvents(t, systemId);
    expect(event.originalTimestamp).toBe('2000-01-01T00:00:00.000Z');
    expect(Date.parse(event.timestamp)).toBeGreaterThanOrEqual(before - 10_000 - 1000);
    expect(Date.parse(event.timestamp)).toBeLessThanOrEqual(Date.now() - 10_000 + 1000);
  });
});

describe('bodies', () => {
  it('takes the bodies real clients send: JSON, text/plain, form-wrapped JSON, no type, gzip', async () => {
    const { systemId, writeKey } = await t.newSystem();
    const auth = { authorization: basic(writeKey) };
    const msg = (messageId: string) => JSON.stringify({ userId: 'u1', event: 'E', messageId });
    await expectJson(await raw('/v1/track', msg('plain'), { ...auth, 'content-type': 'text/plain;charset=UTF-8' }), 200);
    await expectJson(await raw('/v1/track', msg('form'), { ...auth, 'content-type': 'application/x-www-form-urlencoded' }), 200);
    await expectJson(await t.api('/v1/track', { method: 'POST', body: new Uint8Array(Buffer.from(msg('untyped'))), headers: auth }), 200);
    const gzipped = new Uint8Array(gzipSync(msg('gzip')));
    await expectJson(await t.api('/v1/track', { method: 'POST', body: gzipped, headers: { ...auth, 'content-type': 'application/json', 'content-encoding': 'gzip' } }), 200);
    expect((await allEvents(t, systemId)).map((e) => e.messageId).sort()).toEqual(['form', 'gzip', 'plain', 'untyped']);
  });

  it('answers 415 for other content types or encodings, 400 for invalid, empty or non-object JSON', async () => {
    const { systemId, writeKey } = await t.newSystem();
    const auth = { authorization: basic(writeKey) };
    const valid = JSON.stringify({ userId: 'u1', event: 'E' });
    await expectProblem(await raw('/v1/track', valid, { ...auth, 'content-type': 'application/xml' }), 415, 'unsupported_media_type');
    await expectProblem(await raw('/v1/batch', valid, { ...auth, 'content-type': 'multipart/form-data; boundary=x' }), 415);
    await expectProblem(await raw('/v1/track', valid, { ...auth, 'content-type': 'application/json', 'content-encoding': 'br' }), 415);
    await expectProblem(await raw('/v1/track', valid, { ...auth, 'content-type': 'application/json', 'content-encoding': 'gzip' }), 400);
    for (const body of ['{"userId":"u1",', '', '   ', '[{"userId":"u1","event":"E"}]', '"track"', 'null']) {
      await expectProblem(await raw('/v1/track', body, { ...auth, 'content-type': 'application/json' }), 400, 'invalid_input');
    }
    await expectProblem(await raw('/v1/batch', '{"batch":[', { ...auth, 'content-type': 'text/plain' }), 400);
    expect(await allEvents(t, systemId)).toEqual([]);
  });

  it('refuses a message over 32 KB: 413 on a single route, a rejected item in a batch', async () => {
    const { systemId, writeKey } = await t.newSystem();
    const properties = { padding: 'x'.repeat(33 * 1024) };
    await expectProblem(await ingest(t, '/v1/track', writeKey, { userId: 'u1', event: 'Huge', properties }), 413, 'payload_too_large');
    const batch = [
      { type: 'track', messageId: 'small', userId: 'u1', event: 'Small' },
      { type: 'track', messageId: 'huge', userId: 'u1', event: 'Huge', properties },
    ];
    const res = await expectJson(await ingest(t, '/v1/batch', writeKey, { batch }), 200);
    expect(res.rejected.map((r: Body) => [r.index, r.messageId])).toEqual([[1, 'huge']]);
    expect((await allEvents(t, systemId)).map((e) => e.messageId)).toEqual(['small']);
  });
});
