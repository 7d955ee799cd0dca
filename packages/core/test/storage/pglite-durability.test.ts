import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { afterAll, describe, expect, it } from 'vitest';
import { openDurable } from '../../src/storage/pglite/pglite-storage';
import { backendEnabled } from '../support/backends';

describe.runIf(backendEnabled('pglite'))('durable PGlite', () => {
  const root = mkdtempSync(join(tmpdir(), 'vt-durable-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('runs with fsync on, synchronous WAL writes, and syncs that reach the kernel', async () => {
    const dataDir = join(root, 'durable');
    const pglite = await openDurable(dataDir);
    try {
      const { rows } = await pglite.query<{ name: string; setting: string }>(
        "select name, setting from pg_settings where name in ('fsync', 'synchronous_commit', 'wal_sync_method') order by name",
      );
      expect(rows).toEqual([
        { name: 'fsync', setting: 'on' },
        { name: 'synchronous_commit', setting: 'on' },
        { name: 'wal_sync_method', setting: 'open_datasync' },
      ]);
      // The directory initdb filled without syncing was synced once, and marked.
      expect(existsSync(join(dataDir, '.volcanion-synced'))).toBe(true);
    } finally {
      await pglite.close();
    }
  });

  it('reopens a directory created by PGlite with its defaults', async () => {
    const dataDir = join(root, 'relaxed-first');
    const relaxed = await PGlite.create(dataDir);
    await relaxed.exec('create table kept (v text); insert into kept values (\'yes\')');
    await relaxed.close();
    const durable = await openDurable(dataDir);
    try {
      expect((await durable.query<{ v: string }>('select v from kept')).rows).toEqual([{ v: 'yes' }]);
    } finally {
      await durable.close();
    }
  });
});
