import type { SettingsRepository } from '../admin/settings-repository';
import type { AnalyticsStore, ProjectionStore } from '../analytics/analytics-store';
import type { EventStructureRepository } from '../event-structures/event-structure-repository';
import type { EventStore } from '../ingestion/event-store';
import type { KeyRepository } from '../keys/key-repository';
import type { PartnerRepository, SystemRepository } from '../partners/partner-repository';
import type { DomainEvent } from '../shared/domain-event';

/** The domain events log of the write model. */
export interface DomainEventLog {
  /** Appends events in order. */
  append(events: readonly DomainEvent[]): Promise<void>;
  /** The newest events first; for audits and tests. */
  recent(limit: number): Promise<DomainEvent[]>;
}

/** Every repository of the write model; the same shape inside and outside a transaction. */
export interface Repositories {
  partners: PartnerRepository;
  systems: SystemRepository;
  keys: KeyRepository;
  eventStructures: EventStructureRepository;
  domainEvents: DomainEventLog;
  settings: SettingsRepository;
}

/**
 * A storage backend: memory, PGlite or PostgreSQL. Each passes the same contract suite.
 *
 * ### Examples
 * ```ts
 * import { createPgliteStorage } from '@volcanion-tracking/core/pglite';
 * const storage = await createPgliteStorage({ dataDir: './.volcanion/data' });
 * ```
 */
export interface Storage extends Repositories {
  /** Which backend this is, for logs and health output. */
  readonly kind: 'memory' | 'pglite' | 'postgres';
  /** The write model's event log. */
  readonly events: EventStore;
  /** Queries answered from the read models. */
  readonly analytics: AnalyticsStore;
  /** Keeps the read models in step with the event log (a no-op where queries read events directly). */
  readonly projection: ProjectionStore;
  /**
   * Runs `fn` in one transaction: everything it writes through `tx` commits together or not at all.
   * Use only `tx` inside `fn`: on single-connection backends the outer repositories wait for it.
   */
  transaction<T>(fn: (tx: Repositories) => Promise<T>): Promise<T>;
  /** Applies pending migrations; idempotent and safe when several processes start at once. */
  migrate(): Promise<void>;
  /** Asks the database for the migrations not yet applied; throws when it cannot be reached. */
  health(): Promise<StorageHealth>;
  /** The connection pool's state, for metrics; `null` where there is no pool. */
  poolStats(): PoolStats | null;
  /** Releases connections and files. */
  close(): Promise<void>;
}

/** What a readiness check learns from the database. */
export interface StorageHealth {
  /** Migrations this version knows that the database has not applied; empty when up to date. */
  pendingMigrations: string[];
}

/** A connection pool's state. */
export interface PoolStats {
  /** Connections open, idle or in use. */
  total: number;
  idle: number;
  /** Callers waiting for a connection. */
  waiting: number;
  /** Most connections the pool opens. */
  max: number;
}
