import fc from 'fast-check';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { basic, startTestServer, type TestServer } from '../support/test-server';

let server: TestServer;
let writeKey: string;
let systemId: string;
beforeAll(async () => {
  server = await startTestServer();
  ({ writeKey, systemId } = await server.newSystem());
  await server.api(`/api/systems/${systemId}/event-structures/Order`, {
    method: 'PUT',
    json: { schema: { type: 'object', properties: { total: { type: 'number' } } } },
  });
});
afterAll(async () => server?.close());

const anyValue = fc.oneof(fc.string(), fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.array(fc.string()), fc.dictionary(fc.string(), fc.string()));

// Messages that look like Segment's, with every field allowed to be the wrong type or missing.
const message = fc.record(
  {
    type: fc.oneof(fc.constantFrom('track', 'identify', 'page', 'screen', 'group', 'alias'), anyValue),
    userId: anyValue,
    anonymousId: anyValue,
    event: fc.oneof(fc.constant('Order'), anyValue),
    messageId: fc.oneof(fc.string({ maxLength: 120 }), anyValue),
    timestamp: fc.oneof(fc.date({ noInvalidDate: true }).map((d) => d.toISOString()), anyValue),
    properties: fc.oneof(fc.dictionary(fc.string(), fc.jsonValue()), anyValue),
    context: fc.oneof(fc.object(), anyValue),
    groupId: anyValue,
    previousId: anyValue,
  },
  { requiredKeys: [] },
);

const body = fc.oneof(
  message.map((m) => JSON.stringify(m)),
  fc.record({ batch: fc.oneof(fc.array(message, { maxLength: 20 }), anyValue), sentAt: anyValue, context: anyValue }, { requiredKeys: [] }).map((b) => JSON.stringify(b)),
  fc.jsonValue().map((v) => JSON.stringify(v)),
  fc.string(),
  fc.uint8Array({ maxLength: 2000 }).map((bytes) => Buffer.from(bytes).toString('latin1')),
);

const request = fc.record({
  path: fc.constantFrom('/v1/track', '/v1/t', '/v1/identify', '/v1/page', '/v1/group', '/v1/alias', '/v1/batch', '/v1/b', '/v1/import', '/v1/nope', '/v1/projects/x/settings'),
  method: fc.constantFrom('POST', 'POST', 'POST', 'GET', 'PUT', 'DELETE', 'OPTIONS'),
  contentType: fc.option(fc.oneof(fc.constantFrom('application/json', 'text/plain', 'application/x-www-form-urlencoded', 'application/json; charset=utf-8', 'multipart/form-data'), fc.string()), { nil: undefined }),
  gzip: fc.boolean(),
  encodingHeader: fc.option(fc.constantFrom('gzip', 'deflate', 'br', 'identity', 'x'), { nil: undefined }),
  auth: fc.oneof(fc.constant('valid'), fc.constant('none'), fc.string(), fc.string().map((s) => `Basic ${s}`), fc.string().map((s) => `Bearer ${s}`)),
  body,
});

it('answers every random or malformed ingestion request with a status below 500, and keeps serving', async () => {
  await fc.assert(
    fc.asyncProperty(request, async (r) => {
      const headers = new Headers();
      if (r.contentType !== undefined) {
        try {
          headers.set('content-type', r.contentType);
        } catch {
          // A header value fetch itself refuses to send; the request goes without it.
        }
      }
      if (r.auth === 'valid') headers.set('authorization', basic(writeKey));
      else if (r.auth !== 'none') {
        try {
          headers.set('authorization', r.auth);
        } catch {
          // as above
        }
      }
      let payload: BodyInit | undefined = r.method === 'GET' ? undefined : r.body;
      if (payload !== undefined && r.gzip) {
        payload = gzipSync(r.body);
        headers.set('content-encoding', 'gzip');
      } else if (r.encodingHeader) headers.set('content-encoding', r.encodingHeader);
      const response = await fetch(`${server.url}${r.path}`, { method: r.method, headers, body: payload });
      const text = await response.text();
      expect(response.status, `${r.method} ${r.path} → ${response.status} ${text}`).toBeLessThan(500);
      if (response.status >= 400) expect(response.headers.get('content-type')).toBe('application/problem+json');
    }),
    { numRuns: 400 },
  );
  const alive = await fetch(`${server.url}/v1/track`, {
    method: 'POST',
    headers: { authorization: basic(writeKey), 'content-type': 'application/json' },
    body: JSON.stringify({ userId: 'u', event: 'Still Alive' }),
  });
  expect(alive.status).toBe(200);
});

it('answers random management requests below 500', async () => {
  const path = fc.oneof(
    fc.constantFrom('/api/partners', `/api/systems/${'x'}/events`, '/api/partners/not-a-uuid', '/api/systems/018f0000-0000-7000-8000-000000000001/keys'),
    fc.webPath(),
  );
  await fc.assert(
    fc.asyncProperty(path, fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE'), fc.jsonValue(), fc.webQueryParameters(), async (p, method, json, query) => {
      const response = await server.api(`${p.startsWith('/') ? '' : '/'}${p}?${query}`, method === 'GET' || method === 'DELETE' ? { method } : { method, json });
      expect(response.status, `${method} ${p}?${query} → ${response.status} ${await response.text()}`).toBeLessThan(500);
    }),
    { numRuns: 300 },
  );
});
