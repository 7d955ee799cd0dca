import type { IngestResponse } from '@volcanion-tracking/core/protocol';
import { backoffDelay } from './backoff';
import type { Batch } from './batch';
import type { TrackingClientEvents } from './client-events';
import type { Emitter } from './emitter';
import { AbortedError, RejectedError, RetriesExhaustedError, type DeliveryError } from './errors';
import type { HttpClient, HttpResponse } from './http-client';
import { parseProblemDetails } from './problem-details';
import { parseRetryAfter } from './retry-after';
import { sendAttempt } from './send-attempt';
import type { ResolvedSettings } from './settings';
import { sleep } from './sleep';

/** What became of a batch. */
export type BatchOutcome =
  /** Acknowledged; `rejected` maps indexes the server refused by name to their error. */
  | { delivered: true; rejected: Map<number, RejectedError> }
  /** Not delivered, for the whole batch. */
  | { delivered: false; error: DeliveryError };

/** What {@link deliverBatch} needs from the publisher: shared by every batch of one client. */
export interface DeliveryContext {
  settings: ResolvedSettings;
  http: HttpClient;
  url: string;
  /** Headers of every request (authorization, content type, user agent). */
  headers: Record<string, string>;
  emitter: Emitter<TrackingClientEvents>;
  /** Aborted when `closeAndFlush` runs out of time. */
  signal: AbortSignal;
  /** Until when every request waits: a `Retry-After` concerns the server, not one batch. */
  pause: { until: number };
}

/**
 * Sends one batch until it is acknowledged, refused, or the retry budget is spent: retries network
 * errors, timeouts, 408, 429 and 5xx with exponential backoff and full jitter, honouring
 * `Retry-After`; never retries other 4xx. Never throws.
 */
export async function deliverBatch(batch: Batch, context: DeliveryContext): Promise<BatchOutcome> {
  const { settings, emitter, signal } = context;
  const started = Date.now();
  const ids = () => batch.messages.map((m) => m.messageId);
  for (let attempt = 1; ; attempt++) {
    const pausedFor = context.pause.until - Date.now();
    if (pausedFor > 0 && !(await sleep(pausedFor, signal))) return { delivered: false, error: new AbortedError(ids()) };
    if (signal.aborted) return { delivered: false, error: new AbortedError(ids()) };

    let status: number | undefined;
    let failure: Error;
    let retryAfter: number | undefined;
    try {
      const response = await sendAttempt(batch, attempt, context);
      status = response.status;
      if (status >= 200 && status < 300) {
        const rejected = readRejected(response, batch);
        if (emitter.listenerCount('delivered')) {
          emitter.emit('delivered', { count: batch.length - rejected.size, rejected: rejected.size, attempts: attempt, durationMs: Date.now() - started });
        }
        return { delivered: true, rejected };
      }
      if (!isRetryable(status)) {
        return { delivered: false, error: new RejectedError(status, ids(), parseProblemDetails(response.body)) };
      }
      failure = new Error(`HTTP ${status}${response.body ? `: ${response.body.slice(0, 200)}` : ''}`);
      retryAfter = parseRetryAfter(response.headers['retry-after']);
    } catch (error) {
      if (signal.aborted) return { delivered: false, error: new AbortedError(ids()) };
      failure = error instanceof Error ? error : new Error(String(error));
    }

    const retriesLeft = attempt <= settings.maxRetries;
    const delayMs = retryAfter !== undefined ? Math.max(retryAfter, settings.minRetryDelay) : backoffDelay(attempt, settings.minRetryDelay, settings.maxRetryDelay);
    // Give up now rather than sleep past the budget only to give up then.
    const withinBudget = Date.now() + delayMs - started <= settings.maxRetryDuration;
    if (!retriesLeft || !withinBudget) {
      return { delivered: false, error: new RetriesExhaustedError(attempt, status, ids(), failure) };
    }
    if (retryAfter !== undefined) context.pause.until = Math.max(context.pause.until, Date.now() + delayMs);
    if (emitter.listenerCount('retry')) {
      emitter.emit('retry', { attempt, delayMs, ...(status === undefined ? {} : { status }), error: failure, count: batch.length });
    }
    if (!(await sleep(delayMs, signal))) return { delivered: false, error: new AbortedError(ids()) };
  }
}

/** 408 Request Timeout, 429 Too Many Requests and 5xx are transient; other statuses will not change. */
function isRetryable(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

/** Items a 200 names as refused (`rejected: [{index, errors}]`); the rest were stored. */
function readRejected(response: HttpResponse, batch: Batch): Map<number, RejectedError> {
  const rejected = new Map<number, RejectedError>();
  // The common answer is exactly {"success":true}; skip parsing it.
  if (typeof response.body !== 'string' || !response.body.includes('"rejected"')) return rejected;
  let parsed: IngestResponse | undefined;
  try {
    parsed = JSON.parse(response.body) as IngestResponse;
  } catch {
    return rejected;
  }
  for (const item of parsed.rejected ?? []) {
    const message = batch.messages[item.index];
    if (!message) continue;
    rejected.set(item.index, new RejectedError(response.status, [message.messageId], undefined, item.errors));
  }
  return rejected;
}
