import { InvalidInputError } from './errors';
import { err, ok, type Result } from './result';

/**
 * Pagination cursors are opaque to clients: base64url of the last key seen. Decoding a cursor the
 * client tampered with yields `null`, which callers turn into a 400 naming `cursor`.
 */
export function encodeCursor(key: string): string {
  return Buffer.from(key, 'utf8').toString('base64url');
}

/** Reverses {@link encodeCursor}; `null` when the text is not a cursor we issued. */
export function decodeCursor(cursor: string, isValidKey: (key: string) => boolean): string | null {
  if (!/^[A-Za-z0-9_-]{1,200}$/.test(cursor)) return null;
  const key = Buffer.from(cursor, 'base64url').toString('utf8');
  return isValidKey(key) ? key : null;
}

/** One page of a listing and the cursor to the next one (`null` on the last page). */
export interface Page<T> {
  data: T[];
  nextCursor: string | null;
}

/** A validated page request: how many rows, and the key to continue after. */
export interface PageRequest {
  limit: number;
  after: string | undefined;
}

/**
 * Checks `limit` (1…maxLimit, default `defaultLimit`) and decodes `cursor`; each failure names its field.
 * Fetch `limit + 1` rows and pass them to {@link toPage}, which tells from the extra row whether a next page exists.
 */
export function readPageRequest(
  input: { limit?: number; cursor?: string },
  rules: { defaultLimit: number; maxLimit: number; isValidKey: (key: string) => boolean },
): Result<PageRequest, InvalidInputError> {
  const limit = input.limit ?? rules.defaultLimit;
  if (!Number.isInteger(limit) || limit < 1 || limit > rules.maxLimit) {
    return err(InvalidInputError.field('limit', `must be an integer from 1 to ${rules.maxLimit}`));
  }
  const after = input.cursor === undefined ? undefined : decodeCursor(input.cursor, rules.isValidKey);
  if (after === null) return err(InvalidInputError.field('cursor', 'is not a cursor this server issued'));
  return ok({ limit, after });
}

/** The first `limit` rows, with a cursor to the rest when more rows were fetched. */
export function toPage<T>(rows: T[], limit: number, keyOf: (row: T) => string): Page<T> {
  const data = rows.slice(0, limit);
  return { data, nextCursor: rows.length > limit ? encodeCursor(keyOf(data[data.length - 1]!)) : null };
}
