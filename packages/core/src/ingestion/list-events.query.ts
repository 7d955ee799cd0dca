import type { HandlerContext } from '../shared/context';
import { readPageRequest, toPage, type Page } from '../shared/cursor';
import type { InvalidInputError } from '../shared/errors';
import { err, ok, type Result } from '../shared/result';
import { unstorableFilter } from '../shared/storable-json';
import type { ListEventsOptions } from './event-store';
import type { StoredEvent } from './tracking-event';

/** Options of {@link listEvents}: a page position and the filters of {@link ListEventsOptions}. */
export interface ListEventsInput extends Omit<ListEventsOptions, 'limit' | 'beforeSeq'> {
  limit?: number;
  cursor?: string;
}

/** A system's events, newest first; the cursor is stable while new events arrive. */
export async function listEvents(
  ctx: HandlerContext,
  systemId: string,
  input: ListEventsInput,
): Promise<Result<Page<StoredEvent>, InvalidInputError>> {
  const page = readPageRequest(input, { defaultLimit: 100, maxLimit: 1000, isValidKey: isSequence });
  if (!page.ok) return page;
  const unstorable = unstorableFilter({ event: input.event, userId: input.userId, anonymousId: input.anonymousId });
  if (unstorable) return err(unstorable);
  const { limit: _limit, cursor: _cursor, ...filters } = input;
  const rows = await ctx.storage.events.list(systemId, { ...filters, limit: page.value.limit + 1, beforeSeq: page.value.after });
  return ok(toPage(rows, page.value.limit, (e) => e.seq));
}

const MAX_BIGINT = 9_223_372_036_854_775_807n;

// A cursor is a position in the event log: a positive PostgreSQL bigint.
function isSequence(key: string): boolean {
  return /^[1-9][0-9]{0,18}$/.test(key) && BigInt(key) <= MAX_BIGINT;
}
