import type { Storage } from '@volcanion-tracking/core';
import { createPgliteStorage } from '@volcanion-tracking/core/pglite';
import { createPostgresStorage } from '@volcanion-tracking/core/postgres';

/** Where the standalone server keeps its data. */
export interface StorageChoice {
  /** A `postgres://` URL selects PostgreSQL; unset selects embedded PGlite. */
  databaseUrl?: string;
  /** PGlite's directory. Default `./.volcanion/data`. */
  dataDir?: string;
}

/** Opens and migrates the storage the configuration selects. */
export async function openStorage(choice: StorageChoice): Promise<Storage> {
  const storage = choice.databaseUrl
    ? createPostgresStorage({ connectionString: choice.databaseUrl })
    : await createPgliteStorage({ dataDir: choice.dataDir ?? './.volcanion/data' });
  try {
    await storage.migrate();
  } catch (error) {
    await storage.close().catch(() => {});
    throw error;
  }
  return storage;
}
