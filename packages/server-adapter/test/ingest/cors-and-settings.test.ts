import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { basic, startTestServer, type TestServer } from '../support/test-server';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => server?.close());

describe('CORS', () => {
  it('answers the preflight analytics-next makes, allowing its headers', async () => {
    const response = await fetch(`${server.url}/v1/t`, {
      method: 'OPTIONS',
      headers: {
        origin: 'https://shop.example',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization, content-type, x-retry-count',
      },
    });
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe('https://shop.example');
    expect(response.headers.get('access-control-allow-methods')).toContain('POST');
    const allowed = response.headers.get('access-control-allow-headers')!.split(/,\s*/);
    expect(allowed).toEqual(expect.arrayContaining(['authorization', 'content-type', 'x-retry-count']));
  });

  it('lets any origin send by default, without credentials', async () => {
    const { writeKey } = await server.newSystem();
    const response = await fetch(`${server.url}/v1/t`, {
      method: 'POST',
      headers: { origin: 'https://anywhere.example', authorization: basic(writeKey), 'content-type': 'text/plain' },
      body: JSON.stringify({ anonymousId: 'a', event: 'E' }),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    expect(response.headers.get('access-control-allow-credentials')).toBeNull();
  });

  it('enforces a system\'s allowed origins', async () => {
    const { systemId, writeKey } = await server.newSystem({ allowedOrigins: ['https://shop.example'] });
    const send = (origin: string) =>
      fetch(`${server.url}/v1/track`, {
        method: 'POST',
        headers: { origin, authorization: basic(writeKey), 'content-type': 'application/json' },
        body: JSON.stringify({ anonymousId: 'a', event: 'E', messageId: origin }),
      });
    const allowed = await send('https://shop.example');
    expect(allowed.status).toBe(200);
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://shop.example');
    expect(allowed.headers.get('vary')).toContain('Origin');
    const refused = await send('https://evil.example');
    expect(refused.status).toBe(403);
    expect(refused.headers.get('access-control-allow-origin')).toBeNull();
    const stored = await (await server.api(`/api/systems/${systemId}/events`)).json();
    expect(stored.data.map((e: { messageId: string }) => e.messageId)).toEqual(['https://shop.example']);
  });

  it('lets browsers read ingestion errors', async () => {
    const response = await fetch(`${server.url}/v1/track`, {
      method: 'POST',
      headers: { origin: 'https://shop.example', 'content-type': 'application/json' },
      body: '{}',
    });
    expect(response.status).toBe(401);
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
  });
});

describe('GET /v1/projects/:writeKey/settings', () => {
  it('points analytics-next\'s Segment.io integration at this server', async () => {
    const { writeKey } = await server.newSystem();
    const response = await fetch(`${server.url}/v1/projects/${writeKey}/settings`);
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    const settings = await response.json();
    const host = new URL(server.url).host;
    expect(settings.integrations['Segment.io']).toMatchObject({ apiKey: writeKey, apiHost: `${host}/v1`, protocol: 'http' });
    const { apiHost, protocol } = settings.integrations['Segment.io'];
    const sent = await fetch(`${protocol}://${apiHost}/t`, {
      method: 'POST',
      headers: { authorization: basic(writeKey), 'content-type': 'text/plain' },
      body: JSON.stringify({ anonymousId: 'a', event: 'Loaded' }),
    });
    expect(sent.status).toBe(200);
  });

  it('is 404 for an unknown or revoked write key', async () => {
    const { systemId, writeKey, writeKeyId } = await server.newSystem();
    expect((await fetch(`${server.url}/v1/projects/wk_0000000000000000_${'A'.repeat(43)}/settings`)).status).toBe(404);
    await server.api(`/api/systems/${systemId}/keys/${writeKeyId}`, { method: 'DELETE' });
    expect((await fetch(`${server.url}/v1/projects/${writeKey}/settings`)).status).toBe(404);
  });
});
