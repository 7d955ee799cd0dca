import { Migrator, sql, type Kysely } from 'kysely';
import { migrationProvider } from './migrations';

// Any fixed 64-bit number; it names our lock among the database's advisory locks.
const MIGRATION_LOCK = 7_307_110_127;

/**
 * Brings the schema to the latest migration. A session advisory lock serialises processes that
 * start at once, including the creation of Kysely's own bookkeeping tables.
 */
export async function migrateToLatest(db: Kysely<unknown>): Promise<void> {
  await db.connection().execute(async (conn) => {
    await sql`select pg_advisory_lock(${MIGRATION_LOCK})`.execute(conn);
    try {
      const migrator = migratorOf(conn);
      const { error, results } = await migrator.migrateToLatest();
      if (error) {
        const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
        throw new Error(`Migration ${failed} failed: ${(error as Error).message}`, { cause: error });
      }
    } finally {
      await sql`select pg_advisory_unlock(${MIGRATION_LOCK})`.execute(conn);
    }
  });
}

/** Names of the migrations the database has not applied yet; the query also proves it is reachable. */
export async function pendingMigrations(db: Kysely<unknown>): Promise<string[]> {
  const migrations = await migratorOf(db).getMigrations();
  return migrations.filter((m) => m.executedAt === undefined).map((m) => m.name);
}

function migratorOf(db: Kysely<unknown>): Migrator {
  return new Migrator({ db, provider: migrationProvider, migrationTableSchema: 'write_model' });
}
