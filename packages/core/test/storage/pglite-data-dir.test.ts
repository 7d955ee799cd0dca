import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createPgliteStorage, DataDirectoryLockedError } from '../../src/storage/pglite';
import { backendEnabled } from '../support/backends';

describe.runIf(backendEnabled('pglite'))('pglite data directory', () => {
  const root = mkdtempSync(join(tmpdir(), 'vt-pglite-dir-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('keeps what was written after close and reopen', async () => {
    const dataDir = join(root, 'reopen');
    const first = await createPgliteStorage({ dataDir });
    await first.migrate();
    await first.settings.putIfAbsent('kept', 'yes');
    await first.close();
    const second = await createPgliteStorage({ dataDir });
    await second.migrate();
    expect(await second.settings.get('kept')).toBe('yes');
    await second.close();
  });

  it('refuses a second open of a directory that is in use, and frees it on close', async () => {
    const dataDir = join(root, 'locked');
    const holder = await createPgliteStorage({ dataDir });
    await expect(createPgliteStorage({ dataDir })).rejects.toBeInstanceOf(DataDirectoryLockedError);
    await holder.close();
    expect(existsSync(`${dataDir}.lock`)).toBe(false);
    const next = await createPgliteStorage({ dataDir });
    await next.close();
  });

  it('takes over a lock left by a process that no longer runs', async () => {
    const dataDir = join(root, 'stale');
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    writeFileSync(`${dataDir}.lock`, dead.stdout);
    const storage = await createPgliteStorage({ dataDir });
    await storage.close();
  });
});
