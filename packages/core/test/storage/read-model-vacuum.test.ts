import { PGlite } from '@electric-sql/pglite';
import { createPgConfig } from '@electric-sql/pglite/node-postgres';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/storage/sql/database';
import { migrateToLatest } from '../../src/storage/sql/migrate';
import { ReadModelVacuum } from '../../src/storage/sql/read-model-vacuum';
import { backendEnabled } from '../support/backends';
import { createFreshDatabase } from '../support/fresh-postgres';

const SYSTEM = '018f0000-0000-7000-8000-0000000000ab';
const PEOPLE = 300;
const BATCHES = 20;

// Neither PGlite nor this machine's PostgreSQL (autovacuum = off) runs autovacuum: what the
// projector does not clean up stays.
const databases = {
  async pglite() {
    const pglite = await PGlite.create();
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: new pg.Pool({ ...createPgConfig(pglite), max: 1 }) }) });
    return { db, dispose: async () => (await db.destroy(), await pglite.close()) };
  },
  async postgres() {
    const database = await createFreshDatabase();
    const pool = new pg.Pool({ connectionString: database.url, max: 2 });
    // The drop (WITH FORCE) can reach a connection the pool has let go but not yet closed; without a
    // listener its termination notice is an uncaught error (it failed a CI run once), as the
    // storage's own pool already knows.
    pool.on('error', () => {});
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    return { db, dispose: async () => (await db.destroy(), await database.drop()) };
  },
};

describe.each(Object.keys(databases).filter((name) => backendEnabled(name as 'pglite' | 'postgres')))(
  'read models without autovacuum (%s)',
  (name) => {
    const opened: { dispose: () => Promise<void> }[] = [];
    afterAll(async () => Promise.all(opened.map((o) => o.dispose())));

    async function personEventsAfterBatches(vacuum: ReadModelVacuum | null, db: Kysely<Database>): Promise<number> {
      // Each person's occurrences as the projector keeps them: long arrays of timestamps that the
      // batches rewrite whole (out of line, in TOAST, past ~2 kB).
      await sql`insert into read_model.person_events (system_id, event, person_id, timestamps)
        select ${SYSTEM}, 'Viewed', p, array(select now() - random() * interval '30 days' from generate_series(1, 400) order by 1)
        from generate_series(1, ${PEOPLE}) p`.execute(db);
      for (let batch = 0; batch < BATCHES; batch++) {
        await sql`update read_model.person_events set timestamps = timestamps || now() where system_id = ${SYSTEM}`.execute(db);
        await vacuum?.afterBatch(PEOPLE);
      }
      const { rows } = await sql<{ bytes: string }>`
        select sum(pg_total_relation_size(relid))::int8 as bytes from pg_partition_tree('read_model.person_events')`.execute(db);
      return Number(rows[0]!.bytes);
    }

    it('keeps rewritten rows from piling up: vacuums every so many projected events', async () => {
      const vacuumed = await databases[name as keyof typeof databases]();
      const untouched = await databases[name as keyof typeof databases]();
      opened.push(vacuumed, untouched);
      await migrateToLatest(vacuumed.db as Kysely<unknown>);
      await migrateToLatest(untouched.db as Kysely<unknown>);

      const withVacuum = await personEventsAfterBatches(new ReadModelVacuum(vacuumed.db, PEOPLE), vacuumed.db);
      const without = await personEventsAfterBatches(null, untouched.db);

      // ~3.2 kB per person live; without vacuum every batch leaves another copy of each.
      const live = PEOPLE * 3_300;
      expect(without).toBeGreaterThan(10 * live);
      expect(withVacuum).toBeLessThan(4 * live);
    }, 60_000);
  },
);
