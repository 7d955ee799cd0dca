import pg from 'pg';
import { expect, it } from 'vitest';
import { createFreshDatabase } from '../../../core/test/support/fresh-postgres';
import { runCli, spawnServer } from '../support/spawn-server';
import { basic } from '../support/test-server';

it('volcanion-tracking rebuild recomputes the read models from the event log', async () => {
  const database = await createFreshDatabase();
  const client = new pg.Client({ connectionString: database.url });
  try {
    const server = await spawnServer(['--database-url', database.url, '--admin-token', 'rebuild-admin-token']);
    const admin = { authorization: 'Bearer rebuild-admin-token', 'content-type': 'application/json' };
    const partner = await (await fetch(`${server.url}/api/partners`, { method: 'POST', headers: admin, body: '{"name":"R","email":"r@e.co"}' })).json();
    const system = await (await fetch(`${server.url}/api/partners/${partner.id}/systems`, { method: 'POST', headers: admin, body: '{"name":"w"}' })).json();
    const batch = Array.from({ length: 30 }, (_, i) => ({ type: 'track', userId: `u${i % 4}`, event: 'E' }));
    await fetch(`${server.url}/v1/batch`, { method: 'POST', headers: { authorization: basic(system.writeKey), 'content-type': 'application/json' }, body: JSON.stringify({ batch }) });
    await server.stop();
    await client.connect();
    await client.query('truncate read_model.event_counts_hourly');
    const result = await runCli(['rebuild', '--database-url', database.url]);
    expect(result.code).toBe(0);
    expect(result.output).toMatch(/rebuilt the read models from 30 events/);
    const { rows } = await client.query('select sum(count)::int as total from read_model.event_counts_hourly');
    expect(rows[0].total).toBe(30);
  } finally {
    await client.end().catch(() => {});
    await database.drop();
  }
});
