import type { ProblemDetails } from './problem-details';

/**
 * Why a call was not delivered:
 * - `invalid`: the call breaks the Segment spec (no `userId`/`anonymousId`, no `event`, …) or cannot be
 *   serialized; checked on this machine, never sent.
 * - `too_large`: the serialized message exceeds `maxEventBytes`.
 * - `closed`: the call came after `closeAndFlush()`.
 * - `queue_full`: the queue was at `maxQueueSize`/`maxQueueBytes` (see `queueFullPolicy`).
 * - `rejected`: the server refused it (400, 401, 403, 413, …, or by name in a 200 answer); not retried.
 * - `retries_exhausted`: network errors, timeouts, 408, 429 or 5xx outlasted `maxRetries` or
 *   `maxRetryDuration`.
 * - `aborted`: `closeAndFlush({ timeout })` ran out of time first. The server may still have stored it.
 */
export type FailureReason = 'invalid' | 'too_large' | 'closed' | 'queue_full' | 'rejected' | 'retries_exhausted' | 'aborted';

/**
 * The base of every error the client reports (never throws): `code` says why, `messageIds` says
 * which calls it concerns.
 */
export class DeliveryError extends Error {
  override name = 'DeliveryError';
  /** Why the calls were not delivered. */
  readonly code: FailureReason;
  /** The messages concerned. */
  readonly messageIds: readonly string[];

  constructor(code: FailureReason, message: string, messageIds: readonly string[], options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.messageIds = messageIds;
  }
}

/** A call that breaks the Segment spec; `field` names the culprit. */
export class InvalidCallError extends DeliveryError {
  override name = 'InvalidCallError';
  /** The field at fault, e.g. `userId`, `event`, `messageId`, `properties`. */
  readonly field: string;

  constructor(field: string, message: string, messageId: string, options?: { cause?: unknown }) {
    super('invalid', `${field}: ${message}`, [messageId], options);
    this.field = field;
  }
}

/** A message larger than `maxEventBytes` once serialized. */
export class EventTooLargeError extends DeliveryError {
  override name = 'EventTooLargeError';
  constructor(
    /** Its serialized size. */
    readonly bytes: number,
    /** The limit it breaks. */
    readonly limit: number,
    messageId: string,
  ) {
    super('too_large', `the message is ${bytes} bytes serialized; the limit is ${limit}`, [messageId]);
  }
}

/** A call made after `closeAndFlush()`. */
export class ClientClosedError extends DeliveryError {
  override name = 'ClientClosedError';
  constructor(messageId: string) {
    super('closed', 'the client is closed (closeAndFlush was called)', [messageId]);
  }
}

/** A call refused because the queue was full. */
export class QueueFullError extends DeliveryError {
  override name = 'QueueFullError';
  constructor(messageId: string, detail: string) {
    super('queue_full', `the queue is full: ${detail}`, [messageId]);
  }
}

/**
 * Messages the server refused: a 4xx other than 408/429 for the whole request (with the server's
 * problem document), or one item named in a 200's `rejected` list (with `status` 200).
 */
export class RejectedError extends DeliveryError {
  override name = 'RejectedError';
  /** The HTTP status of the answer. */
  readonly status: number;
  /** The server's problem document, when it sent one. */
  readonly problem: ProblemDetails | undefined;
  /** What was wrong, field by field. */
  readonly errors: readonly { field?: string; pointer?: string; message: string }[];

  constructor(status: number, messageIds: readonly string[], problem: ProblemDetails | undefined, errors?: RejectedError['errors']) {
    const list = errors ?? problem?.errors ?? [];
    const detail = problem?.detail ?? list.map((e) => `${e.pointer ?? e.field ?? ''} ${e.message}`.trim()).join('; ');
    super('rejected', `the server refused ${messageIds.length === 1 ? 'the message' : `${messageIds.length} messages`} (${status}${problem?.code ? ` ${problem.code}` : ''})${detail ? `: ${detail}` : ''}`, messageIds);
    this.status = status;
    this.problem = problem;
    this.errors = list;
  }
}

/** Transient failures (network, timeout, 408, 429, 5xx) that outlasted the retry budget. */
export class RetriesExhaustedError extends DeliveryError {
  override name = 'RetriesExhaustedError';
  constructor(
    /** Requests made, the first included. */
    readonly attempts: number,
    /** The status of the last answer, if there was one. */
    readonly status: number | undefined,
    messageIds: readonly string[],
    cause: unknown,
  ) {
    super('retries_exhausted', `gave up after ${attempts} attempt${attempts === 1 ? '' : 's'}: ${describe(cause)}`, messageIds, { cause });
  }
}

/** Messages still undelivered when `closeAndFlush({ timeout })` ran out of time. */
export class AbortedError extends DeliveryError {
  override name = 'AbortedError';
  constructor(messageIds: readonly string[]) {
    super('aborted', 'closeAndFlush timed out before delivery; the server may or may not have stored it', messageIds);
  }
}

function describe(cause: unknown): string {
  return cause instanceof Error ? cause.message : String(cause);
}
