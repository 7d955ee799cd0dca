import pg from 'pg';
import { expect, it } from 'vitest';
import { createFreshDatabase, POSTGRES_ADMIN_URL } from '../../../core/test/support/fresh-postgres';
import { spawnServer } from '../support/spawn-server';
import { basic } from '../support/test-server';

const TOKEN = 'outage-admin-token-0123';

it('answers 503 with Retry-After, never a 500, when the database goes away under load, and loses nothing it acknowledged', async () => {
  const database = await createFreshDatabase();
  const server = await spawnServer(['--database-url', database.url, '--admin-token', TOKEN]);
  try {
    const admin = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' };
    const partner = await (await fetch(`${server.url}/api/partners`, { method: 'POST', headers: admin, body: JSON.stringify({ name: 'Outage', email: 'o@example.com' }) })).json();
    const system = await (await fetch(`${server.url}/api/partners/${partner.id}/systems`, { method: 'POST', headers: admin, body: JSON.stringify({ name: 'web' }) })).json();
    const statuses: number[] = [];
    const acknowledged: string[] = [];
    let n = 0;
    const send = async () => {
      const messageId = `o-${n++}`;
      const response = await fetch(`${server.url}/v1/track`, {
        method: 'POST',
        headers: { authorization: basic(system.writeKey), 'content-type': 'application/json' },
        body: JSON.stringify({ userId: 'u', event: 'E', messageId }),
      });
      statuses.push(response.status);
      if (response.status === 200) acknowledged.push(messageId);
      if (response.status === 503) expect(response.headers.get('retry-after')).toBe('1');
      await response.arrayBuffer();
    };
    await Promise.all(Array.from({ length: 20 }, send));
    // Rename the database away under the server: its connections are terminated and reconnects fail.
    const client = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
    await client.connect();
    const name = new URL(database.url).pathname.slice(1);
    await renameWhileTerminating(client, name, `${name}_away`);
    const deadline = Date.now() + 3000;
    while (Date.now() < deadline) await Promise.all(Array.from({ length: 10 }, send));
    expect(statuses.filter((s) => s >= 500 && s !== 503)).toEqual([]);
    expect(statuses).toContain(503);
    // Back again: the server recovers by itself, and every acknowledged event is there.
    await renameWhileTerminating(client, `${name}_away`, name);
    await client.end();
    let recovered = 0;
    for (let i = 0; i < 50 && recovered === 0; i++) {
      await send();
      if (statuses.at(-1) === 200) recovered++;
      else await new Promise((r) => setTimeout(r, 100));
    }
    expect(recovered).toBe(1);
    const check = new pg.Client({ connectionString: database.url });
    await check.connect();
    const { rows } = await check.query('select message_id from write_model.tracking_events');
    await check.end();
    const stored = new Set(rows.map((r) => r.message_id as string));
    expect(acknowledged.filter((id) => !stored.has(id))).toEqual([]);
  } finally {
    await server.stop();
    // If the test failed while the database was renamed away, drop it under that name too.
    const admin = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
    await admin.connect();
    await admin.query(`drop database if exists ${new URL(database.url).pathname.slice(1)}_away with (force)`);
    await admin.end();
    await database.drop();
  }
});

// The server's pool reconnects at once, so sessions are terminated until the rename finds none.
async function renameWhileTerminating(client: pg.Client, from: string, to: string): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    await client.query('select pg_terminate_backend(pid) from pg_stat_activity where datname = $1', [from]);
    try {
      await client.query(`alter database ${from} rename to ${to}`);
      return;
    } catch (error) {
      if (attempt >= 50) throw error;
    }
  }
}
