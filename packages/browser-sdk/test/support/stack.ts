import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { createMemoryStorage } from '@volcanion-tracking/core/memory';
import { chromium, type Browser } from 'playwright-core';
import { createHandler } from '../../../server-adapter/src/handler/create-handler';
import { createNodeListener } from '../../../server-adapter/src/node/node-listener';
import { startServer } from '../../../server-adapter/src/server/start-server';

const ADMIN_TOKEN = 'browser-sdk-test-admin-token-0123456789';
const SCRIPT = fileURLToPath(new URL('../../dist/volcanion.min.js', import.meta.url));

/** A message as the server received it, duplicates included (the event log keeps one per messageId). */
export interface Received {
  messageId: string;
  type: string;
  event?: string;
}

/** An HTTP request the API server saw (bodies are not read here; see {@link Stack.received}). */
export interface SeenRequest {
  method: string;
  path: string;
  origin: string | undefined;
  authorization: string | undefined;
  contentType: string | undefined;
  contentLength: number;
}

/** A stored event as `GET /api/systems/:id/events` shows it. */
export interface StoredEvent {
  messageId: string;
  type: string;
  event: string | null;
  userId: string | null;
  anonymousId: string | null;
  groupId: string | null;
  previousId: string | null;
  properties: Record<string, unknown> | null;
  traits: Record<string, unknown> | null;
  context: Record<string, any>;
  timestamp: string;
  originalTimestamp: string | null;
}

/**
 * The real ingestion server (server-adapter's `startServer`, memory storage) on one 127.0.0.1 port,
 * and a static site on another, so every page is cross-origin to the API. The site also mounts the
 * API under `/collect`, as a first-party deployment would.
 */
export interface Stack {
  /** Origin of the API server. */
  api: string;
  /** Origin of the static site that serves the test pages and `/volcanion.min.js`. */
  site: string;
  /** Every message the server was handed, in order, duplicates included. */
  received: Received[];
  /** Every request the API server saw. */
  requests: SeenRequest[];
  /** A new partner and system; `settings` as the API takes them (`allowedOrigins`, …). */
  newSystem(settings?: Record<string, unknown>): Promise<{ systemId: string; writeKey: string }>;
  /** The events stored for a system. */
  stored(systemId: string): Promise<StoredEvent[]>;
  /** Serves `html` on the site; returns its URL. */
  page(html: string): string;
  close(): Promise<void>;
}

export async function startStack(): Promise<Stack> {
  if (!existsSync(SCRIPT)) throw new Error(`${SCRIPT} is missing: run \`pnpm -C packages/browser-sdk build\` before these tests`);
  const script = await readFile(SCRIPT);
  const running = await startServer({ storage: createMemoryStorage(), port: 0, adminToken: ADMIN_TOKEN, projector: false });

  const received: Received[] = [];
  const platform = running.platform;
  const ingest = platform.ingest.bind(platform);
  platform.ingest = (principal, request) => {
    for (const m of request.messages as Record<string, unknown>[]) received.push({ messageId: String(m.messageId), type: String(m.type ?? ''), event: m.event as string | undefined });
    return ingest(principal, request);
  };
  const requests: SeenRequest[] = [];
  running.server.on('request', (req: IncomingMessage) => {
    requests.push({
      method: req.method ?? '',
      path: req.url ?? '',
      origin: req.headers.origin,
      authorization: req.headers.authorization,
      contentType: req.headers['content-type'],
      contentLength: Number(req.headers['content-length'] ?? 0),
    });
  });

  const firstParty = createNodeListener(createHandler({ platform, admin: await platform.setUpAdminToken(ADMIN_TOKEN) }), { prefix: '/collect' });
  const pages = new Map<string, string>();
  const site: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://site');
    firstParty(req, res, () => {
      if (url.pathname === '/volcanion.min.js') {
        const delay = Number(url.searchParams.get('delay') ?? 0);
        setTimeout(() => res.writeHead(200, { 'content-type': 'text/javascript', 'cache-control': 'no-store' }).end(script), delay);
        return;
      }
      const html = pages.get(url.pathname);
      if (html === undefined) return void res.writeHead(404).end();
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(html);
    });
  });
  await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
  const siteOrigin = `http://127.0.0.1:${(site.address() as AddressInfo).port}`;

  const admin = (path: string, body?: unknown) =>
    fetch(`${running.url}${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    }).then(async (response) => {
      if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
      return response.json();
    });
  let systems = 0;

  return {
    api: running.url,
    site: siteOrigin,
    received,
    requests,
    async newSystem(settings) {
      const partner = await admin('/api/partners', { name: `Partner ${++systems}`, email: 'ops@example.com' });
      const system = await admin(`/api/partners/${partner.id}/systems`, { name: 'web', ...(settings ? { settings } : {}) });
      return { systemId: system.id, writeKey: system.writeKey };
    },
    async stored(systemId) {
      return (await admin(`/api/systems/${systemId}/events?limit=1000`)).data;
    },
    page(html) {
      const path = `/p/${pages.size + 1}`;
      pages.set(path, html);
      return `${siteOrigin}${path}`;
    },
    async close() {
      site.closeAllConnections();
      await new Promise((resolve) => site.close(resolve));
      running.server.closeAllConnections();
      await running.close();
    },
  };
}

/** An HTML page that loads the SDK with a `<script>` tag, runs `before`, `load()`, then `body`. */
export function sdkPage({
  writeKey,
  options = {},
  before = '',
  body = '',
  title = 'Test page',
}: {
  writeKey: string;
  options?: Record<string, unknown>;
  before?: string;
  body?: string;
  title?: string;
}): string {
  return `<!doctype html><html><head><meta charset="utf-8"><title>${title}</title></head><body>
<script src="/volcanion.min.js"></script>
<script>${before}
volcanion.load(${JSON.stringify(writeKey)}, ${JSON.stringify(options)});
${body}</script></body></html>`;
}

/**
 * Headless Chromium from the system (never downloaded), shared by the tests of one file. With the
 * back/forward cache on, as in a user's browser (Playwright turns it off by default).
 */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    ignoreDefaultArgs: ['--disable-back-forward-cache'],
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** Polls `probe` until it returns a truthy value, which it returns; fails after `timeout` ms with `what`. */
export async function waitFor<T>(what: string, probe: () => T | Promise<T>, timeout = 10_000): Promise<Exclude<T, false | null | undefined | 0 | ''>> {
  const deadline = Date.now() + timeout;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value) return value as Exclude<T, false | null | undefined | 0 | ''>;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeout} ms waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** How many times each messageId was received; the ones received more than once. */
export function duplicates(received: readonly Received[]): string[] {
  const counts = new Map<string, number>();
  for (const { messageId } of received) counts.set(messageId, (counts.get(messageId) ?? 0) + 1);
  return [...counts].filter(([, n]) => n > 1).map(([id]) => id);
}
