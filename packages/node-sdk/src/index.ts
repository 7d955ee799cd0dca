/**
 * @module
 * Node.js client for Volcanion Tracking and any Segment-compatible API. `new TrackingClient({ writeKey,
 * host })`, then `track`/`identify`/`page`/`screen`/`group`/`alias`: calls are batched, gzipped and sent
 * over keep-alive connections, retried with backoff on transient failures, bounded in memory, and each
 * call's promise says whether it was delivered. `closeAndFlush()` before the process exits.
 *
 * ### Examples
 * ```ts
 * import { TrackingClient } from '@volcanion-tracking/node-sdk';
 *
 * const client = new TrackingClient({ writeKey: process.env.WRITE_KEY!, host: 'https://tracking.example.com' });
 * client.track({ userId: 'user-1', event: 'Signed Up', properties: { plan: 'pro' } });
 * await client.closeAndFlush();
 * ```
 */
export { TrackingClient } from './client';
export { defaultSettings, type TrackingClientSettings } from './settings';
export type { DeliveryResult, FlushResult } from './delivery-result';
export {
  DeliveryError,
  InvalidCallError,
  EventTooLargeError,
  ClientClosedError,
  QueueFullError,
  RejectedError,
  RetriesExhaustedError,
  AbortedError,
  type FailureReason,
} from './errors';
export type { ProblemDetails } from './problem-details';
export type {
  TrackingClientEvents,
  DroppedMessage,
  DeliveredBatch,
  RetryScheduled,
  HttpRequestInfo,
  HttpResponseInfo,
} from './client-events';
export { Emitter, type EventMap } from './emitter';
export type { HttpClient, HttpRequest, HttpResponse } from './http-client';
export { UndiciHttpClient, type UndiciHttpClientOptions } from './undici-http-client';
export type { AnyEvents, EventName, PlannedProperties, TrackCall } from './tracking-plan';
export type { Id, Properties, Traits, Identity, CommonFields, IdentifyCall, PageCall, GroupCall, AliasCall } from './call-params';
export type { Message, BatchBody, IngestResponse } from '@volcanion-tracking/core/protocol';
export { SDK_NAME, SDK_VERSION } from './version';
