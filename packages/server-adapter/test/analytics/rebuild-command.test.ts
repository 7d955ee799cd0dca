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

it('volcanion-tracking rebuild beside a running server: every event counted once, answers and status right after', async () => {
  const EVENTS = 12_000;
  const database = await createFreshDatabase();
  const client = new pg.Client({ connectionString: database.url });
  const server = await spawnServer(['--database-url', database.url, '--admin-token', 'rebuild-live-token']);
  try {
    const admin = { authorization: 'Bearer rebuild-live-token', 'content-type': 'application/json' };
    const partner = await (await fetch(`${server.url}/api/partners`, { method: 'POST', headers: admin, body: '{"name":"R","email":"r@e.co"}' })).json();
    const system = await (await fetch(`${server.url}/api/partners/${partner.id}/systems`, { method: 'POST', headers: admin, body: '{"name":"w"}' })).json();
    for (let start = 0; start < EVENTS; start += 500) {
      const batch = Array.from({ length: 500 }, (_, i) => ({ type: 'track', userId: `u${(start + i) % 50}`, event: `E${(start + i) % 3}` }));
      const sent = await fetch(`${server.url}/v1/batch`, { method: 'POST', headers: { authorization: basic(system.writeKey), 'content-type': 'application/json' }, body: JSON.stringify({ batch }) });
      expect(sent.status).toBe(200);
    }
    const projection = async () => (await (await fetch(`${server.url}/api/projection`, { headers: admin })).json()) as { projectedEvents: number; behindEvents: number };
    const topEvents = async () => (await (await fetch(`${server.url}/api/systems/${system.id}/stats/top-events`, { headers: admin })).json()) as { data: { event: string; count: number }[] };
    for (let i = 0; i < 300 && (await projection()).projectedEvents < EVENTS; i++) await new Promise((r) => setTimeout(r, 100));
    const expected = [0, 1, 2].map((n) => ({ event: `E${n}`, count: EVENTS / 3 }));
    expect((await topEvents()).data).toEqual(expected);

    const result = await runCli(['rebuild', '--database-url', database.url]);
    expect(result.code).toBe(0);
    // Whichever process projected each batch, the read models hold every event once.
    expect(result.output).toMatch(new RegExp(`rebuilt the read models from ${EVENTS} events`));
    // The server's projector usually takes some batches; the line then says how many were the rebuild's.
    const own = /; (\d+) by this process, the rest by a running server\)/.exec(result.output);
    if (own) expect(Number(own[1])).toBeLessThan(EVENTS);
    await client.connect();
    const { rows } = await client.query('select sum(count)::int as total from read_model.event_counts_hourly');
    expect(rows[0].total).toBe(EVENTS);
    expect(await projection()).toMatchObject({ projectedEvents: EVENTS, behindEvents: 0 });
    expect((await topEvents()).data).toEqual(expected);
  } finally {
    await server.stop();
    await client.end().catch(() => {});
    await database.drop();
  }
}, 60_000);
