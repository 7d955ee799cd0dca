import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lagSeconds, type Storage } from '../../src';
import { createPostgresStorage } from '../../src/storage/postgres';
import { COUNTED_BEHIND } from '../../src/storage/sql/sql-analytics';
import { backendEnabled } from '../support/backends';
import { createFreshDatabase } from '../support/fresh-postgres';

const SYSTEM = '018f0000-0000-7000-8000-0000000000bb';

describe.runIf(backendEnabled('postgres'))('projection status on PostgreSQL', () => {
  let database: Awaited<ReturnType<typeof createFreshDatabase>>;
  let storage: Storage;
  let client: pg.Client;

  beforeAll(async () => {
    database = await createFreshDatabase();
    storage = createPostgresStorage({ connectionString: database.url });
    await storage.migrate();
    client = new pg.Client({ connectionString: database.url });
    await client.connect();
  });
  afterAll(async () => {
    await client?.end();
    await storage?.close();
    await database?.drop();
  });

  const append = (from: number, count: number) =>
    client.query(
      `insert into write_model.tracking_events (system_id, message_id, type, event, user_id, properties, traits, context,
        integrations, timestamp, received_at, valid, validation_errors)
       select $1, 'm' || i, 'track', 'E', 'u', '{}', '{}', '{}', '{}', now(), now(), true, '[]'
       from generate_series($2::int, $3::int) i
       on conflict do nothing`,
      [SYSTEM, from, from + count - 1],
    );

  it('counts the events behind one by one up to the limit, and estimates them from sequence numbers beyond it', async () => {
    const total = COUNTED_BEHIND + 50;
    await append(1, total);
    expect(await storage.analytics.status()).toMatchObject({ projectedEvents: 0, behindEvents: total });

    // Retried duplicates take sequence numbers without adding events: the estimate counts them.
    await append(1, 100);
    await append(total + 1, 1);
    expect((await storage.analytics.status()).behindEvents).toBe(total + 1 + 100);

    // Below the limit again, every event is counted: the gaps no longer show.
    await storage.projection.projectBatch(200);
    expect(await storage.analytics.status()).toMatchObject({ projectedEvents: 200, behindEvents: total + 1 - 200 });
  });

  it('measures the lag from the first waiting event, not from the newest applied one', async () => {
    await storage.projection.reset();
    await client.query('truncate write_model.tracking_events');
    const receivedAt = (iso: string, id: string) =>
      client.query(
        `insert into write_model.tracking_events (system_id, message_id, type, event, user_id, properties, traits, context,
          integrations, timestamp, received_at, valid, validation_errors)
         values ($1, $2, 'track', 'E', 'u', '{}', '{}', '{}', '{}', $3, $3, true, '[]')`,
        [SYSTEM, id, iso],
      );
    // Nothing applied yet: the backlog's age, not 0.
    await receivedAt('2026-03-01T10:00:00Z', 'first');
    let status = await storage.analytics.status();
    expect(status).toMatchObject({ behindEvents: 1, projectedThrough: null, waitingSince: new Date('2026-03-01T10:00:00Z') });
    expect(lagSeconds(status, new Date('2026-03-01T10:05:00Z'))).toBe(300);

    // An hour without events, then one: a lag of 2 s, not of the hour since the last applied event.
    await storage.projection.projectBatch(100);
    await receivedAt('2026-03-01T11:00:00Z', 'second');
    status = await storage.analytics.status();
    expect(status).toMatchObject({ behindEvents: 1, projectedThrough: new Date('2026-03-01T10:00:00Z'), waitingSince: new Date('2026-03-01T11:00:00Z') });
    expect(lagSeconds(status, new Date('2026-03-01T11:00:02Z'))).toBe(2);

    await storage.projection.projectBatch(100);
    status = await storage.analytics.status();
    expect(status).toMatchObject({ behindEvents: 0, waitingSince: null });
    expect(lagSeconds(status, new Date('2026-03-01T12:00:00Z'))).toBe(0);
  });
});
