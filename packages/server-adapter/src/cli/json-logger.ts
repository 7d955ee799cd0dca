import type { Logger } from '../handler/handler-options';

/** One JSON object per line: the standalone server's log until a full logger is configured. */
export function jsonLogger(): Logger {
  const write = (level: string, obj: object, msg?: string) => {
    const entry: Record<string, unknown> = { level, time: new Date().toISOString(), msg, ...obj };
    const err = (obj as { err?: unknown }).err;
    if (err instanceof Error) entry.err = { type: err.name, message: err.message, stack: err.stack };
    (level === 'error' ? process.stderr : process.stdout).write(`${JSON.stringify(entry)}\n`);
  };
  return {
    info: (obj, msg) => write('info', obj, msg),
    warn: (obj, msg) => write('warn', obj, msg),
    error: (obj, msg) => write('error', obj, msg),
  };
}
