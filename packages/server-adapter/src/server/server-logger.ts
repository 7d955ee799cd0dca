import { pino, type Logger as PinoLogger } from 'pino';
import pretty from 'pino-pretty';
import type { ServerSettings } from '../config/server-settings';

/**
 * The standalone server's pino logger: JSON lines, or readable lines when a person watches a
 * terminal. Credentials are redacted wherever a caller might put them by mistake.
 */
export function serverLogger(settings: Pick<ServerSettings, 'logLevel' | 'logFormat'>): PinoLogger {
  const options = {
    level: settings.logLevel,
    base: { pid: process.pid },
    redact: { paths: ['authorization', 'writeKey', 'adminToken', '*.authorization', '*.writeKey', '*.adminToken'], censor: '[redacted]' },
  };
  const usePretty = settings.logFormat === 'pretty' || (settings.logFormat === 'auto' && process.stdout.isTTY === true);
  // pino-pretty as a stream in this thread, not a transport worker: the CLI must stay one process.
  return usePretty ? pino(options, pretty({ colorize: true, sync: true, ignore: 'pid,hostname' })) : pino(options);
}
