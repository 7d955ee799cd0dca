import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { createPostgresStorage } from '../../src/storage/postgres';
import { backendEnabled } from '../support/backends';
import { createFreshDatabase } from '../support/fresh-postgres';

describe.runIf(backendEnabled('postgres'))('postgres migrations', () => {
  let database: Awaited<ReturnType<typeof createFreshDatabase>>;
  beforeAll(async () => {
    database = await createFreshDatabase();
  });
  afterAll(async () => database?.drop());

  it('are safe when several processes start at once on an empty database', async () => {
    // Separate pools are separate server sessions, exactly as separate processes would be.
    const storages = Array.from({ length: 4 }, () => createPostgresStorage({ connectionString: database.url, maxConnections: 2 }));
    try {
      await Promise.all(storages.map((s) => s.migrate()));
      const client = new pg.Client({ connectionString: database.url });
      await client.connect();
      const { rows } = await client.query('select name from write_model.kysely_migration order by name');
      const schemas = await client.query(
        "select nspname from pg_namespace where nspname in ('write_model', 'read_model') order by nspname",
      );
      await client.end();
      expect(rows.map((r) => r.name)).toEqual(['0001-initial', '0002-read-models', '0003-read-events', '0004-analytics-rollups', '0005-list-by-user', '0006-person-event-bounds', '0007-rebuild-count']);
      expect(schemas.rows.map((r) => r.nspname)).toEqual(['read_model', 'write_model']);
    } finally {
      await Promise.all(storages.map((s) => s.close()));
    }
  });
});
