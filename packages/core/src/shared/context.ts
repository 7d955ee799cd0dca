import type { AnswerCache } from '../analytics/answer-cache';
import type { Telemetry } from '../observability/telemetry';
import type { PartnerPolicy } from '../partners/partner-system';
import type { Repositories, Storage } from '../storage/storage';
import type { DomainEvent } from './domain-event';

/** What every command and query handler is given: ports and the platform's policies. */
export interface HandlerContext {
  storage: Storage;
  /** The current time; tests pass a fixed clock. */
  now: () => Date;
  /** A new aggregate id (UUIDv7). */
  newId: () => string;
  policy: PartnerPolicy;
  /** Called after a transaction commits with the domain events it raised. */
  publish: (events: readonly DomainEvent[]) => void;
  /** Where analytics answers are reused. */
  cache: AnswerCache;
  /** How long an answer is reused, at most; a new checkpoint makes a new key anyway. */
  answerTtlSeconds: number;
  /** Where counts and durations for metrics go. */
  telemetry: Telemetry;
}

/**
 * Runs a command in one transaction, appends the domain events it raised to the log in that same
 * transaction, and publishes them only after the commit.
 */
export async function inTransaction<T>(
  ctx: HandlerContext,
  fn: (tx: Repositories) => Promise<{ result: T; events: readonly DomainEvent[] }>,
): Promise<T> {
  const { result, events } = await ctx.storage.transaction(async (tx) => {
    const outcome = await fn(tx);
    if (outcome.events.length > 0) await tx.domainEvents.append(outcome.events);
    return outcome;
  });
  if (events.length > 0) ctx.publish(events);
  return result;
}
