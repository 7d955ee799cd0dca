import { DataDirectoryLockedError } from '@volcanion-tracking/core/pglite';
import { startServer } from '../server/start-server';
import type { ServeConfig } from './config';
import { jsonLogger } from './json-logger';

/** Runs the server until SIGTERM or SIGINT; resolves with the process exit code. */
export async function serve(config: ServeConfig): Promise<number> {
  const logger = jsonLogger();
  let running;
  try {
    running = await startServer({ ...config, logger });
  } catch (error) {
    if (error instanceof DataDirectoryLockedError) {
      process.stderr.write(`volcanion-tracking: ${error.message}\n`);
      return 1;
    }
    const code = (error as NodeJS.ErrnoException).code;
    process.stderr.write(`volcanion-tracking: could not start: ${(error as Error).message}${code ? ` (${code})` : ''}\n`);
    return 1;
  }
  const storage = config.databaseUrl ? 'postgres' : `pglite (${config.dataDir})`;
  if (running.generatedAdminToken) {
    process.stdout.write(
      `Admin token (shown this once; it is stored hashed, set VOLCANION_ADMIN_TOKEN to choose your own):\n  ${running.generatedAdminToken}\n`,
    );
  }
  process.stdout.write(`volcanion-tracking listening on ${running.url} (storage: ${storage})\n`);

  return new Promise<number>((resolve) => {
    const stop = (signal: string) => {
      logger.info({ signal }, 'shutting down');
      running.close().then(
        () => resolve(0),
        (error: unknown) => {
          logger.error({ err: error }, 'shutdown failed');
          resolve(1);
        },
      );
    };
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
  });
}
