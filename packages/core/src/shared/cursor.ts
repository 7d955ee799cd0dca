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
