import type { HttpClient } from './http-client';

/**
 * Options of a {@link TrackingClient}. Only `writeKey` and `host` are required.
 *
 * ### Examples
 * ```ts
 * const client = new TrackingClient({
 *   writeKey: process.env.VOLCANION_WRITE_KEY!,
 *   host: 'https://tracking.example.com',
 *   flushAt: 50,
 *   queueFullPolicy: 'wait',
 * });
 * ```
 */
export interface TrackingClientSettings {
  /** A system's write key, sent as the HTTP Basic username. */
  writeKey: string;
  /** Base URL of the server, e.g. `https://tracking.example.com` or `http://127.0.0.1:3000/tracking`. */
  host: string;
  /** Path of the batch route, appended to `host`. Default `/v1/batch`. */
  path?: string;
  /**
   * Send as soon as this many calls are queued. Default 15; 1 sends every call at once (no batching).
   * When sends are backed up, one request carries up to `maxBatchBytes` or 2,500 messages.
   */
  flushAt?: number;
  /** Send a queued call at the latest this many milliseconds after it was made. Default 10,000. */
  flushInterval?: number;
  /**
   * Calls that may be queued or in flight at once; beyond it `queueFullPolicy` applies. Default 10,000.
   */
  maxQueueSize?: number;
  /** Serialized bytes that may be queued or in flight at once; beyond it `queueFullPolicy` applies. Default 32 MiB. */
  maxQueueBytes?: number;
  /**
   * What a call does when the queue is full:
   * - `drop` (default): it fails at once with reason `queue_full` (promise, `error`, `dropped`).
   * - `wait`: it waits for room, and its promise settles after delivery as usual, so `await`ing calls
   *   slows the caller down to what the server accepts. Up to another `maxQueueSize` calls may wait;
   *   beyond that they are dropped, so memory stays bounded even when nobody awaits.
   */
  queueFullPolicy?: 'drop' | 'wait';
  /** Largest request body before compression, in bytes. Default 480 KiB (the server takes 500 KB). */
  maxBatchBytes?: number;
  /** Largest message, serialized, in bytes. Default 32 KiB, as the server. */
  maxEventBytes?: number;
  /** Retries of one request after its first attempt. Default 10. */
  maxRetries?: number;
  /** Longest a request is retried, from its first attempt, in ms. Default 300,000 (5 minutes). */
  maxRetryDuration?: number;
  /** Backoff base: the first retry waits up to this long (full jitter), each next one up to twice as long. Default 200 ms. */
  minRetryDelay?: number;
  /** Backoff cap, in ms. Default 30,000. A `Retry-After` from the server takes precedence. */
  maxRetryDelay?: number;
  /** Time allowed for one request, from sending to the end of the answer, in ms. Default 10,000. */
  timeout?: number;
  /** Compress request bodies of 1 KiB or more with gzip. Default `true`. */
  gzip?: boolean;
  /** Requests in flight at once (and connections kept alive). Default 4. */
  maxConcurrentRequests?: number;
  /**
   * Sends the requests: inject one to add a proxy, instrument, or simulate faults. Default: an
   * {@link UndiciHttpClient} with keep-alive connections, closed by `closeAndFlush()`. A client you
   * pass is not closed by the SDK.
   */
  httpClient?: HttpClient;
}

/** Settings with every default applied and checked. */
export type ResolvedSettings = Required<Omit<TrackingClientSettings, 'httpClient'>> & { httpClient: HttpClient | undefined };

/** The server's (and Segment's) limit on messages per batch. */
export const MAX_BATCH_EVENTS = 2500;

/** The defaults of {@link TrackingClientSettings}. */
export const defaultSettings = {
  path: '/v1/batch',
  flushAt: 15,
  flushInterval: 10_000,
  maxQueueSize: 10_000,
  maxQueueBytes: 32 * 1024 * 1024,
  queueFullPolicy: 'drop',
  maxBatchBytes: 480 * 1024,
  maxEventBytes: 32 * 1024,
  maxRetries: 10,
  maxRetryDuration: 300_000,
  minRetryDelay: 200,
  maxRetryDelay: 30_000,
  timeout: 10_000,
  gzip: true,
  maxConcurrentRequests: 4,
} as const satisfies Omit<ResolvedSettings, 'writeKey' | 'host' | 'httpClient'>;

/**
 * Applies defaults and checks the settings. Misconfiguration is a programming error found at start-up,
 * so this (and only this) throws a `TypeError`; calls never throw.
 */
export function resolveSettings(settings: TrackingClientSettings): ResolvedSettings {
  if (typeof settings !== 'object' || settings === null) throw new TypeError('TrackingClient: settings are required');
  if (typeof settings.writeKey !== 'string' || settings.writeKey === '') throw new TypeError('TrackingClient: writeKey is required');
  if (typeof settings.host !== 'string' || !/^https?:\/\//.test(settings.host)) {
    throw new TypeError('TrackingClient: host must be an http(s) URL, e.g. https://tracking.example.com');
  }
  const defined = Object.fromEntries(Object.entries(settings).filter(([, value]) => value !== undefined));
  const resolved = { ...defaultSettings, httpClient: undefined, ...defined } as ResolvedSettings;
  const positive = ['flushInterval', 'maxQueueSize', 'maxQueueBytes', 'maxBatchBytes', 'maxEventBytes', 'timeout', 'maxConcurrentRequests'] as const;
  for (const key of positive) {
    if (!(resolved[key] > 0)) throw new TypeError(`TrackingClient: ${key} must be a positive number`);
  }
  for (const key of ['maxRetries', 'maxRetryDuration', 'minRetryDelay', 'maxRetryDelay'] as const) {
    if (!(resolved[key] >= 0)) throw new TypeError(`TrackingClient: ${key} must be zero or more`);
  }
  if (!(resolved.flushAt >= 1)) throw new TypeError('TrackingClient: flushAt must be at least 1');
  // A batch can never wait for more calls than the queue may hold.
  resolved.flushAt = Math.min(Math.floor(resolved.flushAt), MAX_BATCH_EVENTS, resolved.maxQueueSize);
  if (resolved.queueFullPolicy !== 'drop' && resolved.queueFullPolicy !== 'wait') {
    throw new TypeError("TrackingClient: queueFullPolicy must be 'drop' or 'wait'");
  }
  // A message must always fit in a batch of its own, envelope included.
  if (resolved.maxEventBytes + 100 > resolved.maxBatchBytes) {
    throw new TypeError('TrackingClient: maxBatchBytes must exceed maxEventBytes by at least 100 bytes');
  }
  return resolved;
}
