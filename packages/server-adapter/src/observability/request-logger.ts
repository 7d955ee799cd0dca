import type { Logger } from '../handler/handler-options';

/**
 * A logger whose every line carries the request id. Pino-style loggers make a child (cheap, and
 * their own serializers keep working); plain ones get the id merged into each object.
 */
export function requestLogger(logger: Logger, reqId: string): Logger {
  if (typeof logger.child === 'function') return logger.child({ reqId });
  const withId = (obj: object) => ({ reqId, ...obj });
  return {
    info: (obj, msg) => logger.info(withId(obj), msg),
    warn: (obj, msg) => logger.warn(withId(obj), msg),
    error: (obj, msg) => logger.error(withId(obj), msg),
    debug: logger.debug ? (obj, msg) => logger.debug!(withId(obj), msg) : undefined,
  };
}
