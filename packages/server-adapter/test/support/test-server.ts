import type { Storage } from '@volcanion-tracking/core';
import { createMemoryStorage } from '@volcanion-tracking/core/memory';
import { createPostgresStorage } from '@volcanion-tracking/core/postgres';
import { createFreshDatabase } from '../../../core/test/support/fresh-postgres';
import { startServer, type RunningServer, type ServerOptions } from '../../src/server/start-server';

export const ADMIN_TOKEN = 'test-admin-token-0123456789';

/** A real server on 127.0.0.1 over a fresh PostgreSQL database (or memory), with helpers to call it. */
export interface TestServer {
  url: string;
  running: RunningServer;
  /** The fresh database's URL (PostgreSQL backend only). */
  databaseUrl?: string;
  /** fetch against the server with the admin token unless `headers.authorization` is given. */
  api(path: string, init?: RequestInit & { json?: unknown }): Promise<Response>;
  /** Creates a partner and a system; returns their ids and the system's keys. */
  newSystem(settings?: Record<string, unknown>): Promise<{ partnerId: string; systemId: string; writeKey: string; secretKey: string; writeKeyId: string }>;
  close(): Promise<void>;
}

/** `options` adds to (or overrides) the test defaults: port 0, {@link ADMIN_TOKEN}, 3 systems per partner. */
export async function startTestServer(backend: 'postgres' | 'memory' = 'postgres', options: ServerOptions = {}): Promise<TestServer> {
  let storage: Storage;
  let dropDatabase = async () => {};
  let databaseUrl: string | undefined;
  if (backend === 'postgres') {
    const database = await createFreshDatabase();
    storage = createPostgresStorage({ connectionString: database.url });
    await storage.migrate();
    dropDatabase = database.drop;
    databaseUrl = database.url;
  } else {
    storage = createMemoryStorage();
  }
  const running = await startServer({ storage, port: 0, adminToken: ADMIN_TOKEN, maxSystemsPerPartner: 3, ...options });
  let counter = 0;
  const api: TestServer['api'] = (path, init = {}) => {
    const headers = new Headers(init.headers);
    if (!headers.has('authorization')) headers.set('authorization', `Bearer ${ADMIN_TOKEN}`);
    let body = init.body;
    if (init.json !== undefined) {
      body = JSON.stringify(init.json);
      if (!headers.has('content-type')) headers.set('content-type', 'application/json');
    }
    return fetch(`${running.url}${path}`, { ...init, headers, body });
  };
  return {
    url: running.url,
    running,
    databaseUrl,
    api,
    async newSystem(settings) {
      const partner = await (await api('/api/partners', { method: 'POST', json: { name: `Partner ${process.pid}-${counter++}-${Date.now()}`, email: 'ops@example.com' } })).json();
      const system = await (await api(`/api/partners/${partner.id}/systems`, { method: 'POST', json: { name: 'web', ...(settings ? { settings } : {}) } })).json();
      return { partnerId: partner.id, systemId: system.id, writeKey: system.writeKey, secretKey: system.secretKey, writeKeyId: system.writeKeyId };
    },
    async close() {
      await running.close();
      await dropDatabase();
    },
  };
}

/** HTTP Basic with the key as username and an empty password, as Segment's clients send it. */
export function basic(key: string): string {
  return `Basic ${Buffer.from(`${key}:`).toString('base64')}`;
}
