import { randomUUID } from 'node:crypto';

// What a proxy or client may hand us as a request id: printable, no spaces, short enough for a log line.
const ACCEPTABLE = /^[\x21-\x7e]{1,128}$/;

/** The caller's `X-Request-Id` when it is sane, else a new UUID, so every log line of a request can be found. */
export function requestIdFrom(header: string | null): string {
  return header !== null && ACCEPTABLE.test(header) ? header : randomUUID();
}
