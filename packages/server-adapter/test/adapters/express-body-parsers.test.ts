import { gzipSync } from 'node:zlib';
import express from 'express';
import { createPlatform } from '@volcanion-tracking/core';
import { createMemoryStorage } from '@volcanion-tracking/core/memory';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createHandler, type Logger } from '../../src';
import { trackingMiddleware } from '../../src/adapters/express';
import { listen } from '../contract/host-apps';
import type { MountedApp } from '../contract/adapter-contract';
import { basic } from '../support/test-server';

const TOKEN = 'express-parsers-admin-token';
let app: MountedApp;
let writeKey: string;
let systemId: string;
const logged: string[] = [];

beforeAll(async () => {
  const platform = createPlatform({ storage: createMemoryStorage() });
  const logger: Logger = { info() {}, warn() {}, error: (obj) => void logged.push(String((obj as { err?: Error }).err?.message)) };
  const handler = createHandler({ platform, admin: await platform.setUpAdminToken(TOKEN), logger });
  const host = express();
  // Body parsers mounted before tracking, as many apps do globally.
  host.use('/parsed', express.json(), express.text(), trackingMiddleware(handler));
  // A middleware that reads the body for itself and keeps nothing.
  host.use('/swallowed', (req, _res, next) => void req.on('data', () => {}).on('end', () => next()), trackingMiddleware(handler));
  app = await listen((await import('node:http')).createServer(host));
  const admin = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' };
  const partner = await (await fetch(`${app.url}/parsed/api/partners`, { method: 'POST', headers: admin, body: '{"name":"P","email":"p@e.co"}' })).json();
  const system = await (await fetch(`${app.url}/parsed/api/partners/${partner.id}/systems`, { method: 'POST', headers: admin, body: '{"name":"w"}' })).json();
  writeKey = system.writeKey;
  systemId = system.id;
});
afterAll(async () => app?.close());

const send = (prefix: string, body: BodyInit, headers: Record<string, string>) =>
  fetch(`${app.url}${prefix}/v1/track`, { method: 'POST', headers: { authorization: basic(writeKey), ...headers }, body });

it('uses the body express.json() or express.text() already parsed, gzip included', async () => {
  expect((await send('/parsed', JSON.stringify({ userId: 'u', event: 'E', messageId: 'json' }), { 'content-type': 'application/json' })).status).toBe(200);
  const zipped = gzipSync(JSON.stringify({ userId: 'u', event: 'E', messageId: 'json-gzip' }));
  expect((await send('/parsed', zipped, { 'content-type': 'application/json', 'content-encoding': 'gzip' })).status).toBe(200);
  expect((await send('/parsed', JSON.stringify({ userId: 'u', event: 'E', messageId: 'text' }), { 'content-type': 'text/plain' })).status).toBe(200);
  const events = await (await fetch(`${app.url}/parsed/api/systems/${systemId}/events`, { headers: { authorization: `Bearer ${TOKEN}` } })).json();
  expect(events.data.map((e: { messageId: string }) => e.messageId).sort()).toEqual(['json', 'json-gzip', 'text']);
});

it('still enforces the 32 KB message limit on a body a parser read', async () => {
  const big = JSON.stringify({ userId: 'u', event: 'E', properties: { blob: 'x'.repeat(40_000) } });
  const response = await send('/parsed', big, { 'content-type': 'application/json' });
  expect(response.status).toBe(413);
});

it('fails clearly when a middleware consumed the body and kept nothing', async () => {
  const response = await send('/swallowed', JSON.stringify({ userId: 'u', event: 'E' }), { 'content-type': 'application/json' });
  expect(response.status).toBe(500);
  expect((await response.json()).code).toBe('internal_error');
  expect(logged.join('\n')).toContain('read by another middleware');
});

it('recovers the JSON a form parser took apart, as rudder-sdk-node posts it', async () => {
  const host = express();
  const platform = createPlatform({ storage: createMemoryStorage() });
  const handler = createHandler({ platform, admin: await platform.setUpAdminToken(TOKEN) });
  host.use(express.urlencoded({ extended: false }), trackingMiddleware(handler));
  const formApp = await listen((await import('node:http')).createServer(host));
  try {
    const admin = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' };
    const partner = await (await fetch(`${formApp.url}/api/partners`, { method: 'POST', headers: admin, body: '{"name":"F","email":"f@e.co"}' })).json();
    const system = await (await fetch(`${formApp.url}/api/partners/${partner.id}/systems`, { method: 'POST', headers: admin, body: '{"name":"w"}' })).json();
    const response = await fetch(`${formApp.url}/v1/batch`, {
      method: 'POST',
      headers: { authorization: basic(system.writeKey), 'content-type': 'application/x-www-form-urlencoded' },
      body: JSON.stringify({ batch: [{ type: 'track', userId: 'u', event: 'Form', messageId: 'form-1' }] }),
    });
    expect(response.status).toBe(200);
  } finally {
    await formApp.close();
  }
});
