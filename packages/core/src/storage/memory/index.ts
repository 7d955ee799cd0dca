/**
 * @module
 * In-memory storage for Volcanion Tracking: tests and experiments.
 */
export { createMemoryStorage } from './memory-storage';
