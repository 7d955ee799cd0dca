import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { createPgliteStorage } from '@volcanion-tracking/core/pglite';
import { createFreshDatabase } from '../../../core/test/support/fresh-postgres';
import { spawnServer } from '../support/spawn-server';
import { basic } from '../support/test-server';

const TOKEN = 'durability-admin-token';

/**
 * Keeps 32 track requests in flight and SIGKILLs the server the moment the 40th 200 arrives.
 * Every acknowledged messageId must then be stored, whatever was in flight.
 */
async function ingestUntilKilled(args: string[]): Promise<{ systemId: string; acknowledged: string[] }> {
  const server = await spawnServer([...args, '--admin-token', TOKEN]);
  const admin = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' };
  const partner = await (await fetch(`${server.url}/api/partners`, { method: 'POST', headers: admin, body: JSON.stringify({ name: 'Durable', email: 'd@example.com' }) })).json();
  const system = await (await fetch(`${server.url}/api/partners/${partner.id}/systems`, { method: 'POST', headers: admin, body: JSON.stringify({ name: 'web' }) })).json();
  const acknowledged: string[] = [];
  let killed = false;
  let next = 0;
  const worker = async () => {
    while (!killed && next < 2000) {
      const messageId = `m-${next++}`;
      try {
        const response = await fetch(`${server.url}/v1/track`, {
          method: 'POST',
          headers: { authorization: basic(system.writeKey), 'content-type': 'application/json' },
          body: JSON.stringify({ userId: 'u', event: 'Durable', messageId }),
        });
        if (response.status === 200 && !killed) {
          acknowledged.push(messageId);
          if (acknowledged.length === 40) {
            killed = true;
            server.child.kill('SIGKILL');
          }
        }
      } catch {
        // The server died under this request: it was never acknowledged.
      }
    }
  };
  await Promise.all(Array.from({ length: 32 }, worker));
  await server.stop('SIGKILL');
  return { systemId: system.id, acknowledged };
}

describe('an acknowledged event survives SIGKILL of the server', () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  it('on PostgreSQL', async () => {
    const database = await createFreshDatabase();
    try {
      const { systemId, acknowledged } = await ingestUntilKilled(['--database-url', database.url]);
      expect(acknowledged).toHaveLength(40);
      const client = new pg.Client({ connectionString: database.url });
      await client.connect();
      const { rows } = await client.query('select message_id from write_model.tracking_events where system_id = $1', [systemId]);
      await client.end();
      const stored = new Set(rows.map((r) => r.message_id as string));
      expect(acknowledged.filter((id) => !stored.has(id))).toEqual([]);
    } finally {
      await database.drop();
    }
  });

  it('on PGlite', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vt-sigkill-'));
    dirs.push(dir);
    const dataDir = join(dir, 'data');
    const { systemId, acknowledged } = await ingestUntilKilled(['--data-dir', dataDir]);
    expect(acknowledged).toHaveLength(40);
    // The killed process's lock is stale now; reopening recovers the database from its WAL.
    const storage = await createPgliteStorage({ dataDir });
    try {
      const stored = new Set((await storage.events.list(systemId, { limit: 5000 })).map((e) => e.messageId));
      expect(acknowledged.filter((id) => !stored.has(id))).toEqual([]);
    } finally {
      await storage.close();
    }
  });
});
