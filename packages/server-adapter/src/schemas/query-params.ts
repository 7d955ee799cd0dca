import { dateOrNull, messageTypes, type MessageType } from '@volcanion-tracking/core';
import { z } from 'zod';

/** An integer query parameter from `min` to `max`; the core applies the default. */
export function integerParam(min: number, max: number, description: string) {
  const message = `must be an integer from ${min} to ${max}`;
  return z.coerce.number('must be an integer').int('must be an integer').min(min, message).max(max, message).optional().describe(description);
}

/** A `true`/`false` query parameter. */
export function booleanParam(description: string) {
  return z
    .enum(['true', 'false'], 'must be true or false')
    .transform((value) => value === 'true')
    .optional()
    .describe(description);
}

/** An ISO-8601 instant query parameter. */
export function instantParam(description: string) {
  return z
    .string()
    .meta({ examples: ['2026-05-01T00:00:00Z'] })
    .transform((raw, ctx) => {
      const date = dateOrNull(raw);
      if (!date) ctx.addIssue({ code: 'custom', message: 'must be an ISO-8601 date-time' });
      return date ?? z.NEVER;
    })
    .optional()
    .describe(description);
}

/** A Segment message type query parameter. */
export const messageTypeParam = z
  .enum(messageTypes as [MessageType, ...MessageType[]], `must be one of ${messageTypes.join(', ')}`)
  .optional()
  .describe('Only messages of this type');

/** An opaque page cursor: the `nextCursor` of the previous page. */
export const cursorParam = z.string().optional().describe('The `nextCursor` of the previous page');
