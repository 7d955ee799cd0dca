import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Storage } from '../../src';
import { createMemoryStorage } from '../../src/storage/memory';
import { createPgliteStorage } from '../../src/storage/pglite';
import { createPostgresStorage } from '../../src/storage/postgres';
import { createFreshDatabase } from './fresh-postgres';

/** A migrated storage and how to throw it away. */
export interface TestBackend {
  storage: Storage;
  dispose: () => Promise<void>;
}

/** Every backend by name; `STORAGE=memory,pglite pnpm test` narrows the list. */
export const backends: Record<'memory' | 'pglite' | 'postgres', () => Promise<TestBackend>> = {
  async memory() {
    const storage = createMemoryStorage();
    return { storage, dispose: () => storage.close() };
  },
  async pglite() {
    const dir = mkdtempSync(join(tmpdir(), 'vt-pglite-'));
    const storage = await createPgliteStorage({ dataDir: join(dir, 'data') });
    await storage.migrate();
    return {
      storage,
      async dispose() {
        await storage.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  },
  async postgres() {
    const database = await createFreshDatabase();
    const storage = createPostgresStorage({ connectionString: database.url });
    await storage.migrate();
    return {
      storage,
      async dispose() {
        await storage.close();
        await database.drop();
      },
    };
  },
};

/** True unless `STORAGE` is set and leaves this backend out. */
export function backendEnabled(name: keyof typeof backends): boolean {
  const only = process.env.STORAGE?.split(',').map((s) => s.trim());
  return !only || only.includes(name);
}
