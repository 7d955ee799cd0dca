import { createMemoryStorage } from '@volcanion-tracking/core/memory';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer } from '../../src/server/start-server';
import { ADMIN_TOKEN, basic, startTestServer, type TestServer } from '../support/test-server';
import { expectFields, expectJson, expectProblem, ingest, rawStatus, type Body } from './helpers';

let t: TestServer;
let s: Awaited<ReturnType<TestServer['newSystem']>>;
beforeAll(async () => {
  t = await startTestServer();
  s = await t.newSystem();
});
afterAll(() => t.close());

const chunks = (count: number, size: number) =>
  new ReadableStream<Uint8Array>({
    start(controller) {
      for (let i = 0; i < count; i++) controller.enqueue(new Uint8Array(size).fill(0x20));
      controller.close();
    },
  });

describe('routing', () => {
  it.each(['/', '/api', '/api/nope', '/v1', '/v1/identity', '/api/partners/a/b/c', '/api/systems/x/events/y'])('answers 404 for GET %s', async (path) => {
    await expectProblem(await t.api(path), 404, 'not_found');
  });

  it.each([
    ['DELETE', '/api/partners', ['GET', 'POST']],
    ['PUT', '/api/partners/ID', ['GET', 'PATCH']],
    ['GET', '/api/partners/ID/deactivate', ['POST']],
    ['DELETE', '/api/systems/SID/keys', ['GET', 'POST']],
    ['GET', '/api/systems/SID/keys/KID/rotate', ['POST']],
    ['POST', '/api/systems/SID/event-structures/E', ['GET', 'PUT']],
    ['GET', '/v1/track', ['POST']],
    ['PUT', '/v1/batch', ['POST']],
  ])('answers 405 for %s %s with Allow', async (method, template, allowed) => {
    const path = template.replace('SID', s.systemId).replace('ID', s.partnerId).replace('KID', s.writeKeyId);
    const res = await t.api(path, { method });
    await expectProblem(res, 405, 'method_not_allowed');
    expect(res.headers.get('allow')?.split(/,\s*/).sort()).toEqual(allowed);
  });

  it('answers HEAD like GET without a body', async () => {
    const res = await t.api('/api/partners', { method: 'HEAD' });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('');
  });
});

describe('ids that are not UUIDs', () => {
  const routes: [string, string, unknown?][] = [
    ['GET', '/api/partners/X'],
    ['PATCH', '/api/partners/X', { name: 'n' }],
    ['POST', '/api/partners/X/deactivate'],
    ['GET', '/api/partners/X/systems'],
    ['POST', '/api/partners/X/systems', { name: 'web' }],
    ['GET', '/api/systems/X'],
    ['PATCH', '/api/systems/X/settings', {}],
    ['POST', '/api/systems/X/deactivate'],
    ['GET', '/api/systems/X/keys'],
    ['POST', '/api/systems/X/keys', { kind: 'write' }],
    ['POST', '/api/systems/X/keys/0123456789abcdef/rotate'],
    ['DELETE', '/api/systems/X/keys/0123456789abcdef'],
    ['PUT', '/api/systems/X/event-structures/E', { schema: {} }],
    ['GET', '/api/systems/X/event-structures'],
    ['GET', '/api/systems/X/event-structures/E'],
    ['GET', '/api/systems/X/events'],
  ];
  it.each(routes)('%s %s answers 404, not 500', async (method, template, json) => {
    for (const id of ['abc', '12345', '01900000-0000-7000-8000-00000000000g', "1' or '1'='1", '%E2%82%AC']) {
      const res = await t.api(template.replace('X', id.startsWith('%') ? id : encodeURIComponent(id)), { method, json });
      await expectProblem(res, 404, 'not_found');
    }
  });

  it('answers 404 for a path segment that is not valid percent-encoding', async () => {
    await expectProblem(await t.api('/api/partners/%E0%A4%A'), 404);
  });
});

describe('bodies', () => {
  const bodyRoutes: [string, string][] = [
    ['POST', '/api/partners'],
    ['PATCH', '/api/partners/PID'],
    ['POST', '/api/partners/PID/systems'],
    ['PATCH', '/api/systems/SID/settings'],
    ['POST', '/api/systems/SID/keys'],
    ['PUT', '/api/systems/SID/event-structures/E'],
  ];
  const path = (template: string) => template.replace('PID', s.partnerId).replace('SID', s.systemId);

  it.each(bodyRoutes)('%s %s answers 400 for invalid JSON, 415 for text/plain or none', async (method, template) => {
    const send = (body: string, headers: Record<string, string>) => t.api(path(template), { method, body, headers });
    await expectProblem(await send('{"name": "x"', { 'content-type': 'application/json' }), 400, 'invalid_input');
    await expectProblem(await send('', { 'content-type': 'application/json' }), 400, 'invalid_input');
    await expectProblem(await send('{}', { 'content-type': 'text/plain' }), 415, 'unsupported_media_type');
    await expectProblem(await t.api(path(template), { method, body: new Uint8Array([0x7b, 0x7d]) }), 415);
  });

  it.each(bodyRoutes)('%s %s answers 413 for a declared body over 64 KiB', async (method, template) => {
    const big = JSON.stringify({ name: 'x'.repeat(70_000) });
    await expectProblem(await t.api(path(template), { method, body: big, headers: { 'content-type': 'application/json' } }), 413, 'payload_too_large');
  });

  // Streamed (chunked) bodies to the other routes crash the process: see server-resilience.test.ts.
  it('answers 413 for a streamed body over 64 KiB without Content-Length', async () => {
    const streamed = { method: 'POST', body: chunks(70, 1024), duplex: 'half', headers: { 'content-type': 'application/json' } };
    await expectProblem(await t.api('/api/partners', streamed as RequestInit), 413, 'payload_too_large');
  });

  it('ingestion accepts a batch near 500 KB and answers 413 above it', async () => {
    const padding = 'x'.repeat(24_000);
    const batch = Array.from({ length: 20 }, (_, i) => ({ type: 'track', userId: 'u', event: 'Big', messageId: `big-${i}`, properties: { padding } }));
    expect(await expectJson(await ingest(t, '/v1/batch', s.writeKey, { batch }), 200)).toEqual({ success: true });
    const head = (path: string) =>
      `POST ${path} HTTP/1.1\r\nHost: test\r\nAuthorization: ${basic(s.writeKey)}\r\nContent-Type: application/json\r\nContent-Length: 600000\r\nConnection: close\r\n\r\n{"batch":[`;
    expect(await rawStatus(t.url, head('/v1/batch'))).toBe(413);
    expect(await rawStatus(t.url, head('/v1/track'))).toBe(413);
    const streamed = { method: 'POST', body: chunks(51, 10_000), duplex: 'half', headers: { authorization: basic(s.writeKey), 'content-type': 'text/plain' } };
    await expectProblem(await t.api('/v1/batch', streamed as RequestInit), 413, 'payload_too_large');
  });
});

describe('bad input is always a 4xx problem, never 5xx', () => {
  const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };
  const cases: [string, string, string, unknown, Record<string, string>?][] = [
    ['partner with numbers everywhere', 'POST', '/api/partners', { name: 1, email: 2, contactPerson: 3 }],
    ['partner with a huge email', 'POST', '/api/partners', { name: 'n', email: `${'a'.repeat(400)}@b.co` }],
    ['system with nested junk settings', 'POST', '/api/partners/PID/systems', { name: 'x', settings: { allowedOrigins: [{}] } }],
    ['settings as an array', 'PATCH', '/api/systems/SID/settings', []],
    ['key kind null', 'POST', '/api/systems/SID/keys', { kind: null }],
    ['structure with a $ref to nowhere', 'PUT', '/api/systems/SID/event-structures/R', { schema: { $ref: '#/$defs/missing' } }],
    ['structure with a remote $ref', 'PUT', '/api/systems/SID/event-structures/R', { schema: { $ref: 'https://example.com/s.json' } }],
    ['track with a numeric timestamp', 'POST', '/v1/track', { userId: 'u', event: 'E', timestamp: 1714550400 }],
    ['track with an impossible date', 'POST', '/v1/track', { userId: 'u', event: 'E', timestamp: '2024-02-30T99:99:99Z' }],
    ['track with a 1001-character userId', 'POST', '/v1/track', { userId: 'u'.repeat(1001), event: 'E' }],
    ['batch of nulls', 'POST', '/v1/batch', { batch: [null, null] }],
    ['batch with an object context root', 'POST', '/v1/batch', { batch: [], context: 'x', sentAt: 5 }],
    ['alias with only numbers', 'POST', '/v1/alias', { userId: 1.5, previousId: [Number.MAX_SAFE_INTEGER] }],
    ['track whose event name holds U+0000', 'POST', '/v1/track', { userId: 'u', event: 'Bad\u0000Name' }],
    ['track whose properties hold U+0000', 'POST', '/v1/track', { userId: 'u', event: 'E', properties: { note: 'a\u0000b' } }],
    ['track with timestamp and sentAt millennia apart', 'POST', '/v1/track', { userId: 'u', event: 'E', timestamp: '0001-01-01T00:00:00Z', sentAt: '9999-12-31T00:00:00Z' }],
    ['batch over 2500 messages', 'POST', '/v1/batch', { batch: Array.from({ length: 2501 }, () => ({ type: 'identify', userId: 'u' })) }],
  ];
  it.each(cases)('%s', async (_label, method, template, json, headers) => {
    const path = template.replace('PID', s.partnerId).replace('SID', s.systemId);
    const auth = path.startsWith('/v1/') ? { authorization: basic(s.writeKey) } : admin;
    const res = await t.api(path, { method, json, headers: { ...auth, ...headers } });
    expect(res.status, await res.clone().text()).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  });
});

describe('inputs that once reached the database or overflowed the stack', () => {
  const notServerError = async (res: Response): Promise<Body> => {
    expect(res.status, await res.clone().text()).toBeLessThan(500);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    return res.json();
  };


  it('answers 400 naming name for a partner name containing U+0000', async () => {
    await expectFields(await t.api('/api/partners', { method: 'POST', json: { name: 'Acme\u0000', email: 'a@b.co' } }), ['name']);
  });


  it.each([
    ['events?event=%00', 'event'],
    ['events?userId=u%00', 'userId'],
    ['events?anonymousId=a%00', 'anonymousId'],
    ['stats/timeseries?event=A%00B', 'event'],
    ['stats/breakdown?event=%00&property=p', 'event'],
    ['stats/breakdown?event=B&property=%00', 'property'],
    ['funnels?steps=A,B%00', 'steps.1'],
  ])('answers 400 naming the filter of %s, which no stored event can hold', async (query, field) => {
    await expectFields(await t.api(`/api/systems/${s.systemId}/${query}`), [field]);
  });

  it('answers 404 for an event name or key id of %00 in the path', async () => {
    await notServerError(await t.api(`/api/systems/${s.systemId}/event-structures/%00`));
    await notServerError(await t.api(`/api/systems/${s.systemId}/event-structures/%00`, { method: 'PUT', json: { schema: {} } }));
    await notServerError(await t.api(`/api/systems/${s.systemId}/keys/%00/rotate`, { method: 'POST' }));
    await notServerError(await t.api(`/api/systems/${s.systemId}/keys/%00`, { method: 'DELETE' }));
  });


  it('answers 4xx, not 500, for properties nested 5000 levels deep', async () => {
    const deep = `${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}`;
    const body = `{"userId":"u","event":"Deep","properties":${deep}}`;
    await notServerError(await t.api('/v1/track', { method: 'POST', body, headers: { authorization: basic(s.writeKey), 'content-type': 'application/json' } }));
  });


  // and node-listener answers a bare 500 with no problem document (and nothing is logged).
  it('answers an unexpected storage fault with a 500 problem document that leaks nothing', async () => {
    const memory = createMemoryStorage();
    const storage = { ...memory, events: { ...memory.events, list: async () => Promise.reject(new Error('disk on fire')) } };
    const server = await startServer({ storage, port: 0, adminToken: ADMIN_TOKEN });
    try {
      const res = await fetch(`${server.url}/api/systems/01900000-0000-7000-8000-000000000000/events`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
      expect(res.status).toBe(404);
      const partner = await (await fetch(`${server.url}/api/partners`, { method: 'POST', headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' }, body: '{"name":"P","email":"p@b.co"}' })).json();
      const system = await (await fetch(`${server.url}/api/partners/${partner.id}/systems`, { method: 'POST', headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' }, body: '{"name":"web"}' })).json();
      const failed = await fetch(`${server.url}/api/systems/${system.id}/events`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
      const problem = await expectProblem(failed, 500, 'internal_error');
      expect(JSON.stringify(problem)).not.toContain('disk on fire');
    } finally {
      await server.close();
    }
  });
});
