import type { HandlerContext } from '../shared/context';
import { decodeCursor, encodeCursor, type Page } from '../shared/cursor';
import { InvalidInputError } from '../shared/errors';
import { err, ok, type Result } from '../shared/result';
import type { StoredEvent } from './tracking-event';

/** Options of {@link listEvents}. */
export interface ListEventsInput {
  limit?: number;
  cursor?: string;
  valid?: boolean;
}

/** A system's events, newest first; the cursor is stable while new events arrive. */
export async function listEvents(
  ctx: HandlerContext,
  systemId: string,
  input: ListEventsInput,
): Promise<Result<Page<StoredEvent>, InvalidInputError>> {
  const limit = input.limit ?? 100;
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000) {
    return err(InvalidInputError.field('limit', 'must be an integer from 1 to 1000'));
  }
  const beforeSeq = input.cursor === undefined ? undefined : decodeCursor(input.cursor, isSequence);
  if (beforeSeq === null) return err(InvalidInputError.field('cursor', 'is not a cursor this server issued'));
  const rows = await ctx.storage.events.list(systemId, { limit: limit + 1, beforeSeq, valid: input.valid });
  const data = rows.slice(0, limit);
  return ok({ data, nextCursor: rows.length > limit ? encodeCursor(data[data.length - 1]!.seq) : null });
}

const MAX_BIGINT = 9_223_372_036_854_775_807n;

// A cursor is a position in the event log: a positive PostgreSQL bigint.
function isSequence(key: string): boolean {
  return /^[1-9][0-9]{0,18}$/.test(key) && BigInt(key) <= MAX_BIGINT;
}
