import type { Pool } from 'pg';

/** Options of {@link createPostgresStorage}. */
export interface PostgresStorageConfig {
  /** A `postgres://` connection URL. Ignored when `pool` is given. */
  connectionString?: string;
  /** An existing node-postgres pool; the storage does not end it on `close()`. */
  pool?: Pool;
  /** Most connections in the pool this storage creates. Default 10. */
  maxConnections?: number;
}
