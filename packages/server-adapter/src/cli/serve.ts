import { DataDirectoryLockedError } from '@volcanion-tracking/core/pglite';
import type { ServerSettings } from '../config/server-settings';
import { serverLogger } from '../server/server-logger';
import { startServer } from '../server/start-server';

/** Runs the server until SIGTERM or SIGINT; resolves with the process exit code. */
export async function serve(config: ServerSettings): Promise<number> {
  const logger = serverLogger(config);
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
    // Written to the terminal, never to the log: logs are shipped and kept, a secret must not be.
    process.stdout.write(
      `Admin token (shown this once; it is stored hashed, set VOLCANION_ADMIN_TOKEN to choose your own):\n  ${running.generatedAdminToken}\n`,
    );
  }
  logger.info({ url: running.url, storage, redis: config.redisUrl !== undefined }, `volcanion-tracking listening on ${running.url}`);

  return new Promise<number>((resolve) => {
    const stop = (signal: string) => {
      logger.info({ signal, delayMs: config.shutdownDelayMs, timeoutMs: config.shutdownTimeoutMs }, 'shutting down');
      running.close().then(
        () => {
          logger.info({}, 'stopped');
          resolve(0);
        },
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
