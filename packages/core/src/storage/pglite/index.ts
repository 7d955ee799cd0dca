/**
 * @module
 * Embedded PostgreSQL (PGlite) storage for Volcanion Tracking: zero infrastructure.
 */
export { createPgliteStorage } from './pglite-storage';
export type { PgliteStorageConfig } from './pglite-storage-config';
export { DataDirectoryLockedError, lockDataDirectory, type DataDirectoryLock } from './data-dir-lock';
