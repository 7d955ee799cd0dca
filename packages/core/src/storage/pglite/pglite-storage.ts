import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { createPgConfig } from '@electric-sql/pglite/node-postgres';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Storage } from '../storage';
import type { Database } from '../sql/database';
import { createSqlStorage } from '../sql/sql-storage';
import { lockDataDirectory } from './data-dir-lock';
import { DurableNodeFS, durableStartParams, syncDataDirectoryOnce } from './durable-node-fs';
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
    const durable = !inMemory && config.durability !== 'relaxed';
    const pglite = durable ? await openDurable(dataDir) : await PGlite.create(dataDir, { startParams: [...PGlite.defaultStartParams, ...embeddedStartParams] });
    // PGlite is one backend; a pool of one queues callers instead of interleaving their transactions.
    const pool = new pg.Pool({ ...createPgConfig(pglite), max: 1 });
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    return createSqlStorage(db, 'pglite', async () => {
      await db.destroy();
      await pglite.close();
      lock?.release();
    }, pool);
  } catch (error) {
    lock?.release();
    throw error;
  }
}

/**
 * PostgreSQL's default 128 MB of shared buffers doubles an embedded server's memory; reads of
 * PGlite's files go through the OS page cache anyway. Measured: 334 MB → 171 MB RSS on opening.
 */
const embeddedStartParams = ['-c', 'shared_buffers=16MB'];

/** Opens PGlite with syncs that reach the disk, and proves they do before any write is acknowledged. */
export async function openDurable(dataDir: string): Promise<PGlite> {
  const fs = new DurableNodeFS(resolve(dataDir));
  const startParams = [...PGlite.defaultStartParams.filter((p) => p !== '-F'), ...durableStartParams, ...embeddedStartParams];
  const pglite = await PGlite.create({ fs, startParams });
  try {
    syncDataDirectoryOnce(resolve(dataDir));
    const { rows } = await pglite.query<{ name: string; setting: string }>(
      "select name, setting from pg_settings where name in ('fsync', 'synchronous_commit', 'wal_sync_method')",
    );
    const settings = Object.fromEntries(rows.map((r) => [r.name, r.setting]));
    const before = fs.syncCalls;
    await pglite.exec('CHECKPOINT');
    if (settings.fsync !== 'on' || settings.wal_sync_method !== 'open_datasync' || fs.syncCalls === before) {
      throw new Error(`PGlite durability self-check failed (${JSON.stringify(settings)}, ${fs.syncCalls - before} syncs at CHECKPOINT)`);
    }
    return pglite;
  } catch (error) {
    await pglite.close().catch(() => {});
    throw error;
  }
}
