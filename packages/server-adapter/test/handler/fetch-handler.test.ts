import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { createPlatform } from '@volcanion-tracking/core';
import { createMemoryStorage } from '@volcanion-tracking/core/memory';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHandler, type FetchHandler } from '../../src';
import { createNodeListener } from '../../src/node';

const TOKEN = 'fetch-handler-admin-token';
let handler: FetchHandler;
let writeKey: string;
let systemId: string;

beforeAll(async () => {
  const platform = createPlatform({ storage: createMemoryStorage() });
  handler = createHandler({ platform, admin: await platform.setUpAdminToken(TOKEN) });
  const admin = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' };
  const partner = await (await handler(new Request('http://x/api/partners', { method: 'POST', headers: admin, body: '{"name":"F","email":"f@e.co"}' }))).json();
  const system = await (await handler(new Request(`http://x/api/partners/${partner.id}/systems`, { method: 'POST', headers: admin, body: '{"name":"w"}' }))).json();
  writeKey = system.writeKey;
  systemId = system.id;
});

const track = (body: BodyInit, headers: Record<string, string> = {}) =>
  new Request('http://collector.example/v1/track', {
    method: 'POST',
    headers: { authorization: `Basic ${btoa(`${writeKey}:`)}`, 'content-type': 'application/json', ...headers },
    body,
    duplex: 'half',
  } as RequestInit);

describe('the fetch handler called directly, as fetch runtimes do', () => {
  it('ingests, lists and answers problems as fetch Responses', async () => {
    const ok = await handler(track(JSON.stringify({ userId: 'u', event: 'Direct', messageId: 'd1' })));
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ success: true });
    const zipped = await handler(track(gzipSync(JSON.stringify({ userId: 'u', event: 'Zipped', messageId: 'd2' })), { 'content-encoding': 'gzip' }));
    expect(zipped.status).toBe(200);
    const listed = await (await handler(new Request(`http://x/api/systems/${systemId}/events`, { headers: { authorization: `Bearer ${TOKEN}` } }))).json();
    expect(listed.data.map((e: { messageId: string }) => e.messageId)).toEqual(['d2', 'd1']);
    const bad = await handler(track('{'));
    expect(bad.status).toBe(400);
    expect(bad.headers.get('content-type')).toBe('application/problem+json');
  });

  it('refuses a streamed body over the limit without a Content-Length, reading at most a bounded drain of a runaway upload', async () => {
    let pulled = 0;
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled += 64 * 1024;
        controller.enqueue(new Uint8Array(64 * 1024).fill(0x20));
        if (pulled > 50 * 1024 * 1024) controller.close();
      },
    });
    const response = await handler(track(endless));
    expect(response.status).toBe(413);
    // Up to 8 MiB is read and dropped so the runtime can reuse the connection; a 50 MB upload is cut off.
    expect(pulled).toBeLessThan(10 * 1024 * 1024);
  });

  it('answers HEAD without a body and OPTIONS on ingestion with a preflight', async () => {
    const head = await handler(new Request(`http://x/api/systems/${systemId}`, { method: 'HEAD', headers: { authorization: `Bearer ${TOKEN}` } }));
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
    const preflight = await handler(new Request('http://x/v1/batch', { method: 'OPTIONS', headers: { origin: 'https://a.example' } }));
    expect(preflight.status).toBe(204);
  });
});

describe('createNodeListener with a fetch handler not made by createHandler', () => {
  let server: Server;
  let url: string;
  beforeAll(async () => {
    const echo: FetchHandler = async (request) =>
      new Response(JSON.stringify({ method: request.method, path: new URL(request.url).pathname, body: await request.text() }), {
        status: 201,
        headers: { 'content-type': 'application/json', 'set-cookie': 'a=1' },
      });
    server = createServer(createNodeListener(echo));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('streams the request in and the response out', async () => {
    const response = await fetch(`${url}/some/path`, { method: 'POST', body: 'hello' });
    expect(response.status).toBe(201);
    expect(response.headers.get('set-cookie')).toBe('a=1');
    expect(await response.json()).toEqual({ method: 'POST', path: '/some/path', body: 'hello' });
  });
});
