import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Storage } from '../storage';
import type { Database } from '../sql/database';
import { createSqlStorage } from '../sql/sql-storage';
import type { PostgresStorageConfig } from './postgres-storage-config';

/**
 * Storage on a PostgreSQL server through a node-postgres pool. Commits are durable as the server
 * is configured (`synchronous_commit` on by default).
 *
 * ### Examples
 * ```ts
 * import { createPostgresStorage } from '@volcanion-tracking/core/postgres';
 * const storage = createPostgresStorage({ connectionString: process.env.DATABASE_URL });
 * await storage.migrate();
 * ```
 */
export function createPostgresStorage(config: PostgresStorageConfig): Storage {
  if (!config.pool && !config.connectionString) throw new Error('createPostgresStorage needs a connectionString or a pool');
  // Without a connect timeout, a request would wait forever for a database that is down.
  const pool =
    config.pool ??
    new pg.Pool({ connectionString: config.connectionString, max: config.maxConnections ?? 10, connectionTimeoutMillis: 5000 });
  const ownsPool = !config.pool;
  // A client's connection error (the server restarting, a session terminated) must not crash the
  // process: an idle client's error reaches the pool, and a checked-out client's — the projector
  // holds one for its lease — reaches this listener; its next query then fails and is retried.
  if (ownsPool) {
    pool.on('error', () => {});
    pool.on('connect', (client) => client.on('error', () => {}));
  }
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return createSqlStorage(db, 'postgres', async () => {
    if (ownsPool) await db.destroy();
  }, pool);
}
