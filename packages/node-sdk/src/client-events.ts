import type { Message } from '@volcanion-tracking/core/protocol';
import type { DeliveryError, FailureReason } from './errors';

/** Payload of the `dropped` event: one message that will not be delivered. */
export interface DroppedMessage {
  messageId: string;
  reason: FailureReason;
  error: DeliveryError;
  /** The message as it would have been sent (for `invalid` calls, as far as it could be built). */
  readonly message: Message;
}

/** Payload of the `delivered` event: one request the server acknowledged. */
export interface DeliveredBatch {
  /** Messages the server stored (or already had: it deduplicates by messageId). */
  count: number;
  /** Messages it refused by name in the same answer (each also reported through `dropped`). */
  rejected: number;
  /** Requests it took, the first included. */
  attempts: number;
  /** From the first attempt to the acknowledgement. */
  durationMs: number;
}

/** Payload of the `retry` event: a request failed transiently and will be repeated. */
export interface RetryScheduled {
  /** The attempt that failed (1 for the first request). */
  attempt: number;
  /** How long until the next attempt. */
  delayMs: number;
  /** The answer's status; absent on network errors and timeouts. */
  status?: number;
  /** What went wrong. */
  error: Error;
  /** Messages in the request. */
  count: number;
}

/** Payload of the `http_request` event. */
export interface HttpRequestInfo {
  url: string;
  attempt: number;
  count: number;
  /** Body size on the wire. */
  bytes: number;
  gzip: boolean;
}

/** Payload of the `http_response` event. */
export interface HttpResponseInfo {
  url: string;
  attempt: number;
  status: number;
  durationMs: number;
}

/**
 * Events of a {@link TrackingClient}, with their listeners' arguments.
 * - `error`: once per failure: per invalid/oversize/late/dropped call, per refused or abandoned
 *   request, per item the server refused by name. Emitting it with no listener never throws.
 * - `dropped`: once per message that will not be delivered, whatever the reason.
 * - `delivered`: once per acknowledged request.
 * - `retry`: a request failed transiently and is scheduled again.
 * - `http_request` / `http_response`: every attempt, for debugging.
 * - `drained`: nothing is queued or in flight any more.
 */
export interface TrackingClientEvents {
  error: [error: DeliveryError];
  dropped: [dropped: DroppedMessage];
  delivered: [batch: DeliveredBatch];
  retry: [retry: RetryScheduled];
  http_request: [request: HttpRequestInfo];
  http_response: [response: HttpResponseInfo];
  drained: [];
}
