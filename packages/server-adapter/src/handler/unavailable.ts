// Network errors of the driver, and PostgreSQL's SQLSTATE classes 08 (connection exception), 53
// (insufficient resources: too many connections, disk full), 57P (operator intervention: shutdown,
// crash recovery) and 3D000 (the database itself is gone).
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH']);

/** True when an error says the database could not be reached, rather than that we have a bug. */
export function isUnavailable(error: unknown): boolean {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  if (typeof code === 'string' && (NETWORK_CODES.has(code) || /^(08|53|57P|3D000)/.test(code))) return true;
  return typeof message === 'string' && /timeout exceeded when trying to connect|Connection terminated|connection is closed|Client has encountered a connection error/i.test(message);
}
