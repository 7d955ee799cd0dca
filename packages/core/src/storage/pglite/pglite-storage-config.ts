/** Options of {@link createPgliteStorage}. */
export interface PgliteStorageConfig {
  /**
   * Directory of the embedded database; created when missing. `memory://` keeps it in memory.
   * Default `./.volcanion/data`.
   */
  dataDir?: string;
  /**
   * Take an exclusive lock on `dataDir` so that a second process fails at once instead of silently
   * losing writes (PGlite does not lock its directory itself). Default `true`.
   */
  lock?: boolean;
  /**
   * `durable` (default): a commit is on disk when it returns, surviving power loss and OS crashes
   * (about 0.25 ms per commit; group commit shares it among many events). `relaxed`: PGlite's own
   * default, fsync off; commits survive the process being killed but not the machine failing.
   */
  durability?: 'durable' | 'relaxed';
}
