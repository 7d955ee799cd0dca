import { closeSync, mkdirSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

const heldHere = new Set<string>();

/** Another live process holds the data directory. */
export class DataDirectoryLockedError extends Error {
  constructor(
    readonly dataDir: string,
    readonly holderPid: number,
  ) {
    super(
      `The data directory ${dataDir} is in use by process ${holderPid}. ` +
        'PGlite cannot share a directory between processes: stop that process, or give this one another --data-dir.',
    );
    this.name = 'DataDirectoryLockedError';
  }
}

/** A held lock; `release()` is idempotent. */
export interface DataDirectoryLock {
  release(): void;
}

/**
 * Takes the lock file `<dataDir>.lock`, created exclusively and holding our pid. A lock left by a
 * process that no longer runs (killed, crashed) is taken over.
 */
export function lockDataDirectory(dataDir: string): DataDirectoryLock {
  const path = `${resolve(dataDir)}.lock`;
  // Our own pid in the file means a stale lock from an earlier run only when this process does not hold it.
  if (heldHere.has(path)) throw new DataDirectoryLockedError(dataDir, process.pid);
  mkdirSync(dirname(path), { recursive: true });
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(path, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      heldHere.add(path);
      let held = true;
      const release = () => {
        if (!held) return;
        held = false;
        heldHere.delete(path);
        try {
          if (readFileSync(path, 'utf8') === String(process.pid)) unlinkSync(path);
        } catch {
          // Already gone: nothing to release.
        }
      };
      process.once('exit', release);
      return { release };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = Number.parseInt(safeRead(path), 10);
      if (Number.isInteger(holder) && holder !== process.pid && isAlive(holder)) {
        throw new DataDirectoryLockedError(dataDir, holder);
      }
      // Stale: its process is gone (or it is our own pid, left by a previous container run).
      try {
        unlinkSync(path);
      } catch {
        // Another starter removed it first; the next attempt decides.
      }
    }
  }
  throw new Error(`Could not lock ${dataDir}: ${path} keeps reappearing`);
}

function safeRead(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
