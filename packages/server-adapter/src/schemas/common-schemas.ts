import { z } from 'zod';

/** An instant as the API writes it: ISO-8601 in UTC (`toISOString()`). */
export const instant = z.iso.datetime();

/** `{id}` of a path. */
export const idParams = z.object({ id: z.string().describe('The id (UUIDv7)') });

/** `{id}` of a system's path. */
export const systemParams = z.object({ id: z.string().describe("The system's id (UUIDv7)") });

/** A page of a list and where the next one starts. */
export function pageOf<T extends z.ZodType>(item: T) {
  return z.object({
    data: z.array(item),
    nextCursor: z.string().nullable().describe('Pass as `cursor` for the next page; `null` on the last'),
  });
}

/** A complete list. */
export function listOf<T extends z.ZodType>(item: T) {
  return z.object({ data: z.array(item) });
}
