import type { TrackedEvent } from './plugins';
import { uuid } from './uuid';

/**
 * Per-call options, as Segment's clients take them: `context` is merged into the automatic one; the
 * other fields (`timestamp`, `integrations`, `anonymousId`, `userId`, `messageId`) replace the
 * message's own.
 */
export interface CallOptions {
  context?: Record<string, unknown>;
  integrations?: Record<string, unknown>;
  timestamp?: Date | string;
  anonymousId?: string;
  userId?: string;
  messageId?: string;
}

/**
 * Builds one message: a fresh `messageId` (what the server deduplicates on), the time of the call,
 * the ids, the automatic context, then the call's own fields and options.
 */
export const createMessage = (
  type: TrackedEvent['type'],
  fields: Record<string, unknown>,
  anonymousId: string,
  userId: string | null,
  context: Record<string, unknown>,
  time: number,
  options?: CallOptions,
): TrackedEvent =>
  ({
    type,
    messageId: uuid(),
    timestamp: new Date(time).toISOString(),
    anonymousId,
    userId: userId ?? undefined,
    ...fields,
    ...options,
    context: { ...context, ...options?.context },
  }) as TrackedEvent;
