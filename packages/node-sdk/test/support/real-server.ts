import type { Storage } from '@volcanion-tracking/core';
import { createPgliteStorage } from '../../../core/src/storage/pglite';
import { createPostgresStorage } from '../../../core/src/storage/postgres';
import { createFreshDatabase } from '../../../core/test/support/fresh-postgres';
import { startServer, type RunningServer } from '../../../server-adapter/src/server/start-server';

const ADMIN_TOKEN = 'node-sdk-test-admin-token-0123456789';

/** An event as the server's read API returns it. */
export interface StoredEvent {
  messageId: string;
  type: string;
  event: string | null;
  userId: string | null;
  anonymousId: string | null;
  groupId: string | null;
  previousId: string | null;
  properties: Record<string, unknown>;
  traits: Record<string, unknown>;
  context: { library?: { name?: string; version?: string } } & Record<string, unknown>;
  timestamp: string;
  originalTimestamp: string | null;
  sentAt: string | null;
  receivedAt: string;
}

/** The real Volcanion Tracking server on 127.0.0.1, in this process, over PGlite or PostgreSQL. */
export interface RealServer {
  url: string;
  running: RunningServer;
  /** A new partner and system; its write key and a reader of what it stored. */
  newSystem(settings?: Record<string, unknown>): Promise<TestSystem>;
  close(): Promise<void>;
}

/** One system of the real server. */
export interface TestSystem {
  systemId: string;
  writeKey: string;
  /** Every event stored for the system, read through the API (all pages). */
  stored(): Promise<StoredEvent[]>;
}

/** Starts the real server; PGlite runs in memory, PostgreSQL gets a fresh database dropped on close. */
export async function startRealServer(backend: 'pglite' | 'postgres' = 'pglite'): Promise<RealServer> {
  let storage: Storage;
  let drop = async () => {};
  if (backend === 'postgres') {
    const database = await createFreshDatabase();
    storage = createPostgresStorage({ connectionString: database.url });
    drop = database.drop;
  } else {
    storage = await createPgliteStorage({ dataDir: 'memory://' });
  }
  await storage.migrate();
  const running = await startServer({ storage, port: 0, adminToken: ADMIN_TOKEN, maxSystemsPerPartner: 10, projector: false });
  const api = async (path: string, json?: unknown) => {
    const response = await fetch(`${running.url}${path}`, {
      method: json === undefined ? 'GET' : 'POST',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, ...(json === undefined ? {} : { 'content-type': 'application/json' }) },
      body: json === undefined ? undefined : JSON.stringify(json),
    });
    const body = (await response.json()) as Record<string, unknown>;
    if (!response.ok) throw new Error(`${path}: ${response.status} ${JSON.stringify(body)}`);
    return body;
  };
  let counter = 0;
  return {
    url: running.url,
    running,
    async newSystem(settings) {
      const partner = await api('/api/partners', { name: `SDK ${process.pid}-${counter++}-${Date.now()}`, email: 'ops@example.com' });
      const system = await api(`/api/partners/${partner.id}/systems`, { name: 'node-sdk', ...(settings ? { settings } : {}) });
      const systemId = system.id as string;
      return {
        systemId,
        writeKey: system.writeKey as string,
        async stored() {
          const all: StoredEvent[] = [];
          let cursor: string | null = null;
          do {
            const page = await api(`/api/systems/${systemId}/events?limit=1000${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
            all.push(...(page.data as StoredEvent[]));
            cursor = (page.nextCursor as string | null) ?? null;
          } while (cursor);
          return all;
        },
      };
    },
    async close() {
      await running.close();
      await drop();
    },
  };
}
