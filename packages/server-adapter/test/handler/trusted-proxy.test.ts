import { createServer } from 'node:http';
import { createPlatform } from '@volcanion-tracking/core';
import { createMemoryStorage } from '@volcanion-tracking/core/memory';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createHandler } from '../../src';
import { createNodeListener } from '../../src/node';
import { listen } from '../contract/host-apps';
import type { MountedApp } from '../contract/adapter-contract';
import { basic } from '../support/test-server';

const TOKEN = 'trusted-proxy-admin-token';
let app: MountedApp;
let writeKey: string;
let systemId: string;

beforeAll(async () => {
  const platform = createPlatform({ storage: createMemoryStorage() });
  // Set on the handler only: the Node listener must honour it.
  const handler = createHandler({ platform, admin: await platform.setUpAdminToken(TOKEN), trustProxy: true });
  app = await listen(createServer(createNodeListener(handler, { prefix: '/collect' })));
  const admin = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' };
  const partner = await (await fetch(`${app.url}/collect/api/partners`, { method: 'POST', headers: admin, body: '{"name":"P","email":"p@e.co"}' })).json();
  const system = await (await fetch(`${app.url}/collect/api/partners/${partner.id}/systems`, { method: 'POST', headers: admin, body: '{"name":"w"}' })).json();
  writeKey = system.writeKey;
  systemId = system.id;
});
afterAll(async () => app?.close());

it('behind a trusted proxy, takes the client address and the public scheme and host from its headers', async () => {
  const forwarded = { 'x-forwarded-for': '6.6.6.6, 203.0.113.9', 'x-forwarded-proto': 'https', 'x-forwarded-host': 'shop.example' };
  const sent = await fetch(`${app.url}/collect/v1/track`, {
    method: 'POST',
    headers: { authorization: basic(writeKey), 'content-type': 'application/json', ...forwarded },
    body: JSON.stringify({ userId: 'u', event: 'Proxied' }),
  });
  expect(sent.status).toBe(200);
  const events = await (await fetch(`${app.url}/collect/api/systems/${systemId}/events`, { headers: { authorization: `Bearer ${TOKEN}` } })).json();
  expect(events.data[0].context.ip).toBe('203.0.113.9');
  const settings = await (await fetch(`${app.url}/collect/v1/projects/${writeKey}/settings`, { headers: forwarded })).json();
  expect(settings.integrations['Segment.io']).toMatchObject({ apiHost: 'shop.example/collect/v1', protocol: 'https' });
});
