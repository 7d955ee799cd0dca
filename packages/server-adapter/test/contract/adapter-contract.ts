import { gzipSync } from 'node:zlib';
import { createPlatform, type Platform } from '@volcanion-tracking/core';
import { createPostgresStorage } from '@volcanion-tracking/core/postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFreshDatabase } from '../../../core/test/support/fresh-postgres';
import { createHandler, type FetchHandler } from '../../src';
import { basic } from '../support/test-server';

export const ADMIN = 'adapter-contract-admin-token';

/** A host app the adapter is mounted in: tracking under `/collect`, plus the app's own routes. */
export interface MountedApp {
  url: string;
  close(): Promise<void>;
}

/** What an adapter test provides: how to mount a handler made with `makeHandler` in its framework. */
export interface AdapterUnderTest {
  name: string;
  /**
   * Starts a host app on 127.0.0.1:0 with the tracking API under `/collect`, `GET /hello` answering
   * `host`, and `POST /echo` echoing its JSON body through the framework's own body parser.
   */
  mount(makeHandler: (options?: { basePath?: string; trustProxy?: boolean }) => FetchHandler): Promise<MountedApp>;
}

/** The HTTP scenarios every adapter must pass. */
export function runAdapterContract(adapter: AdapterUnderTest): void {
  describe(`adapter contract: ${adapter.name}`, () => {
    let app: MountedApp;
    let platform: Platform;
    let drop: () => Promise<void>;
    let writeKey: string;
    let systemId: string;
    const collect = (path: string) => `${app.url}/collect${path}`;
    const admin = { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' };

    beforeAll(async () => {
      const database = await createFreshDatabase();
      drop = database.drop;
      const storage = createPostgresStorage({ connectionString: database.url });
      await storage.migrate();
      platform = createPlatform({ storage });
      const verifier = await platform.setUpAdminToken(ADMIN);
      app = await adapter.mount((options) => createHandler({ platform, admin: verifier, ...options }));
      const partner = await (await fetch(collect('/api/partners'), { method: 'POST', headers: admin, body: '{"name":"Host","email":"h@example.com"}' })).json();
      const system = await (await fetch(collect(`/api/partners/${partner.id}/systems`), { method: 'POST', headers: admin, body: '{"name":"web"}' })).json();
      writeKey = system.writeKey;
      systemId = system.id;
    });
    afterAll(async () => {
      await app?.close();
      await platform?.close();
      await drop?.();
    });

    const track = (body: BodyInit, headers: Record<string, string> = {}) =>
      fetch(collect('/v1/track'), { method: 'POST', headers: { authorization: basic(writeKey), 'content-type': 'application/json', ...headers }, body });
    const stored = async () =>
      ((await (await fetch(collect(`/api/systems/${systemId}/events?limit=1000`), { headers: admin })).json()).data as Record<string, unknown>[]);

    it('ingests through every route under the prefix', async () => {
      for (const [path, body] of [
        ['/v1/track', { userId: 'u', event: 'A', messageId: `${adapter.name}-track` }],
        ['/v1/t', { userId: 'u', event: 'B', messageId: `${adapter.name}-t` }],
        ['/v1/identify', { userId: 'u', traits: {}, messageId: `${adapter.name}-identify` }],
        ['/v1/batch', { batch: [{ type: 'page', userId: 'u', name: 'P', messageId: `${adapter.name}-batch` }] }],
        ['/v1/b', { batch: [{ type: 'group', userId: 'u', groupId: 'g', messageId: `${adapter.name}-b` }] }],
      ] as const) {
        const response = await fetch(collect(path), { method: 'POST', headers: { authorization: basic(writeKey), 'content-type': 'text/plain' }, body: JSON.stringify(body) });
        expect(response.status, path).toBe(200);
      }
      const ids = (await stored()).map((e) => e.messageId);
      for (const suffix of ['track', 't', 'identify', 'batch', 'b']) expect(ids).toContain(`${adapter.name}-${suffix}`);
    });

    it('serves management and reading under the prefix', async () => {
      const list = await fetch(collect('/api/partners'), { headers: admin });
      expect(list.status).toBe(200);
      expect((await list.json()).data).toHaveLength(1);
      expect((await fetch(collect('/api/partners'), { headers: { authorization: 'Bearer wrong-token-entirely' } })).status).toBe(401);
    });

    it('answers errors as problem documents', async () => {
      const invalid = await track('{"userId":');
      expect(invalid.status).toBe(400);
      expect(invalid.headers.get('content-type')).toBe('application/problem+json');
      const wrongMethod = await fetch(collect('/v1/track'));
      expect(wrongMethod.status).toBe(405);
      expect(wrongMethod.headers.get('allow')).toBe('POST');
      const unknown = await fetch(collect('/api/nothing-here'), { headers: admin });
      expect(unknown.status).toBe(404);
    });

    it('refuses an oversized body with 413 and keeps serving', async () => {
      const big = JSON.stringify({ batch: [{ type: 'track', userId: 'u', event: 'E', properties: { b: 'x'.repeat(600_000) } }] });
      const response = await fetch(collect('/v1/batch'), { method: 'POST', headers: { authorization: basic(writeKey), 'content-type': 'application/json' }, body: big });
      expect(response.status).toBe(413);
      expect((await track(JSON.stringify({ userId: 'u', event: 'After413' }))).status).toBe(200);
    });

    it('inflates gzip bodies', async () => {
      const response = await track(gzipSync(JSON.stringify({ userId: 'u', event: 'Zipped', messageId: `${adapter.name}-gzip` })), { 'content-encoding': 'gzip' });
      expect(response.status).toBe(200);
      expect((await stored()).map((e) => e.messageId)).toContain(`${adapter.name}-gzip`);
    });

    it('answers CORS preflights', async () => {
      const response = await fetch(collect('/v1/t'), {
        method: 'OPTIONS',
        headers: { origin: 'https://shop.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization' },
      });
      expect(response.status).toBe(204);
      expect(response.headers.get('access-control-allow-origin')).toBe('https://shop.example');
    });

    it('points analytics-next at the prefix in the settings document', async () => {
      const settings = await (await fetch(collect(`/v1/projects/${writeKey}/settings`))).json();
      expect(settings.integrations['Segment.io'].apiHost).toBe(`${new URL(app.url).host}/collect/v1`);
    });

    it('gives Location headers with the prefix', async () => {
      const created = await fetch(collect('/api/partners'), { method: 'POST', headers: admin, body: `{"name":"Loc ${adapter.name}","email":"l@example.com"}` });
      expect(created.status).toBe(201);
      expect(created.headers.get('location')).toBe(`/collect/api/partners/${(await created.json()).id}`);
    });

    it('records the client address as context.ip', async () => {
      expect((await track(JSON.stringify({ userId: 'u', event: 'Ip', messageId: `${adapter.name}-ip` }))).status).toBe(200);
      const event = (await stored()).find((e) => e.messageId === `${adapter.name}-ip`)!;
      expect((event.context as { ip?: string }).ip).toMatch(/^(::ffff:)?127\.0\.0\.1$|^::1$/);
    });

    it('leaves the host app\'s own routes working beside it', async () => {
      const hello = await fetch(`${app.url}/hello`);
      expect(hello.status).toBe(200);
      expect(await hello.text()).toBe('host');
      const echo = await fetch(`${app.url}/echo`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"a":1}' });
      expect(echo.status).toBe(200);
      expect(await echo.json()).toEqual({ a: 1 });
    });
  });
}
