import type { Kysely } from 'kysely';
import type { Repositories, Storage } from '../storage';
import type { Database } from './database';
import { migrateToLatest } from './migrate';
import { SqlAnalyticsStore } from './sql-analytics';
import { SqlEventStore } from './sql-event-store';
import { SqlProjectionStore } from './sql-projection';
import { SqlEventStructureRepository } from './sql-event-structure-repository';
import { SqlKeyRepository } from './sql-key-repository';
import { SqlDomainEventLog, SqlSettingsRepository } from './sql-log-repositories';
import { SqlPartnerRepository } from './sql-partner-repository';
import { SqlSystemRepository } from './sql-system-repository';

/** Repositories over a Kysely instance or an open transaction. */
export function sqlRepositories(db: Kysely<Database>): Repositories {
  return {
    partners: new SqlPartnerRepository(db),
    systems: new SqlSystemRepository(db),
    keys: new SqlKeyRepository(db),
    eventStructures: new SqlEventStructureRepository(db),
    domainEvents: new SqlDomainEventLog(db),
    settings: new SqlSettingsRepository(db),
  };
}

/**
 * The storage shared by PostgreSQL and PGlite: both only build a Kysely instance and hand it here,
 * so embedded and server deployments run the same queries.
 */
export function createSqlStorage(
  db: Kysely<Database>,
  kind: 'pglite' | 'postgres',
  close: () => Promise<void>,
): Storage {
  return {
    kind,
    ...sqlRepositories(db),
    events: new SqlEventStore(db),
    analytics: new SqlAnalyticsStore(db),
    projection: new SqlProjectionStore(db, kind === 'postgres'),
    transaction: (fn) => db.transaction().execute((tx) => fn(sqlRepositories(tx))),
    migrate: () => migrateToLatest(db as Kysely<unknown>),
    close,
  };
}
