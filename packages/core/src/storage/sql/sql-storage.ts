import type { Kysely } from 'kysely';
import type { PoolStats, Repositories, Storage } from '../storage';
import type { Database } from './database';
import { migrateToLatest, pendingMigrations } from './migrate';
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
  pool?: PoolLike,
): Storage {
  return {
    kind,
    ...sqlRepositories(db),
    events: new SqlEventStore(db),
    analytics: new SqlAnalyticsStore(db),
    projection: new SqlProjectionStore(db, kind === 'postgres'),
    transaction: (fn) => db.transaction().execute((tx) => fn(sqlRepositories(tx))),
    migrate: () => migrateToLatest(db as Kysely<unknown>),
    health: async () => ({ pendingMigrations: await pendingMigrations(db as Kysely<unknown>) }),
    poolStats: (): PoolStats | null =>
      pool ? { total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount, max: pool.options.max ?? 10 } : null,
    close,
  };
}

/** The counters of a node-postgres pool that metrics read. */
export interface PoolLike {
  readonly totalCount: number;
  readonly idleCount: number;
  readonly waitingCount: number;
  readonly options: { max?: number };
}
