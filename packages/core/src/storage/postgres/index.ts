/**
 * @module
 * PostgreSQL storage for Volcanion Tracking (kysely + node-postgres).
 */
export { createPostgresStorage } from './postgres-storage';
export type { PostgresStorageConfig } from './postgres-storage-config';
