import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Projector, type Storage } from '../../src';
import { createPostgresStorage } from '../../src/storage/postgres';
import { backendEnabled } from '../support/backends';
import { createFreshDatabase, POSTGRES_ADMIN_URL } from '../support/fresh-postgres';

const SYSTEM = '018f0000-0000-7000-8000-0000000000aa';

describe.runIf(backendEnabled('postgres'))('projector under interleaved transactions', () => {
  let database: Awaited<ReturnType<typeof createFreshDatabase>>;
  let storage: Storage;
  const clients: pg.Client[] = [];

  beforeAll(async () => {
    database = await createFreshDatabase();
    storage = createPostgresStorage({ connectionString: database.url });
    await storage.migrate();
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.end()));
    await storage?.close();
    await database?.drop();
  });

  async function session(): Promise<pg.Client> {
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    clients.push(client);
    return client;
  }

  const insert = (client: pg.Client, messageId: string) =>
    client.query(
      `insert into write_model.tracking_events (system_id, message_id, type, event, user_id, properties, traits, context,
        integrations, timestamp, received_at, valid, validation_errors)
       values ($1, $2, 'track', 'E', 'u', '{}', '{}', '{}', '{}', now(), now(), true, '[]')`,
      [SYSTEM, messageId],
    );

  const projectedCount = async () => (await storage.analytics.status()).projectedEvents;

  it('never skips an event that commits after one with a later sequence number', async () => {
    const slow = await session();
    const fast = await session();
    const projector = new Projector(storage);

    // `slow` takes its sequence number first but commits last.
    await slow.query('begin');
    await insert(slow, 'slow-1');
    await fast.query('begin');
    await insert(fast, 'fast-2');
    await fast.query('commit');
    // A projector going by sequence alone would now take fast-2, move past slow-1's number, and
    // never see slow-1. Ours waits: a transaction older than fast's is still running.
    await projector.catchUp();
    expect(await projectedCount()).toBe(0);
    expect((await storage.analytics.status()).behindEvents).toBe(1);

    await slow.query('commit');
    await projector.catchUp();
    expect(await projectedCount()).toBe(2);
  });

  it('orders by transaction, not by sequence, when a transaction took its id before writing events', async () => {
    const early = await session();
    const late = await session();
    const projector = new Projector(storage);
    // `early` gets its transaction id now, by writing elsewhere, and its event's sequence number later.
    await early.query('begin');
    await early.query(`insert into write_model.settings (name, value, updated_at) values ('probe', 'x', now())`);
    await late.query('begin');
    await insert(late, 'late-first-seq');
    await late.query('commit');
    await insert(early, 'early-second-seq');
    await projector.catchUp();
    expect(await projectedCount()).toBe(2);
    await early.query('commit');
    await projector.catchUp();
    expect(await projectedCount()).toBe(4);
    expect((await storage.analytics.status()).behindEvents).toBe(0);
  });

  it('is not held back by a transaction left open in another database of the cluster', async () => {
    const elsewhere = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
    await elsewhere.connect();
    clients.push(elsewhere);
    await elsewhere.query('begin');
    await elsewhere.query('select pg_current_xact_id()');
    const writer = await session();
    await insert(writer, 'while-elsewhere-open');
    const before = await projectedCount();
    await new Projector(storage).catchUp();
    expect(await projectedCount()).toBe(before + 1);
    await elsewhere.query('rollback');
  });

  it('orders transaction ids as numbers, also where their digit count changes', async () => {
    const writer = await session();
    const before = await projectedCount();
    // As text, '1000' sorts before '999'. The pair is the power of ten just below the cluster's
    // current transaction id, so both are old enough to be final even on a young cluster.
    const { rows: current } = await writer.query(`select pg_current_xact_id()::text as id`);
    const power = 10 ** Math.floor(Math.log10(Number(current[0].id)));
    expect(power).toBeGreaterThanOrEqual(10);
    const pair = [String(power), String(power - 1)];
    for (const [txId, id] of pair.map((tx) => [tx, `tx-${tx}`])) {
      await writer.query(
        `insert into write_model.tracking_events (tx_id, system_id, message_id, type, event, user_id, properties, traits, context,
          integrations, timestamp, received_at, valid, validation_errors)
         values ($1::xid8, $2, $3, 'track', 'Digits', 'u', '{}', '{}', '{}', '{}', now(), now(), true, '[]')`,
        [txId, SYSTEM, id],
      );
    }
    // From the start, one event per batch: a wrong order would move the checkpoint past the
    // shorter id (after the longer one, as text) and never come back to it.
    await storage.projection.reset();
    while ((await storage.projection.projectBatch(1)) > 0);
    expect(await projectedCount()).toBe(before + 2);
    expect((await storage.analytics.status()).behindEvents).toBe(0);
    const { rows } = await writer.query(`select count(*)::int as n from read_model.events where event = 'Digits'`);
    expect(rows[0].n).toBe(2);
  });

  it('rolls back a batch with its checkpoint, so a failed batch is applied again, never twice', async () => {
    const writer = await session();
    await insert(writer, 'after-failure');
    // Break the read model so the next batch fails inside its transaction.
    await writer.query('alter table read_model.event_counts_hourly add constraint never check (count < 0) not valid');
    await expect(storage.projection.projectBatch(100)).rejects.toThrow();
    expect(await projectedCount()).toBe(7);
    await writer.query('alter table read_model.event_counts_hourly drop constraint never');
    expect(await storage.projection.projectBatch(100)).toBe(1);
    expect(await projectedCount()).toBe(8);
    const { rows } = await writer.query(`select sum(count)::int as total from read_model.event_counts_hourly where system_id = $1`, [SYSTEM]);
    expect(rows[0].total).toBe(8);
  });
});
