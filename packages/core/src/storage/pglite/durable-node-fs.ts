import { closeSync, constants, existsSync, fsyncSync, openSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { NodeFS } from '@electric-sql/pglite/nodefs';

// The subset of Emscripten's NODEFS this file relies on; PGlite does not type its internals.
interface EmscriptenNodeFs {
  stream_ops: { fsync?: (stream: { nfd: number }) => number };
  flagsForNodeMap: Record<number, number>;
  tryFSOperation<T>(fn: () => T): T;
}

type InitResult = Awaited<ReturnType<NodeFS['init']>>;

/** Emscripten's O_DSYNC, which its NODEFS maps to O_SYNC instead of O_DSYNC. */
const EMSCRIPTEN_O_DSYNC = 4096;

/**
 * PGlite's Node filesystem with syncs that reach the disk. Under Emscripten, PostgreSQL's `fsync()`
 * is a silent no-op (NODEFS has no `fsync` hook) and `fdatasync()` always is; this adds the hook and
 * maps O_DSYNC truly, so that with `wal_sync_method=open_datasync` each commit's WAL write is
 * synchronous and checkpoints sync data files, `pg_control` and directories, as on a server.
 */
export class DurableNodeFS extends NodeFS {
  /** Syncs that reached the kernel; the start-up self-check reads it. */
  syncCalls = 0;

  override async init(...args: Parameters<NodeFS['init']>): Promise<InitResult> {
    const result = await super.init(...args);
    const options = result.emscriptenOpts as { preRun?: ((module: { NODEFS: EmscriptenNodeFs }) => void)[] };
    options.preRun = [
      ...(options.preRun ?? []),
      (module) => {
        const nodefs = module.NODEFS;
        nodefs.stream_ops.fsync = (stream) => {
          this.syncCalls++;
          // An I/O error becomes an errno, and PostgreSQL PANICs rather than acknowledging the commit.
          nodefs.tryFSOperation(() => fsyncSync(stream.nfd));
          return 0;
        };
        nodefs.flagsForNodeMap[EMSCRIPTEN_O_DSYNC] = constants.O_DSYNC;
      },
    ];
    return result;
  }
}

/** PostgreSQL settings that make a commit durable once `COMMIT` returns. */
export const durableStartParams = ['-c', 'fsync=on', '-c', 'synchronous_commit=on', '-c', 'wal_sync_method=open_datasync'];

const SYNCED_MARKER = '.volcanion-synced';

/**
 * PGlite copies initdb's output into a new directory without syncing it; sync the whole tree once,
 * then leave a marker so later starts skip it (a crash before the marker means it runs again).
 */
export function syncDataDirectoryOnce(dataDir: string): void {
  if (existsSync(join(dataDir, SYNCED_MARKER))) return;
  syncTree(dataDir);
  syncPath(dirname(dataDir));
  writeFileSync(join(dataDir, SYNCED_MARKER), 'data directory synced to disk once after creation\n');
  syncPath(join(dataDir, SYNCED_MARKER));
  syncPath(dataDir);
}

function syncTree(path: string): void {
  if (statSync(path).isDirectory()) for (const entry of readdirSync(path)) syncTree(join(path, entry));
  syncPath(path);
}

function syncPath(path: string): void {
  const fd = openSync(path, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
