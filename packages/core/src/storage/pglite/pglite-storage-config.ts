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
}
