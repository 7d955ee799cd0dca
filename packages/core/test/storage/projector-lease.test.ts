import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Projector, type Storage } from '../../src';
import { createPostgresStorage } from '../../src/storage/postgres';
import { backendEnabled } from '../support/backends';
import { createFreshDatabase } from '../support/fresh-postgres';

describe.runIf(backendEnabled('postgres'))('projector lease across processes', () => {
  let database: Awaited<ReturnType<typeof createFreshDatabase>>;
  const storages: Storage[] = [];

  beforeAll(async () => {
    database = await createFreshDatabase();
    for (let i = 0; i < 2; i++) storages.push(createPostgresStorage({ connectionString: database.url }));
    await storages[0]!.migrate();
  });
  afterAll(async () => {
    await Promise.all(storages.map((s) => s.close()));
    await database?.drop();
  });

  async function until(done: () => boolean, what: string): Promise<void> {
    for (let i = 0; i < 200 && !done(); i++) await new Promise((r) => setTimeout(r, 25));
    if (!done()) throw new Error(`timed out waiting for ${what}`);
  }

  it('reports which of two processes holds the lease: one active, the other on standby once, then taking over', async () => {
    const reports: string[] = [];
    const [a, b] = storages.map(
      (storage, i) => new Projector(storage, { idleMs: 20, standbyMs: 50, onLease: (holding) => reports.push(`${'ab'[i]}:${holding ? 'active' : 'standby'}`) }),
    ) as [Projector, Projector];
    a.start();
    await until(() => a.active, 'a to take the lease');
    b.start();
    await until(() => reports.includes('b:standby'), 'b to go on standby');
    // b keeps asking for the lease every 50 ms, but says it waits only once.
    await new Promise((r) => setTimeout(r, 300));
    expect(reports).toEqual(['a:active', 'b:standby']);
    await a.stop();
    await until(() => b.active, 'b to take over');
    expect(reports).toEqual(['a:active', 'b:standby', 'b:active']);
    await b.stop();
  });
});
