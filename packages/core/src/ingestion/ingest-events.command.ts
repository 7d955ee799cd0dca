import type { StructureValidators } from '../event-structures/structure-validators';
import type { GroupCommitter } from './group-committer';
import type { KeyPrincipal } from '../keys/authenticate-key.query';
import type { HandlerContext } from '../shared/context';
import { InvalidInputError, PayloadTooLargeError, type FieldIssue } from '../shared/errors';
import { err, ok, type Result } from '../shared/result';
import { findUnstorable } from '../shared/storable-json';
import { dateOrNull, normalizeMessage, type BatchDefaults } from './normalize-message';
import type { MessageType, TrackingEvent } from './tracking-event';

/** What one call of the ingestion API carries. */
export interface IngestRequest {
  messages: readonly unknown[];
  /** The route's type for single-message routes (`/v1/track`); batch items carry their own. */
  type?: MessageType;
  /** A batch root's `context`, `integrations` and `sentAt`, applied to items that lack them. */
  defaults?: BatchDefaults;
  /** When the request arrived; defaults to now. */
  receivedAt?: Date;
  /** Size of the request body, to bound the bytes of a group-committed transaction. */
  bodyBytes?: number;
  /** The sender's address; stored as `context.ip` when the message does not carry one, as Segment does. */
  clientIp?: string;
}

/** Segment's limits, which its clients already respect. */
export const ingestLimits = {
  /** Largest single message, serialized. */
  maxEventBytes: 32 * 1024,
  /** Most messages in one batch. */
  maxBatchSize: 2500,
} as const;

/** What ingestion needs beyond the handler context. */
export interface IngestDeps {
  validators: StructureValidators;
  committer: GroupCommitter;
}

/** A message refused by name, with every reason, as JSON Pointers into it. */
export interface RejectedMessage {
  index: number;
  messageId: string | null;
  errors: { pointer: string; message: string }[];
}

/** What happened to each message of a request. */
export interface IngestOutcome {
  /** Newly stored events (flagged ones included). */
  stored: number;
  /** Events whose messageId this system had stored before; not stored again. */
  duplicates: number;
  rejected: RejectedMessage[];
}

/**
 * Normalizes, validates and stores a request's messages. Valid and flagged events commit together
 * before this resolves; rejected ones are named. When every message is rejected the whole request
 * fails with `InvalidInputError`, so single-event routes answer 400 naming the field.
 */
export async function ingestEvents(
  ctx: HandlerContext,
  { validators, committer }: IngestDeps,
  principal: KeyPrincipal,
  request: IngestRequest,
): Promise<Result<IngestOutcome, InvalidInputError | PayloadTooLargeError>> {
  if (request.messages.length > ingestLimits.maxBatchSize) {
    return err(InvalidInputError.field('batch', `must hold at most ${ingestLimits.maxBatchSize} messages, not ${request.messages.length}`));
  }
  const receivedAt = request.receivedAt ?? ctx.now();
  const rootSentAt = request.defaults?.sentAt;
  if (rootSentAt !== undefined && rootSentAt !== null && dateOrNull(rootSentAt) === null) {
    return err(InvalidInputError.field('sentAt', 'must be an ISO-8601 date-time'));
  }
  const accepted: TrackingEvent[] = [];
  const rejected: RejectedMessage[] = [];
  const bodyUnderLimit = request.bodyBytes !== undefined && request.bodyBytes * 1.25 <= ingestLimits.maxEventBytes;
  for (const [index, raw] of request.messages.entries()) {
    const unstorable = findUnstorable(raw);
    if (unstorable) {
      rejected.push({ index, messageId: messageIdOf(raw), errors: [toPointer(unstorable)] });
      continue;
    }
    // Re-serializing a parsed message only shortens it, except exponents (`1e21` becomes `1e+21`,
    // one byte per 4-byte number at most), so a body under 80 % of the limit needs no check per message.
    const size = bodyUnderLimit ? 0 : Buffer.byteLength(JSON.stringify(raw) ?? '');
    if (size > ingestLimits.maxEventBytes) {
      const message = `is ${size} bytes; a message may be at most ${ingestLimits.maxEventBytes} bytes (32 KB)`;
      if (request.type) return err(new PayloadTooLargeError(`The message ${message}`));
      rejected.push({ index, messageId: messageIdOf(raw), errors: [{ pointer: '', message }] });
      continue;
    }
    const normalized = normalizeMessage(raw, {
      systemId: principal.system.id,
      type: request.type,
      defaults: request.defaults,
      receivedAt,
    });
    if (!normalized.ok) {
      rejected.push({ index, messageId: messageIdOf(raw), errors: normalized.issues.map(toPointer) });
      continue;
    }
    const event = normalized.event;
    if (request.clientIp && event.context.ip === undefined) event.context.ip = request.clientIp;
    if (event.type === 'track' && event.event !== null) {
      const verdict = await validators.verdict(principal.system, event.event, event.properties);
      if (verdict.outcome === 'reject') {
        rejected.push({ index, messageId: event.messageId, errors: verdict.violations.map((v) => ({ pointer: v.path, message: v.message })) });
        continue;
      }
      if (verdict.outcome === 'flag') {
        event.valid = false;
        event.validationErrors = verdict.violations;
      }
    }
    accepted.push(event);
  }
  if (accepted.length === 0 && rejected.length > 0) {
    ctx.telemetry.emit({ type: 'ingested', stored: 0, flagged: 0, deduplicated: 0, rejected: rejected.length });
    return err(allRejected(rejected, request.type !== undefined));
  }
  const { inserted, isNew } = await committer.append(accepted, request.bodyBytes ?? accepted.length * 1024);
  const flagged = accepted.reduce((n, event, i) => (isNew[i] && !event.valid ? n + 1 : n), 0);
  ctx.telemetry.emit({ type: 'ingested', stored: inserted, flagged, deduplicated: accepted.length - inserted, rejected: rejected.length });
  return ok({ stored: inserted, duplicates: accepted.length - inserted, rejected });
}

function allRejected(rejected: RejectedMessage[], single: boolean): InvalidInputError {
  const issues: FieldIssue[] = rejected.flatMap((r) =>
    r.errors.map((e) => ({ field: pointerToField(single ? e.pointer : `/batch/${r.index}${e.pointer}`), message: e.message })),
  );
  return new InvalidInputError(issues);
}

function toPointer(issue: FieldIssue): { pointer: string; message: string } {
  return { pointer: issue.field ? `/${issue.field.split('.').join('/')}` : '', message: issue.message };
}

function pointerToField(pointer: string): string {
  return pointer.split('/').filter(Boolean).join('.');
}

function messageIdOf(raw: unknown): string | null {
  const id = (raw as { messageId?: unknown } | null)?.messageId;
  return typeof id === 'string' ? id : null;
}
