import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { createPgConfig } from '@electric-sql/pglite/node-postgres';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Storage } from '../storage';
import type { Database } from '../sql/database';
import { createSqlStorage } from '../sql/sql-storage';
import { lockDataDirectory } from './data-dir-lock';
import type { PgliteStorageConfig } from './pglite-storage-config';

/**
 * Embedded PostgreSQL (PGlite) in this process: no server to install. It runs the same queries as
 * {@link createPostgresStorage} through PGlite's node-postgres shim under kysely's PostgresDialect.
 * Opening a directory another live process holds throws `DataDirectoryLockedError`.
 *
 * ### Examples
 * ```ts
 * import { createPgliteStorage } from '@volcanion-tracking/core/pglite';
 * const storage = await createPgliteStorage({ dataDir: './.volcanion/data' });
 * await storage.migrate();
 * ```
 */
export async function createPgliteStorage(config: PgliteStorageConfig = {}): Promise<Storage> {
  const dataDir = config.dataDir ?? './.volcanion/data';
  const inMemory = dataDir.startsWith('memory://');
  const lock = !inMemory && config.lock !== false ? lockDataDirectory(dataDir) : null;
  try {
    if (!inMemory) mkdirSync(dataDir, { recursive: true });
    const pglite = await PGlite.create(dataDir);
    // PGlite is one backend; a pool of one queues callers instead of interleaving their transactions.
    const pool = new pg.Pool({ ...createPgConfig(pglite), max: 1 });
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    return createSqlStorage(db, 'pglite', async () => {
      await db.destroy();
      await pglite.close();
      lock?.release();
    });
  } catch (error) {
    lock?.release();
    throw error;
  }
}
